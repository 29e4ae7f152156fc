"""Routine + preferences -> Timeline. Pure and deterministic: no clock, no files, no audio.

The compiler never guesses how long a line takes to say: it asks `speech_ms`, which is an
estimate by default and the measured length of the real voice when audio is rendered, so
the timing stays exact with any voice.
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

GAP_MS = 600  # pause after every spoken line
BREATH_IN_MS = 4000  # a calm breath: about 4 s in, 6 s out
BREATH_OUT_MS = 6000
HOLD_AFTER_MS = 700  # the "hold it" line follows the tense cue after this pause
FEEL_AFTER_MS = 1500  # the "feel the difference" line follows the release cue after this
NOTICE_MS = 15000  # quiet moment to notice the body at the end
NIGHT_FADE_MS = 20000  # silence after the last line of a night session
DAY_TAIL_MS = 2000


def estimate_speech_ms(phrase_id: str, text: str) -> int:
    """About 13 characters per second: a calm pace, close to the default voice."""
    return 300 + 75 * len(text)


@dataclass(frozen=True)
class Step:
    """A routine group resolved for this session: side chosen, texts in one language."""

    id: str
    group: MuscleGroup
    name: str
    tense_text: str
    attend_text: str
    release_only: bool


def resolve_steps(
    routine: Routine, prefs: Prefs, catalogue: Catalogue, phrases: Phrases
) -> list[Step]:
    lang = prefs.lang
    other = "left" if prefs.dominant == "right" else "right"
    steps: list[Step] = []
    for ref in routine.groups:
        group = catalogue[ref.group]
        side = None
        if group.sided:
            side = prefs.dominant if ref.side == "dominant" else other
        word = phrases(f"side.{side}", lang) if side else ""
        name = group.name(lang).replace("{side}", word)
        steps.append(
            Step(
                id=f"{group.id}-{side}" if side else group.id,
                group=group,
                name=name[:1].upper() + name[1:],
                tense_text=group.tense(lang).replace("{side}", word),
                attend_text=group.attend(lang).replace("{side}", word),
                release_only=routine.mode == "release-only"
                or bool(set(group.areas) & prefs.release_only_areas),
            )
        )
    return steps


def compile_timeline(
    routine: Routine,
    prefs: Prefs,
    catalogue: Catalogue,
    phrases: Phrases,
    speech_ms: SpeechMs = estimate_speech_ms,
) -> Timeline:
    if routine.script:  # the later stages of the learning path: nothing is tensed
        from ontspan.core.script_timeline import compile_script

        return compile_script(routine, prefs, catalogue, phrases, speech_ms)
    steps = resolve_steps(routine, prefs, catalogue, phrases)
    notes: list[str] = []
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
    builder = _Builder(routine, prefs, phrases, speech_ms)
    if prefs.max_minutes is not None:
        # A safety cap: a longer target or a longer natural length is fitted to the cap.
        cap = prefs.max_minutes
        too_long = (prefs.minutes > cap if prefs.minutes is not None
                    else builder.build(steps, ()).duration_ms > cap * 60_000)
        if too_long:
            prefs = replace(prefs, minutes=cap)
            builder = _Builder(routine, prefs, phrases, speech_ms)
    if prefs.minutes is not None:
        steps, prefs = _fit(builder, steps, prefs, notes)
        builder = _Builder(routine, prefs, phrases, speech_ms)
    return builder.build(steps, tuple(notes))


def _fit(
    builder: _Builder, steps: list[Step], prefs: Prefs, notes: list[str]
) -> tuple[list[Step], Prefs]:
    """Choose rest lengths, then rounds, then groups, so the session lasts about `minutes`."""
    assert prefs.minutes is not None
    target = prefs.minutes * 60_000
    low, high = (round(r * 1000) for r in FIT_RELEASE_RANGE)
    original = len(steps)
    while True:
        d_low = builder.with_release(low).build(steps, ()).duration_ms
        d_high = builder.with_release(high).build(steps, ()).duration_ms
        per_ms = (d_high - d_low) / (high - low)
        release = low + (target - d_low) / per_ms
        if release >= low or (len(steps) == 1 and builder.prefs.rounds == 1):
            break
        if builder.prefs.rounds == 2:
            builder = builder.with_prefs(replace(builder.prefs, rounds=1))
            notes.append(_("one round per group, to fit the time"))
            continue
        # Drop the least essential group; on a tie the later one. Order is kept.
        drop = max(range(len(steps)), key=lambda i: (steps[i].group.priority, i))
        steps = steps[:drop] + steps[drop + 1 :]
    if len(steps) < original:
        notes.append(ngettext("{n} muscle group left out to fit {minutes} minutes",
                              "{n} muscle groups left out to fit {minutes} minutes",
                              original - len(steps), minutes=number(prefs.minutes)))
    release = min(max(release, low), high)
    fitted = replace(builder.prefs, release_s=round(release) / 1000)
    duration = builder.with_prefs(fitted).build(steps, ()).duration_ms
    if abs(duration - target) > 0.1 * target:
        notes.append(_("cannot fit {minutes} minutes: this routine takes about {about} minutes "
                       "with the allowed rest lengths", minutes=number(prefs.minutes),
                       about=number(duration / 60_000)))
    return steps, fitted


class _Builder:
    def __init__(
        self, routine: Routine, prefs: Prefs, phrases: Phrases, speech_ms: SpeechMs
    ) -> None:
        self.routine = routine
        self.prefs = prefs
        self.phrases = phrases
        self.speech_ms = speech_ms

    def with_prefs(self, prefs: Prefs) -> _Builder:
        return _Builder(self.routine, prefs, self.phrases, self.speech_ms)

    def with_release(self, release_ms: int) -> _Builder:
        return self.with_prefs(replace(self.prefs, release_s=release_ms / 1000))

    def phrase(self, phrase_id: str) -> str:
        return self.phrases(phrase_id, self.prefs.lang)

    def build(self, steps: list[Step], notes: tuple[str, ...]) -> Timeline:
        """The session in three steps: settle in, each group in turn, close."""
        script = _Script(self.speech_ms, self.prefs.delay_ms, self.prefs.release_ms)
        self._intro(script, steps)
        for step in steps:
            for rnd in range(1, (1 if step.release_only else self.prefs.rounds) + 1):
                self._group(script, step, rnd)
        self._outro(script)
        return self._timeline(script, steps, notes)

    def _line(self, script: _Script, phrase_id: str, kind: str) -> None:
        """A whole line said on its own, followed by the usual pause."""
        script.t = script.say(phrase_id, self.phrase(phrase_id), kind, script.t) + GAP_MS

    def _intro(self, script: _Script, steps: list[Step]) -> None:
        p = self.prefs
        routine = self.routine
        self._line(script, f"intro.{routine.posture}", "intro")
        if routine.eyes == "closed":
            self._line(script, "eyes.open" if p.eyes_open else "eyes.closed", "intro")
        all_release = all(s.release_only for s in steps)
        self._line(script, "method.release" if all_release else f"method.{p.intensity}", "intro")
        if not all_release:
            if p.keep_breathing:
                self._line(script, "method.keep_breathing", "safety")
            elif p.breathing:
                self._line(script, "method.breathing", "intro")
        if p.pain_note:
            self._line(script, "safety.pain", "safety")
        if p.trauma_note:
            self._line(script, "safety.trauma", "safety")
        if routine.breaths:
            self._line(script, "breath.intro", "intro")
            for _ in range(routine.breaths):
                t = script.t
                end = script.say("breath.in", self.phrase("breath.in"), "breathe-in", t)
                t = max(t + BREATH_IN_MS, end + GAP_MS)
                end = script.say("breath.out", self.phrase("breath.out"), "breathe-out", t)
                script.t = max(t + BREATH_OUT_MS, end + GAP_MS)

    def _group(self, script: _Script, step: Step, rnd: int) -> None:
        """One round of one group: the instruction, the tension, the release."""
        p = self.prefs
        if rnd == 1:
            pid = f"attend.{step.id}" if step.release_only else f"group.{step.id}"
            body = step.attend_text if step.release_only else step.tense_text
            script.t = script.say(pid, f"{step.name}. {body}", "instruction", script.t,
                                  step.id) + GAP_MS
        else:
            script.t = script.say("round.again", self.phrase("round.again"), "again", script.t,
                                  step.id) + GAP_MS
        if not step.release_only:
            self._tension(script, step, rnd)
        t = script.t
        script.open("release", step.id, rnd)
        if step.release_only:
            end = script.say("release.only", self.phrase("release.only"), "release", t, step.id)
        else:
            release_id = "release.breath" if p.breathing and not p.keep_breathing else "release"
            end = script.say(release_id, self.phrase(release_id), "release", t, step.id)
            script.feel_no = script.feel_no % 3 + 1
            feel_id = f"feel.{script.feel_no}"
            feel_at = end + FEEL_AFTER_MS
            feel_text = self.phrase(feel_id)
            if feel_at + self.speech_ms(feel_id, feel_text) + GAP_MS <= t + p.release_ms:
                script.say(feel_id, feel_text, "feel", feel_at, step.id)
        script.t = max(t + p.release_ms, end + GAP_MS)

    def _tension(self, script: _Script, step: Step, rnd: int) -> None:
        p = self.prefs
        t = script.t
        script.open("tense", step.id, rnd)
        release_at = t + p.tension_ms
        # A long cue that would run into the release falls back to the short one.
        tense_ids = self._tense_phrases()
        tid = next(
            (i for i in tense_ids if t + self.speech_ms(i, self.phrase(i)) + GAP_MS <= release_at),
            tense_ids[-1],
        )
        end = script.say(tid, self.phrase(tid), "tense", t, step.id)
        if end + GAP_MS > release_at:
            raise OntspanError(
                f"--tension: {p.tension_s:g} s is too short for this voice to say "
                f"{self.phrase(tid)!r}; choose a longer tension time"
            )
        hold_id = "hold.keep_breathing" if p.keep_breathing else "hold"
        hold_text = self.phrase(hold_id)
        hold_at = end + HOLD_AFTER_MS
        if hold_at + self.speech_ms(hold_id, hold_text) + GAP_MS <= release_at:
            script.say(hold_id, hold_text, "hold", hold_at, step.id)
        script.t = release_at

    def _outro(self, script: _Script) -> None:
        p = self.prefs
        script.open("outro", None, 1)
        self._line(script, "outro.notice", "outro")
        script.t += NOTICE_MS
        if p.ending == "night":
            self._line(script, "outro.night", "outro")
            script.t += NIGHT_FADE_MS
        else:
            self._line(script, "outro.day" if self.routine.eyes == "closed" else "outro.day.open",
                       "outro")
            script.t += DAY_TAIL_MS
        script.open(None, None, 1)

    def _timeline(self, script: _Script, steps: list[Step], notes: tuple[str, ...]) -> Timeline:
        p = self.prefs
        groups = tuple(
            GroupInfo(
                s.id, s.name, s.attend_text if s.release_only else s.tense_text,
                s.release_only, 1 if s.release_only else p.rounds,
            )
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

    def _tense_phrases(self) -> tuple[str, ...]:
        """The preferred tense cue first, then the plain one to fall back on."""
        p = self.prefs
        plain = "tense.gentle" if p.intensity == "gentle" else "tense.normal"
        suffix = ".gentle" if p.intensity == "gentle" else ""
        if p.keep_breathing:
            return ("tense.keep_breathing" + suffix, plain)
        if p.breathing:
            return ("tense.breath" + suffix, plain)
        return (plain,)


class _Script:
    """The Timeline being written: spoken cues, and segments that tile the session."""

    def __init__(self, speech_ms: SpeechMs, start_ms: int, release_ms: int) -> None:
        self.speech_ms = speech_ms
        self.release_ms = release_ms  # the feeling's countdown; the rest is the next instruction
        self.t = start_ms
        self.cues: list[Cue] = []
        self.segments: list[Segment] = []
        self.feel_no = 0  # the feel lines take turns
        self._open: tuple[str | None, str, int, int] = (None, "intro", 0, 1)

    def say(self, phrase_id: str, text: str, kind: str, at: int, group: str | None = None) -> int:
        """Add a cue at `at`; returns when it ends."""
        length = max(1, self.speech_ms(phrase_id, text))
        self.cues.append(Cue(at, at + length, text, kind, phrase_id, group))
        return at + length

    def open(self, phase: str | None, group: str | None, rnd: int) -> None:
        """Close the running segment at the current time and start the next (None: the end)."""
        g, ph, start, r = self._open
        # The next group's instruction (or "once more") said at the end of this segment.
        nxt = next((c for c in self.cues if c.start_ms >= start and c.group is not None
                    and c.kind in ("instruction", "again")), None)
        next_at = nxt.start_ms if nxt is not None else None
        release_end = next_at if next_at is not None else min(self.t, start + self.release_ms)
        countdown = {"tense": self.t, "release": release_end}
        # The feeling starts when "let go" has been said.
        feel = next((c.end_ms for c in reversed(self.cues)
                     if c.kind == "release" and c.start_ms == start), None)
        self.segments.append(Segment(g, ph, start, self.t, r, countdown.get(ph),
                                     feel if ph == "release" else None,
                                     nxt.group if nxt is not None else None, next_at))
        if phase is not None:
            self._open = (group, phase, self.t, rnd)
