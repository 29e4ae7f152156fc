"""Records are safe: imports go in whole or not at all, never overwrite silently, and whatever
goes in by any way (CLI, web, import) comes out in an export that imports back. SQLite and
PostgreSQL alike."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from ontspan.core.records import neutralise_formula, restore_formula
from ontspan.core.sleep import NightAnswers
from ontspan.interfaces.cli import cli
from ontspan.services.exchange import export, import_file
from ontspan.store import schema
from ontspan.store.journal import InvalidRecord, Journal, SessionRecord


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


NIGHT = NightAnswers(date(2026, 3, 1), clock(23), clock(23, 10), 20, 1, 15, clock(6, 45),
                     clock(7), 4, "mijn eigen notitie")


# -- all or nothing -------------------------------------------------------------------------

def _big_export(path: Path, count: int) -> None:
    start = datetime(2021, 1, 1, 21, 0)
    sessions = [{"id": str(uuid.uuid4()), "started_at": (start + timedelta(hours=i)).isoformat(),
                 "routine": "bed", "state": "completed", "note": f"n{i}"} for i in range(count)]
    nights = [{"night": (date(2021, 1, 1) + timedelta(days=i)).isoformat(), "bed": "23:00",
               "try": "23:10", "latency_min": 20, "awakenings": 0, "awake_min": 0,
               "final": "06:50", "out": "07:00", "quality": 3} for i in range(1500)]
    path.write_text(json.dumps({"sessions": sessions, "nights": nights}))


def _counts(j: Journal) -> tuple[int, int]:
    with j.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(schema.sessions)).scalar_one(),
                conn.execute(select(func.count()).select_from(schema.nights)).scalar_one())


def _writing(j: Journal, home: Path) -> bool:
    """Is the import process writing right now (rows on their way, not yet committed)?"""
    if j.engine.dialect.name == "postgresql":
        with j.engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                "AND query ILIKE 'INSERT INTO sessions%'")).scalar_one())
    wal = home / "journal.sqlite3-wal"
    return wal.exists() and wal.stat().st_size > 100_000


@pytest.mark.parametrize("kill_when", ["writing", "early"])
def test_a_killed_import_leaves_all_or_nothing(journal: Journal, tmp_path: Path,
                                               ontspan_home: Path, kill_when: str) -> None:
    big = tmp_path / "big.json"
    _big_export(big, 20_000)
    proc = subprocess.Popen([sys.executable, "-m", "ontspan", "import", str(big)],
                            env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    seen_writing = False
    while proc.poll() is None and time.monotonic() < deadline:
        if kill_when == "early" and time.monotonic() > deadline - 59.5:
            break
        if _writing(journal, ontspan_home):
            seen_writing = True
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(0.2)  # PostgreSQL notices the lost client and rolls back
    assert _counts(journal) in ((0, 0), (20_000, 1500)), "all of it or none of it"
    if kill_when == "writing" and journal.engine.dialect.name == "postgresql":
        assert seen_writing and _counts(journal) == (0, 0), "killed mid-INSERT: none of it"
    code, _, err = invoke("import", str(big))
    assert code == 0, err
    assert _counts(journal) == (20_000, 1500)


def test_a_bad_row_anywhere_saves_nothing(journal: Journal, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    _big_export(big, 300)
    data = json.loads(big.read_text())
    data["nights"][-1]["quality"] = 9
    big.write_text(json.dumps(data))
    code, _, err = invoke("import", str(big))
    assert code == 1
    assert one_line(err) == f"ontspan: {big}: nights[1499]: quality: 9 is not between 1 and 5"
    assert _counts(journal) == (0, 0)


# -- conflicts, BOM, duplicates --------------------------------------------------------------

def test_import_never_overwrites_a_night_silently(journal: Journal, tmp_path: Path) -> None:
    old = NightAnswers(NIGHT.night, clock(22), clock(22, 30), 60, 3, 90, clock(5), clock(8), 1,
                       "oude export")
    journal.save_night(old)
    export(journal, tmp_path / "old.json", "json")
    journal.forget_all()
    journal.save_night(NIGHT)  # the person's own, later entry
    code, out, err = invoke("import", str(tmp_path / "old.json"))
    assert code == 0, err
    assert "1 different" in out and "0 sessions and 0 nights added" in out
    assert one_line(err) == (f"{tmp_path / 'old.json'}: the night of 2026-03-01 is already in "
                             "your journal with other answers: yours is kept (--replace takes "
                             "the file's)")
    [night] = journal.nights()
    assert (night.answers.quality, night.answers.note) == (4, "mijn eigen notitie")
    code, out, err = invoke("import", "--replace", str(tmp_path / "old.json"))
    assert code == 0 and "replaced by the file's" in err
    assert [n.answers for n in journal.nights()] == [old]


def test_a_session_with_the_same_id_and_other_values_is_kept(journal: Journal,
                                                              tmp_path: Path) -> None:
    mine = journal.add_session(SessionRecord(datetime(2026, 3, 1, 21), "bed", "completed",
                                             tension_before=6, tension_after=2))
    path = tmp_path / "e.json"
    export(journal, path, "json")
    data = json.loads(path.read_text())
    data["sessions"][0]["tension_after"] = 5
    path.write_text(json.dumps(data))
    result = import_file(journal, path)
    assert (result.sessions_added, result.unchanged, len(result.conflicts)) == (0, 0, 1)
    assert journal.sessions() == [mine]


def test_excel_byte_order_mark_does_not_add_rows_again(journal: Journal, tmp_path: Path) -> None:
    journal.add_session(SessionRecord(datetime(2026, 3, 1, 21), "bed", "completed", note="één"))
    export(journal, tmp_path / "e.csv", "csv")
    sessions_csv = tmp_path / "e.sessions.csv"
    excel = tmp_path / "excel.csv"  # Excel's "CSV UTF-8" starts with a byte-order mark
    excel.write_bytes(b"\xef\xbb\xbf" + sessions_csv.read_bytes())
    for _ in range(2):
        code, out, err = invoke("import", str(excel))
        assert code == 0, err
        assert "0 sessions and 0 nights added, 1 already there" in out
    assert len(journal.sessions()) == 1


def test_duplicate_ids_inside_one_file(journal: Journal, tmp_path: Path) -> None:
    row = "a1,2026-03-01T21:00:00,bed,completed,{note}\n"
    same = tmp_path / "same.csv"
    same.write_text("id,started_at,routine,state,note\n" + row.format(note="x") * 2)
    code, out, err = invoke("import", str(same))
    assert code == 0, err
    assert "1 sessions and 0 nights added" in out, "a repeated row counts once"
    other = tmp_path / "other.csv"
    other.write_text("id,started_at,routine,state,note\n" + row.format(note="x")
                     + row.format(note="y"))
    code, _, err = invoke("import", str(other))
    assert code == 1
    assert one_line(err) == (f"ontspan: {other}: row 3: the same id as {other}: row 2, but with "
                             "other content")
    assert [s.note for s in journal.sessions()] == ["x"]


# -- files from elsewhere (issue 10, section 4) ---------------------------------------------

def test_csv_from_excel_on_a_dutch_windows_computer(journal: Journal, tmp_path: Path) -> None:
    excel = tmp_path / "dagboek.csv"
    excel.write_bytes("id;started_at;routine;state;tension_before;note\n"
                      "x1;28-3-2026 21:30;bed;completed;6;één café, rustig\n"
                      "x2;2026-03-29T21:30:00;bed;stopped;;\n".encode("cp1252"))
    code, out, err = invoke("import", str(excel))
    assert code == 0, err
    assert "2 sessions" in out
    first, second = journal.sessions()
    assert (first.started_at, first.note, first.tension_before) == \
        (datetime(2026, 3, 28, 21, 30), "één café, rustig", 6)
    assert second.state == "stopped"
    nights = tmp_path / "nachten.csv"
    nights.write_bytes("night;bed;try;latency_min;awakenings;awake_min;final;out;quality;note\r\n"
                       "1-3-2026;23:00;23:10;20;1;15;06:45;07:00;4;wakker door de kat\r\n"
                       .encode("cp1252"))
    assert invoke("import", str(nights))[0] == 0
    assert [n.answers.note for n in journal.nights()] == ["wakker door de kat"]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"foo": 1}', 'not an ontspan export: expected {"sessions": [...], "nights": [...]}'),
    (b'{"sessions": [1]}', 'sessions[0]: expected a session: {"started_at": ..., '
                           '"routine": ..., "state": ...}'),
    (b'{"sessions": [{"started_at": "2026-03-01T21:00", "routine": "bed", "state": "completed",'
     b' "options": [1, 2]}]}', 'sessions[0]: options: expected names with values, like '
                               '{"minutes": 10}'),
    (b'{"sessions": [{"started_at": "2026-03-01T21:00", "routine": "bed", "state": "completed",'
     b' "options": {"minutes": Infinity}}]}',
     "sessions[0]: options: minutes: only text, a finite number, true/false or empty"),
    (b'{"sessions": [], "extra": []}', '"extra" is not part of an ontspan export'),
    (b'{"sessions": [], "\\r": 1}', '"\\r" is not part of an ontspan export'),
    (b'{"nights": {"night": "2026-03-01"}}', "nights: expected a list [...]"),
    (b'[1, 2]', 'not an ontspan export'),
    (b'{"sessions": [{"started_at": "0001-01-01T00:00", "routine": "bed", "state": "completed"}]}',
     "sessions[0]: started_at: 0001-01-01 is before 2000-01-01; is the year right?"),
    (b'{"nights": [{"night": "9999-12-31", "bed": "23:00", "try": "23:10", "latency_min": 20, '
     b'"final": "06:50", "out": "07:00", "quality": 3}]}',
     "nights[0]: night: 9999-12-31 is in the future; is the date right?"),
    (b'{"sessions": [{"started_at": "2026-03-01T21:00", "routine": "bed", "state": "completed",'
     b' "planned_ms": 1e999}]}', "sessions[0]: planned_ms: inf is not a whole number"),
    (b"\x81\x8d\x8f", "not text in UTF-8 or the Windows encoding (cp1252), byte 0"),
])
def test_files_that_are_not_exports_are_refused_by_name(
        journal: Journal, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    code, out, err = invoke("import", str(path))
    assert code == 1, out
    line = one_line(err)
    assert line.startswith(f"ontspan: {path}: ") and message in line
    assert _counts(journal) == (0, 0)


def test_messages_speak_dutch_too(journal: Journal, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    path = tmp_path / "x.json"
    path.write_text('{"foo": 1}')
    code, _, err = invoke("import", str(path))
    assert code == 1 and "geen export van ontspan" in err


# -- one check for every way in; the same limits on both databases ---------------------------

@pytest.mark.parametrize(("change", "field"), [
    ({"routine": "r" * 101}, "routine: 101 characters, 100 fit"),
    ({"id": "i" * 37}, "id: 37 characters, 36 fit"),
    ({"note": "a\x00b"}, "note: contains a NUL character"),
    ({"planned_ms": -5}, "planned_ms: -5 is not between 0"),
    ({"options": {"minutes": float("inf")}}, "options: minutes: only text, a finite number"),
    ({"started_at": datetime(1, 1, 1)}, "started_at: 0001-01-01 is before 2000-01-01"),
    ({"started_at": datetime.now() + timedelta(days=400)}, "is in the future"),
])
def test_the_journal_refuses_what_either_database_would(
        journal: Journal, change: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"started_at": datetime(2026, 3, 1, 21), "routine": "bed",
                               "state": "completed"}
    with pytest.raises(InvalidRecord, match=re.escape(field)):
        journal.add_session(SessionRecord(**{**base, **change}))  # type: ignore[arg-type]
    assert journal.sessions() == []
    longest = SessionRecord(datetime(2026, 3, 1, 21), "r" * 100, "completed", id="i" * 36,
                            note="lang " * 1999)
    journal.add_session(longest)
    assert journal.sessions() == [longest], "the limits themselves fit on both databases"


def test_the_cli_refuses_a_night_far_away_in_one_line(journal: Journal) -> None:
    code, _, err = invoke("sleep", "--date", "9999-12-31", "--bed", "22:45", "--try", "23:15",
                          "--latency", "30", "--awakenings", "0", "--awake", "0", "--final", "06:30", "--out",
                          "07:00", "--quality", "3")
    assert code == 1 and "9999-12-31 is in the future" in one_line(err)


# -- removing one record ---------------------------------------------------------------------

def test_remove_one_night_or_one_session(journal: Journal) -> None:
    journal.save_night(NIGHT)
    other = NightAnswers(date(2026, 3, 2), clock(23), clock(23, 10), 20, 0, 0, clock(6, 45),
                         clock(7), 3)
    journal.save_night(other)
    kept = journal.add_session(SessionRecord(datetime(2026, 3, 1, 21), "bed", "completed"))
    gone = journal.add_session(SessionRecord(datetime(2026, 3, 2, 21), "bed", "stopped"))
    code, out, err = invoke("remove", "--night", "2026-03-01")
    assert code == 0 and out.strip() == "night of 2026-03-01 removed", err
    assert [n.answers for n in journal.nights()] == [other]
    code, out, _ = invoke("remove", "--session", gone.id)
    assert code == 0 and "session of 2026-03-02 21:00 (bed) removed" in out
    assert journal.sessions() == [kept]
    code, _, err = invoke("remove", "--night", "2026-03-01")
    assert code == 1 and "no night of 2026-03-01" in one_line(err)
    code, _, err = invoke("remove", "--session", "nope")
    assert code == 1 and "no session with id nope" in one_line(err)
    assert invoke("remove")[0] == 1


# -- CSV formula injection -------------------------------------------------------------------

@pytest.mark.parametrize("note", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1",
                                  "'=already", "''", "'plain", "plain", "", "'"])
def test_formula_neutralising_is_undone_on_import(note: str) -> None:
    out = neutralise_formula(note)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_formula(out) == note


def test_csv_export_neutralises_formulas_and_imports_back(journal: Journal,
                                                          tmp_path: Path) -> None:
    record = journal.add_session(SessionRecord(datetime(2026, 3, 1, 21), "=cmd|' /C calc'!A0",
                                               "completed", note="@SUM(1+1)"))
    export(journal, tmp_path / "e.csv", "csv")
    written = (tmp_path / "e.sessions.csv").read_text()
    assert ",'=cmd|" in written and ",'@SUM(1+1)" in written
    journal.forget_all()
    import_file(journal, tmp_path / "e.sessions.csv")
    assert journal.sessions() == [record]


# -- whatever goes in comes back out ---------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ontspan.core.safety import REACTIONS  # noqa: E402

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=60)
_option = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), _text)
sessions = st.builds(
    SessionRecord,
    started_at=st.datetimes(datetime(2000, 1, 1), datetime.now().replace(microsecond=0)),
    routine=_text.filter(str.strip), state=st.sampled_from(["completed", "stopped"]),
    options=st.dictionaries(_text, _option, max_size=4),
    planned_ms=st.integers(0, 10**9), practiced_ms=st.integers(0, 10**9),
    tension_before=st.none() | st.integers(0, 10), tension_after=st.none() | st.integers(0, 10),
    reaction=st.lists(st.sampled_from(REACTIONS), max_size=3, unique=True).map(tuple),
    note=_text, source=st.sampled_from(["practice", "log", "web"]),
    id=st.one_of(st.uuids().map(str), st.text("abcXYZ-=+@ '19", min_size=1, max_size=36)
                 .filter(str.strip)),
)


@st.composite
def nights(draw: st.DrawFn) -> NightAnswers:
    day = draw(st.dates(date(2000, 1, 1), date.today() - timedelta(days=1)))
    bed = datetime.combine(day, clock(20)) + timedelta(minutes=draw(st.integers(0, 300)))
    tried = bed + timedelta(minutes=draw(st.integers(0, 60)))
    latency, awakenings = draw(st.integers(0, 90)), draw(st.integers(0, 5))
    awake = draw(st.integers(0, 90)) if awakenings else 0
    final = tried + timedelta(minutes=latency + awake + draw(st.integers(1, 600)))
    out = final + timedelta(minutes=draw(st.integers(0, 90)))
    return NightAnswers(day, bed.time(), tried.time(), latency, awakenings, awake, final.time(),
                        out.time(), draw(st.integers(1, 5)), draw(_text))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(sessions, max_size=5, unique_by=lambda s: s.id),
       st.lists(nights(), max_size=5, unique_by=lambda n: n.night))
def test_every_record_the_journal_takes_exports_and_imports_back(
        journal: Journal, tmp_path: Path, made: list[SessionRecord],
        diary: list[NightAnswers]) -> None:
    journal.forget_all()
    for record in made:
        journal.add_session(record)
    for answers in diary:
        journal.save_night(answers)
    before = (journal.sessions(), journal.nights())
    for fmt in ("json", "csv"):
        written = export(journal, tmp_path / f"e.{fmt}", fmt)
        journal.forget_all()
        for path in written:
            import_file(journal, path)
        assert (journal.sessions(), journal.nights()) == before, fmt
        if fmt == "json":
            json.loads((tmp_path / "e.json").read_text(),
                       parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


def test_what_the_web_and_the_cli_make_comes_back(journal: Journal, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from ontspan.web.app import create_app

    assert invoke("log", "bed", "--at", "2026-03-28 22:30", "--minutes", "12.5", "--stopped",
                  "--before", "7", "--after", "3", "--reaction", "dizzy", "--reaction",
                  "pain", "--note", "=1+1")[0] == 0
    assert invoke("sleep", "--date", "2026-03-28", "--bed", "22:45", "--try", "23:15",
                  "--latency", "30", "--awakenings", "2", "--awake", "40", "--final", "06:30",
                  "--out", "07:00", "--quality", "3", "--note", "-kat")[0] == 0
    with TestClient(create_app(journal), base_url="http://127.0.0.1") as client:
        page = client.get("/journal").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        form = {"csrf": csrf.group(1), "routine": "bed", "planned_ms": "200000",
                "practiced_ms": "50000.7", "state": "stopped", "tension_before": "6",
                "tension_after": "", "reaction": "restless",
                "options": '{"minutes": 5.5, "breathing": true, "lang": "nl"}'}
        assert client.post("/session/record", data=form).status_code == 200
        for bad in ({"planned_ms": "-5"}, {"options": "[1, 2]"}, {"practiced_ms": "1e999"},
                    {"options": '{"minutes": 1e999}'}, {"tension_before": "11"},
                    {"options": '{"x": NaN}'}, {"options": '{"x": "' + "o" * 2000 + '"}'}):
            response = client.post("/session/record", data={**form, **bad})
            assert response.status_code == 400, bad
        night = {"csrf": csrf.group(1), "night": "2026-03-01", "bed": "23:00", "try": "23:10",
                 "latency_min": "20", "awakenings": "0", "awake_min": "0", "final": "07:00",
                 "out": "07:10", "quality": "4", "note": "@thuis"}
        assert client.post("/journal/night", data=night).status_code == 200
        far = client.post("/journal/night", data={**night, "night": "0001-01-01"})
        assert far.status_code == 400 and "before 2000-01-01" in far.text
        edited = client.post("/journal/session", data={
            "csrf": csrf.group(1), "routine": "zeven", "started_at": "2026-03-02T22:40",
            "completed": "1", "tension_before": "5", "tension_after": "2", "note": "+goed"})
        assert edited.status_code == 200
    before = (journal.sessions(), journal.nights())
    assert len(before[0]) == 3 and len(before[1]) == 2
    for fmt in ("json", "csv"):
        written = export(journal, tmp_path / f"e.{fmt}", fmt)
        journal.forget_all()
        for path in written:
            code, _, err = invoke("import", str(path))
            assert code == 0, err
        assert (journal.sessions(), journal.nights()) == before, fmt


# -- YAML that would never end -------------------------------------------------------------

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize(("name", "content", "where"), [
    ("laughs", LAUGHS, "laughs.yaml:1: b.0: anchors and aliases (& and *) are not allowed here"),
    ("self", "x: &x\n  y: *x\n", "self.yaml:1: x.y: anchors and aliases (& and *) are not allowed here"),
    ("key", "? &k [1, 2]\n: 1\n", "key.yaml:1: (document): a key must be plain text"),
    ("binary", "name:\n  nl: !!binary AAAADe\n",  # found by the routine-file fuzz test
     "binary.yaml:2: name.nl: not a valid value: failed to decode base64 data: Incorrect "
     "padding"),
])
def test_yaml_aliases_are_refused_at_once(ontspan_home: Path, name: str, content: str,
                                          where: str) -> None:
    assert len(LAUGHS) < 400
    folder = ontspan_home / "routines"
    folder.mkdir()
    (folder / f"{name}.yaml").write_text(content)
    from ontspan import library
    from ontspan.core.errors import SourceError

    started = time.perf_counter()
    with pytest.raises(SourceError):
        library.load_file(folder / f"{name}.yaml")
    assert time.perf_counter() - started < 1.0
    code, out, err = invoke("routines")
    assert code == 1 and "standaard" in out, "the other routines still list"
    assert one_line(err).endswith(f"{folder / where}")


# -- damaged, locked, full, read-only, newer, out of reach: one line each -------------------

def _filled(home: Path, sessions: int = 2000) -> None:
    j = Journal.open()
    start = datetime(2024, 1, 1, 21)
    # Fixed ids: random ones lay the pages out differently each run, and which pages the
    # damage tests break would then be chance.
    j.merge([SessionRecord(start + timedelta(hours=i), "bed", "completed", note=f"n{i} " * 5,
                           id=f"00000000-0000-4000-8000-{i:012d}")
             for i in range(sessions)],
            [NightAnswers(date(2023, 1, 1) + timedelta(days=i), clock(23), clock(23, 10), 20, 0,
                          0, clock(6, 50), clock(7), 3) for i in range(300)])
    with j.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    j.engine.dispose()


def test_a_damaged_journal_says_so_and_salvage_rescues_the_rest(ontspan_home: Path,
                                                                 tmp_path: Path) -> None:
    _filled(ontspan_home)
    db = ontspan_home / "journal.sqlite3"
    with db.open("r+b") as fh:  # the header stays, some pages in the middle break
        for page in (20, 21, 60):
            fh.seek(4096 * page + 100)
            fh.write(b"\xde\xad\xbe\xef" * 500)
    before = db.read_bytes()
    code, _, err = invoke("journal")
    assert code == 1
    assert one_line(err) == (f"ontspan: the journal {db} is damaged (database disk image is "
                             "malformed); the file is kept as it is. `ontspan salvage -o "
                             "FILE.json` writes out everything still readable")
    rescued = tmp_path / "rescued.json"
    code, out, err = invoke("salvage", "-o", str(rescued))
    assert code == 0, err
    found = re.search(r"(\d+) sessions and (\d+) nights rescued", out)
    assert found and 1900 < int(found.group(1)) < 2000 and found.group(2) == "300", out
    assert db.read_bytes() == before, "salvage only reads"
    db.rename(tmp_path / "damaged.sqlite3")
    code, out, err = invoke("import", str(rescued))
    assert code == 0 and f"{found.group(1)} sessions and 300 nights added" in out, err


def test_salvage_does_not_guess_how_much_was_lost(ontspan_home: Path, tmp_path: Path) -> None:
    # One session, and the pages that held it overwritten: the count of lost rows is unknown,
    # and salvage says so rather than reporting thousands of "missing" row numbers.
    assert invoke("log", "bed", "--at", "2026-03-01 21:00")[0] == 0
    with (ontspan_home / "journal.sqlite3").open("r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(os.urandom(4096 * 3))
    code, out, err = invoke("salvage", "-o", str(tmp_path / "rescued.json"))
    assert code == 0, err
    assert "rescued; how much the damage destroyed can no longer be told" in out, out


def _lock(home: Path) -> subprocess.Popen[str]:
    """Another program holding the journal locked (30 s), as a real second process."""
    locker = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(home / 'journal.sqlite3')!r}, isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    return locker


def test_a_journal_locked_too_long_gives_one_line(ontspan_home: Path) -> None:
    _filled(ontspan_home, 10)
    locker = _lock(ontspan_home)
    try:
        started = time.monotonic()
        code, _, err = invoke("log", "bed")
        assert time.monotonic() - started >= 4.5
        assert code == 1 and one_line(err) == (
            f"ontspan: the journal {ontspan_home / 'journal.sqlite3'} is locked by another "
            "program (waited 5 seconds); close it and try again")
        code, out, _ = invoke("journal", "--all")
        assert code == 0 and len(out.splitlines()) == 310, "reading is not blocked"
    finally:
        locker.kill()
        locker.wait()
        assert locker.stdout is not None
        locker.stdout.close()


def test_a_journal_from_a_newer_ontspan(ontspan_home: Path) -> None:
    _filled(ontspan_home, 1)
    j = Journal.open()
    with j.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'm0099'")
    j.engine.dispose()
    code, _, err = invoke("journal")
    assert code == 1 and one_line(err) == ("ontspan: this journal was made by a newer ontspan "
                                           "(journal version m0099): upgrade ontspan")


def test_postgresql_out_of_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONTSPAN_DATABASE_URL", "postgresql://ontspan:x@127.0.0.1:9/ontspan")
    code, _, err = invoke("journal")
    assert code == 1 and one_line(err) == ("ontspan: cannot reach the journal's database "
                                           "(127.0.0.1:9/ontspan): is PostgreSQL running?")


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real 2 MB file system for the data folder (needs root, as in CI)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    monkeypatch.setenv("ONTSPAN_HOME", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_gives_one_line_and_reading_still_works(small_disk: Path) -> None:
    assert invoke("log", "bed", "--at", "2026-03-01 21:00")[0] == 0
    with (small_disk / "fill").open("wb") as fh, pytest.raises(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    code, _, err = invoke("log", "bed", "--note", "x" * 5000)
    assert code == 1 and one_line(err) == ("ontspan: the disk is full: nothing was saved; "
                                           "free some space and try again")
    code, out, err = invoke("journal")
    assert code == 0 and "1 Mar 21:00  Bed" in out, err
    code, out, err = invoke("show", "bed")
    assert code == 0 and "Bed" in out, err
    (small_disk / "fill").unlink()
    assert invoke("log", "bed", "--at", "2026-03-02 21:00")[0] == 0, "space again: saving works"


def test_files_written_onto_a_full_disk_give_one_line_naming_them(small_disk: Path) -> None:
    assert invoke("log", "bed", "--at", "2026-03-01 21:00", "--note", "x" * 3000)[0] == 0
    with (small_disk / "fill").open("wb", buffering=0) as fh, pytest.raises(OSError):
        while True:
            fh.write(b"\0" * 4096)
    for args, target in ((["export", "-o"], "out.json"),
                         (["export", "--format", "csv", "-o"], "out.sessions.csv"),
                         (["render", "bed", "-o"], "bed.mp3")):
        name = target.replace(".sessions", "")
        code, _, err = invoke(*args, str(small_disk / name))
        assert code == 1 and one_line(err) == f"ontspan: {small_disk / target}: the disk is full"
    left = {p.name for p in small_disk.iterdir()}
    assert not left & {"out.json", "out.sessions.csv", "out.nights.csv", "bed.mp3"}
    assert not any(name.endswith(".partial") for name in left), "nothing half-written"


def test_a_read_only_data_folder_still_shows(small_disk: Path) -> None:
    assert invoke("log", "bed", "--at", "2026-03-01 21:00")[0] == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, out, err = invoke("journal")
    assert code == 0 and "1 Mar 21:00  Bed" in out, err
    code, out, err = invoke("show", "bed")
    assert code == 0 and "Bed" in out, err
    code, _, err = invoke("log", "bed")
    assert code == 1 and one_line(err) == (f"ontspan: the folder {small_disk} is read-only: "
                                           "ontspan cannot save anything there (looking "
                                           "still works)")


def test_the_web_app_says_what_is_wrong_with_the_journal(ontspan_home: Path) -> None:
    from starlette.testclient import TestClient

    from ontspan.web.app import create_app

    _filled(ontspan_home, 10)
    journal = Journal.open()
    locker = _lock(ontspan_home)
    try:
        with TestClient(create_app(journal), base_url="http://127.0.0.1") as client:
            page = client.get("/journal").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', page)
            assert csrf
            night = {"csrf": csrf.group(1), "night": "2026-03-01", "bed": "23:00",
                     "try": "23:10", "latency_min": "20", "awakenings": "0", "awake_min": "0",
                     "final": "07:00", "out": "07:10", "quality": "4"}
            response = client.post("/journal/night", data=night)
            assert response.status_code == 503
            assert "is locked by another program (waited 5 seconds)" in response.text
            assert "Traceback" not in response.text
    finally:
        locker.kill()
        locker.wait()
        assert locker.stdout is not None
        locker.stdout.close()
        journal.engine.dispose()


def test_what_a_killed_render_leaves_is_cleaned_up_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "lang.ogg"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ontspan", "render", "volledig", "--quiet", "-o", str(target)],
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".lang.ogg.*.partial")):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    [left] = tmp_path.glob(".lang.ogg.*.partial")
    someone_else = tmp_path / f".other.ogg.ontspan-{os.getpid()}-x.partial"
    someone_else.write_bytes(b"a write still running")
    assert invoke("export", "-o", str(tmp_path / "journal.json"))[0] == 0
    assert not left.exists(), "the killed writer's file is gone"
    assert someone_else.exists(), "a running writer's file stays"
