"""Every CLI command (its everyday output and its error paths) and every web page, run in each
language we ship besides English: no English word may show. Commands, options and file names
are left out of the check: they are typed, not read."""

from __future__ import annotations

import re

import pytest

from ontspan import library

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
TYPED = re.compile(r"(--[\w-]+|ontspan(?: [a-z-]+)?|/[\w./-]+|\b[\w-]+\.(?:mp3|html|json|csv|"
                   r"ics|yaml|txt|vtt)\b|'[^']*'|\"[^\"]*\"|`[^`]*`|\bespeak\b|[\w.+-]+@[\w.]+)")


def english_words(text: str) -> set[str]:
    plain = TYPED.sub(" ", text)
    return {w for w in re.findall(r"[A-Za-z]+", plain) if w.lower() in TELLTALE}


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
