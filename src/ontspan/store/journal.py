"""The journal: practice sessions, the sleep diary and the person's profile.

Every write is one transaction; records carry a stable id so that importing the same export
twice adds nothing."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from ontspan.core.plan import PracticePlan
from ontspan.core.safety import Profile
from ontspan.core.sleep import Night, NightAnswers, evaluate, parse_clock
from ontspan.store import schema

STATES = ("completed", "stopped")

# Keys of the small typed records kept in the profile table (one JSON value each).
_INTAKE, _REACTIONS, _INTAKE_OFFERED, _PLAN = "intake", "reactions", "intake_offered", "plan"


@dataclass(frozen=True)
class SessionRecord:
    started_at: datetime
    routine: str
    state: str
    options: dict[str, Any] = field(default_factory=dict)
    planned_ms: int = 0
    practiced_ms: int = 0
    tension_before: int | None = None
    tension_after: int | None = None
    reaction: tuple[str, ...] = ()
    note: str = ""
    source: str = "practice"
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat(timespec="seconds")
        data["reaction"] = ",".join(self.reaction) or None
        return data


def _session_row(r: SessionRecord) -> dict[str, Any]:
    return {
        "id": r.id, "started_at": r.started_at, "routine": r.routine,
        "options": json.dumps(r.options, sort_keys=True), "planned_ms": r.planned_ms,
        "practiced_ms": r.practiced_ms, "state": r.state, "tension_before": r.tension_before,
        "tension_after": r.tension_after, "reaction": ",".join(r.reaction) or None,
        "note": r.note, "source": r.source,
    }


def _session_from_row(row: Any) -> SessionRecord:
    return SessionRecord(
        id=row.id, started_at=row.started_at, routine=row.routine, state=row.state,
        options=json.loads(row.options or "{}"), planned_ms=row.planned_ms,
        practiced_ms=row.practiced_ms, tension_before=row.tension_before,
        tension_after=row.tension_after,
        reaction=tuple(x for x in (row.reaction or "").split(",") if x),
        note=row.note or "", source=row.source,
    )


def _night_from_row(row: Any) -> Night:
    return evaluate(NightAnswers(
        night=row.night, bed=parse_clock("bed", row.bed), try_sleep=parse_clock("try", row.try_sleep),
        latency_min=row.latency_min, awakenings=row.awakenings, awake_min=row.awake_min,
        final=parse_clock("final", row.final), out=parse_clock("out", row.out),
        quality=row.quality, note=row.note or "",
    ))


def night_id(night: date) -> str:
    # One diary entry per night: the id follows from the date, so a correction replaces it.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ontspan:night:{night.isoformat()}"))


class Journal:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Journal:
        from ontspan.store.db import open_engine

        return cls(open_engine(url))

    # Practice sessions

    def add_session(self, record: SessionRecord) -> SessionRecord:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.sessions).values(**_session_row(record)))
        return record

    def save_session(self, record: SessionRecord) -> None:
        """Insert or replace one session (a practice in progress is updated as it goes)."""
        with self.engine.begin() as conn:
            found = conn.execute(
                select(schema.sessions.c.id).where(schema.sessions.c.id == record.id)
            ).first()
            row = _session_row(record)
            if found:
                conn.execute(update(schema.sessions).where(schema.sessions.c.id == record.id)
                             .values(**row))
            else:
                conn.execute(insert(schema.sessions).values(**row))

    def sessions(self) -> list[SessionRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.sessions).order_by(schema.sessions.c.started_at))
            return [_session_from_row(r) for r in rows]

    # Sleep diary

    def save_night(self, answers: NightAnswers) -> Night:
        night = evaluate(answers)
        row = {
            "id": night_id(answers.night), "night": answers.night,
            "bed": f"{answers.bed:%H:%M}", "try_sleep": f"{answers.try_sleep:%H:%M}",
            "latency_min": answers.latency_min, "awakenings": answers.awakenings,
            "awake_min": answers.awake_min, "final": f"{answers.final:%H:%M}",
            "out": f"{answers.out:%H:%M}", "quality": answers.quality, "note": answers.note,
        }
        with self.engine.begin() as conn:
            conn.execute(delete(schema.nights).where(schema.nights.c.night == answers.night))
            conn.execute(insert(schema.nights).values(**row))
        return night

    def nights(self) -> list[Night]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.nights).order_by(schema.nights.c.night))
            return [_night_from_row(r) for r in rows]

    # The person's own records: safety answers, reactions, plan. Typed in, typed out; the
    # JSON under a key is this class's business only.

    def profile(self) -> Profile | None:
        """The safety answers with the count of sessions that ended in a warning reaction;
        None when neither exists."""
        data = self._get(_INTAKE)
        reactions = int((self._get(_REACTIONS) or {}).get("count", 0))
        if data is None:
            return Profile(reactions=reactions) if reactions else None
        return Profile.from_dict(data, reactions)

    def save_intake(self, profile: Profile) -> None:
        self._put(_INTAKE, profile.to_dict())

    def forget_safety(self) -> None:
        """Forget the answers and the past reactions (the intake is offered again)."""
        for key in (_INTAKE, _REACTIONS, _INTAKE_OFFERED):
            self._put(key, None)

    def count_reaction(self, at: datetime) -> int:
        """One more session that left the person dizzy, nauseous or restless; the new count."""
        count = int((self._get(_REACTIONS) or {}).get("count", 0)) + 1
        self._put(_REACTIONS, {"count": count, "last": at.isoformat(timespec="seconds")})
        return count

    def intake_offered(self) -> bool:
        return self._get(_INTAKE) is not None or bool(self._get(_INTAKE_OFFERED))

    def mark_intake_offered(self) -> None:
        self._put(_INTAKE_OFFERED, True)

    def plan(self) -> PracticePlan | None:
        data = self._get(_PLAN)
        return PracticePlan.from_dict(data) if data else None

    def save_plan(self, plan: PracticePlan | None) -> None:
        self._put(_PLAN, plan.to_dict() if plan else None)

    def _get(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.profile.c.value).where(schema.profile.c.key == key)
            ).first()
        return json.loads(row.value) if row else default

    def _put(self, key: str, value: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.profile).where(schema.profile.c.key == key))
            if value is not None:
                conn.execute(insert(schema.profile).values(key=key, value=json.dumps(value)))

    def forget_all(self) -> None:
        with self.engine.begin() as conn:
            for table in (schema.sessions, schema.nights, schema.profile):
                conn.execute(delete(table))
