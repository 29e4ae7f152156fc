"""The journal on a real database: SQLite always, PostgreSQL when CI provides one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from click.testing import CliRunner

from ontspan.core.sleep import NightAnswers
from ontspan.interfaces.cli import cli
from ontspan.services.exchange import export, import_file
from ontspan.store.journal import Journal, SessionRecord


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


SLEEP = ["sleep", "--date", "2026-03-28", "--bed", "22:45", "--try", "23:15", "--latency", "30",
         "--awakenings", "2", "--awake", "40", "--final", "06:30", "--out", "07:00",
         "--quality", "3"]


def test_cli_records_sessions_and_nights(journal: Journal) -> None:
    code, out, err = invoke(*SLEEP)
    assert code == 0, err
    assert "6.1 h of sleep" in out and "efficiency 73.7%" in out
    code, _, err = invoke("log", "bed", "--at", "2026-03-28 22:30", "--before", "7", "--after",
                          "3", "--reaction", "dizzy")
    assert code == 0, err
    [session] = journal.sessions()
    assert (session.routine, session.state, session.tension_before, session.tension_after) == \
        ("bed", "completed", 7, 3)
    assert session.reaction == ("dizzy",)
    [night] = journal.nights()
    assert night.metrics() == {"tib_min": 495, "sol_min": 30, "waso_min": 40, "tst_min": 365,
                               "se_pct": 73.7, "nwak": 2, "early_wake_min": 30}


def test_correcting_a_night_replaces_it(journal: Journal) -> None:
    assert invoke(*SLEEP)[0] == 0
    assert invoke(*SLEEP[:-2], "--quality", "4")[0] == 0
    assert [n.answers.quality for n in journal.nights()] == [4]


def test_bad_sleep_answers_are_named(journal: Journal) -> None:
    early = ["22:00" if a == "23:15" else a for a in SLEEP]
    code, _, err = invoke(*early)
    assert code == 1 and "--try" in err and "before going to bed" in err
    code, _, err = invoke(*SLEEP[:-2], "--quality", "9")
    assert code == 1 and "--quality: 9 is not between 1 and 5" in err
    code, _, err = invoke(*SLEEP[:5])
    assert code == 1 and "--try: missing" in err
    code, _, err = invoke(*["kwart over elf" if a == "23:15" else a for a in SLEEP])
    assert code == 1 and "--try: 'kwart over elf' is not a time like 23:15" in err
    assert journal.nights() == []


def test_export_import_round_trip_is_idempotent(journal: Journal, tmp_path: Path) -> None:
    journal.add_session(SessionRecord(datetime(2026, 3, 1, 21, 0), "bed", "stopped",
                                      {"minutes": 5}, 300_000, 120_000, 6, 5, ("restless",),
                                      "te onrustig"))
    journal.save_night(NightAnswers(date(2026, 3, 1), clock(23), clock(23, 10), 20, 1, 15,
                                    clock(6, 45), clock(7), 4))
    for fmt, name in (("json", "e.json"), ("csv", "e.csv")):
        written = export(journal, tmp_path / name, fmt)
        assert all(p.exists() for p in written)
    data = json.loads((tmp_path / "e.json").read_text())
    assert data["sessions"][0]["state"] == "stopped"
    assert data["sessions"][0]["reaction"] == "restless"
    assert data["nights"][0]["tst_min"] == 455 - 20 - 15 and data["nights"][0]["nwak"] == 1
    assert (tmp_path / "e.sessions.csv").read_text().startswith("id,started_at,routine,state")
    before = (journal.sessions(), journal.nights())
    result = import_file(journal, tmp_path / "e.json")
    assert (result.sessions_added, result.nights_added, result.unchanged) == (0, 0, 2)
    journal.forget_all()
    assert import_file(journal, tmp_path / "e.json").sessions_added == 1
    assert import_file(journal, tmp_path / "e.json").sessions_added == 0
    journal.forget_all()
    import_file(journal, tmp_path / "e.sessions.csv")
    import_file(journal, tmp_path / "e.nights.csv")
    assert (journal.sessions(), journal.nights()) == before


def test_bad_import_names_row_and_field(journal: Journal, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sessions.csv"
    bad.write_text("id,started_at,routine,state,tension_before\n"
                   "a,2026-03-01T21:00,bed,completed,4\n"
                   "b,2026-03-02T21:00,bed,completed,eleven\n")
    code, _, err = invoke("import", str(bad))
    assert code == 1
    assert f"{bad}: row 3: tension_before: 'eleven' is not a whole number" in err
    assert journal.sessions() == [], "nothing is saved from a file with a bad row"
    broken = tmp_path / "x.json"
    broken.write_text('{"sessions": [\n{"started_at": "2026-03-01T21:00", "routine": "bed", '
                      '"state": "half"}]}')
    code, _, err = invoke("import", str(broken))
    assert code == 1 and "sessions[0]: state: 'half' is not one of completed, stopped" in err


def test_forget_asks_first(journal: Journal) -> None:
    assert invoke(*SLEEP)[0] == 0
    code, _, _ = invoke("forget", "--all", input="n\n")
    assert code == 1 and len(journal.nights()) == 1
    code, _out, _ = invoke("forget", "--all", input="y\n")
    assert code == 0 and journal.nights() == []


WRITER = """
import sys
from datetime import datetime
from ontspan.store.journal import Journal, SessionRecord
j = Journal.open()
i = 0
while True:
    j.add_session(SessionRecord(datetime(2026, 1, 1), "bed", "completed", note=str(i)))
    print(i, flush=True)
    i += 1
