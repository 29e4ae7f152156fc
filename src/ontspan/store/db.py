"""Opens the journal database and brings its schema up to date.

SQLite in the data folder by default (WAL, full fsync: a killed process loses nothing that was
committed); ONTSPAN_DATABASE_URL points it at PostgreSQL for a practice with many clients.

Whatever goes wrong down here (a damaged file, a lock held too long, a full disk, a read-only
folder, a server that is down, a journal from a newer ontspan) reaches the person as one
JournalUnavailable line in their language, never as a driver's traceback."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError

from ontspan import paths
from ontspan.core.errors import OntspanError
from ontspan.files import nearly_full
from ontspan.library import say
from ontspan.store.revision import head_revision

BUSY_TIMEOUT_MS = 5000


class JournalUnavailable(OntspanError):
    """The journal cannot be read or written right now; the message says why and what to do."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # damaged, locked, full, readonly, unreachable, newer or ""


def journal_path() -> Path:
    return paths.data_dir() / "journal.sqlite3"


def database_url() -> str:
    url = os.environ.get("ONTSPAN_DATABASE_URL")
    if url:
        return url
    folder = paths.data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise JournalUnavailable(say("db.readonly", path=folder)) from None
    db = journal_path()
    if os.access(folder, os.W_OK):
        return f"sqlite:///{db}"
    if not db.exists():
        raise JournalUnavailable(say("db.readonly", path=folder), "readonly")
    return _read_only_url(db)


def _read_only_url(db: Path) -> str:
    # SQLite cannot make its lock files in a read-only folder or on a full disk: open the
    # journal read-only (immutable when no write-ahead log is waiting), so looking still works.
    wal = Path(f"{db}-wal")
    waiting = wal.exists() and wal.stat().st_size > 0
    mode = "mode=ro" if waiting else "mode=ro&immutable=1"
    return f"sqlite:///file:{db}?{mode}&uri=true"


def _sqlite_pragmas(read_only: bool) -> Any:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:  # a read-only journal keeps the mode it was written in
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return apply


def explain(error: BaseException, url: str) -> JournalUnavailable | None:
    """One line for a database error a person can do something about; None for the rest."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = (parsed.database or "").removeprefix("file:")
        return _explain_sqlite(error, Path(database) if database else journal_path())
    name = type(error).__name__
    if name == "OperationalError" and "connect" in str(error).lower():
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
        return JournalUnavailable(say("db.unreachable", where=where), "unreachable")
    return None


def _explain_sqlite(error: BaseException, db: Path) -> JournalUnavailable | None:
    code = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    folder = db.parent
    if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text \
            or "not a database" in text:
        return JournalUnavailable(say("db.damaged", path=db, detail=text), "damaged")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return JournalUnavailable(say("db.locked", path=db), "locked")
    cannot_write = code.startswith(("SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN")) \
        or any(m in text for m in ("disk I/O error", "readonly", "unable to open"))
    if code == "SQLITE_FULL" or "disk is full" in text or (cannot_write and nearly_full(folder)):
        return JournalUnavailable(say("db.full"), "full")
    if cannot_write and (not os.access(folder, os.W_OK)
                         or (db.exists() and not os.access(db, os.W_OK))):
        return JournalUnavailable(say("db.readonly", path=folder), "readonly")
    if cannot_write:
        return JournalUnavailable(say("db.cannot_open", where=db, detail=text))
    return None


def open_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        engine = create_engine(url)
    except Exception as exc:  # a bad URL or a missing driver
        raise OntspanError(f"ONTSPAN_DATABASE_URL: cannot use {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas("mode=ro" in url))

    def one_line(context: ExceptionContext) -> BaseException | None:
        return explain(context.original_exception, url)

    event.listen(engine, "handle_error", one_line)
    try:
        migrate(engine)
    except JournalUnavailable as exc:
        engine.dispose()
        db = journal_path()
        if exc.kind == "full" and url == f"sqlite:///{db}" and db.exists():
            return open_engine(_read_only_url(db))  # reading needs no space; writing says why
        raise
    return engine


def stored_revision(engine: Engine) -> str | None:
    """The journal's migration revision; None for a new (or foreign) database."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def migrate(engine: Engine) -> None:
    """Bring the schema up to date, and only when it is behind: reading needs no write."""
    # Alembic costs more to import than the rest of a command: only when the journal is behind
    # (or newer). A damaged, locked or unreachable journal already says so in one line here.
    if stored_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("ontspan.store").joinpath("migrations"))
    )
    scripts = ScriptDirectory.from_config(config)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
        known = {rev.revision for rev in scripts.walk_revisions()}
        newer = [rev for rev in current if rev not in known]
        if newer:
            raise JournalUnavailable(say("db.newer", revision=", ".join(newer)), "newer")
        if set(current) == set(scripts.get_heads()):
            return
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OntspanError:
        raise
    except CommandError as exc:
        raise JournalUnavailable(say("db.cannot_open", where=engine.url, detail=exc)) from None
    except Exception as exc:
        problem = explain(getattr(exc, "orig", None) or exc, str(engine.url))
        if problem is not None:
            raise problem from None
        raise JournalUnavailable(say("db.cannot_open", where=engine.url, detail=exc)) from None
