"""The journal at scale (run: .venv/bin/python benchmarks/journal.py).

Two journals: five years of one person (about 3,650 sessions and 1,825 nights) and 20,000
sessions. For each, warm (second run, in one process): `ontspan journal`, `ontspan insights`
and the web Journal page, in milliseconds and as a ratio to the aim of 200 ms."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock

AIM_MS = 200.0


def fill(sessions: int, nights: int) -> None:
    from ontspan.core.sleep import NightAnswers
    from ontspan.store.journal import Journal, SessionRecord

    today = date.today()
    days = max(nights, 5 * 365)  # two sessions a day over five years, more on busy days
    first = today - timedelta(days=days)
    per_day = -(-sessions // days)
    records = []
    for i in range(sessions):
        day = first + timedelta(days=i // per_day)
        at = datetime.combine(day, clock(7 + (i % per_day) * 14 // per_day, 15))
        records.append(SessionRecord(at, "bed" if i % 2 else "standaard",
                                     "completed" if i % 7 else "stopped",
                                     {"minutes": 5}, 300_000, 290_000, 6 - i % 3, 3 - i % 2,
                                     note=f"notitie {i}"))
    diary = [NightAnswers(today - timedelta(days=nights - i), clock(23), clock(23, 15),
                          10 + i % 40, i % 3, 10 * (i % 3), clock(6, 30), clock(7), 1 + i % 5)
             for i in range(nights)]
    journal = Journal.open()
    journal.merge(records, diary)
    journal.engine.dispose()


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    action()  # warm: imports, caches, the database file in the page cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(label: str, sessions: int, nights: int) -> None:
    from click.testing import CliRunner
    from starlette.testclient import TestClient

    from ontspan.interfaces.cli import cli
    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    with tempfile.TemporaryDirectory() as home:
        os.environ["ONTSPAN_HOME"] = home
        fill(sessions, nights)

        def run(*args: str) -> None:
            result = CliRunner().invoke(cli, list(args))
            assert result.exit_code == 0, result.output

        journal = Journal.open()
        with TestClient(create_app(journal), base_url="http://127.0.0.1") as client:
            def page() -> None:
                assert client.get("/journal").status_code == 200

            def chart() -> None:
                assert client.get("/insights.svg").status_code == 200

            rows = [("ontspan journal", timed(lambda: run("journal"))),
                    ("ontspan insights", timed(lambda: run("insights"))),
                    ("web Journal page", timed(page)),
                    ("web chart (SVG)", timed(chart, repeat=1))]
        journal.engine.dispose()
    print(f"\n{label} ({sessions:,} sessions, {nights:,} nights)")
    for name, ms in rows:
        print(f"  {name:<18} {ms:7.0f} ms  {ms / AIM_MS:5.2f}x the aim")


def main() -> None:
    print(f"python {sys.version.split()[0]}, aim {AIM_MS:.0f} ms warm (ratio <= 1.00 meets it)")
    measure("five years of one person", 3650, 1825)
    measure("a large journal", 20_000, 1825)


if __name__ == "__main__":
    main()
