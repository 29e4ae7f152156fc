"""The journal's tables. Changes go through a new Alembic migration in migrations/versions."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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
    # Whose record: "" on a person's own computer; a client's account id in practice mode.
    Column("owner", String(36), nullable=False, default="", server_default="", index=True),
)

nights = Table(
    "nights", metadata,
    Column("id", String(36), primary_key=True),
    Column("night", Date, nullable=False),
    Column("bed", String(5), nullable=False),
    Column("try_sleep", String(5), nullable=False),
    Column("latency_min", Integer, nullable=False),
    Column("awakenings", Integer, nullable=False),
    Column("awake_min", Integer, nullable=False),
    Column("final", String(5), nullable=False),
    Column("out", String(5), nullable=False),
    Column("quality", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("owner", String(36), nullable=False, default="", server_default=""),
    UniqueConstraint("owner", "night", name="uq_nights_owner_night"),  # one entry per night
)

profile = Table(
    "profile", metadata,
    Column("owner", String(36), primary_key=True, default="", server_default=""),
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

# ---- Practice mode (`ontspan serve --practice`): therapists and their clients --------------
# A client's sessions, nights and profile are the journal tables above with `owner` set to the
# client's account id; the single-person app uses owner "".

accounts = Table(
    "accounts", metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("role", String(20), nullable=False),  # therapist | client
    Column("password_hash", String(200), nullable=False),
    Column("therapist_id", String(36), index=True),  # a client's therapist
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime),  # a closed file: no login, kept for the record
)

logins = Table(
    "logins", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie's token, never the token
    Column("account_id", String(36), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

invites = Table(
    "invites", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the link's token
    Column("therapist_id", String(36), nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
)

login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor_id", String(36), nullable=False),
    Column("action", String(50), nullable=False),  # viewed | changed | exported | deleted | ...
    Column("subject_id", String(36), nullable=False, index=True),  # whose records
    Column("detail", String(200), nullable=False, default=""),
)
