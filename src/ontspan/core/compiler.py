"""Routine + preferences -> Timeline. Pure and deterministic: no clock, no files, no audio.

The compiler never guesses how long a line takes to say: it asks `speech_ms`, which is an
estimate by default and the measured length of the real voice when audio is rendered, so
the timing stays exact with any voice.

Each group follows Bernstein & Borkovec: the instruction is a preview ("you make a fist"),
a beat of silence, then the cue ("now") that starts the tension; attention to the tension
while it lasts; "let go", then short lines spread over the release, more in round two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ontspan.core.catalogue import Catalogue, MuscleGroup, Phrases
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _, join, ngettext, number
from ontspan.core.prefs import FIT_RELEASE_RANGE, Prefs
from ontspan.core.routines import Routine
from ontspan.core.timeline import Cue, GroupInfo, Segment, Timeline

# (phrase id, text) -> milliseconds the voice needs to say it.
SpeechMs = Callable[[str, str], int]
# routine id -> Routine, for the shorter and longer sets of a training (None: unknown).
RoutineLookup = Callable[[str], "Routine | None"]

GAP_MS = 600  # pause after every spoken line
BREATH_IN_MS = 4000  # a calm breath: about 4 s in, 6 s out
BREATH_OUT_MS = 6000
BEAT_MS = 2000  # silence between the preview of a movement and the cue that starts it
FEEL_AFTER_MS = 300  # the attention line follows the tense cue after this pause,
FEEL_TAIL_MS = 200  # and ends at least this long before the release
PATTER_FIRST_MS = 2000  # the first release line follows "let go" after this
PATTER_SPACING_MS = 5000  # silence between release lines
QUIET_END_MS = 4000  # the last seconds of a release stay quiet
ROUND_TWO_EXTRA_MS = 10_000  # the second release of a group lasts longer
NOTICE_MS = 15000  # quiet moment to notice the body at the end of a day session
COUNT_PAUSE_MS = 3000  # between the numbers when counting back to alertness
DEEPEN_PAUSE_MS = 8000  # between the deepening lines of a night ending
NIGHT_FADE_MS = 20000  # silence after the last line of a night session
DAY_TAIL_MS = 2000
MAX_BREATHS = 6  # calm breaths at the start when a session is lengthened
PATTER_IDS = tuple(f"patter.{i}" for i in range(1, 7))
PATTER_AFTER_TENSION = ("patter.1",)  # lines that speak of the tension just released


def estimate_speech_ms(phrase_id: str, text: str) -> int:
    """About 11 characters per second: the calm pace of the built-in voice."""
    return 300 + 90 * len(text)


@dataclass(frozen=True)
class Step:
    """A routine group resolved for this session: side chosen, texts in one language."""

    id: str
    group: MuscleGroup
    name: str
    tense_text: str
    feel_text: str
    loose_text: str
    attend_text: str
    release_only: bool
    gentle: bool

    @property
    def instruction(self) -> str:
        return self.attend_text if self.release_only else self.tense_text


def resolve_steps(
    routine: Routine, prefs: Prefs, catalogue: Catalogue, phrases: Phrases
) -> list[Step]:
    lang = prefs.lang
    other = "left" if prefs.dominant == "right" else "right"
    eyes_stay_open = prefs.eyes_open or routine.eyes == "open"
    steps: list[Step] = []
    for ref in routine.groups:
        group = catalogue[ref.group]
        side = None
        if group.sided:
            side = prefs.dominant if ref.side == "dominant" else other
        word = phrases(f"side.{side}", lang) if side else ""

        def fill(text: str) -> str:
            return text.replace("{side}", word)  # noqa: B023 - used inside this iteration

        name = fill(group.name(lang))
        gentle = prefs.intensity == "gentle" or bool(set(group.areas) & prefs.gentle_areas)
        if eyes_stay_open and group.eyes_open is not None:
            tense = group.eyes_open  # written without strong words: fits either intensity
        else:
            tense = group.gentle if gentle else group.tense
        steps.append(
            Step(
                id=f"{group.id}-{side}" if side else group.id,
                group=group,
                name=name[:1].upper() + name[1:],
                tense_text=fill(tense(lang)),
                feel_text=fill(group.feel(lang)),
                loose_text=fill(group.loose(lang)),
                attend_text=fill(group.attend(lang)),
                release_only=routine.mode == "release-only"
                or bool(set(group.areas) & prefs.release_only_areas),
                gentle=gentle,
            )
        )
    return steps


def _session_steps(
    routine: Routine, prefs: Prefs, catalogue: Catalogue, phrases: Phrases, notes: list[str]
) -> list[Step]:
    """The routine's steps after the safety settings: left out, and the safe one first."""
    steps = resolve_steps(routine, prefs, catalogue, phrases)
    skipped = [s for s in steps if set(s.group.areas) & prefs.skip_areas]
    steps = [s for s in steps if s not in skipped]
    if skipped:
        notes.append(_("left out: {groups}", groups=join([s.name for s in skipped])))
    if not steps:
        raise OntspanError(_(
            "routine {routine}: every muscle group is left out by your safety settings; "
            "try the 'loslaten' routine, or talk it over with your therapist",
            routine=repr(routine.id)))
    if prefs.start_with:
        first = next((s for s in steps if set(s.group.areas) & set(prefs.start_with)), None)
        if first is not None and first is not steps[0]:
            steps = [first] + [s for s in steps if s is not first]
            notes.append(_("starts with: {group}", group=first.name))
    return steps


