"""The Timeline: the one exact, timed script every player reads. All times in milliseconds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ontspan.core.prefs import Adaptation, Prefs, to_json

PHASES = ("intro", "tense", "release", "outro")
CUE_KINDS = ("intro", "breathe-in", "breathe-out", "instruction", "tense", "hold", "release",
             "feel", "again", "outro", "safety")


@dataclass(frozen=True)
class Segment:
    """One phase of the session; segments tile the whole session without gaps."""

    group: str | None
    phase: str
    start_ms: int
    end_ms: int
    round: int = 1
    # Where this phase's countdown reaches zero, or None when it has none. A release segment
    # also holds the next group's instruction, so its countdown (the feeling) ends earlier.
    countdown_end_ms: int | None = None
    # In a release segment: when the "let go" cue has been said and the feeling starts.
    feel_start_ms: int | None = None

    def phase_at(self, t_ms: int) -> str:
        """The phase a person is in: a release turns into "feel" once "let go" is said."""
        if self.phase == "release" and self.feel_start_ms is not None and t_ms >= self.feel_start_ms:
            return "feel"
        return self.phase

    def seconds_left(self, t_ms: int) -> int | None:
        """Whole seconds of this phase's countdown left at t_ms (None: no countdown here)."""
        if self.countdown_end_ms is None:
            return None
        return max(0, (self.countdown_end_ms - t_ms + 999) // 1000)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Cue:
    """One spoken line. `phrase` names it for caching and for a person's own recordings."""

    start_ms: int
    end_ms: int
    text: str
    kind: str
    phrase: str
    group: str | None = None


@dataclass(frozen=True)
class GroupInfo:
    id: str
    name: str
    instruction: str
    release_only: bool
    rounds: int


@dataclass(frozen=True)
class Timeline:
    routine: str
    routine_name: str
    lang: str
    duration_ms: int
    segments: tuple[Segment, ...]
    cues: tuple[Cue, ...]
    groups: tuple[GroupInfo, ...]
    prefs: Prefs
    notes: tuple[str, ...] = ()

    @property
    def adaptations(self) -> tuple[Adaptation, ...]:
        """What the safety rules changed, each with its reason for the person."""
        return self.prefs.adaptations

    def to_dict(self) -> dict[str, Any]:
        return {
            "routine": self.routine,
            "routine_name": self.routine_name,
            "lang": self.lang,
            "duration_ms": self.duration_ms,
            "prefs": {k: v for k, v in to_json(self.prefs).items() if k != "adaptations"},
            "notes": list(self.notes),
            "adaptations": [asdict(a) for a in self.adaptations],
            "groups": [asdict(g) for g in self.groups],
            "segments": [asdict(s) for s in self.segments],
            "cues": [
                {"start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text, "kind": c.kind,
                 "id": c.phrase, "group": c.group}
                for c in self.cues
            ],
        }

    def segment_at(self, t_ms: int) -> Segment:
        for seg in self.segments:
            if seg.start_ms <= t_ms < seg.end_ms:
                return seg
        return self.segments[-1]


def clock(ms: int) -> str:
    """m:ss for people, e.g. 125_000 -> '2:05'."""
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"
