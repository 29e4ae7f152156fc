"""The tables the code uses are exactly the tables the migrations build, on every backend.

A column added to store/schema.py without a migration (or the other way round) fails here,
before it fails on a person's journal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from ontspan.store import schema
from ontspan.store.db import migrate
from pg_helpers import reset_postgres

PG_URL = os.environ.get("ONTSPAN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="set ONTSPAN_TEST_POSTGRES_URL (CI does)"),
])]


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_build_exactly_the_schema(backend: str, tmp_path: Path) -> None:
    if backend == "postgres":
        assert PG_URL
        reset_postgres(PG_URL)
        engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    else:
        engine = create_engine(f"sqlite:///{tmp_path / 'journal.sqlite3'}")
    try:
        migrate(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, schema.metadata)
            tables = set(inspect(conn).get_table_names())
        assert differences == [], differences
        assert {"sessions", "nights", "profile", "accounts", "logins", "audit"} <= tables
    finally:
        engine.dispose()
