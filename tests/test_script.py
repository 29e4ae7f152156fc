"""Scripted routines of the learning path: recall, counting, the cue word, rapid relaxation.

Nothing in them is ever tensed; they are compiled by the real compiler from the shipped files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ontspan import library
from ontspan.core.errors import SourceError
from ontspan.core.timeline import Timeline
from ontspan.services.sessions import compose

SHIPPED = library.languages().codes  # every language ontspan ships
SCRIPTED = library.SCRIPTED_ORDER


def compiled(name: str, **options: object) -> Timeline:
    return compose(library.find(name), dict(options), measure=False).timeline


@pytest.mark.parametrize("lang", SHIPPED)
@pytest.mark.parametrize("name", SCRIPTED)
def test_scripted_routines_never_tense_and_tile_the_session(name: str, lang: str) -> None:
    tl = compiled(name, lang=lang)
    assert library.find(name).script
    assert not [c for c in tl.cues if c.kind in ("tense", "hold")]
    assert not [s for s in tl.segments if s.phase == "tense"]
    assert all(g.release_only for g in tl.groups)
    assert tl.segments[0].start_ms == 0 and tl.segments[-1].end_ms == tl.duration_ms
    for a, b in zip(tl.segments, tl.segments[1:], strict=False):
        assert a.end_ms == b.start_ms
    starts = [c.start_ms for c in tl.cues]
    assert starts == sorted(starts)
    for a, b in zip(tl.cues, tl.cues[1:], strict=False):
        assert a.end_ms <= b.start_ms, f"{a.text!r} overlaps {b.text!r}"


def test_recall_goes_through_the_four_groups_without_tensing() -> None:
    tl = compiled("herinneren", lang="nl")
    assert [g.id for g in tl.groups] == ["legs", "belly-chest", "arms-shoulders-neck", "face"]
    recall = [s for s in tl.segments if s.group]
    assert [s.group for s in recall] == [g.id for g in tl.groups]
    assert all(s.duration_ms >= 30_000 for s in recall), "time to let each group go"
    said = " ".join(c.text for c in tl.cues)
    assert "span je niets aan" in said and "Denk terug aan hoe ze voelden" in said


def test_counting_says_one_to_ten_on_the_out_breath() -> None:
    tl = compiled("herinneren-tellen", lang="en")
    numbers = [c for c in tl.cues if c.phrase.startswith("count.")]
    assert [c.phrase for c in numbers] == [f"count.{n}" for n in range(1, 11)]
    assert numbers[0].text == "One." and numbers[-1].text == "Ten."
    gaps = [b.start_ms - a.start_ms for a, b in itertools.pairwise(numbers)]
    assert all(gap == 10_000 for gap in gaps), "one number per calm breath (4 s in, 6 s out)"
    last_recall = max(c.start_ms for c in tl.cues if c.group)
    assert numbers[0].start_ms > last_recall, "counting deepens after the recall"


def test_counting_alone_has_no_muscle_groups() -> None:
    tl = compiled("tellen", lang="nl")
    assert tl.groups == ()
    assert [c.text for c in tl.cues if c.phrase.startswith("count.")][:2] == ["Eén.", "Twee."]


@pytest.mark.parametrize(("lang", "word"), [("nl", "Rustig."), ("en", "Relax.")])
def test_cue_word_comes_with_every_out_breath(lang: str, word: str) -> None:
    tl = compiled("signaalwoord", lang=lang)
    cues = list(tl.cues)
    words = [i for i, c in enumerate(cues) if c.phrase == "cue.word"]
    assert len(words) == 5 and all(cues[i].text == word for i in words)
    for i in words:
        breath_in = cues[i - 1]
        assert breath_in.phrase == "cue.in" and breath_in.kind == "breathe-in"
        assert cues[i].kind == "breathe-out"
        assert cues[i].start_ms - breath_in.start_ms == 4000
    said = " ".join(c.text for c in cues)
    assert word.rstrip(".").lower() in said, "the script explains the cue word it pairs"


@pytest.mark.parametrize("lang", SHIPPED)
def test_rapid_relaxation_takes_twenty_to_thirty_seconds(lang: str) -> None:
    tl = compiled("snel", lang=lang)
    assert 20_000 <= tl.duration_ms <= 30_000
    assert tl.cues[0].phrase == "cue.in", "no long opening: it starts with the breath"
    assert "close your eyes" not in " ".join(c.text for c in tl.cues)


def test_differential_is_done_sitting_with_eyes_open() -> None:
    routine = library.find("differentieel")
    assert routine.posture == "sitting" and routine.eyes == "open"
    tl = compiled("differentieel", lang="en")
    said = " ".join(c.text for c in tl.cues)
    assert "close your eyes" not in said and "only the muscles you need" in said


def test_minutes_stretch_or_shorten_the_quiet_parts_only() -> None:
    natural = compiled("herinneren", lang="en")
    longer = compiled("herinneren", lang="en", minutes=5)
    assert abs(longer.duration_ms - 300_000) <= 30_000
    assert [c.text for c in longer.cues] == [c.text for c in natural.cues]
    impossible = compiled("snel", lang="en", minutes=20)
    assert any("cannot fit" in n for n in impossible.notes)


@pytest.mark.parametrize(
    ("content", "line", "field"),
    [
        ("name: x\nscript:\n  - shout: hi\n", 3, "script.0"),
        ("name: x\nscript:\n  - count: 11\n", 3, "script.0.count"),
        ("name: x\nscript:\n  - cue: 0\n", 3, "script.0.cue"),
        ("name: x\nscript:\n  - say: hi\n    pause: 500\n", 4, "script.0.pause"),
        ("name: x\nscript:\n  - say: hi\n  - recall: elbows\n", 4, "script.1.recall"),
        ("name: x\nscript:\n  - recall: thigh\n", 3, "script.0.recall"),
        ("name: x\nscript:\n  - count: 3\n    cue: 2\n", 3, "script.0"),
        ("name: x\nscript:\n  - count: 3\n    pause: 2\n", 3, "script.0"),
        ("name: x\nscript:\n  - count: 3\n    colour: 2\n", 4, "script.0.colour"),
        ("name: x\ngroups: [face]\nscript:\n  - count: 3\n", 2, "groups"),
        ("name: x\nscript: []\n", 2, "script"),
        ("name: x\nframe: maybe\nscript:\n  - count: 3\n", 2, "frame"),
    ],
)
def test_bad_script_names_file_line_field(tmp_path: Path, content: str, line: int,
                                          field: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(content)
    with pytest.raises(SourceError) as err:
        library.load_file(path)
    assert (err.value.line, err.value.field) == (line, field)
    assert str(err.value).startswith(f"{path}:{line}: {field}:")


def test_own_scripted_routine_uses_the_groups_own_release_text(tmp_path: Path) -> None:
    path = tmp_path / "mijn.yaml"
    path.write_text("name: Mijn\nscript:\n  - recall: shoulders\n  - count: 3\n")
    routine = library.load_file(path)
    tl = compose(routine, {"lang": "en"}, measure=False).timeline
    assert [g.id for g in tl.groups] == ["shoulders"]
    assert "drop a little further with every breath out" in tl.groups[0].instruction


@pytest.mark.parametrize("name", SCRIPTED)
def test_every_scripted_routine_has_chapters_and_a_closing(name: str) -> None:
    from ontspan.core.captions import chapters

    tl = compiled(name, lang="nl")
    assert tl.segments[-1].phase == "outro"
    marks = chapters(tl)
    assert marks[0].start_ms == 0 and marks[-1].end_ms == tl.duration_ms


def test_rapid_relaxation_renders_with_the_builtin_voice(tmp_path: Path) -> None:
    """Found by listening: a script without closing lines once crashed the audio export."""
    from click.testing import CliRunner

    from ontspan.interfaces.cli import cli

    out = tmp_path / "snel.wav"
    result = CliRunner().invoke(cli, ["render", "snel", "-o", str(out), "--lang", "nl", "-q"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0 and out.with_suffix(".vtt").exists()



def test_web_player_page_serves_every_scripted_routine() -> None:
    from starlette.testclient import TestClient

    from ontspan.core.safety import Profile
    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    journal = Journal.open()
    journal.save_intake(Profile())  # past the first visit's safety questions
    try:
        with TestClient(create_app(journal), base_url="http://127.0.0.1") as client:
            for name in SCRIPTED:
                page = client.get(f"/session?routine={name}")
                assert page.status_code == 200, name
                assert library.find(name).name("en") in page.text
    finally:
        journal.engine.dispose()
