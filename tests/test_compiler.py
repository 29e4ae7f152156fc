"""Properties of the timeline compiler over random routines and preferences."""

from __future__ import annotations

import builtins
import time
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ontspan import library
from ontspan.core.compiler import ROUND_TWO_EXTRA_MS, compile_timeline, estimate_speech_ms
from ontspan.core.prefs import Prefs, resolve
from ontspan.core.routines import GroupRef, Routine
from ontspan.core.timeline import Timeline

CAT = library.catalogue()
PHRASES = library.phrases()
GROUP_REFS = [
    GroupRef(g.id, side) for g in CAT.groups.values()
    for side in (("dominant", "other") if g.sided else (None,))
]


@st.composite
def routines(draw: Any) -> Routine:
    refs = draw(st.lists(st.sampled_from(GROUP_REFS), min_size=1, max_size=16))
    builtin = library.find("standaard")
    return replace(
        builtin,
        id="random",
        groups=tuple(refs),
        posture=draw(st.sampled_from(["any", "sitting", "lying"])),
        eyes=draw(st.sampled_from(["open", "closed"])),
        breaths=draw(st.integers(0, 5)),
        mode=draw(st.sampled_from(["tense", "release-only"])),
    )


prefs_strategy = st.builds(
    Prefs,
    tension_s=st.floats(3, 10).map(lambda x: round(x, 1)),
    release_s=st.floats(10, 60).map(lambda x: round(x, 1)),
    delay_s=st.floats(0, 60).map(lambda x: round(x, 1)),
    rounds=st.sampled_from([1, 2]),
    breathing=st.booleans(),
    intensity=st.sampled_from(["normal", "gentle"]),
    ending=st.sampled_from(["day", "night"]),
    dominant=st.sampled_from(["right", "left"]),
    lang=st.sampled_from(["nl", "en"]),
    minutes=st.one_of(st.none(), st.floats(2, 90).map(lambda x: round(x, 1))),
    keep_breathing=st.booleans(),
)

# Voices differ: scale the estimate to model slower and faster voices.
speeds = st.floats(0.5, 1.3)


def compile_(routine: Routine, prefs: Prefs, speed: float = 1.0) -> Timeline:
    return compile_timeline(
        routine, prefs, CAT, PHRASES, lambda pid, text: int(estimate_speech_ms(pid, text) * speed)
    )


@settings(max_examples=150, deadline=None)
@given(routines(), prefs_strategy, speeds)
def test_segments_tile_the_session(routine: Routine, prefs: Prefs, speed: float) -> None:
    tl = compile_(routine, prefs, speed)
    assert tl.segments[0].start_ms == 0
    for a, b in zip(tl.segments, tl.segments[1:], strict=False):
        assert a.end_ms == b.start_ms
        assert a.start_ms < a.end_ms
    assert tl.segments[-1].end_ms == tl.duration_ms
    assert sum(s.duration_ms for s in tl.segments) == tl.duration_ms


@settings(max_examples=150, deadline=None)
@given(routines(), prefs_strategy, speeds)
def test_phase_lengths_and_cues(routine: Routine, prefs: Prefs, speed: float) -> None:
    tl = compile_(routine, prefs, speed)
    release_ms = tl.prefs.release_ms
    for seg in tl.segments:
        if seg.phase == "tense":
            assert seg.duration_ms == prefs.tension_ms
        if seg.phase == "release":
            assert seg.duration_ms >= release_ms
    # Cues are in order and never overlap.
    for a, b in zip(tl.cues, tl.cues[1:], strict=False):
        assert a.end_ms <= b.start_ms
    starts = {(c.kind, c.start_ms) for c in tl.cues}
    for seg in tl.segments:
        if seg.phase in ("tense", "release"):
            assert (seg.phase, seg.start_ms) in starts
    assert tl.cues[-1].end_ms <= tl.duration_ms


@settings(max_examples=100, deadline=None)
@given(routines(), prefs_strategy)
def test_order_is_the_routines_order(routine: Routine, prefs: Prefs) -> None:
    tl = compile_(routine, prefs)
    order = [s.group for s in tl.segments if s.phase == "release" and s.round == 1]
    assert order == [g.id for g in tl.groups]
    base_order = [g.id.removesuffix("-right").removesuffix("-left") for g in tl.groups]
    routine_order = [r.group for r in routine.groups]
    it = iter(routine_order)
    assert all(g in it for g in base_order), "groups kept their routine order"


