"""Building a practice plan from what a person typed, and exporting it as a calendar."""

from __future__ import annotations

from datetime import datetime

from ontspan.core.i18n import _
from ontspan.core.plan import DAYS, Moment, PracticePlan, default_routine

ICAL_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA",
             "sun": "SU"}


def check_time(option: str, value: str) -> str:
    """'21:30' from 21:30, 21.30, 21 uur, 21h30."""
    from ontspan.core.errors import OntspanError
    from ontspan.core.reading import clock

    found = clock(value)
    if found is None:
        raise OntspanError(_("{option}: {value} is not a time like 21:30", option=option,
                             value=repr(value)))
    return f"{found[0]:02d}:{found[1]:02d}"


def parse_days(option: str, value: str) -> list[str]:
    from ontspan import library
    from ontspan.core.errors import OntspanError
    from ontspan.core.i18n import join, weekday_names
    from ontspan.core.reading import fold

    words = library.weekday_words()
    days: list[str] = []
    for raw in value.replace(" ", ",").split(","):
        if not raw.strip():
            continue
        index = words.get(fold(raw).rstrip("."))
        if index is None:
            raise OntspanError(_("{option}: {value} is not a day; use {days}", option=option,
                                 value=repr(raw.strip()), days=join(weekday_names())))
        day = DAYS[index]
        if day not in days:
            days.append(day)
    return sorted(days, key=DAYS.index)


def build_plan(daily: str | None, weekly: tuple[str, ...], routines: tuple[str, ...],
               tz: str) -> PracticePlan:
    from ontspan import library
    from ontspan.core.errors import OntspanError

    slots: list[tuple[tuple[str, ...], str]] = []
    if daily:
        for value in daily.split(","):
            slots.append((DAYS, check_time("--daily", value)))
    for item in weekly:
        if "@" not in item:
            raise OntspanError(_("--weekly: {item}: write days@time, e.g. mon,wed,fri@19:00",
                                 item=repr(item)))
        day_list, at = item.split("@", 1)
        slots.append((tuple(parse_days("--weekly", day_list)), check_time("--weekly", at)))
    if not slots:
        raise OntspanError(_("give --daily HH:MM[,HH:MM] or --weekly days@HH:MM"))
    if len(routines) not in (0, 1, len(slots)):
        raise OntspanError(_("--routine: give one routine for all moments or one per moment "
                             "({n})", n=len(slots)))
    moments: list[Moment] = []
    for i, (on_days, at) in enumerate(slots):
        name = routines[0] if len(routines) == 1 else routines[i] if routines else None
        routine = library.find(name).id if name else default_routine(int(at[:2]))
        moments.append(Moment(at, on_days, routine))
    check_zone(tz)
    return PracticePlan(tuple(moments), tz)


def rapid_routine() -> str:
    """The routine of the path's first stage that takes under a minute (rapid relaxation)."""
    from ontspan import library

    return next(s.routines[0] for s in library.learning_path().stages if s.length_s[1] < 60)


def with_rapid(plan: PracticePlan | None, times: str, tz: str) -> PracticePlan:
    """The plan with rapid-relaxation moments every day at `times` (replacing earlier ones):
    short reminders to relax for half a minute at everyday moments (Öst 1987)."""
    routine = rapid_routine()
    kept = tuple(m for m in plan.moments if m.routine != routine) if plan else ()
    new = tuple(Moment(check_time("--rapid", v), DAYS, routine) for v in times.split(","))
    return PracticePlan(kept + new, plan.tz if plan else tz)


def check_zone(tz: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from ontspan.core.errors import OntspanError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise OntspanError(_("--tz: unknown time zone {tz}, e.g. Europe/Amsterdam",
                             tz=repr(tz))) from None


def local_zone() -> str:
    import os
    from pathlib import Path

    if os.environ.get("TZ"):
        return os.environ["TZ"].lstrip(":")
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def ics(plan: PracticePlan, lang: str, start: datetime) -> bytes:
    """An iCalendar file (RFC 5545): one repeating event per moment with a reminder."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    import icalendar

    from ontspan import library

    zone = ZoneInfo(plan.tz)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//ontspan//practice plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "ontspan")
    title = _("Relaxation practice")
    for i, moment in enumerate(plan.moments):
        hh, mm = divmod(moment.minute_of_day, 60)
        first = start.date()
        while DAYS[first.weekday()] not in moment.days:
            first += timedelta(days=1)
        event = icalendar.Event()
        # Stable per moment: importing an updated plan replaces instead of duplicating.
        event.add("uid", f"moment-{i + 1}@ontspan.plan")
        event.add("dtstamp", start.astimezone(ZoneInfo("UTC")))
        event.add("dtstart", datetime(first.year, first.month, first.day, hh, mm, tzinfo=zone))
        routine = library.find(moment.routine)
        stage = library.learning_path().stage_of(moment.routine)
        if stage is not None and stage.length_s[1] < 60:
            # A rapid-relaxation moment: a short reminder that says what to do.
            event.add("duration", timedelta(minutes=1))
            event.add("summary", library.phrases()("plan.rapid", lang))
            event.add("description", library.phrases()("plan.rapid_how", lang))
        else:
            event.add("duration", timedelta(minutes=10))
            event.add("summary", f"{title}: {routine.name(lang)}")
            event.add("description", f"ontspan practice {moment.routine}")
        if moment.every_day:
            event.add("rrule", {"freq": "daily"})
        else:
            event.add("rrule", {"freq": "weekly",
                                "byday": [ICAL_DAYS[d] for d in moment.days]})
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", str(event["summary"]))
        alarm.add("trigger", timedelta(minutes=0))
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
