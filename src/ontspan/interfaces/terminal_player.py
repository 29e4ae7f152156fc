"""The live practice screen: a calm rich view, keys, a bell or the voice at every step."""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.align import Align
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.text import Text

from ontspan import library
from ontspan.core.timeline import Timeline, clock
from ontspan.services.player import Session

TICK_S = 0.05


@dataclass
class Outcome:
    completed: bool
    practiced_ms: int
    skipped: list[str]


@contextmanager
def raw_keys() -> Iterator[Callable[[], str]]:
    """Single key presses without Enter, when there is a terminal; nothing otherwise."""
    if not sys.stdin.isatty():
        yield lambda: ""
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)  # keeps Ctrl-C as a signal

    def read() -> str:
        keys = ""
        while select.select([fd], [], [], 0)[0]:
            keys += os.read(fd, 32).decode(errors="ignore")
        return keys

    try:
        yield read
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


class View:
    def __init__(self, timeline: Timeline, lang: str, breathing: bool, keep_breathing: bool,
                 notes: list[str]):
        self.t = timeline
        self.lang = lang
        self.say = library.phrases()
        self.breathing = breathing
        self.keep_breathing = keep_breathing
        self.notes = notes
        self.names = {g.id: g.name for g in timeline.groups}
        self.order = [g.id for g in timeline.groups]
        self.instructions = {g.id: g.instruction for g in timeline.groups}

    def phrase(self, key: str, **values: object) -> str:
        return self.say(key, self.lang).format(**values)

    def render(self, session: Session, caption: str) -> Panel:
        at = min(session.clock.position_ms(), self.t.duration_ms)
        seg = session.segment
        phase = seg.phase_at(at)
        group = seg.group_at(at)
        lines: list[Text | Align] = []
        header = Text(f"ontspan · {self.t.routine_name}", style="bold")
        progress = f"{clock(at)} / {clock(self.t.duration_ms)}"
        if group:
            index = self.order.index(group) + 1
            progress = self.phrase("ui.group_of", i=index, n=len(self.order)) + " · " + progress
        header.append(f"   {progress}", style="dim")
        lines.append(header)
        lines.append(Text(""))
        if group:
            lines.append(Text(self.names[group], style="bold cyan"))
            lines.append(Text(self.instructions[group]))
        remaining = seg.seconds_left(at)
        lines.append(Text(""))
        name = self.names[group].lower() if group else ""
        phase_text = Text(self.phrase(f"ui.phase.{phase}", group=name).upper(),
                          style="bold green")
        if remaining:
            phase_text.append(f"   {remaining}", style="bold")
        lines.append(phase_text)
        if phase == "tense" and self.keep_breathing:
            lines.append(Text(self.phrase("ui.keep_breathing"), style="italic"))
        elif self.breathing and phase in ("tense", "release"):
            key = "ui.breathe_in" if phase == "tense" else "ui.breathe_out"
            lines.append(Text(self.phrase(key), style="italic"))
        lines.append(Text(""))
        if caption:
            lines.append(Text(f"“{caption}”", style="italic"))
        if session.clock.paused:
            lines.append(Text(self.phrase("ui.paused"), style="bold yellow"))
        for note in self.notes:
            lines.append(Text(f"! {note}", style="yellow"))
        lines.append(Text(""))
        lines.append(Text(self.phrase("ui.keys"), style="dim"))
        return Panel(Group(*lines), border_style="green", padding=(1, 2))


def run(session: Session, view: View, console: Console, bell: bool,
        keys: Callable[[], str], sleep: Callable[[float], None] = time.sleep) -> Outcome:
    caption = ""
    completed = False
    try:
        # Full screen on a terminal (the alternate screen: the shell comes back afterwards).
        with Live(view.render(session, caption), console=console, auto_refresh=False,
                  screen=console.is_terminal, transient=False) as live:
            while True:
                for key in keys():
                    if key == " ":
                        if session.clock.paused:
                            session.resume()
                        else:
                            session.pause()
                    elif key.lower() == "s" and not session.clock.paused:
                        session.skip_group()
                    elif key.lower() == "q":
                        raise KeyboardInterrupt
                done = False
                for event in session.tick():
                    if event.kind == "cue" and event.cue is not None:
                        caption = event.cue.text
                    if event.kind == "segment" and bell:
                        console.bell()
                    if event.kind == "done":
                        done = True
                live.update(view.render(session, caption), refresh=True)
                if done:
                    completed = True
                    break
                sleep(TICK_S)
    except KeyboardInterrupt:
        pass
    console.print()
    practiced = min(session.clock.position_ms(), session.timeline.duration_ms)
    return Outcome(completed, practiced, session.skipped)