def release_lengths(tl: Timeline) -> set[int]:
    """How long each rest lasts: from the release cue to the next instruction (a release
    segment also holds the next group's instruction, so its own length is not the rest).
    A second round rests ROUND_TWO_EXTRA_MS longer by design; that is taken off here."""
    lengths = set()
    for seg in tl.segments:
        if seg.phase == "release":
            nxt = next(c for c in tl.cues
                       if c.start_ms >= seg.start_ms and c.kind not in ("release", "feel"))
            extra = ROUND_TWO_EXTRA_MS if seg.round == 2 else 0
            lengths.add(nxt.start_ms - seg.start_ms - extra)
    return lengths


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(library.BUILTIN_ORDER)), st.floats(2, 40), st.sampled_from(["nl", "en"]))
def test_minutes_fit_whenever_the_allowed_rest_lengths_reach_them(
    name: str, minutes: float, lang: str
) -> None:
    """Measured against the same routine compiled at the shortest and longest allowed rest
    (20 and 40 s), not against the compiler's own arithmetic."""
    routine = library.find(name)
    base = resolve(routine.defaults, {"lang": lang})
    shortest = compile_(routine, replace(base, release_s=20.0))
    longest = compile_(routine, replace(base, release_s=40.0))
    target = round(minutes, 1) * 60_000
    tl = compile_(routine, replace(base, minutes=round(minutes, 1)))
    rests = release_lengths(tl)
    assert len(rests) == 1, "every group rests equally long"
    rest = rests.pop()
    assert 20_000 <= rest <= 40_000
    if shortest.duration_ms <= target <= longest.duration_ms:
        # Reachable with every group and round: the rest length is chosen to land on the target
        # (within a second: rests are whole milliseconds), nothing is left out, no excuse.
        assert abs(tl.duration_ms - target) <= 1000, (tl.duration_ms, target)
        assert tl.groups == shortest.groups and tl.notes == ()
    elif target > longest.duration_ms:
        # Lengthened beyond the longest rest: rounds, calm breaths or a closing review added.
        assert tl.duration_ms > longest.duration_ms
    else:
        # Shortened by fewer rounds, breaths or groups; longer than asked only at the
        # shortest rest.
        assert tl.duration_ms <= target + 1000 or rest == 20_000
        assert tl.duration_ms < shortest.duration_ms
    # More than 10% off, and the person is told why.
    off = abs(tl.duration_ms - target) > 0.1 * target
    assert off == any("cannot fit" in n for n in tl.notes)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(library.BUILTIN_ORDER)), st.floats(10, 60), st.floats(3, 10))
def test_rest_and_tension_last_as_long_as_asked(name: str, release: float, tension: float) -> None:
    routine = library.find(name)
    prefs = resolve(routine.defaults, {"release": round(release, 1), "tension": round(tension, 1)})
    tl = compile_(routine, prefs)
    assert release_lengths(tl) == {round(round(release, 1) * 1000)}
    tense = {s.duration_ms for s in tl.segments if s.phase == "tense"}
    assert tense <= {round(round(tension, 1) * 1000)}


@settings(max_examples=50, deadline=None)
@given(routines(), prefs_strategy)
def test_deterministic_and_never_reads_clock_or_files(
    routine: Routine, prefs: Prefs
) -> None:
    first = compile_(routine, prefs)
    with pytest.MonkeyPatch.context() as mp:
        def forbidden(*args: object, **kwargs: object) -> None:
            raise AssertionError("the compiler touched the clock or a file")

        mp.setattr(builtins, "open", forbidden)
        for name in ("time", "monotonic", "perf_counter", "time_ns"):
            mp.setattr(time, name, forbidden)
        second = compile_(routine, prefs)
    assert first == second


def test_tense_and_release_cues_start_exactly_at_their_segments() -> None:
    tl = compile_(library.find("standaard"), Prefs(breathing=True))
    tense = [s for s in tl.segments if s.phase == "tense"]
    cues = {c.start_ms: c for c in tl.cues}
    assert all(cues[s.start_ms].kind == "tense" for s in tense)
    assert cues[tense[0].start_ms].text == "Now, breathe in as you tighten."
    release = [s for s in tl.segments if s.phase == "release"]
    assert all(cues[s.start_ms].text == "Breathe out, and let go." for s in release)
    # The preview of what to tense comes just before the cue, with a beat between.
    idx = tl.cues.index(cues[tense[0].start_ms])
    assert tl.cues[idx - 1].kind == "instruction"
    assert "toes" in tl.cues[idx - 1].text
