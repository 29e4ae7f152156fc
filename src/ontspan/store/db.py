"""Opens the journal database and brings its schema up to date.

SQLite in the data folder by default (WAL, full fsync: a killed process loses nothing that was
committed); ONTSPAN_DATABASE_URL points it at PostgreSQL for a practice with many clients."""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError

from ontspan import paths
from ontspan.core.errors import OntspanError
from ontspan.store.revision import head_revision


def database_url() -> str:
    url = os.environ.get("ONTSPAN_DATABASE_URL")
    if url:
        return url
    folder = paths.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'journal.sqlite3'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        engine = create_engine(url)
    except Exception as exc:  # a bad URL or a missing driver
        raise OntspanError(f"ONTSPAN_DATABASE_URL: cannot use {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def stored_revision(engine: Engine) -> str | None:
    """The journal's migration revision; None for a new (or foreign) database."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def migrate(engine: Engine) -> None:
    # Alembic costs more to import than the rest of a command: only when the journal is behind.
    # (A server that cannot be reached reads as None here and is reported by the upgrade.)
    if stored_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("ontspan.store").joinpath("migrations"))
    )
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OntspanError:
        raise
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]  # not SQLAlchemy's links
        raise OntspanError(f"cannot open the journal at {engine.url!r}: {reason}") from None
