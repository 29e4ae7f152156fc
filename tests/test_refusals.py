"""Everything a person can get wrong ends in one line naming what, and a non-zero exit: never
a traceback (issue 10, section 4). Each case was first reproduced with the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from ontspan.files import atomic_path
from ontspan.interfaces.cli import cli
from ontspan.store.journal import Journal

NIGHT = ["--bed", "23:00", "--try", "23:10", "--latency", "10", "--awakenings", "1", "--awake",
         "5", "--final", "07:00", "--out", "07:10", "--quality", "3"]


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def refused(result: Result, *words: str) -> str:
    """The one line a refusal printed; asserts exit 1, no exception and every word in it."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"uncaught {result.exception!r}"
    assert result.exit_code == 1, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# -- output files ---------------------------------------------------------------------------

def _unwritable_folder(tmp_path: Path) -> Path:
    """/sys refuses new files even to root; a read-only folder does for anyone else."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if not Path("/sys/kernel").is_dir():
        pytest.skip("needs /sys (Linux) to have a folder root cannot write in")
    return Path("/sys")


OUTPUTS = {
    "render": lambda p: ["render", "bed", "-q", "-o", str(p / "bed.mp3")],
    "export": lambda p: ["export", "-o", str(p / "journal.json")],
    "plan": lambda p: ["plan", "--daily", "18:00", "--ics", str(p / "plan.ics")],
    "handout": lambda p: ["handout", "bed", "-o", str(p / "bed.html")],
    "insights": lambda p: ["insights", "--plot", str(p / "chart.png")],
}


@pytest.mark.parametrize("command", sorted(OUTPUTS))
@pytest.mark.parametrize("problem", ["missing", "a-file", "unwritable"])
def test_output_folder_problems_name_the_path(command: str, problem: str,
                                              tmp_path: Path) -> None:
    if problem == "missing":
        folder, words = tmp_path / "no-such-folder", ["does not exist"]
    elif problem == "a-file":
        folder, words = tmp_path / "notes.txt", ["is a file, not a folder"]
        folder.write_text("x")
    else:
        folder, words = _unwritable_folder(tmp_path), ["cannot write"]
    args = OUTPUTS[command](folder)
    before = set(folder.iterdir()) if folder.is_dir() else set()
    line = refused(invoke(*args), *words)
    assert args[-1] in line, "the line names the file asked for"
    assert ".partial" not in line
    assert not (tmp_path / "no-such-folder").exists(), "nothing is created on a refusal"
    if folder.is_dir():
        assert set(folder.iterdir()) == before, "no .partial or other file left behind"


def test_a_refused_plan_is_not_saved(tmp_path: Path) -> None:
    refused(invoke("plan", "--daily", "18:00", "--ics", str(tmp_path / "none" / "p.ics")))
    assert Journal.open().plan() is None


def test_output_refusal_in_dutch(tmp_path: Path) -> None:
    line = refused(invoke("insights", "--lang", "nl", "--plot", str(tmp_path / "x" / "c.svg")))
    assert "bestaat niet" in line


def test_a_failed_write_names_the_file_and_leaves_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "out" / "out.txt"
    with pytest.raises(OSError) as caught, atomic_path(target) as tmp:
        tmp.write_text("half")
        raise OSError(28, "No space left on device", str(tmp))
    assert caught.value.filename == str(target)
    assert list(target.parent.iterdir()) == []


# -- dates ahead ------------------------------------------------------------------------------

def test_a_night_years_ahead_is_refused() -> None:
    line = refused(invoke("sleep", "--date", "2030-01-01", *NIGHT), "--date", "2030-01-01")
    assert "in the future" in line
    assert Journal.open().nights() == []
    line = refused(invoke("sleep", "--lang", "nl", "--date", "2030-01-01", *NIGHT))
    assert "ligt in de toekomst" in line


def test_a_session_years_ahead_is_refused() -> None:
    refused(invoke("log", "--at", "2031-05-01 10:00"), "--at", "2031-05-01", "in the future")
    assert Journal.open().sessions() == []


def test_today_and_tomorrow_are_fine() -> None:
    from datetime import date, timedelta

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert invoke("sleep", "--date", tomorrow, *NIGHT).exit_code == 0
    assert invoke("log", "--at", f"{date.today()} 08:00").exit_code == 0


# -- routine names ----------------------------------------------------------------------------

def test_routines_by_shown_name_in_any_case() -> None:
    for name in ("Standaard", "STANDAARD", "Standard", "seven groups", "Zeven Groepen"):
        result = invoke("show", name, "--json")
        assert result.exit_code == 0, (name, result.output)
    assert '"routine": "zeven"' in invoke("show", "Seven groups", "--json").output


def test_a_typo_gets_did_you_mean_and_is_not_saved() -> None:
    line = refused(invoke("log", "standrd"), "standrd", "did you mean standaard?")
    assert Journal.open().sessions() == []
    line = refused(invoke("show", "zevn", "--lang", "nl"), "bedoel je zeven")
    line = refused(invoke("show", "xyzzy"), "unknown routine 'xyzzy'")
    assert "did you mean" not in line and "loslaten" in line


def test_log_saves_the_routine_id_not_what_was_typed() -> None:
    assert invoke("log", "Seven Groups").exit_code == 0
    assert [s.routine for s in Journal.open().sessions()] == ["zeven"]


def test_own_routine_shadows_by_shown_name(ontspan_home: Path) -> None:
    folder = ontspan_home / "routines"
    folder.mkdir()
    (folder / "mijn.yaml").write_text("name: {nl: Avond, en: Evening}\ngroups: [face]\n")
    assert '"routine": "mijn"' in invoke("show", "evening", "--json").output


# -- serve ------------------------------------------------------------------------------------

def test_serve_on_a_port_in_use_says_so_before_any_url() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = invoke("serve", "--no-browser", "--port", str(port))
    refused(result, "--port", str(port), "already used")
    assert "http://" not in result.output


# -- every command ----------------------------------------------------------------------------

def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():
        found.add((*prefix, name))
        if isinstance(command, click.Group):
            found |= _commands(command, (*prefix, name))
    return found


BAD_INPUT: dict[tuple[str, ...], list[str]] = {
    ("routines",): ["routines"],  # with a broken own routine, see below
    ("show",): ["show", "standrd"],
    ("render",): ["render", "bed", "-o", "/no/such/folder/x.mp3"],
    ("voices",): ["voices", "--bogus"],
    ("voices", "add"): ["voices", "add", "mine", "/no/such/model.onnx", "--lang", "nl"],
    ("voices", "download"): ["voices", "download", "../../etc"],
    ("voices", "record-list"): ["voices", "record-list", "standrd"],
    ("handout",): ["handout", "bed", "-o", "/no/such/folder/x.html"],
    ("serve",): ["serve", "--port", "99999"],
    ("log",): ["log", "--at", "yesterday-ish"],
    ("sleep",): ["sleep", "--date", "2026-03-28", *NIGHT[:-2], "--quality", "9"],
    ("journal",): ["journal", "--lang", "fr"],
    ("export",): ["export", "-o", "/no/such/folder/x.json"],
    ("import",): ["import", "/no/such/file.json"],
    ("forget",): ["forget", "--all"],  # answered no
    ("account",): ["account", "--bogus"],
    ("path",): ["path", "--set", "nergens"],
    ("account", "add"): ["account", "add", "not-an-email", "--role", "client"],
    ("remove",): ["remove", "--night", "2026-02-30"],
    ("salvage",): ["salvage", "-o", "rescued.json"],  # there is no journal yet
    ("insights",): ["insights", "--plot", "chart.gif"],
    ("intake",): ["intake", "--pain", "wings", "--heart-lung", "no", "--trauma", "no",
                  "--therapist", "no"],
    ("plan",): ["plan", "--daily", "25:00"],
    ("today",): ["today", "--lang", "fr"],
    ("practice",): ["practice", "standrd", "--no-input"],
}


def test_every_command_is_in_the_bad_input_table() -> None:
    assert _commands(cli) == set(BAD_INPUT), "add a bad input for each new command"


@pytest.mark.parametrize("path", sorted(BAD_INPUT), ids=" ".join)
def test_every_command_refuses_bad_input_without_traceback(path: tuple[str, ...],
                                                           ontspan_home: Path) -> None:
    (ontspan_home / "routines").mkdir()
    (ontspan_home / "routines" / "broken.yaml").write_text("name: [unclosed\n")
    result = invoke(*BAD_INPUT[path], input="n\n")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{path}: uncaught {result.exception!r}"
    assert result.exit_code in (1, 2), (path, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.output.strip(), "a refusal says why"


def test_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    env = dict(os.environ, ONTSPAN_HOME=str(tmp_path / "home"))
    for args in (["render", "bed", "-o", "/no/such/x.mp3"], ["log", "standrd"],
                 ["sleep", "--date", "2030-01-01", *NIGHT]):
        out = subprocess.run([sys.executable, "-m", "ontspan", *args], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 1, (args, out.stderr)
        assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1, out.stderr


def test_a_prompt_at_the_end_of_piped_input_is_not_an_interrupt() -> None:
    result = invoke("sleep", "--date", "2026-03-28", input="")
    # Not a terminal: sleep names the missing option instead of asking.
    refused(result, "--bed")
    result = invoke("account", "add", "someone@example.org", "--role", "therapist", input="")
    assert "input ended" in result.stderr and result.exit_code == 1, result.output
