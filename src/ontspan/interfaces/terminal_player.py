"""The live practice: the full-screen view or a timed transcript, keys, a bell when silent."""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console, Group
from rich.live import Live
from rich.text import Span, Text

from ontspan.interfaces.terminal_view import Moment, View
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


def _keys(session: Session, keys: Callable[[], str]) -> None:
    """space pauses and resumes, s skips the rest of a group, q stops (as Ctrl-C does)."""
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


def _outcome(session: Session, completed: bool) -> Outcome:
    practiced = min(session.clock.position_ms(), session.timeline.duration_ms)
    return Outcome(completed, practiced, session.skipped)


def run(session: Session, view: View, console: Console, bell: bool,
        keys: Callable[[], str], sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """The full-screen view (the alternate screen: the shell comes back afterwards).
    The screen is redrawn only when what it shows has changed."""
    caption = ""
    completed = False
    shown: list[tuple[str, list[Span]]] = []

    def screen() -> Group:
        m = Moment(session.clock.position_ms(), caption, session.clock.paused)
        return view.render(m, console.size.width, console.size.height)

    try:
        with Live(screen(), console=console, auto_refresh=False, screen=True,
                  transient=False, redirect_stdout=False, redirect_stderr=False) as live:
            while not completed:
                _keys(session, keys)
                for event in session.tick():
                    if event.kind == "cue" and event.cue is not None:
                        caption = event.cue.text
                    # Without a voice a bell marks the moments to act: tense, and let go.
                    if (bell and event.kind == "segment" and event.segment is not None
                            and event.segment.phase in ("tense", "release")):
                        console.bell()
                    completed = completed or event.kind == "done"
                now = screen()
                drawn = [(line.plain, list(line.spans)) for line in now.renderables
                         if isinstance(line, Text)]
                if drawn != shown:
                    live.update(now, refresh=True)
                    shown = drawn
                if not completed:
                    sleep(TICK_S)
    except KeyboardInterrupt:
        pass
    console.print()
    return _outcome(session, completed)


def transcript(session: Session, view: View, write: Callable[[str], None],
               keys: Callable[[], str], sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """Not a terminal (a pipe, a log, a screen reader): one line per cue, as it is said."""
    completed = False
    previous = ""
    write(view.heading())
    try:
        while not completed:
            _keys(session, keys)
            for event in session.tick():
                if event.kind == "cue" and event.cue is not None:
                    line, previous = view.transcript_line(event.cue, previous)
                    write(line)
                completed = completed or event.kind == "done"
            if not completed:
                sleep(TICK_S)
    except KeyboardInterrupt:
        pass
    return _outcome(session, completed)
