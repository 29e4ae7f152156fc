"""Is practice helping? Plain figures with their uncertainty. Pure: records in, numbers out.

The reference text sets the checkpoints: most people notice a difference after two to three
weeks of regular practice; if after about four weeks nothing has changed in sleep, other
causes are worth looking at with a GP or therapist."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from ontspan.core import student_t
from ontspan.core.path import StageTime
from ontspan.core.sleep import Night

EARLY_DAYS = 14  # before two weeks it is too early to judge
VERDICT_DAYS = 28  # about four weeks
MIN_NIGHTS = 3  # fewer nights than this say nothing
# What counts as a change in sleep: a clear, not a statistical, threshold a person can feel.
SOL_CHANGE_MIN = 10.0
SE_CHANGE_PCT = 5.0
EVENING_FROM = time(17, 0)

# A trend in the drop of tension needs rated sessions spread over at least two weeks;
# before that, three sessions in three days say nothing about "over the weeks".
TREND_MIN_SESSIONS = 6
TREND_MIN_DAYS = 14


class Practising(Protocol):
    """What the insight reads of a session (a Practice, or the learning path's Practised:
    years of sessions are not copied from one record type into another)."""

    @property
    def started_at(self) -> datetime: ...
    @property
    def completed(self) -> bool: ...
    @property
    def tension_before(self) -> int | None: ...
    @property
    def tension_after(self) -> int | None: ...


@dataclass(frozen=True)
class Practice:
    started_at: datetime
    completed: bool
    tension_before: int | None
    tension_after: int | None


@dataclass(frozen=True)
class WeekPractice:
    week_start: date
    done: int
    planned: int


@dataclass(frozen=True)
class SleepSummary:
    nights: int
    sol_min: float
    se_pct: float
    tst_min: float
    quality: float


@dataclass(frozen=True)
class Comparison:
    """Mean of b minus mean of a, with a 95% confidence interval (Welch)."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    diff: float
    low: float
    high: float


@dataclass(frozen=True)
class Insight:
    weeks: tuple[WeekPractice, ...]
    tension_drop_mean: float | None
    tension_sessions: int
    tension_trend_per_week: float | None  # change of the drop per week (positive: growing)
    before: SleepSummary | None
    since_weeks: tuple[tuple[date, SleepSummary], ...]
    checkpoint: str  # not-started | early | look | changed | no-change | no-diary
    days_practising: int
    evening: Comparison | None  # sleep onset latency: nights after evening practice vs not
    # Minutes per session at each learning-path stage practised (filled in by the service).
    path_times: tuple[StageTime, ...] = ()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def summarise(nights: Sequence[Night]) -> SleepSummary | None:
    if not nights:
        return None
    n = len(nights)
    return SleepSummary(
        nights=n,
        sol_min=sum(x.sol_min for x in nights) / n,
        se_pct=sum(x.se_pct for x in nights) / n,
        tst_min=sum(x.tst_min for x in nights) / n,
        quality=sum(x.answers.quality for x in nights) / n,
    )


def welch(a: Sequence[float], b: Sequence[float]) -> Comparison | None:
    if len(a) < 2 or len(b) < 2:
        return None
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((x - ma) ** 2 for x in a) / (len(a) - 1)
    vb = sum((x - mb) ** 2 for x in b) / (len(b) - 1)
    se2 = va / len(a) + vb / len(b)
    diff = mb - ma
    if se2 == 0:
        return Comparison(len(a), len(b), ma, mb, diff, diff, diff)
    denominator = (va / len(a)) ** 2 / (len(a) - 1) + (vb / len(b)) ** 2 / (len(b) - 1)
    # Welch-Satterthwaite; with vanishing variances the squares underflow to zero, and the
    # pooled degrees of freedom are the honest fallback.
    df = se2**2 / denominator if denominator > 0 else 0.0
    if not (math.isfinite(df) and df > 0):
        df = float(len(a) + len(b) - 2)
    half = student_t.quantile(0.975, df) * math.sqrt(se2)
    return Comparison(len(a), len(b), ma, mb, diff, diff - half, diff + half)


def slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def practised_evening_before(night: Night, practice: Sequence[Practising]) -> bool:
    return _evening_practice(night, sorted(p.started_at for p in practice))


def _evening_practice(night: Night, starts: Sequence[datetime]) -> bool:
    """Was there practice between 17:00 and trying to sleep? `starts` sorted: a binary search,
    so five years of nights against twenty thousand sessions stay instant."""
    evening = datetime.combine(night.answers.night, EVENING_FROM)
    i = bisect_left(starts, evening)
    return i < len(starts) and starts[i] <= night.try_at


def insight(
    practice: Sequence[Practising], nights: Sequence[Night], planned_per_week: int, today: date
) -> Insight:
    practice = sorted(practice, key=lambda p: p.started_at)
    nights = sorted(nights, key=lambda n: n.answers.night)
    first = practice[0].started_at.date() if practice else None

    weeks: list[WeekPractice] = []
    if first is not None:
        per_week: Counter[date] = Counter()
        for day, done in Counter(p.started_at.date() for p in practice).items():
            per_week[week_start(day)] += done  # days first: years of sessions, few thousand days
        monday = week_start(first)
        while monday <= today:
            weeks.append(WeekPractice(monday, per_week[monday], planned_per_week))
            monday += timedelta(days=7)

    rated = [p for p in practice if p.tension_before is not None and p.tension_after is not None]
    drops = [float(p.tension_before - p.tension_after) for p in rated]  # type: ignore[operator]
    drop_mean = sum(drops) / len(drops) if drops else None
    trend = None
    span = (rated[-1].started_at - rated[0].started_at).days if rated else 0
    if first is not None and len(rated) >= TREND_MIN_SESSIONS and span >= TREND_MIN_DAYS:
        days = [(p.started_at.date() - first).days / 7 for p in rated]
        trend = slope(days, drops)

    before = summarise([n for n in nights if first is None or n.answers.night < first])
    since_weeks: list[tuple[date, SleepSummary]] = []
    if first is not None:
        by_week: dict[date, list[Night]] = {}
        for n in nights:
            if n.answers.night >= first:
                by_week.setdefault(week_start(n.answers.night), []).append(n)
        since_weeks = [(w, s) for w, ns in sorted(by_week.items()) if (s := summarise(ns))]

    days_practising = (today - first).days if first else 0
    checkpoint = _checkpoint(first, days_practising, nights, today)

    evening = None
    if practice:
        starts = [p.started_at for p in practice]  # sorted above
        practised = [_evening_practice(n, starts) for n in nights]
        after = [float(n.sol_min) for n, yes in zip(nights, practised, strict=True) if yes]
        without = [float(n.sol_min) for n, yes in zip(nights, practised, strict=True) if not yes]
        evening = welch(without, after)

    return Insight(tuple(weeks), drop_mean, len(drops), trend, before, tuple(since_weeks),
                   checkpoint, days_practising, evening)


def _checkpoint(first: date | None, days: int, nights: Sequence[Night], today: date) -> str:
    if first is None:
        return "not-started"
    if days < EARLY_DAYS:
        return "early"
    if days < VERDICT_DAYS:
        return "look"
    # After about four weeks: the last two weeks against the nights before practice began
    # (or, without those, against the first week of practice).
    recent = [n for n in nights if n.answers.night >= today - timedelta(days=14)]
    baseline = [n for n in nights if n.answers.night < first]
    if len(baseline) < MIN_NIGHTS:
        baseline = [n for n in nights if first <= n.answers.night < first + timedelta(days=7)]
    a, b = summarise(baseline), summarise(recent)
    if a is None or b is None or a.nights < MIN_NIGHTS or b.nights < MIN_NIGHTS:
        return "no-diary"
    improved = (a.sol_min - b.sol_min >= SOL_CHANGE_MIN or b.se_pct - a.se_pct >= SE_CHANGE_PCT
                or b.quality - a.quality >= 1.0)
    return "changed" if improved else "no-change"
