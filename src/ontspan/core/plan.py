"""A person's practice plan: fixed moments in the week, each with a routine. Pure data.

Defaults follow the source: once during the day (after work or school), once before sleep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ROUTINE_DAY = "standaard"
DEFAULT_ROUTINE_NIGHT = "bed"
NIGHT_FROM_HOUR = 21  # a moment from this hour on is a bedtime moment


def default_routine(hour: int) -> str:
    return DEFAULT_ROUTINE_NIGHT if hour >= NIGHT_FROM_HOUR else DEFAULT_ROUTINE_DAY


@dataclass(frozen=True)
class Moment:
    time: str  # "HH:MM", local time in the plan's zone
    days: tuple[str, ...]  # from DAYS, in week order
    routine: str

    @property
    def minute_of_day(self) -> int:
        hh, mm = self.time.split(":")
        return int(hh) * 60 + int(mm)

    @property
    def every_day(self) -> bool:
        return len(self.days) == len(DAYS)


@dataclass(frozen=True)
class PracticePlan:
    moments: tuple[Moment, ...]
    tz: str

    @property
    def per_week(self) -> int:
        return sum(len(m.days) for m in self.moments)

    def on(self, day: datetime) -> tuple[Moment, ...]:
        """The moments planned on the day of `day`."""
        name = DAYS[day.weekday()]
        return tuple(m for m in self.moments if name in m.days)

    def to_dict(self) -> dict[str, Any]:
        return {"tz": self.tz, "moments": [
            {"time": m.time, "days": list(m.days), "routine": m.routine} for m in self.moments]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PracticePlan:
        moments = tuple(
            Moment(str(m["time"]), tuple(d for d in DAYS if d in m.get("days", ())),
                   str(m.get("routine") or default_routine(int(str(m["time"])[:2]))))
            for m in data.get("moments", ())
        )
        return cls(moments, str(data.get("tz") or "UTC"))


def routine_for_now(plan: PracticePlan | None, now: datetime) -> str:
    """The routine of today's moment nearest to now; otherwise bed in the evening."""
    minutes_now = now.hour * 60 + now.minute
    today = plan.on(now) if plan else ()
    if today:
        nearest = min(today, key=lambda m: abs(m.minute_of_day - minutes_now))
        return nearest.routine
    return DEFAULT_ROUTINE_NIGHT if now.hour >= NIGHT_FROM_HOUR or now.hour < 5 \
        else DEFAULT_ROUTINE_DAY


@dataclass(frozen=True)
class Assignment:
    """The session a therapist set for a client: a routine and its options (the same option
    names as the command line: minutes, intensity, ending, breathing, lang)."""

    routine: str
    options: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"routine": self.routine, "options": dict(self.options)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assignment:
        return cls(str(data["routine"]), tuple(sorted(dict(data.get("options") or {}).items())))
