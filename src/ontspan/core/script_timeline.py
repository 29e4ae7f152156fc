"""Compiling a scripted routine (core/script.py) into a Timeline. Pure, like the compiler.

Nothing is tensed. Each recalled group gets a release segment with the rest length; each
counted number and each cue word a release segment of one calm breath (4 s in, 6 s out), so
players count down to the next one. A requested length, or a safety cap, shortens or
stretches only the quiet parts; the breathing pace never changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ontspan.core.catalogue import Catalogue, Phrases
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _, join
from ontspan.core.i18n import number as format_number
from ontspan.core.prefs import Prefs
from ontspan.core.routines import Routine
from ontspan.core.script import ScriptStep
from ontspan.core.timeline import Cue, GroupInfo, Segment, Timeline

# (phrase id, text) -> milliseconds the voice needs to say it (as core.compiler.SpeechMs).
SpeechMs = Callable[[str, str], int]

# Quiet parts may be shortened to half or stretched to double to fit a length.
FIT_FACTOR = (0.5, 2.0)

GAP_MS = 600  # as the tense-release compiler: a pause after every spoken line
BREATH_IN_MS = 4000
BREATH_OUT_MS = 6000
NOTICE_MS = 15000
NIGHT_FADE_MS = 20000
DAY_TAIL_MS = 2000


def compile_script(routine: Routine, prefs: Prefs, catalogue: Catalogue, phrases: Phrases,
                   speech_ms: SpeechMs) -> Timeline:
    """Routine (with a script) + preferences -> Timeline. Pure, like compile_timeline."""
    notes: list[str] = []
    skipped = frozenset(i for i, s in enumerate(routine.script) if s.kind == "recall"
                        and set(catalogue[str(s.group)].areas) & prefs.skip_areas)
    if skipped:
        names = [catalogue[str(routine.script[i].group)].name(prefs.lang) for i in skipped]
        notes.append(_("left out: {groups}", groups=join(names)))
    build = _ScriptBuilder(routine, prefs, catalogue, phrases, speech_ms, skipped)
    natural = build.run(1.0, ())
    targets = [m * 60_000 for m in (prefs.minutes, prefs.max_minutes) if m is not None]
    if not targets:
        return natural
    target = min(targets)
    if prefs.minutes is None and natural.duration_ms <= target:
        return natural  # a cap shortens, it never lengthens
    # The length grows with the factor but not in proportion (a quiet part never cuts a line
    # short), so bisect.
    low, high = FIT_FACTOR
    if prefs.minutes is None:
        high = 1.0
    for _step in range(24):
        middle = (low + high) / 2
        if build.run(middle, ()).duration_ms > target:
            high = middle
        else:
            low = middle
    factor = low
    timeline = build.run(factor, ())
    if abs(build.run(high, ()).duration_ms - target) < abs(timeline.duration_ms - target):
        factor, timeline = high, build.run(high, ())
    if abs(timeline.duration_ms - target) > 0.1 * target:
        notes.append(_("cannot fit {minutes} minutes: this routine takes about {about} minutes",
                       minutes=format_number(target / 60_000),
                       about=format_number(timeline.duration_ms / 60_000)))
    return build.run(factor, tuple(notes))


class _ScriptBuilder:
    def __init__(self, routine: Routine, prefs: Prefs, catalogue: Catalogue, phrases: Phrases,
                 speech_ms: SpeechMs, skipped: frozenset[int]) -> None:
        self.routine = routine
        self.prefs = prefs
        self.catalogue = catalogue
        self.phrases = phrases
        self.speech_ms = speech_ms
        self.skipped = skipped

    def phrase(self, phrase_id: str) -> str:
        return self.phrases(phrase_id, self.prefs.lang)

    def group_info(self, step: ScriptStep) -> tuple[str, str, str]:
        """(segment id, name, spoken text) of a recall step, sides resolved as for tensing."""
        assert step.group is not None
        p = self.prefs
        group = self.catalogue[step.group]
        side = None
        if group.sided:
            other = "left" if p.dominant == "right" else "right"
            side = p.dominant if step.side == "dominant" else other
        word = self.phrase(f"side.{side}") if side else ""
        name = group.name(p.lang).replace("{side}", word)
        name = name[:1].upper() + name[1:]
        text = (step.text(p.lang) if step.text is not None
                else f"{name}. {group.attend(p.lang)}").replace("{side}", word)
        return (f"{group.id}-{side}" if side else group.id), name, text

    def run(self, factor: float, notes: tuple[str, ...]) -> Timeline:
        p = self.prefs
        routine = self.routine
        cues: list[Cue] = []
        segments: list[Segment] = []
        groups: list[GroupInfo] = []
        t = p.delay_ms
        # The open segment: start, phase, group, where its countdown ends, when feeling starts.
        seg: list[Any] = [0, "intro", None, None, None]

        def say(phrase_id: str, text: str, kind: str, at: int, group: str | None = None) -> int:
            length = max(1, self.speech_ms(phrase_id, text))
            cues.append(Cue(at, at + length, text, kind, phrase_id, group))
            return at + length

        def line(phrase_id: str, kind: str) -> None:
            nonlocal t
            t = say(phrase_id, self.phrase(phrase_id), kind, t) + GAP_MS

        def close() -> None:
            start, phase, group, countdown, feel = seg
            if t > start:
                segments.append(Segment(group, phase, start, t, 1,
                                        None if countdown is None else min(countdown, t),
                                        None if feel is None else min(feel, t)))

        def open_segment(phase: str, group: str | None) -> None:
            close()
            seg[:] = [t, phase, group, None, None]

        def countdown(end: int, feel: int) -> None:
            """This release counts down to `end`; the feeling starts when the line is said."""
            seg[3], seg[4] = end, feel

        eyes_closed = routine.eyes == "closed" and not p.eyes_open
        if routine.frame:
            line(f"intro.{routine.posture}", "intro")
        if routine.eyes == "closed":
            line("eyes.open" if p.eyes_open else "eyes.closed", "intro")
        if p.trauma_note:
            line("safety.trauma", "safety")
        if routine.breaths:
            line("breath.intro", "intro")
            for _ in range(routine.breaths):
                end = say("breath.in", self.phrase("breath.in"), "breathe-in", t)
                t = max(t + BREATH_IN_MS, end + GAP_MS)
                end = say("breath.out", self.phrase("breath.out"), "breathe-out", t)
                t = max(t + BREATH_OUT_MS, end + GAP_MS)

        hold_ms = round(p.release_ms * factor)
        for number, step in enumerate(routine.script, 1):
            if number - 1 in self.skipped:
                continue
            pid = f"{routine.id}.{number}"  # the line's name for a person's own recordings
            if step.kind == "say":
                assert step.text is not None
                t = say(pid, step.text(p.lang), "instruction", t) + GAP_MS
                t += round(step.pause_s * 1000 * factor)
            elif step.kind == "pause":
                t += round(step.pause_s * 1000 * factor)
            elif step.kind == "recall":
                gid, name, text = self.group_info(step)
                open_segment("release", gid)
                end = say(pid if step.text is not None else f"attend.{gid}", text, "release",
                          t, gid)
                countdown(t + hold_ms, end)
                t = max(t + hold_ms, end + GAP_MS)
                groups.append(GroupInfo(gid, name, text, True, 1))
            elif step.kind == "count":
                for n in range(1, step.count + 1):
                    t += BREATH_IN_MS  # the number comes with the out-breath
                    open_segment("release", None)
                    # Not a breath cue: the breathing guide would show one 10-s breath out.
                    end = say(f"count.{n}", self.phrase(f"count.{n}"), "instruction", t)
                    countdown(max(t + BREATH_OUT_MS, end + GAP_MS), end)
                    t = max(t + BREATH_OUT_MS, end + GAP_MS)
            elif step.kind == "cue":
                for _ in range(step.count):
                    open_segment("release", None)
                    end = say("cue.in", self.phrase("cue.in"), "breathe-in", t)
                    t = max(t + BREATH_IN_MS, end + GAP_MS)
                    end = say("cue.word", self.phrase("cue.word"), "breathe-out", t)
                    countdown(max(t + BREATH_OUT_MS, end + GAP_MS), end)
                    t = max(t + BREATH_OUT_MS, end + GAP_MS)

        if routine.frame:
            open_segment("outro", None)
            line("outro.notice", "outro")
            t += round(NOTICE_MS * factor)
            if p.ending == "night":
                line("outro.night", "outro")
                t += NIGHT_FADE_MS
            else:
                line("outro.day" if eyes_closed else "outro.day.open", "outro")
                t += DAY_TAIL_MS
        else:  # no closing lines, but a closing segment all the same: players and chapters end there
            open_segment("outro", None)
            t += DAY_TAIL_MS
        close()

        if not cues:
            raise OntspanError(_("routine {routine}: nothing is left to say with your safety "
                                 "settings", routine=repr(routine.id)))
        return Timeline(
            routine=routine.id,
            routine_name=routine.name(p.lang),
            lang=p.lang,
            duration_ms=t,
            segments=tuple(segments),
            cues=tuple(cues),
            groups=tuple(groups),
            prefs=replace(p, release_s=hold_ms / 1000),  # the rest after each recalled group
            notes=notes,
        )