def compile_timeline(
    routine: Routine,
    prefs: Prefs,
    catalogue: Catalogue,
    phrases: Phrases,
    speech_ms: SpeechMs = estimate_speech_ms,
    routines: RoutineLookup | None = None,
) -> Timeline:
    if routine.script:  # the later stages of the learning path: nothing is tensed
        from ontspan.core.script_timeline import compile_script

        return compile_script(routine, prefs, catalogue, phrases, speech_ms)
    notes: list[str] = []
    steps = _session_steps(routine, prefs, catalogue, phrases, notes)
    builder = _Builder(routine, prefs, phrases, speech_ms)
    if prefs.max_minutes is not None:
        # A safety cap: a longer target or a longer natural length is fitted to the cap.
        cap = prefs.max_minutes
        too_long = (prefs.minutes > cap if prefs.minutes is not None
                    else builder.build(steps, ()).duration_ms > cap * 60_000)
        if too_long:
            prefs = replace(prefs, minutes=cap)
    if prefs.minutes is None:
        return builder.build(steps, tuple(notes))
    fitter = _Fitter(prefs, catalogue, phrases, speech_ms, routines or (lambda _id: None))
    builder, steps = fitter.fit(routine, steps, notes)
    return builder.build(steps, tuple(notes))


@dataclass(frozen=True)
class _Shape:
    """What a fitted session may change besides the rest length."""

    rounds: int
    review: bool
    breaths: int


