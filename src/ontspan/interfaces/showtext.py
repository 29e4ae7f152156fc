"""The Timeline as readable text: the same script the voice follows."""

from __future__ import annotations

from ontspan.core.i18n import N_, _, ngettext
from ontspan.core.timeline import Timeline, clock

PHASE_WORDS = {"tense": N_("tense"), "release": N_("let go and feel"), "intro": N_("start"),
               "outro": N_("closing")}


def render_text(timeline: Timeline) -> str:
    lines = [
        _("{name} ({routine}): length {length}, {groups}", name=timeline.routine_name,
          routine=timeline.routine, length=clock(timeline.duration_ms),
          groups=ngettext("{n} muscle group", "{n} muscle groups", len(timeline.groups))),
    ]
    for adaptation in timeline.adaptations:
        lines.append(f"  ! {adaptation.text}")
    for note in timeline.notes:
        lines.append(f"  * {note}")
    lines.append("")
    cues = list(timeline.cues)
    for seg in timeline.segments:
        label = _(PHASE_WORDS[seg.phase]) if seg.phase in PHASE_WORDS else seg.phase
        if seg.group:
            name = next(g.name for g in timeline.groups if g.id == seg.group)
            label = f"{name} — {label}" + (f" ({seg.round})" if seg.round > 1 else "")
        seconds = seg.duration_ms / 1000
        lines.append(f"{clock(seg.start_ms):>6}  {label}  [{seconds:.0f} s]")
        while cues and cues[0].start_ms < seg.end_ms:
            cue = cues.pop(0)
            lines.append(f"{clock(cue.start_ms):>6}      “{cue.text}”")
    lines.append(f"{clock(timeline.duration_ms):>6}  —")
    return "\n".join(lines)
