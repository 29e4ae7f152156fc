"""The Timeline as readable text: the same script the voice follows."""

from __future__ import annotations

from ontspan.core.timeline import Timeline, clock

PHASE_WORDS = {
    "nl": {"tense": "aanspannen", "release": "loslaten en voelen", "intro": "begin",
           "outro": "afronden", "length": "lengte", "groups": "spiergroepen"},
    "en": {"tense": "tense", "release": "let go and feel", "intro": "start",
           "outro": "closing", "length": "length", "groups": "muscle groups"},
}


def render_text(timeline: Timeline) -> str:
    words = PHASE_WORDS[timeline.lang]
    lines = [
        f"{timeline.routine_name} ({timeline.routine}) — {words['length']} "
        f"{clock(timeline.duration_ms)}, {len(timeline.groups)} {words['groups']}",
    ]
    for adaptation in timeline.adaptations:
        lines.append(f"  ! {adaptation.text}")
    for note in timeline.notes:
        lines.append(f"  * {note}")
    lines.append("")
    cues = list(timeline.cues)
    for seg in timeline.segments:
        label = words[seg.phase]
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
