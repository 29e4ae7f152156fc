"""Export and import the journal as JSON or CSV. Import is idempotent: records keep their ids."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ontspan.core.errors import OntspanError
from ontspan.core.safety import REACTIONS
from ontspan.core.sleep import Night, NightAnswers, NightError, parse_clock
from ontspan.files import write_text_atomic
from ontspan.store.journal import STATES, Journal, SessionRecord, night_id

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


def _csv_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, dict) else ("" if v is None else v)
                         for k, v in row.items()})
    return out.getvalue()


def export(journal: Journal, path: Path, fmt: str) -> list[Path]:
    data = export_data(journal)
    if fmt == "json":
        write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2))
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


class ImportProblem(OntspanError):
    pass


def _fail(where: str, field: str, message: str) -> ImportProblem:
    return ImportProblem(f"{where}: {field}: {message}")


def _int(where: str, field: str, value: Any, low: int, high: int, optional: bool = False) -> Any:
    if value in (None, "") and optional:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _fail(where, field, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise _fail(where, field, f"{number} is not between {low} and {high}")
    return number


def parse_session(where: str, row: dict[str, Any]) -> SessionRecord:
    for key in ("started_at", "routine", "state"):
        if not row.get(key):
            raise _fail(where, key, "missing")
    try:
        started = datetime.fromisoformat(str(row["started_at"]))
    except ValueError:
        raise _fail(where, "started_at", f"{row['started_at']!r} is not a date-time") from None
    if row["state"] not in STATES:
        raise _fail(where, "state", f"{row['state']!r} is not one of {', '.join(STATES)}")
    reaction = tuple(x for x in str(row.get("reaction") or "").split(",") if x)
    for item in reaction:
        if item not in REACTIONS:
            raise _fail(where, "reaction", f"{item!r} is not one of {', '.join(REACTIONS)}")
    options = row.get("options") or {}
    if isinstance(options, str):
        try:
            options = json.loads(options)
        except ValueError:
            raise _fail(where, "options", "not valid JSON") from None
    record = SessionRecord(
        started_at=started, routine=str(row["routine"]), state=str(row["state"]),
        options=dict(options),
        planned_ms=_int(where, "planned_ms", row.get("planned_ms") or 0, 0, 10**9),
        practiced_ms=_int(where, "practiced_ms", row.get("practiced_ms") or 0, 0, 10**9),
        tension_before=_int(where, "tension_before", row.get("tension_before"), 0, 10, True),
        tension_after=_int(where, "tension_after", row.get("tension_after"), 0, 10, True),
        reaction=reaction, note=str(row.get("note") or ""),
        source=str(row.get("source") or "log"),
    )
    return replace(record, id=str(row["id"])) if row.get("id") else record


def parse_night(where: str, row: dict[str, Any]) -> NightAnswers:
    for key in ("night", "bed", "try", "latency_min", "final", "out", "quality"):
        if row.get(key) in (None, ""):
            raise _fail(where, key, "missing")
    try:
        night = date.fromisoformat(str(row["night"]))
    except ValueError:
        raise _fail(where, "night", f"{row['night']!r} is not a date like 2026-03-28") from None
    try:
        return NightAnswers(
            night=night, bed=parse_clock("bed", str(row["bed"])),
            try_sleep=parse_clock("try", str(row["try"])),
            latency_min=_int(where, "latency_min", row["latency_min"], 0, 720),
            awakenings=_int(where, "awakenings", row.get("awakenings") or 0, 0, 50),
            awake_min=_int(where, "awake_min", row.get("awake_min") or 0, 0, 720),
            final=parse_clock("final", str(row["final"])), out=parse_clock("out", str(row["out"])),
            quality=_int(where, "quality", row["quality"], 1, 5), note=str(row.get("note") or ""),
        )
    except NightError as exc:
        raise _fail(where, exc.field.lstrip("-"), str(exc).split(": ", 1)[1]) from None


def read_import(path: Path) -> tuple[list[SessionRecord], list[NightAnswers]]:
    """Parse and check everything first: a bad row stops the import before anything is saved."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OntspanError(f"{path}: cannot read: {exc.strerror}") from None
    sessions: list[SessionRecord] = []
    nights: list[NightAnswers] = []
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OntspanError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise OntspanError(f'{path}: expected {{"sessions": [...], "nights": [...]}}')
        for i, row in enumerate(data.get("sessions", [])):
            sessions.append(parse_session(f"{path}: sessions[{i}]", row))
        for i, row in enumerate(data.get("nights", [])):
            nights.append(parse_night(f"{path}: nights[{i}]", row))
        return sessions, nights
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or [])
    if {"started_at", "routine"} <= header:
        sessions = [parse_session(f"{path}: row {i}", r) for i, r in enumerate(reader, 2)]
    elif {"night", "bed"} <= header:
        nights = [parse_night(f"{path}: row {i}", r) for i, r in enumerate(reader, 2)]
    else:
        raise OntspanError(f"{path}: row 1: not an ontspan sessions or nights CSV header")
    return sessions, nights


def import_file(journal: Journal, path: Path) -> ImportResult:
    sessions, nights = read_import(path)
    result = ImportResult()
    known = {s.id: s for s in journal.sessions()}
    known_nights = {n.answers: n for n in journal.nights()}
    for record in sessions:
        if record.id in known:
            result.unchanged += 1
            continue
        journal.save_session(record)
        result.sessions_added += 1
    for answers in nights:
        if answers in known_nights:
            result.unchanged += 1
            continue
        journal.save_night(answers)
        result.nights_added += 1
    return result
