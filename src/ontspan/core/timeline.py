"""The Timeline: the one exact, timed script every player reads. All times in milliseconds."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ontspan.core.prefs import Adaptation, Prefs, to_json

PHASES = ("intro", "tense", "release", "outro")
# What a person is doing at a moment: a segment's phase, or "feel" and "instruction" within it.
MOMENTS = ("intro", "instruction", "tense", "release", "feel", "outro")
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
    # The next group's instruction (or "once more") is said at the end of this segment, from
    # `next_at_ms` on: the intro holds the first group's, a release the following group's.
    next_group: str | None = None
    next_at_ms: int | None = None

    def phase_at(self, t_ms: int) -> str:
        """What a person is doing: a release turns into "feel" once "let go" is said, and any
        segment into "instruction" while the next group is being explained."""
        if self.next_at_ms is not None and t_ms >= self.next_at_ms:
            return "instruction"
        if self.phase == "release" and self.feel_start_ms is not None and t_ms >= self.feel_start_ms:
            return "feel"
        return self.phase

    def group_at(self, t_ms: int) -> str | None:
        """The group the voice is about: during an instruction, the one that comes next."""
        return self.next_group if self.phase_at(t_ms) == "instruction" else self.group

    def seconds_left(self, t_ms: int) -> int | None:
        """Whole seconds of the current countdown left at t_ms (None: no countdown here).
        During an instruction it counts to the tension (or release) that follows."""
        end = self.end_ms if self.phase_at(t_ms) == "instruction" else self.countdown_end_ms
        if end is None:
            return None
        return max(0, (end - t_ms + 999) // 1000)

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

    def breath_at(self, t_ms: int) -> Breath | None:
        """During the calm breaths: in or out, and how far (0..1), from the breath cues.
        A breath lasts from its cue to the next cue, so the guide follows the voice exactly."""
        for i, cue in enumerate(self.cues):
            if cue.start_ms > t_ms:
                return None
            if cue.kind not in BREATH_KINDS:
                continue
            end = self.cues[i + 1].start_ms if i + 1 < len(self.cues) else self.duration_ms
            if t_ms < end:
                return Breath(BREATH_KINDS[cue.kind], (t_ms - cue.start_ms) / (end - cue.start_ms))
        return None


BREATH_KINDS = {"breathe-in": "in", "breathe-out": "out"}


@dataclass(frozen=True)
class Breath:
    direction: str  # "in" | "out"
    done: float  # 0..1 of this breath gone by

    @property
    def fullness(self) -> float:
        """How full the lungs are, 0..1: grows on the in-breath, shrinks on the out-breath."""
        return self.done if self.direction == "in" else 1.0 - self.done


def clock(ms: int) -> str:
    """m:ss for people, e.g. 125_000 -> '2:05'."""
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"
