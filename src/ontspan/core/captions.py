"""Captions (WebVTT) and chapters, straight from the Timeline."""

from __future__ import annotations

from dataclasses import dataclass

from ontspan.core.i18n import _
from ontspan.core.timeline import Timeline


def vtt_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def webvtt(timeline: Timeline) -> str:
    lines = ["WEBVTT", f"NOTE ontspan {timeline.routine} ({timeline.lang})", ""]
    for i, cue in enumerate(timeline.cues, 1):
        lines += [str(i), f"{vtt_time(cue.start_ms)} --> {vtt_time(cue.end_ms)}", cue.text, ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    end_ms: int
    title: str


def chapters(timeline: Timeline) -> list[Chapter]:
    """One chapter per muscle group, starting at its instruction, plus start and closing."""
    start_word, end_word = _("Start"), _("Closing")
    marks: list[tuple[int, str]] = [(0, start_word)]
    for group in timeline.groups:
        first = next(c for c in timeline.cues if c.group == group.id)
        marks.append((first.start_ms, group.name))
    outro = next(s for s in timeline.segments if s.phase == "outro")
    marks.append((outro.start_ms, end_word))
    ends = [m[0] for m in marks[1:]] + [timeline.duration_ms]
    return [Chapter(at, end, title) for (at, title), end in zip(marks, ends, strict=True)]
