"""A fast start is about what a command imports and opens: checked as behaviour, not time
(benchmarks/startup.py measures the time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("sqlalchemy", "alembic", "numpy", "scipy", "matplotlib")

RUN = """
import sys, json
from ontspan.interfaces.cli import cli
try:
    cli({args!r}, prog_name="ontspan")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def heavy_imports(*args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", RUN.format(args=list(args), heavy=HEAVY)],
                         capture_output=True, text=True, env=dict(os.environ), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_cli_module_imports_nothing_heavy() -> None:
    assert heavy_imports("--help") == []


def test_show_and_today_read_the_journal_without_an_engine(ontspan_home: Path) -> None:
    # A new data folder: reading makes no journal. The first run makes the voice's lines
    # (audio work); after that their lengths are known without it.
    subprocess.run([sys.executable, "-m", "ontspan", "show", "bed"], check=True,
                   capture_output=True)
    assert not (ontspan_home / "journal.sqlite3").exists()
    assert heavy_imports("show", "bed") == []
    # With a journal holding a safety profile and a session: read, still without SQLAlchemy,
    # and the profile is applied.
    subprocess.run([sys.executable, "-m", "ontspan", "intake", "--pain", "neck", "--heart-lung",
                    "no", "--trauma", "no", "--therapist", "no"], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "ontspan", "log", "bed"], check=True,
                   capture_output=True)
    shown = subprocess.run([sys.executable, "-m", "ontspan", "show", "bed", "--lang", "en"],
                           check=True, capture_output=True, text=True).stdout
    assert "your neck only relaxed without tensing" in shown
    assert heavy_imports("show", "bed", "--lang", "en") == []
    assert heavy_imports("today") == []
    today = subprocess.run([sys.executable, "-m", "ontspan", "today", "--lang", "en"],
                           check=True, capture_output=True, text=True).stdout
    assert "Bed (completed)" in today


def test_another_database_is_read_through_the_journal(ontspan_home: Path) -> None:
    url = f"sqlite:///{ontspan_home / 'elsewhere.sqlite3'}"
    env = {**os.environ, "ONTSPAN_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "ontspan", "log", "bed"], check=True, env=env,
                   capture_output=True)
    today = subprocess.run([sys.executable, "-m", "ontspan", "today", "--lang", "en"], env=env,
                           check=True, capture_output=True, text=True).stdout
    assert "Bed (completed)" in today
    assert not (ontspan_home / "journal.sqlite3").exists()
