"""Fuzz: mutated import files (JSON and CSV) through the CLI never give a traceback.

Either the file imports (and then exports and imports back), or one line names the file, the
row and the field, with a non-zero exit. Short in CI; HYPOTHESIS_PROFILE=thorough for more."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontspan.interfaces.cli import cli

SESSION = {"id": "5f0c7e3e-8f64-4d39-9a39-1d6bd2f1b0a1", "started_at": "2026-03-01T21:00:00",
           "routine": "bed", "state": "completed", "tension_before": 6, "tension_after": 3,
           "reaction": "dizzy", "note": "rustig", "planned_ms": 200000, "practiced_ms": 190000,
           "source": "log", "options": {"minutes": 5, "breathing": True}}
NIGHT = {"id": "x", "night": "2026-03-01", "bed": "23:00", "try": "23:10", "latency_min": 20,
         "awakenings": 1, "awake_min": 15, "final": "06:45", "out": "07:00", "quality": 4,
         "note": "kat"}

values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
              st.sampled_from(["", "2026-03-01", "25:99", "-1", "1e999", "NaN", "=1+1",
                               "28-3-2026 21:30", "9999-12-31T00:00", "0001-01-01",
                               "completed", "dizzy,pain", "{}", "[1,2]", "\x00"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    data: Any = {"sessions": [dict(SESSION)], "nights": [dict(NIGHT)]}
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["field", "row", "top", "drop"]))
        if not isinstance(data, dict):
            break
        if kind == "field":
            key = draw(st.sampled_from(["sessions", "nights"]))
            rows = data.get(key)
            if isinstance(rows, list) and rows and isinstance(rows[0], dict):
                field = draw(st.sampled_from(sorted(SESSION if key == "sessions" else NIGHT)))
                rows[0][field] = draw(values)
        elif kind == "row":
            key = draw(st.sampled_from(["sessions", "nights"]))
            if isinstance(data.get(key), list):
                data[key].append(draw(values))
        elif kind == "top":
            data = draw(st.one_of(values, st.just({"sessions": draw(values)}),
                                  st.just({**data, draw(st.text(max_size=8)): 1})))
        elif data:
            data.pop(draw(st.sampled_from(sorted(data))))
    text = json.dumps(data, allow_nan=True)
    raw = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))
    return _bytes(draw, raw)


def _bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        raw = raw[:at] + draw(st.binary(max_size=3)) + raw[at + draw(st.integers(0, 3)):]
    return raw


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    row = dict(draw(st.sampled_from([SESSION, NIGHT])))
    row["options"] = json.dumps(row.get("options", {}))
    for _ in range(draw(st.integers(0, 3))):
        field = draw(st.sampled_from(sorted(row)))
        if draw(st.booleans()):
            row[field] = str(draw(values))
        else:
            row.pop(field)
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    writer = csv.DictWriter(out, fieldnames=list(row), delimiter=delimiter)
    writer.writeheader()
    for _ in range(draw(st.integers(0, 3))):
        writer.writerow(row)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return _bytes(draw, out.getvalue().encode(encoding, errors="replace"))


def _import_never_crashes(home: Path, content: bytes, suffix: str) -> None:
    path = home / f"fuzz{suffix}"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{type(result.exception).__name__}: {result.exception}"
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"ontspan: {path}"), result.stderr
        return
    exported = home / "back.json"
    assert CliRunner().invoke(cli, ["export", "-o", str(exported)]).exit_code == 0
    again = CliRunner().invoke(cli, ["import", str(exported)])
    assert again.exit_code == 0 and " 0 sessions and 0 nights added" in again.stdout


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(json_files())
def test_mutated_json_imports_or_says_why(ontspan_home: Path, content: bytes) -> None:
    _import_never_crashes(ontspan_home, content, ".json")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(csv_files())
def test_mutated_csv_imports_or_says_why(ontspan_home: Path, content: bytes) -> None:
    _import_never_crashes(ontspan_home, content, ".csv")
