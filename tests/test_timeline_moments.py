"""What the Timeline says a person is doing at each moment: the screen follows the voice."""

from __future__ import annotations

from ontspan import library
from ontspan.core.timeline import Timeline
from ontspan.services.sessions import compose


def timeline(routine: str, **options: object) -> Timeline:
    return compose(library.find(routine), {"lang": "nl", **options}, measure=False).timeline


def test_while_an_instruction_is_said_the_phase_is_that_groups_instruction() -> None:
    for routine, options in (("standaard", {}), ("standaard", {"rounds": 2}), ("loslaten", {})):
        tl = timeline(routine, **options)
        spoken = [c for c in tl.cues if c.kind in ("instruction", "again")]
        assert spoken
        for cue in spoken:
            for at in (cue.start_ms, (cue.start_ms + cue.end_ms) // 2, cue.end_ms):
                seg = tl.segment_at(at)
                assert seg.phase_at(at) == "instruction", (routine, cue.text)
                assert seg.group_at(at) == cue.group
                # The countdown runs to the moment the tension (or the release) starts.
                after = next(s for s in tl.segments if s.start_ms >= cue.end_ms)
                assert seg.end_ms == after.start_ms and after.group == cue.group
                assert seg.seconds_left(at) == (after.start_ms - at + 999) // 1000


def test_the_first_instruction_is_no_longer_settling_in() -> None:
    tl = timeline("standaard")
    first = next(c for c in tl.cues if c.kind == "instruction")
    intro = tl.segments[0]
    assert intro.phase == "intro" and intro.next_group == tl.groups[0].id
    assert intro.phase_at(first.start_ms - 1) == "intro"
    assert intro.group_at(first.start_ms - 1) is None
    assert intro.phase_at(first.start_ms) == "instruction"


def test_release_counts_the_feeling_then_the_next_group_is_announced() -> None:
    tl = timeline("standaard")
    releases = [s for s in tl.segments if s.phase == "release"]
    for seg, nxt in zip(releases, tl.groups[1:], strict=False):
        assert seg.feel_start_ms is not None and seg.countdown_end_ms is not None
        assert seg.phase_at(seg.start_ms) == "release"
        assert seg.phase_at(seg.feel_start_ms) == "feel"
        assert seg.seconds_left(seg.feel_start_ms) == \
            (seg.countdown_end_ms - seg.feel_start_ms + 999) // 1000
        assert seg.next_at_ms == seg.countdown_end_ms
        assert seg.group_at(seg.next_at_ms) == nxt.id
    last = releases[-1]
    assert last.next_group is None and last.phase_at(last.end_ms - 1) == "feel"


def test_the_breathing_guide_follows_the_breath_cues() -> None:
    tl = timeline("standaard")
    ins = [c for c in tl.cues if c.kind == "breathe-in"]
    outs = [c for c in tl.cues if c.kind == "breathe-out"]
    assert ins and len(ins) == len(outs)
    for cue_in, cue_out in zip(ins, outs, strict=True):
        start = tl.breath_at(cue_in.start_ms)
        middle = tl.breath_at((cue_in.start_ms + cue_out.start_ms) // 2)
        top = tl.breath_at(cue_out.start_ms)
        later = tl.breath_at(cue_out.start_ms + 3000)
        assert start is not None and middle is not None and top is not None and later is not None
        assert (start.direction, start.fullness) == ("in", 0.0)
        assert middle.direction == "in" and 0.4 < middle.fullness < 0.6
        assert (top.direction, top.fullness) == ("out", 1.0)
        assert later.direction == "out" and later.fullness < 1.0
    assert tl.breath_at(0) is None
    assert tl.breath_at(tl.segments[1].start_ms) is None
