"""The Timeline: the one exact, timed script every player reads. All times in milliseconds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

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
    prefs: dict[str, Any]
    notes: tuple[str, ...] = ()
    adaptations: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "routine": self.routine,
            "routine_name": self.routine_name,
            "lang": self.lang,
            "duration_ms": self.duration_ms,
            "prefs": self.prefs,
            "notes": list(self.notes),
            "adaptations": list(self.adaptations),
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