class _Fitter:
    """Lengthen or shorten a session to about `prefs.minutes`.

    In order: the rest length (20-40 s), then rounds, calm breaths and a closing review;
    then the next combined set of the training (16 -> 7 -> 4 groups, or the other way);
    only then, on the smallest set, leave groups out (a left/right pair together)."""

    def __init__(self, prefs: Prefs, catalogue: Catalogue, phrases: Phrases,
                 speech_ms: SpeechMs, routines: RoutineLookup) -> None:
        assert prefs.minutes is not None
        self.prefs = prefs
        self.target = round(prefs.minutes * 60_000)
        self.catalogue = catalogue
        self.phrases = phrases
        self.speech_ms = speech_ms
        self.routines = routines
        self.low, self.high = (round(r * 1000) for r in FIT_RELEASE_RANGE)

    def builder(self, routine: Routine, shape: _Shape, release_ms: int) -> _Builder:
        prefs = replace(self.prefs, rounds=shape.rounds, release_s=release_ms / 1000)
        return _Builder(routine, prefs, self.phrases, self.speech_ms, shape.breaths, shape.review)

    def duration(self, routine: Routine, steps: list[Step], shape: _Shape, release_ms: int) -> int:
        return self.builder(routine, shape, release_ms).build(steps, ()).duration_ms

    def shapes(self, routine: Routine) -> list[_Shape]:
        """The natural shape first, then longer ones, then shorter ones."""
        b0 = routine.breaths
        more = MAX_BREATHS if b0 else 0
        natural = _Shape(self.prefs.rounds, False, b0)
        longer = [_Shape(2, False, b0), _Shape(2, False, more), _Shape(2, True, more)]
        shorter = [_Shape(1, False, b0), _Shape(1, False, min(1, b0)), _Shape(1, False, 0),
                   _Shape(1, False, more), _Shape(1, True, b0), _Shape(1, True, more)]
        if routine.mode == "release-only":  # rounds mean nothing without tension
            longer = [_Shape(1, False, more), _Shape(1, True, more)]
            shorter = [_Shape(1, False, min(1, b0)), _Shape(1, False, 0)]
        out: list[_Shape] = []
        for shape in [natural, *longer, *shorter]:
            if shape not in out:
                out.append(shape)
        return out

    def solve(self, routine: Routine, steps: list[Step]) -> tuple[_Shape, int, int, int]:
        """The best (shape, release, duration) for these steps, and the sign of what is left:
        -1 when even the shortest shape is too long, 1 when the longest is too short."""
        ranges = [(s, self.duration(routine, steps, s, self.low),
                   self.duration(routine, steps, s, self.high)) for s in self.shapes(routine)]
        for shape, d_low, d_high in ranges:
            if d_low <= self.target <= d_high:
                release, duration = self.bisect(routine, steps, shape)
                return shape, release, duration, 0
        # Between shapes or outside them all: the nearest end.
        ends = [(abs(d - self.target), s, r, d) for s, d_low, d_high in ranges
                for r, d in ((self.low, d_low), (self.high, d_high))]
        _, shape, release, duration = min(ends, key=lambda e: e[0])
        shortest = min(d for _, d, _ in ranges)
        longest = max(d for _, _, d in ranges)
        side = -1 if self.target < shortest else 1 if self.target > longest else 0
        return shape, release, duration, side

    def bisect(self, routine: Routine, steps: list[Step], shape: _Shape) -> tuple[int, int]:
        """The rest in milliseconds that brings the session closest to the target."""
        lo, hi = self.low, self.high
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.duration(routine, steps, shape, mid) <= self.target:
                lo = mid
            else:
                hi = mid
        options = [(r, self.duration(routine, steps, shape, r)) for r in (lo, hi)]
        return min(options, key=lambda o: abs(o[1] - self.target))

    def fit(self, routine: Routine, steps: list[Step], notes: list[str]) -> tuple[_Builder, list[Step]]:
        minutes = self.target / 60_000
        chosen = routine
        shape, release, duration, side = self.solve(routine, steps)
        visited = {routine.id}
        while side:
            next_id = chosen.shorter if side < 0 else chosen.longer
            other = self.routines(next_id) if next_id and next_id not in visited else None
            if other is None:
                break
            visited.add(other.id)
            other_notes: list[str] = []
            other_steps = _session_steps(other, self.prefs, self.catalogue, self.phrases,
                                         other_notes)
            o_shape, o_release, o_duration, o_side = self.solve(other, other_steps)
            if abs(o_duration - self.target) >= abs(duration - self.target):
                break
            chosen, steps, shape, release, duration, side = (
                other, other_steps, o_shape, o_release, o_duration, o_side)
        if chosen is not routine:
            notes.append(_("the {n} muscle groups of {routine}, to fit {minutes} minutes",
                           n=len(steps), routine=chosen.name(self.prefs.lang),
                           minutes=number(minutes)))
        original = len(steps)
        while (side < 0 and abs(duration - self.target) > 0.1 * self.target
               and len({s.group.id for s in steps}) > 1):
            # Leave out the least essential group (both sides together); on a tie the later.
            ids = [s.group.id for s in steps]
            drop = max(ids, key=lambda g: (steps[ids.index(g)].group.priority, ids.index(g)))
            steps = [s for s in steps if s.group.id != drop]
            shape, release, duration, side = self.solve(chosen, steps)
        if len(steps) < original:
            notes.append(ngettext("{n} muscle group left out to fit {minutes} minutes",
                                  "{n} muscle groups left out to fit {minutes} minutes",
                                  original - len(steps), minutes=number(minutes)))
        if shape.rounds != self.prefs.rounds and chosen.mode != "release-only":
            notes.append(_("two rounds per group, to fit the time") if shape.rounds == 2
                         else _("one round per group, to fit the time"))
        if abs(duration - self.target) > 0.1 * self.target:
            notes.append(_("cannot fit {minutes} minutes: this routine takes about {about} "
                           "minutes with the allowed rest lengths", minutes=number(minutes),
                           about=number(duration / 60_000)))
        return self.builder(chosen, shape, release), steps


