"""Every CLI command (its everyday output and its error paths) and every web page, run in each
language we ship besides English: no English word may show. Commands, options and file names
(and the column names of a CSV) are left out of the check: they are typed, not read."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ontspan import library
from ontspan.interfaces.cli import cli

LANGS = [code for code in library.languages().codes if code != "en"]

# Words that give English away; none is a Dutch or German word.
TELLTALE = {
    "the", "and", "not", "error", "usage", "missing", "invalid", "minutes", "groups",
    "every", "none", "your", "you", "tension", "night", "sleep", "logged", "answers",
    "forgotten", "completed", "stopped", "times", "yes", "no", "with", "unknown", "file",
    "folder", "choose", "try", "help", "added", "nights", "sessions", "captions", "length",
    "muscle", "left", "out", "aborted", "already", "deleted", "planned", "done", "now",
    "closing", "feel", "are", "be", "for", "built", "from", "package", "row", "time",
}
TYPED = re.compile(r"(\b[a-z]+_[a-z_]+\b|--[\w-]+|ontspan(?: [a-z-]+)?|/[\w./-]+|"
                   r"\b[\w-]+\.(?:mp3|html|json|csv|ics|yaml|txt|vtt)\b|'[^']*'|\"[^\"]*\"|`[^`]*`|\bespeak\b|[\w.+-]+@[\w.]+)")


def english_words(text: str) -> set[str]:
    plain = TYPED.sub(" ", text)
    return {w for w in re.findall(r"[A-Za-z]+", plain) if w.lower() in TELLTALE}


def run(lang: str, *args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, ["--lang", lang, *args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


def commands(tmp: Path) -> list[tuple[str, ...]]:
    csv = tmp / "bad.sessions.csv"
    csv.write_text("id,started_at,routine,state,tension_before\nb,2026-03-02T21:00,bed,"
                   "completed,elf\n", encoding="utf-8")
    return [
        ("routines",),
        ("show", "bed", "--minutes", "3"),
        ("show", "nosuch"),
        ("render", "bed", "-o", str(tmp / "missing" / "x.mp3")),
        ("handout", "bed", "-o", str(tmp / "x.txt")),
        ("voices",),
        ("log", "bed", "--at", "2026-11-20 21:30", "--before", "6", "--after", "3",
         "--reaction", "dizzy"),
        ("log", "bed", "--at", "half tien"),
        ("log", "bed", "--before", "07:00"),
        ("sleep", "--date", "2026-11-19", "--bed", "22.45", "--try", "23:00", "--latency", "20",
         "--awakenings", "1", "--awake", "10", "--final", "6.30", "--out", "7:00",
         "--quality", "4"),
        ("sleep", "--date", "2026-11-18", "--bed", "half elf", "--try", "23:00", "--latency",
         "20", "--awakenings", "1", "--awake", "10", "--final", "6.30", "--out", "7:00",
         "--quality", "4"),
        ("journal",),
        ("insights",),
        ("export", "-o", str(tmp / "export.json")),
        ("import", str(csv)),
        ("intake", "--pain", "rug,nek", "--heart-lung", "no", "--trauma", "no",
         "--therapist", "no"),
        ("intake", "--show"),
        ("intake", "--pain", "knee2", "--heart-lung", "no", "--trauma", "no", "--therapist",
         "no"),
        ("plan", "--weekly", "ma,wo,vr@19.00"),
        ("plan", "--weekly", "maan@19:00"),
        ("plan", "--daily", "7 uur 30"),
        ("today",),
        ("practice", "vier", "--no-input", "--preview", "200"),
        ("intake", "--reset"),
        ("serve", "--host", "0.0.0.0"),
        ("nosuch",),
        ("forget", "--all", "--yes"),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_speaks_the_language(lang: str, tmp_path: Path) -> None:
    found: dict[str, set[str]] = {}
    for args in commands(tmp_path):
        out = run(lang, *args)
        words = english_words(out)
        if words:
            found[" ".join(args)] = words
            print(f"$ ontspan --lang {lang} {' '.join(args)}\n{out}")
    assert not found, found


@pytest.mark.parametrize("lang", LANGS)
def test_forget_asks_in_the_language_and_understands_j(lang: str) -> None:
    out = run(lang, "forget", "--all", input="x\nj\n")
    assert "[j/N]" in out and not english_words(out), out


def visible_text(html: str) -> str:
    """What a person reads on a page: no tags, scripts, styles or attribute values."""
    html = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"&\w+;", " ", html)


@pytest.mark.parametrize("lang", LANGS)
def test_every_web_page_speaks_the_language(lang: str) -> None:
    from starlette.testclient import TestClient

    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    journal = Journal.open()
    accept = {"nl": "nl-NL,nl;q=0.9,en;q=0.5", "de": "de-AT,de;q=0.9,en;q=0.5"}[lang]
    found: dict[str, set[str]] = {}
    try:
        with TestClient(create_app(journal), base_url="http://127.0.0.1",
                        headers={"accept-language": accept}) as client:
            for path in ("/", "/practice", "/session?routine=bed", "/journal", "/intake",
                         "/session?routine=nosuch", "/session?routine=bed&minutes=abc"):
                response = client.get(path)
                assert response.headers["content-language"] == lang, path
                words = english_words(visible_text(response.text))
                if words:
                    found[path] = words
    finally:
        journal.engine.dispose()
    assert not found, found


def test_the_web_follows_accept_language_then_the_choice() -> None:
    from starlette.testclient import TestClient

    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    journal = Journal.open()
    try:
        with TestClient(create_app(journal), base_url="http://127.0.0.1",
                        headers={"accept-language": "nl-BE,nl;q=0.9"}) as client:
            assert 'lang="nl"' in client.get("/practice").text
            client.get("/lang/en?next=/practice")
            assert 'lang="en"' in client.get("/practice").text
    finally:
        journal.engine.dispose()


# -- --help ----------------------------------------------------------------------------------

# Words that give English help away (besides TELLTALE); none is a Dutch or German word.
HELP_TELLTALE = {
    "print", "show", "list", "add", "write", "ignore", "session", "sessions", "voice", "voices",
    "which", "this", "that", "when", "what", "how", "into", "at", "or", "to", "by", "stage",
    "path", "practise", "practice", "journal", "diary", "options", "command", "arguments",
    "args", "required", "default", "integer", "float", "routine", "location", "email",
    "language", "range", "directory", "files",
}
# The values of a choice ([yes|no], [day|night]) are typed as they are, in every language.
CHOICES = re.compile(r"[\[{][\w-]+(?:\|[\w-]+)+[\]}]")
# Names, not words: a questionnaire, and voices (nl_BE-nathalie-medium).
NAMES = re.compile(r"Consensus Sleep(?: Diary)?|\b\w+_\w+(?:-\w+)*")


def every_command(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += every_command(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def help_words(text: str, names: set[str]) -> set[str]:
    """The English words left in a help text, past what is typed: option and command names,
    the values of choices, file examples."""
    text = re.sub(r"(?<=\w)-\n\s*(?=\w)", "-", text)  # 'hand-out', wrapped at its hyphen
    plain = CHOICES.sub(" ", TYPED.sub(" ", NAMES.sub(" ", text)))
    plain = re.sub(r"\b(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")\b", " ", plain)
    telltale = TELLTALE | HELP_TELLTALE
    return {w for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", plain) if w.lower() in telltale}


@pytest.mark.parametrize("lang", LANGS)
def test_every_help_speaks_the_language(lang: str) -> None:
    names = {word for path in every_command() for word in path}
    found: dict[str, set[str]] = {}
    for path in every_command():
        out = run(lang, *path, "--help")
        assert out.startswith({"nl": "Gebruik:", "de": "Aufruf:"}[lang]), out
        words = help_words(out, names)
        if words:
            found[" ".join(path) or "ontspan"] = words
            print(f"$ ontspan --lang {lang} {' '.join(path)} --help\n{out}")
    assert not found, found


@pytest.mark.parametrize("lang", LANGS)
def test_every_help_text_is_in_the_catalogue(lang: str) -> None:
    """A help text that is a docstring, or not marked N_(), never reaches the catalogue: each
    text of each command and option must have its own translation."""
    from ontspan.core import i18n

    library.activate(lang)
    try:
        untranslated = []
        for path in every_command():
            command: click.Command = cli
            for name in path:
                assert isinstance(command, click.Group)
                command = command.commands[name]
            texts = [command.help] + [getattr(p, "help", None) for p in command.params]
            untranslated += [f"{' '.join(path) or 'ontspan'}: {t!r}" for t in texts
                             if t and i18n._(t) == t]
        assert not untranslated, "\n".join(untranslated)
    finally:
        library.activate("en")


def test_english_help_reads_as_before() -> None:
    top = run("en", "--help")
    assert top.startswith("Usage: ") and "[OPTIONS] COMMAND [ARGS]...\n" in top
    assert "Progressive muscle relaxation: tense a muscle group, let go, feel the" in top
    assert "practice  Practise now: you are talked through a session, step by step." in top
    render = run("en", "render", "--help")
    assert render.startswith("Usage: ") and " render [OPTIONS] [ROUTINE]\n" in render
    assert "-o, --output FILE" in render and "[required]" in render
    assert "Seconds to hold the tension (3-10, default" in render
    assert "[default: -26.0]" in render
    practice = run("en", "practice", "--help")
    assert "Keys: space pauses, s skips the rest of a muscle group, q (or Ctrl-C)" in practice


def test_a_missing_argument_is_named_in_the_language() -> None:
    assert "Ontbrekend argument 'BESTANDEN...'" in run("nl", "import")
    assert "Fehlendes Argument 'ORT'" in run("de", "voices", "add", "x")
    assert "Missing argument 'LOCATION'" in run("en", "voices", "add", "x")


def test_help_follows_the_language_of_each_run() -> None:
    """click makes the help option once per command; its words must still follow the run."""
    assert "Show this message and exit." in run("en", "log", "--help")
    assert "Diese Hilfe anzeigen und beenden." in run("de", "log", "--help")
    assert "Toon deze hulp en stop." in run("nl", "log", "--help")
