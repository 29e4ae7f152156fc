"""Plans and reminders: the .ics a calendar imports gives exactly the planned moments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from click.testing import CliRunner
from dateutil.rrule import rrulestr

from ontspan.interfaces.cli import cli
from ontspan.services.planning import build_plan, ics

AMS = ZoneInfo("Europe/Amsterdam")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def occurrences(data: bytes, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
    cal = icalendar.Calendar.from_ical(data)
    found = []
    for event in cal.walk("VEVENT"):
        assert event.walk("VALARM"), "every moment has a reminder"
        dtstart = event.decoded("dtstart")
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=dtstart)
        for when in rule.between(start, end, inc=True):
            found.append((str(event["uid"]), when))
    return sorted(found, key=lambda x: x[1])


def test_ics_across_daylight_saving() -> None:
    # 2026-03-29: clocks go forward in Amsterdam. Four weeks around it.
    plan = build_plan(None, ("mon,wed,fri@19:00",), ("standaard",), "Europe/Amsterdam")
    night = build_plan("22:30", (), ("bed",), "Europe/Amsterdam")
    plan = replace(plan, moments=plan.moments + night.moments)
    start = datetime(2026, 3, 16, 8, 0, tzinfo=AMS)
    end = start + timedelta(weeks=4)
    found = occurrences(ics(plan, "nl", start), start, end)
    weekly = [w for uid, w in found if uid == "moment-1@ontspan.plan"]
    daily = [w for uid, w in found if uid == "moment-2@ontspan.plan"]
    assert len(weekly) == 12 and len(daily) == 28
    assert {w.weekday() for w in weekly} == {0, 2, 4}
    assert all((w.hour, w.minute) == (19, 0) for w in weekly), "local time holds across DST"
    assert all((w.hour, w.minute) == (22, 30) for w in daily)
    offsets = {w.utcoffset() for w in daily}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    assert daily[0].date() == date(2026, 3, 16)


def test_plan_command_writes_ics_with_stable_uids(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    code, out, err = invoke("plan", "--daily", "18:00,22:30", "--tz", "Europe/Amsterdam",
                            "--ics", str(target))
    assert code == 0, err
    assert "18:00  every day: Standard" in out and "22:30  every day: Bed" in out
    first = icalendar.Calendar.from_ical(target.read_bytes())
    code, _, err = invoke("plan", "--daily", "18:30,22:00", "--ics", str(target))
    assert code == 0, err
    second = icalendar.Calendar.from_ical(target.read_bytes())
    uids = lambda cal: sorted(str(e["uid"]) for e in cal.walk("VEVENT"))  # noqa: E731
    assert uids(first) == uids(second)
    assert first.walk("VTIMEZONE")[0]["tzid"] == "Europe/Amsterdam"
    code, out, _ = invoke("today")
    assert code == 0 and "ontspan practice" in out


def test_bad_times_and_days() -> None:
    code, _, err = invoke("plan", "--daily", "25:00")
    assert code == 1 and "--daily: '25:00' is not a time like 21:30" in err
    code, _, err = invoke("plan", "--weekly", "mon,funday@19:00")
    assert code == 1 and "--weekly: 'funday' is not a day" in err
    code, _, err = invoke("plan", "--weekly", "mon")
    assert code == 1 and "write days@time" in err
    code, _, err = invoke("plan", "--daily", "19:00", "--routine", "yoga")
    assert code == 1 and "unknown routine 'yoga'" in err
    code, _, err = invoke("plan", "--daily", "19:00", "--tz", "Mars/Olympus")
    assert code == 1 and "unknown time zone" in err


def test_insights_measure_against_the_plan() -> None:
    assert invoke("plan", "--weekly", "mon,wed,fri@19:00")[0] == 0
    assert invoke("log", "standaard")[0] == 0
    code, out, _ = invoke("insights", "--lang", "en")
    assert code == 0 and "(plan: 3)" in out