class _Builder:
    def __init__(
        self, routine: Routine, prefs: Prefs, phrases: Phrases, speech_ms: SpeechMs,
        breaths: int | None = None, review: bool = False,
    ) -> None:
        self.routine = routine
        self.prefs = prefs
        self.phrases = phrases
        self.speech_ms = speech_ms
        self.breaths = routine.breaths if breaths is None else breaths
        self.review = review  # a closing walk through the whole body, for longer sessions

    def phrase(self, phrase_id: str) -> str:
        return self.phrases(phrase_id, self.prefs.lang)

    def build(self, steps: list[Step], notes: tuple[str, ...]) -> Timeline:
        """The session in three steps: settle in, each group in turn, close."""
        script = _Script(self.speech_ms, self.prefs.delay_ms)
        self._intro(script, steps)
        for step in steps:
            for rnd in range(1, (1 if step.release_only else self.prefs.rounds) + 1):
                self._group(script, step, rnd)
        self._outro(script, steps)
        return self._timeline(script, steps, notes)

    def _line(self, script: _Script, phrase_id: str, kind: str, pause_ms: int = GAP_MS) -> None:
        """A whole line said on its own, followed by a pause."""
        script.t = script.say(phrase_id, self.phrase(phrase_id), kind, script.t) + pause_ms

    def _intro(self, script: _Script, steps: list[Step]) -> None:
        p = self.prefs
        routine = self.routine
        self._line(script, f"intro.{routine.posture}", "intro")
        if routine.eyes == "closed":
            self._line(script, "eyes.open" if p.eyes_open else "eyes.closed", "intro")
        all_release = all(s.release_only for s in steps)
        self._line(script, "method.release" if all_release else f"method.{p.intensity}", "intro")
        if not all_release:
            self._line(script, "method.cue", "intro")
            if p.keep_breathing:
                self._line(script, "method.keep_breathing", "safety")
            elif p.breathing:
                self._line(script, "method.breathing", "intro")
        if p.pain_note:
            self._line(script, "safety.pain", "safety")
        if p.trauma_note:
            self._line(script, "safety.trauma", "safety")
            self._line(script, "safety.grounding", "safety")
        if self.breaths:
            self._line(script, "breath.intro", "intro")
            for _ in range(self.breaths):
                t = script.t
                end = script.say("breath.in", self.phrase("breath.in"), "breathe-in", t)
                t = max(t + BREATH_IN_MS, end + GAP_MS)
                end = script.say("breath.out", self.phrase("breath.out"), "breathe-out", t)
                script.t = max(t + BREATH_OUT_MS, end + GAP_MS)

    def _group(self, script: _Script, step: Step, rnd: int) -> None:
        """One round of one group: the preview, a beat, the tension, the release."""
        if rnd == 1:
            pid = f"attend.{step.id}" if step.release_only else f"group.{step.id}"
            end = script.say(pid, step.instruction, "instruction", script.t, step.id)
        else:
            end = script.say("round.again", self.phrase("round.again"), "again", script.t,
                             step.id)
        if step.release_only:
            script.t = end + GAP_MS
        else:
            script.t = end + BEAT_MS
            self._tension(script, step, rnd)
        self._release(script, step, rnd)

    def _tension(self, script: _Script, step: Step, rnd: int) -> None:
        p = self.prefs
        t = script.t
        script.open("tense", step.id, rnd)
        release_at = t + p.tension_ms
        # A long cue that would run into the release falls back to a shorter one.
        tense_ids = self._tense_phrases(step)
        tid = next(
            (i for i in tense_ids
             if t + self.speech_ms(i, self.phrase(i)) + FEEL_TAIL_MS <= release_at),
            tense_ids[-1],
        )
        end = script.say(tid, self.phrase(tid), "tense", t, step.id)
        if end + FEEL_TAIL_MS > release_at:
            raise OntspanError(
                f"--tension: {p.tension_s:g} s is too short for this voice to say "
                f"{self.phrase(tid)!r}; choose a longer tension time"
            )
        feel_id = f"feel.{step.id}"
        feel_at = end + FEEL_AFTER_MS
        if feel_at + self.speech_ms(feel_id, step.feel_text) + FEEL_TAIL_MS <= release_at:
            script.say(feel_id, step.feel_text, "feel", feel_at, step.id)
        script.t = release_at

    def _release(self, script: _Script, step: Step, rnd: int) -> None:
        """'Let go', then the group's own line and a few more, spread over the rest."""
        p = self.prefs
        t = script.t
        release_end = t + p.release_ms + (ROUND_TWO_EXTRA_MS if rnd == 2 else 0)
        script.open("release", step.id, rnd, countdown_end_ms=release_end)
        if step.release_only:
            cue_id = "release.only"
        else:
            cue_id = "release.breath" if p.breathing and not p.keep_breathing else "release"
        end = script.say(cue_id, self.phrase(cue_id), "release", t, step.id)
        # As many lines as fit, said one after the other...
        candidates = [] if step.release_only else [(f"loose.{step.id}", step.loose_text)]
        candidates += [(pid, self.phrase(pid)) for pid in script.patter(step.release_only)]
        lines: list[tuple[str, str, int]] = []
        busy = 0
        for pid, text in candidates:
            length = self.speech_ms(pid, text)
            need = busy + (PATTER_SPACING_MS if lines else 0) + length
            if end + PATTER_FIRST_MS + need + QUIET_END_MS > release_end:
                break
            lines.append((pid, text, length))
            busy = need
        said = [pid for pid, _, _ in lines if pid.startswith("patter.")]
        if said:
            script.used_patter(said[-1])
        # ...then spread over the rest, the last one ending before the quiet close.
        room = release_end - QUIET_END_MS - (end + PATTER_FIRST_MS) - busy
        spread = room // (len(lines) - 1) if len(lines) > 1 else 0
        last = end
        at = end + PATTER_FIRST_MS
        for pid, text, _length in lines:
            last = script.say(pid, text, "feel", at, step.id)
            at = last + PATTER_SPACING_MS + spread
        script.t = max(release_end, last + GAP_MS)

    def _outro(self, script: _Script, steps: list[Step]) -> None:
        p = self.prefs
        script.open("outro", None, 1)
        if self.review:
            self._line(script, "outro.review", "outro", GAP_MS * 3)
            pause = max(GAP_MS, p.release_ms)
            for step in steps:
                script.t = script.say(f"loose.{step.id}", step.loose_text, "outro", script.t,
                                      step.id) + pause
        if p.ending == "night":
            # Deepen, then silence: nothing that asks to compare or to wake up.
            for i in (1, 2, 3):
                self._line(script, f"outro.deepen.{i}", "outro", DEEPEN_PAUSE_MS)
            self._line(script, "outro.night", "outro")
            script.t += NIGHT_FADE_MS
        elif self.routine.eyes == "closed":
            self._line(script, "outro.notice", "outro", NOTICE_MS)
            self._line(script, "outro.count", "outro", COUNT_PAUSE_MS)
            for i in (4, 3, 2):
                self._line(script, f"outro.count.{i}", "outro", COUNT_PAUSE_MS)
            self._line(script, "outro.count.1.open" if p.eyes_open else "outro.count.1", "outro")
            self._line(script, "outro.day", "outro", DAY_TAIL_MS)
        else:
            self._line(script, "outro.notice", "outro", NOTICE_MS)
            self._line(script, "outro.day.open", "outro", DAY_TAIL_MS)
        script.open(None, None, 1)

    def _timeline(self, script: _Script, steps: list[Step], notes: tuple[str, ...]) -> Timeline:
        p = self.prefs
        groups = tuple(
            GroupInfo(s.id, s.name, s.instruction, s.release_only,
                      1 if s.release_only else p.rounds)
            for s in steps
        )
        return Timeline(
            routine=self.routine.id,
            routine_name=self.routine.name(p.lang),
            lang=p.lang,
            duration_ms=script.t,
            segments=tuple(script.segments),
            cues=tuple(script.cues),
            groups=groups,
            prefs=p,
            notes=notes,
        )

    def _tense_phrases(self, step: Step) -> tuple[str, ...]:
        """The cue that starts the tension, then shorter ones to fall back on.
        Breathing in only where the movement allows it."""
        p = self.prefs
        suffix = ".gentle" if step.gentle else ""
        plain = "tense.gentle" if step.gentle else "tense.normal"
        if p.keep_breathing or (p.breathing and not step.group.inhale):
            return ("tense.keep_breathing" + suffix, plain, "tense.now")
        if p.breathing:
            return ("tense.breath" + suffix, plain, "tense.now")
        return (plain, "tense.now")


