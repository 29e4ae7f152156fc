"""Rescue what is still readable from a damaged SQLite journal, row by row.

A damaged page makes every query that crosses it fail; reading each row on its own (by rowid)
loses only the rows on the broken pages. The file itself is opened read-only and never changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ontspan.core.sleep import Night
from ontspan.store.journal import SessionRecord, _night_from_row, _session_from_row

ROWS_PER_PAGE = 200  # more than fit on a 4 KiB page: bounds the search when max(rowid) fails


@dataclass
class Salvaged:
    sessions: list[SessionRecord] = field(default_factory=list)
    nights: list[Night] = field(default_factory=list)
    lost: int = 0  # row numbers not found: lost with the damage, or deleted before it
    exact: bool = True  # False when the damage hid how many rows there were


def _rows(conn: sqlite3.Connection, table: str, convert: Callable[[Any], Any],
          found: list[Any], out: Salvaged) -> int:
    lost = 0
    try:
        high = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        # The highest row number is on a broken page: search as far as the file could hold,
        # and say honestly that the number lost is unknown (most probes find nothing).
        high = conn.execute("PRAGMA page_count").fetchone()[0] * ROWS_PER_PAGE
        out.exact = False
    columns: list[str] | None = None
    for rowid in range(1, high + 1):
        try:
            cursor = conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,))
            row = cursor.fetchone()
        except sqlite3.DatabaseError:
            lost += 1
            continue
        if row is None:  # on a page that is gone, or deleted before the damage
            lost += 1
            continue
        columns = columns or [d[0] for d in cursor.description]
        fields = dict(zip(columns, row, strict=True))
        if fields.get("owner", ""):  # a client's record in practice mode: not this person's
            continue
        try:
            found.append(convert(SimpleNamespace(**fields)))
        except Exception:  # a row whose bytes were damaged into nonsense
            lost += 1
    return lost


def _session(row: Any) -> SessionRecord:
    from datetime import datetime

    row.started_at = datetime.fromisoformat(row.started_at)
    return _session_from_row(row)


def _night(row: Any) -> Night:
    from datetime import date

    row.night = date.fromisoformat(row.night)
    return _night_from_row(row)


def salvage(db: Path) -> Salvaged:
    out = Salvaged()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for table, convert, found in (("sessions", _session, out.sessions),
                                      ("nights", _night, out.nights)):
            try:
                out.lost += _rows(conn, table, convert, found, out)
            except sqlite3.DatabaseError:
                out.exact = False  # the table itself cannot be found any more
    finally:
        conn.close()
    out.sessions.sort(key=lambda s: s.started_at)
    out.nights.sort(key=lambda n: n.answers.night)
    return out
