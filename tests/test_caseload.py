"""The therapist's glance at one client: the last two weeks, from the client's own journal."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ontspan.core.safety import WARNING_REACTIONS
from ontspan.core.sleep import NightAnswers
from ontspan.services.caseload import WINDOW_DAYS, glance
from ontspan.store.journal import Journal, SessionRecord

TODAY = date(2026, 11, 30)


def test_the_glance_counts_the_last_two_weeks_only(journal: Journal) -> None:
    def at(days_ago: int) -> datetime:
        return datetime.combine(TODAY - timedelta(days=days_ago), time(21))

    old = [SessionRecord(at(30 + i), "bed", "completed", tension_before=9, tension_after=9)
           for i in range(20)]  # a month back: outside the window, never averaged in
    recent = [SessionRecord(at(i), "bed", "completed", tension_before=6, tension_after=2)
              for i in range(7)]
    dizzy = SessionRecord(at(2), "bed", "stopped", reaction=(WARNING_REACTIONS[0],))
    nights = [NightAnswers(TODAY - timedelta(days=d), time(23), time(23, 10), 20 if d < 14 else 90,
                           0, 0, time(7), time(7, 10), 3) for d in range(1, 30)]
    journal.merge([*old, *recent, dizzy], nights)

    seen = glance(journal, TODAY)
    assert seen.sessions_per_week == 8 * 7 / WINDOW_DAYS
    assert (seen.tension_before, seen.tension_after) == (6, 2)
    assert seen.warning_reactions == 1
    assert seen.last_practice == at(0)
    assert seen.nights == 13 and seen.sleep_onset_min == 20
