"""A quick read-only look at the journal for commands that only read the person's settings
(`show`, `render`, `today`): the standard library's sqlite3 instead of SQLAlchemy, no
migrations, and no database created where there is none yet.

`peek()` returns None whenever it cannot answer as the full Journal would (another database,
a journal that needs migrating, anything unexpected): the caller then opens the Journal."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ontspan import paths
from ontspan.core.path import PathState
from ontspan.core.plan import PracticePlan
from ontspan.core.safety import Profile
from ontspan.store.revision import head_revision

# Keys of the profile table (the Journal's typed methods read and write them).
INTAKE, REACTIONS, INTAKE_OFFERED, PLAN = "intake", "reactions", "intake_offered", "plan"


def profile_from(intake: Any, reactions: Any) -> Profile | None:
    """The safety profile from the stored answers and reaction count; None when neither."""
    count = int((reactions or {}).get("count", 0))
    if intake is None:
        return Profile(reactions=count) if count else None
    return Profile.from_dict(intake, count)


def plan_from(data: Any) -> PracticePlan | None:
    return PracticePlan.from_dict(data) if data else None


@dataclass(frozen=True)
class Done:
    """A practice session as `today` lists it."""

    started_at: datetime
    routine: str
    state: str


@dataclass(frozen=True)
class Settings:
    """What a reading command needs from the journal."""

    profile: Profile | None = None
    plan: PracticePlan | None = None
    done: tuple[Done, ...] = ()  # at least the sessions of the day asked for
    path: PathState | None = None  # the learning-path stage, when on the path

    def done_on(self, day: date) -> list[Done]:
        return [d for d in self.done if d.started_at.date() == day]


def peek(today: date | None = None) -> Settings | None:
    if os.environ.get("ONTSPAN_DATABASE_URL"):
        return None  # another database: the Journal knows how to reach it
    path: Path = paths.data_dir() / "journal.sqlite3"
    if not path.exists():
        return Settings()  # nothing recorded yet, and nothing to create for reading
    day = today or date.today()
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != head_revision():
                return None
            # The person on this computer is owner "" (clients of a practice have an id).
            values = {key: json.loads(value) for key, value in
                      conn.execute("SELECT key, value FROM profile WHERE owner = ''")}
            # SQLAlchemy keeps SQLite datetimes as ISO text, so text order is time order.
            rows = conn.execute(
                "SELECT started_at, routine, state FROM sessions WHERE owner = '' AND "
                "started_at >= ? AND started_at < ? ORDER BY started_at",
                (day.isoformat(), (day + timedelta(days=1)).isoformat()),
            ).fetchall()
        return Settings(profile_from(values.get(INTAKE), values.get(REACTIONS)),
                        plan_from(values.get(PLAN)),
                        tuple(Done(datetime.fromisoformat(s), r, st) for s, r, st in rows),
                        PathState.from_dict(values["path"]) if values.get("path") else None)
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
