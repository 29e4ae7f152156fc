"""The tables the code uses are exactly the tables the migrations build, on every backend.

A column added to store/schema.py without a migration (or the other way round) fails here,
before it fails on a person's journal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from ontspan.store import schema
from ontspan.store.db import migrate
from pg_helpers import BACKENDS, PG_URL, reset_postgres


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


def test_the_head_is_found_without_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ontspan.store.revision import head_revision

    config = Config()
    config.set_main_option("script_location", "ontspan.store:migrations")
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


OPEN_TWICE = """
import sys
from ontspan.store.journal import Journal
Journal.open().engine.dispose()
print("alembic" in sys.modules)
"""


def test_migrations_run_only_when_the_journal_is_behind() -> None:
    first = subprocess.run([sys.executable, "-c", OPEN_TWICE], capture_output=True, text=True,
                           check=True)
    assert first.stdout.strip() == "True", "a new journal is built by the migrations"
    again = subprocess.run([sys.executable, "-c", OPEN_TWICE], capture_output=True, text=True,
                           check=True)
    assert again.stdout.strip() == "False", "an up-to-date journal opens without Alembic"
