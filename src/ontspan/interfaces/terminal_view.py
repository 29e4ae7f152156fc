"""The practice screen drawn from the Timeline at one moment: what the live player shows and
what the README's pictures are made of (scripts/pictures.py), so both stay the same.

Calm means still: every part has a fixed place and height for a given terminal size (the
tallest instruction and line are measured once), so nothing moves when the text changes.
Meaning never rests on colour alone (✓ done, ▸ now, thick/thin bars), so NO_COLOR and light
or dark terminals read the same; colours are the ones terminal themes adapt (no white/yellow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console, Group
from rich.text import Text

from ontspan.core.timeline import Cue, Segment, Timeline, clock

PHASE_STYLE = {"intro": "bold cyan", "instruction": "bold", "tense": "bold magenta",
               "release": "bold green", "feel": "bold green", "outro": "bold cyan"}
WIDE = 84  # from this width the groups stand in a column beside the session
SIDE = 28  # width of that column
FULL, EMPTY = "━", "─"


@dataclass(frozen=True)
class Moment:
    """What the player knows besides the time: the line last said, and whether paused."""

    at_ms: int
    caption: str = ""
    paused: bool = False


def bar(fraction: float, width: int) -> Text:
    """A bar of `width` cells, the first `fraction` thick: readable without colour."""
    full = round(max(0.0, min(1.0, fraction)) * width)
    out = Text()
    out.append(FULL * full, style="green")
    out.append(EMPTY * (width - full), style="dim")
    return out


def breath_bar(fullness: float, width: int) -> Text:
    """A bar that grows from the middle on the in-breath and shrinks on the out-breath."""
    half = max(1, width // 2)
    cells = 1 + round(max(0.0, min(1.0, fullness)) * (half - 1))
    pad = half - cells
    return Text(" " * pad + FULL * (2 * cells) + " " * pad, style="bold cyan")


class View:
    def __init__(self, timeline: Timeline, say: Callable[[str], str], notes: list[str],
                 sound_note: str = "") -> None:
        """`say(key)` gives a phrase in the session's language; `sound_note` tells how the
        session sounds when it is not the voice (silent, or a preview)."""
        self.t = timeline
        self.say = say
        self.notes = notes
        self.sound_note = sound_note
        self.names = {g.id: g.name for g in timeline.groups}
        self.order = [g.id for g in timeline.groups]
        self.instructions = {g.id: g.instruction for g in timeline.groups}
        self._slots: dict[int, tuple[int, int, int]] = {}

    # -- what is true at a moment (all from the Timeline) --

    def group_index(self, seg: Segment, at: int) -> int:
        """Index of the group the voice is about; len(groups) once all are done, -1 before."""
        group = seg.group_at(at)
        if group is not None:
            return self.order.index(group)
        return len(self.order) if seg.phase == "outro" else -1

    def phase_word(self, seg: Segment, at: int) -> str:
        phase = seg.phase_at(at)
        group = seg.group_at(at)
        name = self.names[group].lower() if group else ""
        return self.say(f"ui.phase.{phase}").format(group=name).upper()

    def hint(self, seg: Segment, at: int) -> str:
        """The breathing word under the bar, from the session's breathing settings."""
        prefs = self.t.prefs
        phase = seg.phase_at(at)
        breath = self.t.breath_at(at)
        if breath is not None:
            return self.say(f"ui.breathe_{breath.direction}")
        if phase == "tense" and prefs.keep_breathing:
            return self.say("ui.keep_breathing")
        if prefs.breathing and not prefs.keep_breathing and phase in ("tense", "release"):
            return self.say("ui.breathe_in" if phase == "tense" else "ui.breathe_out")
        return ""

    # -- a transcript: one line per cue --

    def heading(self) -> str:
        parts = [f"ontspan · {self.t.routine_name} · {clock(self.t.duration_ms)}"]
        if self.sound_note:
            parts.append(self.sound_note)
        return " · ".join(parts + self.notes)

    def transcript_line(self, cue: Cue, previous: str) -> tuple[str, str]:
        """`m:ss  text`, with the phase word and its length where a new phase begins.
        Returns the line and the phase word, to pass as `previous` to the next line."""
        seg = self.t.segment_at(cue.start_ms)
        word = self.phase_word(seg, cue.start_ms)
        text = cue.text
        if word != previous:
            left = seg.seconds_left(cue.start_ms)
            label = f"{word} ({left} s)" if left else word
            text = f"{label} — {text}"
        return f"{clock(cue.start_ms):>5}  {text}", word

    # -- drawing --

    def slots(self, width: int) -> tuple[int, int, int]:
        """Heights of the group name, its instruction and the spoken line at this width:
        the tallest of the whole session, so the layout never moves."""
        if width not in self._slots:
            def tallest(texts: list[str]) -> int:
                return max([len(Text(t).wrap(_MEASURE, width)) for t in texts] or [1])

            self._slots[width] = (
                tallest([n.upper() for n in self.names.values()]),
                tallest(list(self.instructions.values())),
                tallest([f"“{c.text}”" for c in self.t.cues]),
            )
        return self._slots[width]

    def main(self, m: Moment, width: int, compact: bool = False,
             tight: bool = False) -> list[Text]:
        """The session's part of the screen. For a terminal with few rows, `tight` leaves out
        the notes and the blank lines, and `compact` the instruction as well."""
        tight = tight or compact
        at = min(m.at_ms, self.t.duration_ms)
        seg = self.t.segment_at(at)
        phase = seg.phase_at(at)
        group = seg.group_at(at)
        name_h, instr_h, caption_h = self.slots(width)
        lines: list[Text] = []
        name = Text(self.names[group].upper() if group else "", style="bold")
        lines += _fit(name, width, name_h)
        if not compact:
            lines += _fit(Text(self.instructions[group] if group else "", style="dim"), width,
                          instr_h)
        if not tight:
            lines.append(Text(""))
        word = Text(self.phase_word(seg, at), style=PHASE_STYLE[phase])
        left = seg.seconds_left(at)
        count = Text(f"{left}" if left else "", style="bold")
        lines.append(_spread(word, count, width))
        breath = self.t.breath_at(at)
        if breath is not None:
            lines.append(breath_bar(breath.fullness, width))
        elif left is not None:
            end = seg.end_ms if phase == "instruction" else seg.countdown_end_ms
            start = seg.next_at_ms if phase == "instruction" else seg.start_ms
            assert end is not None and start is not None
            lines.append(bar((end - at) / max(1, end - start), width))
        else:
            lines.append(Text(""))
        hint = self.hint(seg, at)
        lines.append(Text(" " * max(0, (width - len(hint)) // 2) + hint, style="italic"))
        if not tight:
            lines.append(Text(""))
        caption = Text(f"“{m.caption}”" if m.caption else "", style="italic")
        lines += _fit(caption, width, caption_h)
        lines.append(Text(self.say("ui.paused") if m.paused else "", style="bold reverse"
                          if m.paused else ""))
        for note in [] if tight else self.notes:
            lines += Text(f"! {note}").wrap(_MEASURE, width)
        return lines

    def groups(self, m: Moment, rows: int) -> list[Text]:
        """The groups, a quiet list: done ones dimmed with ✓, the current one marked ▸.
        With too few rows, a window that keeps the current group in view."""
        at = min(m.at_ms, self.t.duration_ms)
        seg = self.t.segment_at(at)
        current = self.group_index(seg, at)
        n = len(self.order)
        if rows <= 0:
            return []
        lead = 1 if rows >= 3 else 0  # one done group above the current one, if room
        first = max(0, min(current - lead, n - rows)) if n > rows else 0
        out: list[Text] = []
        for i in range(first, min(n, first + rows)):
            name = self.names[self.order[i]]
            if i < current:
                out.append(Text(f"✓ {name}", style="dim"))
            elif i == current:
                out.append(Text(f"▸ {name}", style="bold"))
            else:
                out.append(Text(f"  {name}"))
        return out

    def render(self, m: Moment, width: int, height: int) -> Group:
        """The whole screen, exactly `height` lines of at most `width` cells."""
        at = min(m.at_ms, self.t.duration_ms)
        seg = self.t.segment_at(at)
        inner = max(20, width - 4)  # a margin of two cells on each side
        index = self.group_index(seg, at)
        progress = (self.say("ui.group_of").format(i=index + 1, n=len(self.order))
                    if 0 <= index < len(self.order) else "")
        header = _spread(Text(f"ontspan · {self.t.routine_name}", style="bold"),
                         Text(progress, style="dim"), inner)
        footer = [
            bar(at / self.t.duration_ms, inner),
            Text(self.say("ui.elapsed").format(elapsed=clock(at),
                                               left=clock(self.t.duration_ms - at)),
                 style="dim"),
        ]
        if self.sound_note:
            footer += Text(self.sound_note, style="bold").wrap(_MEASURE, inner)
        footer += Text(self.say("ui.keys"), style="dim").wrap(_MEASURE, inner)
        space = height - 2 - len(footer) - 1  # header and a blank line; a blank above the footer
        if width >= WIDE:  # the groups in a column beside the session
            column = inner - SIDE - 2
            main = self.main(m, column)
            if len(main) > space:
                main = self.main(m, column, compact=True)[:space]
            listing = self.groups(m, min(space, len(self.order)))
            block = [_pad(main[i] if i < len(main) else Text(""), column + 2)
                     + (listing[i] if i < len(listing) else Text(""))
                     for i in range(max(len(main), len(listing)))]
        else:
            # Below the session, at least the current group (after a blank line): tighter
            # layouts first give up blank lines and notes, then the instruction.
            need = 2 if self.order else 0
            main = self.main(m, inner)
            if len(main) + need > space:
                main = self.main(m, inner, tight=True)
            if len(main) + need > space:
                main = self.main(m, inner, compact=True)[:space]
            listing = self.groups(m, min(space - len(main) - 1, len(self.order)))
            block = [*main, *([Text(""), *listing] if listing else [])]
        top = max(0, (space - len(block)) // 2)
        lines = [header, Text(""), *[Text("")] * top, *block]
        lines += [Text("")] * max(0, height - len(footer) - len(lines))
        # The footer always shows: on a very small terminal the top gives way.
        lines = lines[:max(0, height - len(footer))] + footer
        return Group(*(_margin(line) for line in lines[-height:]))


def _fit(text: Text, width: int, height: int) -> list[Text]:
    """`text` wrapped at `width` in exactly `height` lines."""
    lines = list(text.wrap(_MEASURE, width))[:height] if text.plain else []
    return lines + [Text("")] * (height - len(lines))


def _spread(left: Text, right: Text, width: int) -> Text:
    """`left` and `right` on one line, `right` at the far end (`left` cut short if need be)."""
    room = width - right.cell_len - (1 if right.plain else 0)
    if left.cell_len > room:
        left.truncate(room, overflow="ellipsis")
    out = left.copy()
    out.append(" " * (width - left.cell_len - right.cell_len))
    out.append_text(right)
    return out


def _pad(text: Text, width: int) -> Text:
    """`text` in exactly `width` cells, its style kept to itself when more text follows."""
    out = Text()
    out.append_text(text)
    out.truncate(width, overflow="crop", pad=True)
    return out


def _margin(line: Text) -> Text:
    """Two cells from the left edge; never wraps, so the screen keeps its exact height."""
    out = Text("  ")
    out.append_text(line)
    out.no_wrap = True
    out.overflow = "crop"
    return out


_MEASURE = Console(width=200)  # only measures how text wraps; never prints


def caption_at(timeline: Timeline, at_ms: int) -> str:
    """The line last said at `at_ms`, as the player shows it."""
    said = [c.text for c in timeline.cues if c.start_ms <= at_ms]
    return said[-1] if said else ""
