"""What a journal record may hold: one set of limits for every way in (CLI, web, import).

The limits are those of the schema on PostgreSQL, the stricter of the two databases, so a
journal that SQLite accepted can always move to PostgreSQL and back. Pure: a check returns the
first problem (field, message key, values) or None; the store turns it into words."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ontspan.core.safety import REACTIONS

ID_MAX = 36  # sessions.id String(36)
ROUTINE_MAX = 100  # sessions.routine String(100)
SOURCE_MAX = 20  # sessions.source String(20)
NOTE_MAX = 10_000  # Text on both, but a note is a few lines: more is a pasted file
OPTIONS_MAX = 2_000  # the options as JSON; a session has about ten of them
MS_MAX = 10**9  # planned_ms, practiced_ms: Integer (32 bits) and about eleven days
STATES = ("completed", "stopped")
EARLIEST = date(2000, 1, 1)  # older than the first ontspan by decades: a typo
AHEAD = timedelta(days=1)  # a day of slack for time zones; later is a typo


@dataclass(frozen=True)
class Problem:
    """The first thing wrong with a record: the field, a message key (records.yaml) and the
    values that message names."""

    field: str
    key: str
    values: dict[str, Any]


def _text_problem(field: str, value: Any, limit: int, *, required: bool = False) -> Problem | None:
    if not isinstance(value, str):
        return Problem(field, "record.not_text", {"value": repr(value)})
    if required and not value.strip():
        return Problem(field, "record.missing", {})
    if "\x00" in value:
        return Problem(field, "record.nul", {})
    if len(value) > limit:
        return Problem(field, "record.too_long", {"length": len(value), "limit": limit})
    return None


def _int_problem(field: str, value: Any, low: int, high: int, *, optional: bool = False
                 ) -> Problem | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem(field, "record.not_whole", {"value": repr(value)})
    if not low <= value <= high:
        return Problem(field, "record.range", {"value": value, "low": low, "high": high})
    return None


def when_problem(field: str, value: date, now: datetime) -> Problem | None:
    """Dates between 2000 and tomorrow: anything else would stretch every chart for good."""
    day = value.date() if isinstance(value, datetime) else value
    if day < EARLIEST:
        return Problem(field, "record.too_early", {"value": day.isoformat(),
                                                   "earliest": EARLIEST.isoformat()})
    if day > (now + AHEAD).date():
        return Problem(field, "record.future", {"value": day.isoformat()})
    return None


def option_value_ok(value: Any) -> bool:
    if value is None or isinstance(value, (bool, str, int)):
        return True
    return isinstance(value, float) and math.isfinite(value)


def options_problem(options: Any) -> Problem | None:
    """Session options: a flat mapping of names to plain finite values (JSON can hold them)."""
    if not isinstance(options, dict):
        return Problem("options", "record.options_mapping", {})
    for key, value in options.items():
        if not isinstance(key, str) or not option_value_ok(value):
            return Problem("options", "record.options_value", {"key": str(key)})
    length = len(json.dumps(options)) if options else 2
    if length > OPTIONS_MAX:
        return Problem("options", "record.too_long", {"length": length, "limit": OPTIONS_MAX})
    return None


def session_problem(record: Any, now: datetime) -> Problem | None:
    """The first problem of a SessionRecord (duck-typed: the store owns the class)."""
    if not isinstance(record.started_at, datetime):
        return Problem("started_at", "record.not_datetime", {"value": repr(record.started_at)})
    if record.state not in STATES:
        return Problem("state", "record.choice", {"value": repr(record.state),
                                                  "choices": ", ".join(STATES)})
    for reaction in record.reaction:
        if reaction not in REACTIONS:
            return Problem("reaction", "record.choice", {"value": repr(reaction),
                                                         "choices": ", ".join(REACTIONS)})
    return (_text_problem("id", record.id, ID_MAX, required=True)
            or when_problem("started_at", record.started_at, now)
            or _text_problem("routine", record.routine, ROUTINE_MAX, required=True)
            or options_problem(record.options)
            or _int_problem("planned_ms", record.planned_ms, 0, MS_MAX)
            or _int_problem("practiced_ms", record.practiced_ms, 0, MS_MAX)
            or _int_problem("tension_before", record.tension_before, 0, 10, optional=True)
            or _int_problem("tension_after", record.tension_after, 0, 10, optional=True)
            or _text_problem("note", record.note, NOTE_MAX)
            or _text_problem("source", record.source, SOURCE_MAX, required=True))


def night_problem(answers: Any, now: datetime) -> Problem | None:
    """The first problem of a NightAnswers beyond its clock arithmetic (core.sleep checks that)."""
    return (when_problem("night", answers.night, now)
            or _int_problem("latency_min", answers.latency_min, 0, 720)
            or _int_problem("awakenings", answers.awakenings, 0, 50)
            or _int_problem("awake_min", answers.awake_min, 0, 720)
            or _int_problem("quality", answers.quality, 1, 5)
            or _text_problem("note", answers.note, NOTE_MAX))


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection). The
# exporter puts a quote before such text, as spreadsheet programs do; the importer takes it off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    if text.startswith(FORMULA_START) or (text.startswith("'") and text[1:2] in (*FORMULA_START, "'")):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The inverse of neutralise_formula, so notes survive export and import unchanged."""
    if text.startswith("'") and text[1:2] in (*FORMULA_START, "'"):
        return text[1:]
    return text
