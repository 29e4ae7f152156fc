"""A PostgreSQL database emptied for a test: every table of every migration goes."""

from __future__ import annotations

import os

import pytest

PG_URL = os.environ.get("ONTSPAN_TEST_POSTGRES_URL")
# Parameters for a fixture that runs each test on SQLite and, where there is one, PostgreSQL.
BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="set ONTSPAN_TEST_POSTGRES_URL (CI does)"),
])]


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
