"""The core commands through click's runner: exit code first, then what a person reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ontspan import __version__
from ontspan.interfaces.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("--help")
    assert code == 0
    for command in ("routines", "show"):
        assert command in out


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        code, _out, _ = run(name, "--help")
        assert code == 0, name
        assert command.help and len(command.help) > 20, f"{name} needs a real help text"


def test_help_starts_fast_without_heavy_imports() -> None:
    code = (
        "import sys; from ontspan.interfaces.cli import main; sys.argv=['ontspan','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy','soundfile','sqlalchemy','rich','yaml','miniaudio') "
        "if m in sys.modules]\nprint('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_show_json_contract() -> None:
    code, out, _ = run("show", "bed", "--json", "--lang", "nl")
    assert code == 0
    data = json.loads(out)
    assert data["routine"] == "bed" and data["lang"] == "nl"
    assert data["duration_ms"] == data["segments"][-1]["end_ms"]
    seg = next(s for s in data["segments"] if s["phase"] == "tense")
    assert set(seg) >= {"group", "phase", "start_ms", "end_ms"}
    cue = data["cues"][0]
    assert set(cue) >= {"start_ms", "end_ms", "text", "kind"}


def test_show_readable() -> None:
    code, out, _ = run("show", "onderweg", "--lang", "en", "--minutes", "4")
    assert code == 0
    assert "Hands and forearms — tense" in out
    assert out.index("Hands and forearms") < out.index("Shoulders — tense")


def test_out_of_range_preference_is_refused_clearly() -> None:
    code, _, err = run("show", "standaard", "--tension", "15")
    assert code == 1
    assert "--tension: 15 seconds is outside the safe range 3-10" in err
    code, _, err = run("show", "standaard", "--release", "5")
    assert code == 1 and "--release" in err


def test_unknown_routine() -> None:
    code, _, err = run("show", "yoga")
    assert code == 1
    assert "unknown routine 'yoga'" in err and "standaard" in err


def test_cannot_fit_is_said() -> None:
    code, out, _ = run("show", "bed", "--minutes", "40")
    assert code == 0
    assert "cannot fit 40 minutes" in out


def test_own_routine_is_listed_and_bad_one_named(ontspan_home: Path) -> None:
    folder = ontspan_home / "routines"
    folder.mkdir()
    (folder / "avond.yaml").write_text("name: Avond\ngroups: [shoulders, face]\n")
    code, out, _ = run("routines")
    assert code == 0 and "avond" in out and "(your own)" in out
    code, out, _ = run("show", "avond", "--json")
    assert code == 0 and [g["id"] for g in json.loads(out)["groups"]] == ["shoulders", "face"]
    (folder / "kapot.yaml").write_text("name: Kapot\ngroups:\n  - shoulders\n  - wings\n")
    code, out, err = run("routines")
    assert code == 1
    assert "kapot.yaml:4: groups.1: unknown muscle group 'wings'" in err
    code, _, err = run("show", "kapot")
    assert code == 1 and "kapot.yaml:4" in err


def test_dutch_from_locale(monkeypatch: object) -> None:
    import os

    os.environ["LANG"] = "nl_NL.UTF-8"
    code, out, _ = run("show", "bed")
    assert code == 0 and "Benen en voeten — aanspannen" in out
