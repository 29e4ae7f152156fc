"""A therapist's view of how practice is going, per client, at a glance.

Summaries over the last two weeks from the client's own journal: what the therapist needs to
see whether practice happens, whether it relaxes, and whether anything went wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from ontspan.core.path import Standing
from ontspan.core.safety import WARNING_REACTIONS
from ontspan.services.insights import planned_per_week
from ontspan.services.path import current
from ontspan.store.journal import Journal

WINDOW_DAYS = 14


@dataclass(frozen=True)
class Glance:
    sessions_per_week: float  # over the last two weeks
    planned_per_week: int
    tension_before: float | None  # mean over the sessions that were rated
    tension_after: float | None
    warning_reactions: int  # sessions in the window that ended dizzy, nauseous or restless
    last_practice: datetime | None
    nights: int  # diary nights in the window
    sleep_onset_min: float | None  # mean minutes to fall asleep
    sleep_efficiency_pct: float | None
    path: Standing  # the stage on the learning path (path.started False: not on it)

    @property
    def behind(self) -> bool:
        """Practising less than half of the plan: worth a word, never a reproach."""
        return self.sessions_per_week < self.planned_per_week / 2


def glance(journal: Journal, today: date) -> Glance:
    since = datetime.combine(today - timedelta(days=WINDOW_DAYS - 1), datetime.min.time())
    # Two weeks of full records and one narrow read of the rest: a caseload page reads every
    # client's journal, and years of practice should not be loaded for a two-week summary.
    recent = journal.sessions_since(since)
    done = journal.practised()
    rated = [s for s in recent if s.tension_before is not None and s.tension_after is not None]
    nights = journal.nights_since(since.date())
    return Glance(
        sessions_per_week=len(recent) * 7 / WINDOW_DAYS,
        planned_per_week=planned_per_week(journal),
        tension_before=fmean(s.tension_before for s in rated) if rated else None,  # type: ignore[misc]
        tension_after=fmean(s.tension_after for s in rated) if rated else None,  # type: ignore[misc]
        warning_reactions=sum(1 for s in recent if set(s.reaction) & set(WARNING_REACTIONS)),
        last_practice=done[-1].started_at if done else None,
        nights=len(nights),
        sleep_onset_min=fmean(n.sol_min for n in nights) if nights else None,
        sleep_efficiency_pct=fmean(n.se_pct for n in nights) if nights else None,
        path=current(journal, today, done),
    )
