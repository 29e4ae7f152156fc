"""The journal: practice sessions, the sleep diary and the person's profile.

Every write is one transaction; records carry a stable id so that importing the same export
twice adds nothing."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from ontspan.core.errors import OntspanError
from ontspan.core.path import PathState, Practised
from ontspan.core.plan import Assignment, PracticePlan
from ontspan.core.records import Problem, night_problem, session_problem, when_problem
from ontspan.core.safety import Profile
from ontspan.core.sleep import Night, NightAnswers, evaluate, parse_clock
from ontspan.library import say
from ontspan.store import schema
from ontspan.store.peek import INTAKE, INTAKE_OFFERED, PLAN, REACTIONS, plan_from, profile_from

# Keys of the small typed records kept in the profile table (one JSON value each).
_INTAKE, _REACTIONS, _INTAKE_OFFERED, _PLAN = INTAKE, REACTIONS, INTAKE_OFFERED, PLAN
_ASSIGNMENT = "assignment"
_PATH = "path"


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
        data["started_at"] = self.started_at.isoformat()  # seconds, or finer when there is finer
        data["reaction"] = ",".join(self.reaction) or None
        return data


class InvalidRecord(OntspanError):
    """A record outside what the journal keeps, named by its field (and where it came from)."""

    def __init__(self, problem: Problem, where: str = "") -> None:
        self.problem = problem
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{problem.field}: {say(problem.key, **problem.values)}")


def check_session(record: SessionRecord, where: str = "") -> None:
    """The one check every way in (CLI, web, import) passes through: see core/records.py."""
    problem = session_problem(record, datetime.now())
    if problem is not None:
        raise InvalidRecord(problem, where)


def check_night(answers: NightAnswers, where: str = "") -> Night:
    """The same for a night; the night itself (its clock arithmetic is checked too)."""
    problem = when_problem("night", answers.night, datetime.now())  # far dates overflow below
    if problem is not None:
        raise InvalidRecord(problem, where)
    night = evaluate(answers)  # its messages name the diary's own questions first
    problem = night_problem(answers, datetime.now())
    if problem is not None:
        raise InvalidRecord(problem, where)
    return night


def _session_row(r: SessionRecord) -> dict[str, Any]:
    return {
        "id": r.id, "started_at": r.started_at, "routine": r.routine,
        "options": json.dumps(r.options, sort_keys=True, allow_nan=False),
        "planned_ms": r.planned_ms,
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


def _night_row(answers: NightAnswers, owner: str) -> dict[str, Any]:
    return {
        "id": night_id(answers.night, owner), "night": answers.night, "owner": owner,
        "bed": f"{answers.bed:%H:%M}", "try_sleep": f"{answers.try_sleep:%H:%M}",
        "latency_min": answers.latency_min, "awakenings": answers.awakenings,
        "awake_min": answers.awake_min, "final": f"{answers.final:%H:%M}",
        "out": f"{answers.out:%H:%M}", "quality": answers.quality, "note": answers.note,
    }


def _stored_clock(field: str, value: str) -> time:
    # The journal writes "HH:MM"; the full reader (any way a person types a time) only for
    # rows from elsewhere. Years of nights are read on every insight.
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        return parse_clock(field, value)


def _night_from_row(row: Any) -> Night:
    return evaluate(NightAnswers(
        night=row.night, bed=_stored_clock("bed", row.bed),
        try_sleep=_stored_clock("try", row.try_sleep), latency_min=row.latency_min,
        awakenings=row.awakenings, awake_min=row.awake_min,
        final=_stored_clock("final", row.final), out=_stored_clock("out", row.out),
        quality=row.quality, note=row.note or "",
    ))


@dataclass
class Merged:
    """What an import did: added, already there, and the records that differ (kept, or
    replaced when asked). Either all of it happened or, on any error, none of it."""

    sessions_added: int = 0
    nights_added: int = 0
    unchanged: int = 0
    session_conflicts: list[SessionRecord] = field(default_factory=list)
    night_conflicts: list[date] = field(default_factory=list)
    replaced: bool = False


_CHUNK = 500  # ids per IN (...) query: well below every database's parameter limit


def night_id(night: date, owner: str = "") -> str:
    # One diary entry per night: the id follows from the date, so a correction replaces it.
    whose = f"{owner}:" if owner else ""  # a person's own journal keeps the ids it always had
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ontspan:night:{whose}{night.isoformat()}"))


class Journal:
    """One person's records. `owner` is "" on a person's own computer; in practice mode it is
    the client's account id, and every query is limited to it."""

    def __init__(self, engine: Engine, owner: str = "") -> None:
        self.engine = engine
        self.owner = owner

    @classmethod
    def open(cls, url: str | None = None) -> Journal:
        from ontspan.store.db import open_engine

        return cls(open_engine(url))

    def _mine(self, table: Any) -> Any:
        return table.c.owner == self.owner

    def _session_row(self, record: SessionRecord) -> dict[str, Any]:
        return {**_session_row(record), "owner": self.owner}

    def _read(self, table: Any, *where: Any, order: Any, limit: int | None = None,
              offset: int = 0) -> list[Any]:
        """This person's rows of `table`: every list and page of the journal reads here."""
        query = select(table).where(self._mine(table), *where).order_by(*order)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return list(conn.execute(query))

    def _count(self, table: Any) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)
                                    .where(self._mine(table))).scalar_one())

    # Practice sessions

    def add_session(self, record: SessionRecord) -> SessionRecord:
        check_session(record)
        with self.engine.begin() as conn:
            conn.execute(insert(schema.sessions).values(**self._session_row(record)))
        return record

    def save_session(self, record: SessionRecord) -> None:
        """Insert or replace one session (a practice in progress is updated as it goes)."""
        check_session(record)
        with self.engine.begin() as conn:
            found = conn.execute(
                select(schema.sessions.c.id).where(schema.sessions.c.id == record.id,
                                                   self._mine(schema.sessions))
            ).first()
            row = self._session_row(record)
            if found:
                conn.execute(update(schema.sessions).where(schema.sessions.c.id == record.id,
                                                           self._mine(schema.sessions))
                             .values(**row))
            else:
                conn.execute(insert(schema.sessions).values(**row))

    def sessions(self) -> list[SessionRecord]:
        t = schema.sessions
        return [_session_from_row(r) for r in self._read(t, order=[t.c.started_at])]

    def session(self, session_id: str) -> SessionRecord | None:
        t = schema.sessions
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.id == session_id, self._mine(t))).first()
        return _session_from_row(row) if row else None

    def sessions_since(self, start: datetime) -> list[SessionRecord]:
        """The sessions from `start` on, oldest first (today's, for the Today page)."""
        t = schema.sessions
        return [_session_from_row(r)
                for r in self._read(t, t.c.started_at >= start, order=[t.c.started_at])]

    def recent_sessions(self, limit: int, offset: int = 0) -> list[SessionRecord]:
        """A page of sessions, newest first: lists show pages, not twenty thousand rows."""
        t = schema.sessions
        return [_session_from_row(r) for r in self._read(
            t, order=[t.c.started_at.desc(), t.c.id], limit=limit, offset=offset)]

    def count_sessions(self) -> int:
        return self._count(schema.sessions)

    def practised(self) -> list[Practised]:
        """What the insights and the learning path need of every session, in one narrow query
        (no options, no notes): years of practice read in milliseconds."""
        t = schema.sessions
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.started_at, t.c.routine, t.c.state,
                                       t.c.tension_before, t.c.tension_after, t.c.practiced_ms)
                                .where(self._mine(t)).order_by(t.c.started_at))
            # Unpacked as tuples: a row's attribute lookup costs more than the rest together.
            return [Practised(at, routine, state == "completed", before, after, ms)
                    for at, routine, state, before, after, ms in rows]

    # Sleep diary

    def save_night(self, answers: NightAnswers) -> Night:
        night = check_night(answers)
        with self.engine.begin() as conn:
            conn.execute(delete(schema.nights).where(schema.nights.c.night == answers.night,
                                                     self._mine(schema.nights)))
            conn.execute(insert(schema.nights).values(**_night_row(answers, self.owner)))
        return night

    def nights(self) -> list[Night]:
        t = schema.nights
        return [_night_from_row(r) for r in self._read(t, order=[t.c.night])]

    def nights_since(self, first: date) -> list[Night]:
        """The diary from the night of `first` on, oldest first."""
        t = schema.nights
        return [_night_from_row(r) for r in self._read(t, t.c.night >= first, order=[t.c.night])]

    def night(self, day: date | str) -> Night | None:
        """One night of the diary; None when it is not there (or `day` is not a date)."""
        try:
            wanted = day if isinstance(day, date) else date.fromisoformat(day)
        except ValueError:
            return None
        t = schema.nights
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.night == wanted, self._mine(t))).first()
        return _night_from_row(row) if row else None

    def recent_nights(self, limit: int, offset: int = 0) -> list[Night]:
        t = schema.nights
        return [_night_from_row(r) for r in self._read(t, order=[t.c.night.desc()], limit=limit,
                                                       offset=offset)]

    def count_nights(self) -> int:
        return self._count(schema.nights)

    def merge(self, sessions: list[SessionRecord], nights: list[NightAnswers],
              replace: bool = False) -> Merged:
        """Add records from elsewhere in one transaction. A record already here with the same
        content is left alone; one with other content is kept as it is and reported, or
        replaced by the new one if `replace`."""
        for record in sessions:
            check_session(record)
        for answers in nights:
            check_night(answers)
        merged = Merged(replaced=replace)
        table = schema.sessions
        with self.engine.begin() as conn:
            ids = [r.id for r in sessions]
            known: dict[str, SessionRecord] = {}
            for start in range(0, len(ids), _CHUNK):
                rows = conn.execute(select(table).where(table.c.id.in_(ids[start:start + _CHUNK]),
                                                        self._mine(table)))
                known.update((row.id, _session_from_row(row)) for row in rows)
            new_rows = []
            for record in sessions:
                old = known.get(record.id)
                if old is None:
                    new_rows.append(self._session_row(record))
                elif old == record:
                    merged.unchanged += 1
                else:
                    merged.session_conflicts.append(old)
                    if replace:
                        conn.execute(update(table).where(table.c.id == record.id, self._mine(table))
                                     .values(**self._session_row(record)))
            if new_rows:
                conn.execute(insert(table), new_rows)
            merged.sessions_added = len(new_rows)
            self._merge_nights(conn, nights, merged)
        return merged

    def _merge_nights(self, conn: Connection, nights: list[NightAnswers], merged: Merged) -> None:
        table = schema.nights
        days = [a.night for a in nights]
        known: dict[date, NightAnswers] = {}
        for start in range(0, len(days), _CHUNK):
            rows = conn.execute(select(table).where(table.c.night.in_(days[start:start + _CHUNK]),
                                                    self._mine(table)))
            known.update((row.night, _night_from_row(row).answers) for row in rows)
        new_rows = []
        for answers in nights:
            old = known.get(answers.night)
            if old is None:
                new_rows.append(_night_row(answers, self.owner))
            elif old == answers:
                merged.unchanged += 1
            else:
                merged.night_conflicts.append(answers.night)
                if merged.replaced:
                    conn.execute(delete(table).where(table.c.night == answers.night,
                                                     self._mine(table)))
                    conn.execute(insert(table).values(**_night_row(answers, self.owner)))
        if new_rows:
            conn.execute(insert(table), new_rows)
        merged.nights_added = len(new_rows)

    def remove_session(self, session_id: str) -> SessionRecord | None:
        """Delete one session; the one deleted, or None if there was none with this id."""
        table = schema.sessions
        with self.engine.begin() as conn:
            row = conn.execute(select(table).where(table.c.id == session_id,
                                                   self._mine(table))).first()
            if row is None:
                return None
            conn.execute(delete(table).where(table.c.id == session_id, self._mine(table)))
            return _session_from_row(row)

    def remove_night(self, night: date) -> bool:
        """Delete the diary entry of one night; False if there was none."""
        with self.engine.begin() as conn:
            done = conn.execute(delete(schema.nights).where(schema.nights.c.night == night,
                                                            self._mine(schema.nights)))
            return bool(done.rowcount)

    # The person's own records: safety answers, reactions, plan. Typed in, typed out; the
    # JSON under a key is this class's business only.

    def profile(self) -> Profile | None:
        """The safety answers with the count of sessions that ended in a warning reaction;
        None when neither exists."""
        return profile_from(self._get(_INTAKE), self._get(_REACTIONS))

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
        return plan_from(self._get(_PLAN))

    def save_plan(self, plan: PracticePlan | None) -> None:
        self._put(_PLAN, plan.to_dict() if plan else None)

    def assignment(self) -> Assignment | None:
        """The session the person's therapist set (practice mode), if any."""
        data = self._get(_ASSIGNMENT)
        return Assignment.from_dict(data) if data else None

    def save_assignment(self, assignment: Assignment | None) -> None:
        self._put(_ASSIGNMENT, assignment.to_dict() if assignment else None)

    def path_state(self) -> PathState | None:
        """Where the person is on the learning path (core/path.py); None: not on it."""
        data = self._get(_PATH)
        return PathState.from_dict(data) if data else None

    def save_path_state(self, state: PathState | None) -> None:
        """None leaves the path."""
        self._put(_PATH, state.to_dict() if state is not None else None)

    def _get(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.profile.c.value).where(schema.profile.c.key == key,
                                                     self._mine(schema.profile))
            ).first()
        return json.loads(row.value) if row else default

    def _put(self, key: str, value: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(schema.profile).where(schema.profile.c.key == key,
                                                      self._mine(schema.profile)))
            if value is not None:
                conn.execute(insert(schema.profile).values(owner=self.owner, key=key,
                                                           value=json.dumps(value)))

    def forget_all(self) -> None:
        with self.engine.begin() as conn:
            for table in (schema.sessions, schema.nights, schema.profile):
                conn.execute(delete(table).where(self._mine(table)))
