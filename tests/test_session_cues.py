"""The timing a therapist listens for: a preview, a beat, then the cue; attention while
tensing; release lines spread over the rest, more in round two; any length, whole body."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from ontspan import library
from ontspan.core.compiler import BEAT_MS, compile_timeline
from ontspan.core.prefs import Prefs, resolve
from ontspan.core.routines import GroupRef
from ontspan.core.timeline import Timeline

CAT = library.catalogue()
PHRASES = library.phrases()


def compile_(name: str, **options: object) -> Timeline:
    routine = library.find(name)
    prefs = resolve(routine.defaults, {"lang": "nl", **options})
    return compile_timeline(routine, prefs, CAT, PHRASES, routines=library.builtin_or_none)


def test_how_it_works_is_said_once_then_preview_beat_and_now() -> None:
    tl = compile_("standaard")
    ids = [c.phrase for c in tl.cues]
    assert ids.count("method.cue") == 1
    first_tense = next(s for s in tl.segments if s.phase == "tense")
    assert ids.index("method.cue") < [c.start_ms for c in tl.cues].index(first_tense.start_ms)
    for seg in (s for s in tl.segments if s.phase == "tense"):
        cue = next(c for c in tl.cues if c.start_ms == seg.start_ms)
        assert cue.text.startswith("Nu")
        before = max((c for c in tl.cues if c.end_ms <= seg.start_ms), key=lambda c: c.end_ms)
        assert before.kind in ("instruction", "again")
        assert seg.start_ms - before.end_ms >= BEAT_MS, "a beat between preview and cue"
    previews = [c.text for c in tl.cues if c.kind == "instruction"]
    assert all(t.startswith("Je ") for t in previews), "a preview, not a command"


def test_attention_during_the_tension_names_the_group() -> None:
    tl = compile_("standaard")
    for seg in (s for s in tl.segments if s.phase == "tense"):
        lines = [c for c in tl.cues if seg.start_ms < c.start_ms < seg.end_ms]
        assert [c.phrase for c in lines] == [f"feel.{seg.group}"]
    calves = next(c for c in tl.cues if c.phrase == "feel.feet-lower-legs")
    assert "kuiten" in calves.text


def test_release_lines_are_spread_and_longer_in_round_two() -> None:
    tl = compile_("volledig")
    per_round: dict[int, list[int]] = {1: [], 2: []}
    for seg in (s for s in tl.segments if s.phase == "release" and s.group):
        lines = [c for c in tl.cues if c.kind == "feel" and seg.start_ms < c.start_ms < seg.end_ms]
        assert len(lines) >= 2, "more than one generic line then silence"
        assert lines[-1].start_ms - seg.start_ms > seg.duration_ms / 2, "spread over the rest"
        gaps = [b.start_ms - a.end_ms for a, b in itertools.pairwise(lines)]
        assert all(g >= 4000 for g in gaps), "room to feel between the lines"
        per_round[seg.round].append(len(lines))
        if seg.round == 2:
            assert seg.duration_ms > tl.prefs.release_ms
    assert min(per_round[2]) > max(per_round[1]) - 1 and sum(per_round[2]) > sum(per_round[1])


@pytest.mark.parametrize("minutes", [3, 4, 5, 8, 12, 16, 20, 30, 40, 45])
@pytest.mark.parametrize("name", ["standaard", "volledig"])
def test_minutes_lengthens_and_shortens_within_ten_percent(name: str, minutes: int) -> None:
    tl = compile_(name, minutes=minutes)
    target = minutes * 60_000
    assert abs(tl.duration_ms - target) <= 0.1 * target, (tl.duration_ms / 60_000, tl.notes)
    assert not any("cannot fit" in n for n in tl.notes)


def test_shortening_moves_to_the_combined_sets_first() -> None:
    assert len(compile_("volledig").groups) == 16
    seven = compile_("volledig", minutes=8)
    assert [g.id for g in seven.groups][:2] == ["arm-right", "arm-left"]
    four = compile_("volledig", minutes=5)
    assert [g.id for g in four.groups] == ["arms", "face-neck", "trunk", "legs"]
    assert any("Vier groepen" in n for n in four.notes)


def test_lengthening_adds_rounds_rest_and_a_closing_review() -> None:
    natural = compile_("standaard")
    longer = compile_("standaard", minutes=12)
    assert longer.duration_ms > natural.duration_ms * 1.6
    assert {g.rounds for g in longer.groups} == {2}
    longest = compile_("volledig", minutes=45)
    assert "outro.review" in [c.phrase for c in longest.cues]


def test_left_and_right_stay_together_when_groups_are_left_out() -> None:
    routine = library.find("volledig")
    custom = routine.__class__(**{**routine.__dict__, "id": "benen", "shorter": None,
                                  "groups": (GroupRef("thigh", "dominant"), GroupRef("calf", "dominant"),
                                             GroupRef("foot", "dominant"), GroupRef("thigh", "other"),
                                             GroupRef("calf", "other"), GroupRef("foot", "other"))})
    for minutes in (2.5, 3, 4):
        prefs = resolve(custom.defaults, {"lang": "en", "minutes": minutes})
        tl = compile_timeline(custom, prefs, CAT, PHRASES)
        bases = Counter(g.id.rsplit("-", 1)[0] for g in tl.groups)
        assert set(bases.values()) == {2}, bases


def test_trauma_cap_keeps_both_feet() -> None:
    routine = library.find("volledig")
    prefs = resolve(routine.defaults, {"lang": "nl"})
    prefs = Prefs(**{**prefs.__dict__, "max_minutes": 8.0, "eyes_open": True})
    tl = compile_timeline(routine, prefs, CAT, PHRASES, routines=library.builtin_or_none)
    ids = [g.id for g in tl.groups]
    assert ids == ["arm-right", "arm-left", "face", "neck", "trunk", "leg-right", "leg-left"]


def test_day_ending_counts_back_and_night_ending_deepens_into_silence() -> None:
    day = compile_("standaard")
    outro = [c.phrase for c in day.cues if c.kind == "outro"]
    assert outro.index("outro.count.4") < outro.index("outro.count.1") < outro.index("outro.day")
    night = compile_("bed")
    outro = [c for c in night.cues if c.kind == "outro"]
    assert [c.phrase for c in outro][:3] == ["outro.deepen.1", "outro.deepen.2", "outro.deepen.3"]
    assert "zwaar en warm" in outro[0].text
    assert not any("vergeleken" in c.text for c in outro)
    assert night.duration_ms - outro[-1].end_ms >= 15_000
