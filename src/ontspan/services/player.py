"""The live session's clock and script position, independent of terminal, browser or sound.

Position is always computed from one anchor on a monotonic clock, never by adding up sleeps,
so a 20-minute session ends within milliseconds of its plan however the loop is scheduled."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ontspan.core.timeline import Cue, Segment, Timeline


@dataclass(frozen=True)
class Event:
    kind: str  # cue | segment | done
    cue: Cue | None = None
    segment: Segment | None = None


class SessionClock:
    def __init__(self, now: Callable[[], float], speed: float = 1.0) -> None:
        self.now = now
        self.speed = speed
        self._lock = threading.Lock()
        self._anchor_time = now()
        self._anchor_ms = 0.0
        self.paused = False

    def position_ms(self) -> int:
        with self._lock:
            if self.paused:
                return int(self._anchor_ms)
            return int(self._anchor_ms + (self.now() - self._anchor_time) * 1000 * self.speed)

    def playing_position_ms(self) -> int | None:
        """The position for live sound: None while paused (sound is silent then)."""
        return None if self.paused else self.position_ms()

    def pause(self) -> None:
        with self._lock:
            if not self.paused:
                self._anchor_ms += (self.now() - self._anchor_time) * 1000 * self.speed
                self.paused = True

    def resume(self, at_ms: int | None = None) -> None:
        with self._lock:
            if at_ms is not None:
                self._anchor_ms = float(at_ms)
            self._anchor_time = self.now()
            self.paused = False

    def seek(self, at_ms: int) -> None:
        with self._lock:
            self._anchor_ms = float(at_ms)
            self._anchor_time = self.now()


class Session:
    """Walks the Timeline: which cue and segment are current, what just happened."""

    def __init__(self, timeline: Timeline, clock: SessionClock) -> None:
        self.timeline = timeline
        self.clock = clock
        self.next_cue = 0
        self.segment_index = -1
        self.stopped = False
        self.skipped: list[str] = []

    @property
    def segment(self) -> Segment:
        return self.timeline.segments[max(0, self.segment_index)]

    def current_cue(self, at_ms: int) -> Cue | None:
        for cue in self.timeline.cues:
            if cue.start_ms <= at_ms < cue.end_ms:
                return cue
        return None

    def tick(self) -> list[Event]:
        """Everything that began since the last tick, in order."""
        at = self.clock.position_ms()
        events: list[Event] = []
        segments = self.timeline.segments
        while self.segment_index + 1 < len(segments) and segments[self.segment_index + 1].start_ms <= at:
            self.segment_index += 1
            events.append(Event("segment", segment=segments[self.segment_index]))
        cues = self.timeline.cues
        while self.next_cue < len(cues) and cues[self.next_cue].start_ms <= at:
            events.append(Event("cue", cue=cues[self.next_cue]))
            self.next_cue += 1
        if at >= self.timeline.duration_ms:
            events.append(Event("done"))
        return events

    def pause(self) -> None:
        self.clock.pause()

    def resume(self) -> None:
        """Time went nowhere while paused; the voice starts the interrupted line again."""
        at = self.clock.position_ms()
        cue = self.current_cue(at)
        if cue is None:
            self.clock.resume()
            return
        self.clock.resume(cue.start_ms)
        self.next_cue = self.timeline.cues.index(cue)

    def skip_group(self) -> None:
        """Jump past the rest of the current muscle group, to the next one's instruction."""
        at = self.clock.position_ms()
        group = self.segment.group
        if group is None:
            return
        end = max(s.end_ms for s in self.timeline.segments if s.group == group)
        following = [c for c in self.timeline.cues if c.start_ms >= end]
        # The next group's instruction lies inside this group's release segment: start there.
        nxt = next((c for c in self.timeline.cues
                    if c.start_ms > at and c.group not in (group, None)), None)
        target = nxt.start_ms if nxt is not None else (following[0].start_ms if following
                                                        else end)
        self.skipped.append(group)
        self.clock.seek(target)
        self.next_cue = next((i for i, c in enumerate(self.timeline.cues) if c.start_ms >= target),
                             len(self.timeline.cues))