"""


def test_killed_mid_write_loses_nothing_committed(ontspan_home: Path) -> None:
    seed = Journal.open()
    seed.add_session(SessionRecord(datetime(2025, 12, 31), "standaard", "completed", note="eerst"))
    seed.engine.dispose()
    proc = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    assert proc.stdout is not None
    confirmed = -1
    deadline = time.monotonic() + 30
    while confirmed < 40 and time.monotonic() < deadline:
        confirmed = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    db = ontspan_home / "journal.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after = Journal.open()
    notes = [s.note for s in after.sessions()]
    after.engine.dispose()
    assert "eerst" in notes
    saved = {int(n) for n in notes if n.isdigit()}
    assert set(range(confirmed + 1)) <= saved, "every write the writer saw commit is there"


def test_insights_say_what_the_source_says(journal: Journal, tmp_path: Path) -> None:
    today = date.today()
    start = today - timedelta(days=35)
    # A week of diary before practice, then practice every evening, sleep unchanged.
    for d in range(42):
        day = start - timedelta(days=7) + timedelta(days=d)
        journal.save_night(NightAnswers(day, clock(23), clock(23, 15), 40 + d % 3, 1, 20,
                                        clock(6, 30), clock(7), 3))
        if day >= start:
            journal.add_session(SessionRecord(datetime.combine(day, clock(22, 15)), "bed",
                                              "completed", tension_before=6, tension_after=4))
    code, out, err = invoke("insights", "--plot", str(tmp_path / "i.png"), "--lang", "nl")
    assert code == 0, err
    assert "gemiddeld 2 punt lager" in out
    assert "huisarts of therapeut" in out, "four weeks without change: see the GP"
    assert "Dit is geen bewijs" in out or "te weinig nachten" in out
    assert (tmp_path / "i.png").read_bytes()[:4] == b"\x89PNG"
    code, out, _ = invoke("insights", "--lang", "en")
    assert "Skipping a day is fine" in out


def test_the_chart_of_years_shows_the_last_half_year(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Two years of practice: the chart draws the last 26 weeks (quick, readable on a phone),
    # while the words of the insight still weigh everything.
    from ontspan.services.insights import build_insight, plot

    monkeypatch.setenv("ONTSPAN_HOME", str(tmp_path / "home"))
    j = Journal.open()
    first = date(2024, 6, 3)  # a Monday
    j.merge([SessionRecord(datetime.combine(first + timedelta(days=d), clock(21)), "bed",
                           "completed", tension_before=6, tension_after=3)
             for d in range(0, 910, 3)], [])
    today = date(2026, 11, 30)
    ins = build_insight(j, today)
    assert len(ins.weeks) > 100
    svg = tmp_path / "chart.svg"
    plot(ins, j, svg, "nl")
    text = svg.read_text(encoding="utf-8")
    assert "03-06" not in text, "the first week, two years back, is not drawn"
    assert "08-06" in text and "30-11" in text, "the last 26 weeks are"
    j.engine.dispose()
