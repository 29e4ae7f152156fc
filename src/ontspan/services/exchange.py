"""Export and import the journal as JSON or CSV.

Import is idempotent (records keep their ids), all-or-nothing (every row is checked before one
transaction saves them all) and never overwrites what is in the journal without being asked.
Whatever an export writes imports back: the same checks guard every way in."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _
from ontspan.core.records import neutralise_formula, restore_formula
from ontspan.core.sleep import Night, NightAnswers, NightError, parse_clock
from ontspan.files import write_text_atomic
from ontspan.library import say
from ontspan.store.journal import (
    InvalidRecord,
    Journal,
    Merged,
    SessionRecord,
    check_night,
    check_session,
    night_id,
)
from ontspan.store.salvage import Salvaged, salvage

SESSION_FIELDS = ["id", "started_at", "routine", "state", "tension_before", "tension_after",
                  "reaction", "note", "planned_ms", "practiced_ms", "source", "options"]
NIGHT_FIELDS = ["id", "night", "bed", "try", "latency_min", "awakenings", "awake_min", "final",
                "out", "quality", "note", "tib_min", "sol_min", "waso_min", "tst_min", "se_pct",
                "nwak", "early_wake_min"]


def session_dict(record: SessionRecord) -> dict[str, Any]:
    data = record.to_dict()
    return {k: data[k] for k in SESSION_FIELDS}


def night_dict(night: Night) -> dict[str, Any]:
    a = night.answers
    return {
        "id": night_id(a.night), "night": a.night.isoformat(), "bed": f"{a.bed:%H:%M}",
        "try": f"{a.try_sleep:%H:%M}", "latency_min": a.latency_min, "awakenings": a.awakenings,
        "awake_min": a.awake_min, "final": f"{a.final:%H:%M}", "out": f"{a.out:%H:%M}",
        "quality": a.quality, "note": a.note, **night.metrics(),
    }


def export_data(journal: Journal) -> dict[str, list[dict[str, Any]]]:
    return {"sessions": [session_dict(s) for s in journal.sessions()],
            "nights": [night_dict(n) for n in journal.nights()]}


def csv_paths(path: Path) -> tuple[Path, Path]:
    stem = path.with_suffix("")
    return stem.with_name(stem.name + ".sessions.csv"), stem.with_name(stem.name + ".nights.csv")


TEXT_FIELDS = ("routine", "note")  # free text a spreadsheet could take for a formula


def _cell(key: str, value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, allow_nan=False)
    if value is None:
        return ""
    return neutralise_formula(value) if key in TEXT_FIELDS else value


def _csv_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    out = io.StringIO()
    # CRLF as RFC 4180 and Excel have it; a lone CR in a note then gets quoted too.
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(k, v) for k, v in row.items()})
    return out.getvalue()


def export(journal: Journal, path: Path, fmt: str) -> list[Path]:
    return _write(export_data(journal), path, fmt)


def salvage_to(database: Path, path: Path, fmt: str) -> tuple[list[Path], Salvaged]:
    """Write out everything still readable in a damaged SQLite journal, as an export."""
    rescued = salvage(database)
    data = {"sessions": [session_dict(s) for s in rescued.sessions],
            "nights": [night_dict(n) for n in rescued.nights]}
    return _write(data, path, fmt), rescued


def _write(data: dict[str, list[dict[str, Any]]], path: Path, fmt: str) -> list[Path]:
    if fmt == "json":
        write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return [path]
    sessions_path, nights_path = csv_paths(path)
    write_text_atomic(sessions_path, _csv_text(data["sessions"], SESSION_FIELDS))
    write_text_atomic(nights_path, _csv_text(data["nights"], NIGHT_FIELDS))
    return [sessions_path, nights_path]


@dataclass
class ImportResult:
    sessions_added: int = 0
    nights_added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # one sentence each, in the person's language


class ImportProblem(OntspanError):
    pass


def _fail(where: str, field_name: str, key: str, **values: Any) -> ImportProblem:
    return ImportProblem(f"{where}: {field_name}: {say(key, **values)}")


def _int(where: str, name: str, value: Any, low: int, high: int, optional: bool = False) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise _fail(where, name, "record.missing")
    whole = (isinstance(value, int) and not isinstance(value, bool)) \
        or (isinstance(value, float) and value.is_integer()) \
        or (isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d{1,12}\s*", value))
    if not whole:
        raise _fail(where, name, "record.not_whole", value=repr(value))
    number = int(value)
    if not low <= number <= high:
        raise _fail(where, name, "record.range", value=number, low=low, high=high)
    return number


def _text(where: str, name: str, value: Any, *, csv_cell: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(where, name, "record.not_text", value=repr(value))
    return restore_formula(value) if csv_cell and name in TEXT_FIELDS else value


# Excel on a Dutch computer writes 28-3-2026 21:30 where an export has 2026-03-28T21:30:00.
_DUTCH = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _datetime(where: str, name: str, value: Any) -> datetime:
    text = value.strip() if isinstance(value, str) else ""
    found = _DUTCH.fullmatch(text)
    try:
        if found:
            d, m, y, hh, mm, ss = found.groups()
            moment = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(where, name, "record.not_datetime", value=repr(value)) from None
    if moment.tzinfo is not None:  # the journal keeps local wall-clock times
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def _date(where: str, name: str, value: Any) -> date:
    text = value.strip() if isinstance(value, str) else ""
    found = _DUTCH.fullmatch(text)
    try:
        if found and found.group(4) is None:
            d, m, y = found.groups()[:3]
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(where, name, "record.not_date", value=repr(value)) from None


def _required(where: str, row: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if row.get(key) in (None, ""):
            raise _fail(where, key, "record.missing")


def _checked(where: str, check: Any, record: Any) -> None:
    try:
        check(record, where)
    except InvalidRecord as exc:
        raise ImportProblem(str(exc)) from None


def parse_session(where: str, row: dict[str, Any], *, csv_cell: bool = False) -> SessionRecord:
    """One session from an import row or a web form, checked like every other way in."""
    if not isinstance(row, dict):
        raise ImportProblem(f"{where}: {say('import.not_session')}")
    _required(where, row, ("started_at", "routine", "state"))
    reaction_text = _text(where, "reaction", row.get("reaction"), csv_cell=False)
    options = row.get("options") or {}
    if isinstance(options, str):
        try:
            options = json.loads(options)
        except ValueError:
            raise _fail(where, "options", "record.not_valid_json") from None
    record = SessionRecord(
        started_at=_datetime(where, "started_at", row["started_at"]),
        routine=_text(where, "routine", row["routine"], csv_cell=csv_cell),
        state=_text(where, "state", row["state"], csv_cell=False),
        options=options,
        planned_ms=_int(where, "planned_ms", row.get("planned_ms") or 0, 0, 10**9),
        practiced_ms=_int(where, "practiced_ms", row.get("practiced_ms") or 0, 0, 10**9),
        tension_before=_int(where, "tension_before", row.get("tension_before"), 0, 10, True),
        tension_after=_int(where, "tension_after", row.get("tension_after"), 0, 10, True),
        reaction=tuple(x.strip() for x in reaction_text.split(",") if x.strip()),
        note=_text(where, "note", row.get("note"), csv_cell=csv_cell),
        source=_text(where, "source", row.get("source"), csv_cell=False) or "log",
    )
    if row.get("id") not in (None, ""):
        record = replace(record, id=_text(where, "id", row["id"], csv_cell=False))
    _checked(where, check_session, record)
    return record


def parse_night(where: str, row: dict[str, Any], *, csv_cell: bool = False) -> NightAnswers:
    if not isinstance(row, dict):
        raise ImportProblem(f"{where}: {say('import.not_night')}")
    _required(where, row, ("night", "bed", "try", "latency_min", "final", "out", "quality"))
    clocks = {}
    for key in ("bed", "try", "final", "out"):
        clocks[key] = _text(where, key, row[key], csv_cell=False)
    try:
        answers = NightAnswers(
            night=_date(where, "night", row["night"]), bed=parse_clock("bed", clocks["bed"]),
            try_sleep=parse_clock("try", clocks["try"]),
            latency_min=_int(where, "latency_min", row["latency_min"], 0, 720),
            awakenings=_int(where, "awakenings", row.get("awakenings") or 0, 0, 50),
            awake_min=_int(where, "awake_min", row.get("awake_min") or 0, 0, 720),
            final=parse_clock("final", clocks["final"]), out=parse_clock("out", clocks["out"]),
            quality=_int(where, "quality", row["quality"], 1, 5),
            note=_text(where, "note", row.get("note"), csv_cell=csv_cell),
        )
        _checked(where, check_night, answers)
    except NightError as exc:
        raise ImportProblem(f"{where}: {exc.field.lstrip('-')}: {str(exc).split(': ', 1)[1]}") \
            from None
    return answers


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252 as Excel writes on a
    Dutch or English Windows; anything else is refused by name rather than read as nonsense."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportProblem(f"{path}: {say('import.encoding', position=exc.start)}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{path}: {say('import.encoding', position=exc.start)}") from None


def _delimiter(header: str) -> str:
    # Excel uses the list separator of the region: ';' where the decimal comma is ','.
    return max((",", ";", "\t"), key=header.count)


def _no_duplicates(items: list[tuple[str, Any, Any]], key: str) -> list[Any]:
    """Drop repeats of the same record inside one file; refuse the same id with other content."""
    seen: dict[Any, tuple[str, Any]] = {}
    kept = []
    for where, ident, record in items:
        if ident in seen:
            other_where, other = seen[ident]
            if other != record:
                raise ImportProblem(f"{where}: {say(key, other=other_where)}")
            continue
        seen[ident] = (where, record)
        kept.append(record)
    return kept


def _json_rows(path: Path, text: str) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    try:
        data = json.loads(text, parse_constant=lambda name: float("nan"))
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"{path}: {say('import.json', line=exc.lineno, reason=exc.msg)}") \
            from None
    except RecursionError:
        raise ImportProblem(f"{path}: {say('import.not_export')}") from None
    if not isinstance(data, dict) or not ({"sessions", "nights"} & set(data)):
        raise ImportProblem(f"{path}: {say('import.not_export')}")
    for key in data:
        if key not in ("sessions", "nights"):
            raise ImportProblem(f"{path}: {say('import.unknown_key', key=json.dumps(key))}")
    found: dict[str, list[tuple[str, Any]]] = {}
    for key in ("sessions", "nights"):
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ImportProblem(f"{path}: {key}: {say('import.not_list')}")
        found[key] = [(f"{path}: {key}[{i}]", row) for i, row in enumerate(rows)]
    return found["sessions"], found["nights"]


def read_import(path: Path) -> tuple[list[SessionRecord], list[NightAnswers]]:
    """Parse and check everything first: a bad row stops the import before anything is saved."""
    try:
        text = decode(path, path.read_bytes())
    except OSError as exc:
        raise ImportProblem(f"{path}: {say('import.cannot_read', reason=exc.strerror)}") from None
    session_rows: list[tuple[str, Any]] = []
    night_rows: list[tuple[str, Any]] = []
    is_csv = path.suffix.lower() != ".json"
    if not is_csv:
        session_rows, night_rows = _json_rows(path, text)
    else:
        header = text.split("\n", 1)[0]
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(header))
            fields = {f.strip() for f in reader.fieldnames or []}
            reader.fieldnames = [f.strip() for f in reader.fieldnames or []]
            rows = [(_("{path}: row {n}", path=path, n=reader.line_num), r) for r in reader]
        except csv.Error as exc:
            raise ImportProblem(_("{path}: row {n}", path=path, n=reader.line_num)
                                + f": {exc}") from None
        if {"started_at", "routine"} <= fields:
            session_rows = rows
        elif {"night", "bed"} <= fields:
            night_rows = rows
        else:
            raise ImportProblem(f"{path}: {say('import.header')}")
    sessions = _no_duplicates(
        [(w, *_ident(parse_session(w, r, csv_cell=is_csv))) for w, r in session_rows],
        "import.duplicate")
    nights = _no_duplicates(
        [(w, *_night_ident(parse_night(w, r, csv_cell=is_csv))) for w, r in night_rows],
        "import.duplicate_night")
    return sessions, nights


def _ident(record: SessionRecord) -> tuple[str, SessionRecord]:
    return record.id, record


def _night_ident(answers: NightAnswers) -> tuple[date, NightAnswers]:
    return answers.night, answers


def import_file(journal: Journal, path: Path, replace_existing: bool = False) -> ImportResult:
    """Import one file whole or not at all; conflicts are kept as they are unless asked."""
    sessions, nights = read_import(path)
    merged: Merged = journal.merge(sessions, nights, replace=replace_existing)
    result = ImportResult(merged.sessions_added, merged.nights_added, merged.unchanged)
    kind = "replaced" if replace_existing else "conflict"
    for old in merged.session_conflicts:
        result.conflicts.append(say(f"import.{kind}_session", id=f"({json.dumps(old.id)})",
                                    when=f"{old.started_at:%Y-%m-%d %H:%M}"))
    for night in merged.night_conflicts:
        result.conflicts.append(say(f"import.{kind}_night", night=night.isoformat()))
    return result

