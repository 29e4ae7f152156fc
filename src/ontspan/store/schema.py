"""The journal's tables. Changes go through a new Alembic migration in migrations/versions."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

sessions = Table(
    "sessions", metadata,
    Column("id", String(36), primary_key=True),
    Column("started_at", DateTime, nullable=False, index=True),
    Column("routine", String(100), nullable=False),
    Column("options", Text, nullable=False, default="{}"),  # JSON of the session options
    Column("planned_ms", Integer, nullable=False, default=0),
    Column("practiced_ms", Integer, nullable=False, default=0),
    Column("state", String(20), nullable=False),  # completed | stopped
    Column("tension_before", Integer),
    Column("tension_after", Integer),
    Column("reaction", String(200)),  # comma-separated: dizzy, nauseous, restless, pain, other
    Column("note", Text, nullable=False, default=""),
    Column("source", String(20), nullable=False, default="practice"),  # practice | log
)

nights = Table(
    "nights", metadata,
    Column("id", String(36), primary_key=True),
    Column("night", Date, nullable=False, unique=True),
    Column("bed", String(5), nullable=False),
    Column("try_sleep", String(5), nullable=False),
    Column("latency_min", Integer, nullable=False),
    Column("awakenings", Integer, nullable=False),
    Column("awake_min", Integer, nullable=False),
    Column("final", String(5), nullable=False),
    Column("out", String(5), nullable=False),
    Column("quality", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

profile = Table(
    "profile", metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)