class _Script:
    """The Timeline being written: spoken cues, and segments that tile the session."""

    def __init__(self, speech_ms: SpeechMs, start_ms: int) -> None:
        self.speech_ms = speech_ms
        self.t = start_ms
        self.cues: list[Cue] = []
        self.segments: list[Segment] = []
        self._patter_no = 0  # the release lines take turns
        self._open: tuple[str | None, str, int, int, int | None] = (None, "intro", 0, 1, None)

    def say(self, phrase_id: str, text: str, kind: str, at: int, group: str | None = None) -> int:
        """Add a cue at `at`; returns when it ends."""
        length = max(1, self.speech_ms(phrase_id, text))
        self.cues.append(Cue(at, at + length, text, kind, phrase_id, group))
        return at + length

    def patter(self, release_only: bool) -> list[str]:
        """The release lines in turn, from where the last release stopped."""
        order = [PATTER_IDS[(self._patter_no + i) % len(PATTER_IDS)]
                 for i in range(len(PATTER_IDS))]
        return [p for p in order if not (release_only and p in PATTER_AFTER_TENSION)]

    def used_patter(self, last: str) -> None:
        """The next release continues after the last line said."""
        self._patter_no = PATTER_IDS.index(last) + 1

    def open(self, phase: str | None, group: str | None, rnd: int,
             countdown_end_ms: int | None = None) -> None:
        """Close the running segment at the current time and start the next (None: the end).

        A release segment also holds the next group's instruction, so its countdown (the
        feeling) ends at `countdown_end_ms`; a tension counts down to its own end."""
        g, ph, start, r, countdown = self._open
        if ph == "tense":
            countdown = self.t
        # The next group's instruction (or "once more") said at the end of this segment.
        nxt = next((c for c in self.cues if c.start_ms >= start and c.group is not None
                    and c.kind in ("instruction", "again")), None)
        next_at = nxt.start_ms if nxt is not None else None
        # The feeling starts when "let go" has been said.
        feel = next((c.end_ms for c in reversed(self.cues)
                     if c.kind == "release" and c.start_ms == start), None)
        self.segments.append(Segment(g, ph, start, self.t, r,
                                     min(countdown, self.t) if countdown is not None else None,
                                     feel if ph == "release" else None,
                                     nxt.group if nxt is not None else None, next_at))
        if phase is not None:
            self._open = (group, phase, self.t, rnd, countdown_end_ms)
