"""Every word in the person's language: the languages as data, the message catalogues,
click's own words, formats by Babel, and input in the person's language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from ontspan import lang as langs_module
from ontspan import library
from ontspan.core import i18n
from ontspan.core.errors import SourceError
from ontspan.core.languages import parse_languages
from ontspan.interfaces.cli import cli

SRC = Path(library.__file__).parent


def shipped() -> tuple[str, ...]:
    return tuple(c for c in library.languages().codes if c != i18n.SOURCE_LANG)


def test_languages_come_from_the_data_file() -> None:
    langs = library.languages()
    assert langs.codes[0] == "nl" and "en" in langs
    assert langs.for_locale("nl_BE.UTF-8") == "nl"
    assert langs.for_locale("en_US") == "en"
    assert langs.for_locale("fr_FR.UTF-8") is None
    assert langs.for_locale("C") is None
    assert langs.from_accept_language("fr-FR,fr;q=0.9,nl;q=0.8,en;q=0.7") == "nl"
    assert langs.from_accept_language("en-US,en;q=0.9,nl;q=0.5") == "en"
    assert langs.from_accept_language("fr, nl;q=0") is None


def test_a_bad_language_entry_is_named() -> None:
    with pytest.raises(SourceError, match=r"language\[2\]\.locales"):
        parse_languages({"language": [
            {"code": "nl", "name": "Nederlands", "locales": ["nl_NL"], "espeak": "nl"},
            {"code": "fr", "name": "Français", "locales": ["de_DE"], "espeak": "fr"},
        ]}, "languages.toml")


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "nl_NL.UTF-8"}, "nl"), ({"LANG": "nl_BE.UTF-8"}, "nl"),
    ({"LANG": "fr_FR.UTF-8"}, "en"), ({"LC_ALL": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
    ({"ONTSPAN_LANG": "en", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "de"), ({"LANG": "de_AT.UTF-8"}, "de"), ({"LANG": "de_CH.UTF-8"}, "de"),
    ({"LANGUAGE": "fr_FR:de_CH:en", "LANG": ""}, "de"),
])
def test_the_locale_chooses_the_language(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                         expected: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert langs_module.default_lang() == expected


def _extracted() -> dict[str, tuple[str, ...]]:
    """Every message the code marks for translation (what `pybabel extract` finds)."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _c, _ctx in extract_from_dir(
            str(SRC), method_map=[("**.py", "python")]):
        ids = (message,) if isinstance(message, str) else tuple(message)
        found[ids[0]] = ids
    return found


FIELD = re.compile(r"\{(\w*)[^}]*\}|%\((\w+)\)s")


def _fields(text: str) -> set[str]:
    return {a or b for a, b in FIELD.findall(text)}


@pytest.mark.parametrize("code", shipped())
def test_every_message_is_translated_in_every_shipped_language(code: str) -> None:
    path = SRC / langs_module.catalog_path(code)
    assert path.is_file(), f"{path}: no message catalogue for {code}"
    with path.open("rb") as po:
        catalog = read_po(po, locale=code)
    problems = []
    for msgid, ids in _extracted().items():
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {msgid!r}")
            continue
        # The fields must survive translation, or formatting fails for that language only.
        wanted = set().union(*(_fields(i) for i in ids)) - {"n"}
        for s in strings:
            if _fields(s) - {"n"} - wanted:
                problems.append(f"unknown field in {s!r}")
        if len(strings) != catalog.num_plurals and isinstance(entry.string, tuple):
            problems.append(f"plural forms: {msgid!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_messages_plurals_and_formats_in_dutch() -> None:
    library.activate("nl")
    assert i18n._("Aborted!") == "Afgebroken."
    assert i18n.number(2.7) == "2,7" and i18n.number(3.0) == "3"
    assert i18n.percent(90.3, 1) == "90,3%"
    assert i18n.day(date(2026, 11, 2)) == "2 november 2026"
    assert i18n.day_short(date(2026, 11, 2)) == "ma 2 nov"
    assert i18n.weekday_names("wide")[0] == "maandag"
    assert i18n.join(["a", "b", "c"]) == "a, b en c"
    library.activate("en")
    assert i18n.percent(90.3, 1) == "90.3%" and i18n.join(["a", "b"]) == "a and b"


def test_clicks_own_words_in_dutch() -> None:
    result = CliRunner().invoke(cli, ["--lang", "nl", "log", "--before", "07:00"])
    assert result.exit_code == 2
    assert "Fout:" in result.output and "is geen getal" in result.output
    assert "Error" not in result.output and "not a valid" not in result.output


def test_a_global_lang_option() -> None:
    result = CliRunner().invoke(cli, ["--lang", "nl", "nosuch"])
    assert "De opdracht 'nosuch' bestaat niet." in result.output


def test_an_own_routine_may_be_in_one_language(tmp_path: Path) -> None:
    own = tmp_path / "mijn.yaml"
    own.write_text("name: {nl: Mijn oefening}\ngroups: [hands-forearms]\n", encoding="utf-8")
    routine = library.load_file(own)
    assert routine.name("nl") == "Mijn oefening"
    assert routine.name("en") == "Mijn oefening"  # the language it has, not an error


def test_every_language_has_its_espeak_voice() -> None:
    """The wheel's eSpeak NG data speaks each language: a few words give sound."""
    from ontspan.audio.espeak import RATE_WPM, EspeakEngine

    engine = EspeakEngine.get()
    for lang in library.languages().items:
        samples = engine.synth({"nl": "Span aan.", "en": "Tighten.", "de": "Jetzt anspannen."}
                               .get(lang.code, "1 2 3"), lang.espeak, RATE_WPM, 42)
        assert len(samples) > engine.sample_rate // 4, lang.code


def test_catalogues_ship_in_the_package() -> None:
    """pyproject's package data covers every catalogue, so a wheel carries them (no build step)."""
    import fnmatch
    import tomllib

    root = SRC.parent.parent / "pyproject.toml"
    patterns = tomllib.loads(root.read_text("utf-8"))["tool"]["setuptools"]["package-data"]["ontspan"]
    for code in shipped():
        path = langs_module.catalog_path(code)
        assert any(fnmatch.fnmatch(path, p) for p in patterns), path
    assert any(fnmatch.fnmatch("data/languages.toml", p) for p in patterns)


def test_german_session_and_inflected_sides() -> None:
    from ontspan.services.sessions import compose

    timeline = compose(library.find("volledig"), {"lang": "de"}, measure=False).timeline
    names = [g.name for g in timeline.groups]
    assert "Rechte Hand und Unterarm" in names and "Linker Oberschenkel" in names, names
    assert all("{side}" not in c.text for c in timeline.cues)
