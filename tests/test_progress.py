"""Properties of the progress statistics."""

from __future__ import annotations

import itertools
import math
import random
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontspan.core.progress import Practice, insight, week_start, welch
from ontspan.core.sleep import Night, NightAnswers, evaluate

TODAY = date(2026, 6, 1)

practices = st.lists(
    st.builds(
        Practice,
        started_at=st.datetimes(datetime(2026, 3, 1), datetime(2026, 5, 31, 23, 59)),
        completed=st.booleans(),
        tension_before=st.one_of(st.none(), st.integers(0, 10)),
        tension_after=st.one_of(st.none(), st.integers(0, 10)),
    ),
    max_size=60,
)


@given(practices, st.integers(1, 21))
def test_weeks_count_every_session_once(sessions: list[Practice], planned: int) -> None:
    ins = insight(sessions, [], planned, TODAY)
    assert sum(w.done for w in ins.weeks) == len(sessions)
    assert all(w.planned == planned for w in ins.weeks)
    starts = [w.week_start for w in ins.weeks]
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(starts))
    if ins.tension_drop_mean is not None:
        assert -10 <= ins.tension_drop_mean <= 10
    assert ins.checkpoint in ("not-started", "early", "look", "no-diary")


samples = st.lists(st.floats(0, 240, allow_nan=False), min_size=2, max_size=40)


@given(samples, samples)
def test_confidence_interval_surrounds_the_difference(a: list[float], b: list[float]) -> None:
    result = welch(a, b)
    assert result is not None
    assert result.low <= result.diff + 1e-9 and result.diff <= result.high + 1e-9
    assert abs(result.diff - (sum(b) / len(b) - sum(a) / len(a))) < 1e-6
    swapped = welch(b, a)
    assert swapped is not None and abs(swapped.diff + result.diff) < 1e-6


def test_interval_matches_a_worked_example() -> None:
    # Equal variances 2.5, n = 5 each: se = 1, Welch df = 8, t(0.975, 8) = 2.306004.
    result = welch([1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
    assert result is not None and result.diff == 2.0
    assert result.low == pytest.approx(2 - 2.306004, abs=1e-5)
    assert result.high == pytest.approx(2 + 2.306004, abs=1e-5)
    # Unequal variances and sizes: va = 1, vb = 80/3, se^2 = 1/3 + 20/3 = 7,
    # df = 49 / ((1/3)^2 / 2 + (20/3)^2 / 3) = 3.29514, t(0.975, 3.29514) = 3.02711.
    result = welch([4, 5, 6], [10, 14, 18, 22])
    assert result is not None and result.diff == 11.0
    half = (result.high - result.low) / 2
    assert half == pytest.approx(3.02711 * math.sqrt(7), rel=1e-5)


def test_interval_covers_the_true_difference_95_times_in_100() -> None:
    """Samples drawn from known normal distributions: a 95% interval must contain the true
    difference in about 95% of draws (a wrong quantile or standard error shows here)."""
    rng = random.Random(20260601)
    trials, covered = 2000, 0
    for _ in range(trials):
        a = [rng.gauss(30, 12) for _ in range(rng.randint(3, 12))]
        b = [rng.gauss(20, 4) for _ in range(rng.randint(3, 12))]
        result = welch(a, b)
        assert result is not None
        covered += result.low <= -10 <= result.high
    assert 0.93 <= covered / trials <= 0.97, covered / trials


def test_vanishing_variance_does_not_break_the_interval() -> None:
    result = welch([0.0, 0.0], [0.0, 7.430219643751763e-114])
    assert result is not None and result.low <= result.diff <= result.high


def test_too_few_values_give_no_comparison() -> None:
    assert welch([10.0], [20.0, 30.0]) is None


FIRST = date(2026, 5, 1)  # the first practice


def diary(start: date, count: int, latency: int = 30, awake: int = 0, quality: int = 3) -> list[Night]:
    """`count` nights from `start`: in bed and trying to sleep at 23:00, up at 07:00 (480 min)."""
    return [evaluate(NightAnswers(start + timedelta(days=i), time(23), time(23), latency,
                                  1 if awake else 0, awake, time(7), time(7), quality))
            for i in range(count)]


def checkpoint(nights: list[Night], days: int = 35) -> str:
    practice = [Practice(datetime.combine(FIRST, time(21)), True, None, None)]
    return insight(practice, nights, 3, FIRST + timedelta(days=days)).checkpoint


BEFORE = FIRST - timedelta(days=7)
RECENT = FIRST + timedelta(days=21)  # the last two weeks before day 35


def test_falling_asleep_ten_minutes_sooner_counts_as_changed() -> None:
    assert checkpoint(diary(BEFORE, 7, latency=40) + diary(RECENT, 14, latency=30)) == "changed"
    assert checkpoint(diary(BEFORE, 7, latency=40) + diary(RECENT, 14, latency=31)) == "no-change"
    assert checkpoint(diary(BEFORE, 7, latency=30) + diary(RECENT, 14, latency=50)) == "no-change"


def test_five_points_of_sleep_efficiency_count_as_changed() -> None:
    # 30 min awake in the night -> 91.7%; 6 min -> 96.7% (+5.0); 7 min -> 96.5% (+4.8).
    assert checkpoint(diary(BEFORE, 7, awake=30) + diary(RECENT, 14, awake=6)) == "changed"
    assert checkpoint(diary(BEFORE, 7, awake=30) + diary(RECENT, 14, awake=7)) == "no-change"


def test_one_point_better_quality_counts_as_changed() -> None:
    assert checkpoint(diary(BEFORE, 7, quality=3) + diary(RECENT, 14, quality=4)) == "changed"
    almost = diary(RECENT, 13, quality=4) + diary(RECENT + timedelta(days=13), 1, quality=3)
    assert checkpoint(diary(BEFORE, 7, quality=3) + almost) == "no-change"


def test_without_nights_before_practice_the_first_week_is_the_baseline() -> None:
    # Two nights before practice are too few; the first week of practice stands in for them.
    nights = (diary(BEFORE, 2, latency=90) + diary(FIRST, 7, latency=40)
              + diary(RECENT, 14, latency=30))
    assert checkpoint(nights) == "changed"
    nights = diary(BEFORE, 2, latency=90) + diary(FIRST, 7, latency=30) + diary(RECENT, 14)
    assert checkpoint(nights) == "no-change"


def test_too_few_recent_nights_say_nothing() -> None:
    assert checkpoint(diary(BEFORE, 7, latency=60) + diary(RECENT, 2, latency=10)) == "no-diary"
    assert checkpoint(diary(BEFORE, 2, latency=60) + diary(RECENT, 14, latency=10)) == "no-diary"


def test_checkpoints_follow_the_weeks_of_practice() -> None:
    nights = diary(BEFORE, 7, latency=40) + diary(FIRST, 35, latency=20)
    assert [checkpoint(nights, days) for days in (0, 13, 14, 27, 28)] == [
        "early", "early", "look", "look", "changed"]
    assert insight([], nights, 3, FIRST).checkpoint == "not-started"


def test_only_the_last_two_weeks_are_compared() -> None:
    # Weeks 2-3 as before practice, the last two weeks 12 minutes sooner asleep: changed.
    nights = (diary(BEFORE, 7, latency=40) + diary(FIRST + timedelta(days=7), 14, latency=40)
              + diary(RECENT, 14, latency=28))
    assert checkpoint(nights) == "changed"


def test_evening_practice_counts_from_five_until_trying_to_sleep() -> None:
    from ontspan.core.progress import practised_evening_before

    [night] = diary(FIRST, 1)  # trying to sleep at 23:00

    def at(hour: int, minute: int = 0, day: date = FIRST) -> list[Practice]:
        return [Practice(datetime.combine(day, time(hour, minute)), True, None, None)]

    assert practised_evening_before(night, at(17))
    assert practised_evening_before(night, at(23))
    assert not practised_evening_before(night, at(16, 59))
    assert not practised_evening_before(night, at(23, 1))
    assert not practised_evening_before(night, at(21, 0, FIRST - timedelta(days=1)))


def test_trend_of_the_tension_drop_per_week() -> None:
    from ontspan.core.progress import slope

    assert slope([1, 2, 3], [10, 8, 6]) == -2.0
    assert slope([0, 1], [0, 5]) is None, "two points are no trend"
    assert slope([2, 2, 2], [1, 2, 3]) is None
    # Drops of 1, 2, 3 points in weeks 0, 1, 2 (two rated sessions a day, enough for a
    # trend): growing by one point a week.
    practice = [Practice(datetime.combine(FIRST + timedelta(days=7 * w), time(h)), True,
                         6, 5 - w) for w in range(3) for h in (9, 21)]
    ins = insight(practice, [], 3, FIRST + timedelta(days=20))
    assert ins.tension_trend_per_week == 1.0 and ins.tension_drop_mean == 2.0


def test_insight_summarises_before_and_since_and_compares_evenings() -> None:
    # A week of diary before practice (40 min to fall asleep), then two weeks: evenings with
    # practice (21:00) fall asleep in 20 min, evenings without in 30.
    nights = diary(BEFORE, 7, latency=40, awake=0, quality=2)
    practice = []
    for i in range(14):
        day = FIRST + timedelta(days=i)
        practised = i % 2 == 0
        nights += diary(day, 1, latency=20 if practised else 30, quality=4)
        if practised:
            practice.append(Practice(datetime.combine(day, time(21)), True, 7, 4))
    ins = insight(practice, nights, 3, FIRST + timedelta(days=13))
    assert ins.before is not None and ins.before.nights == 7
    assert (ins.before.sol_min, ins.before.quality) == (40, 2)
    assert ins.before.tst_min == 440 and ins.before.se_pct == pytest.approx(91.7)
    assert [w for w, _ in ins.since_weeks] == [week_start(FIRST + timedelta(days=i))
                                               for i in (0, 7, 13)]
    assert sum(s.nights for _, s in ins.since_weeks) == 14
    assert all(s.quality == 4 for _, s in ins.since_weeks)
    assert ins.tension_sessions == 7 and ins.tension_drop_mean == 3.0
    assert ins.tension_trend_per_week is None, "rated sessions over 12 days: too early"
    assert ins.days_practising == 13 and ins.checkpoint == "early"
    evening = ins.evening
    assert evening is not None
    # Nights after evening practice against all the others (the week before included).
    assert (evening.n_a, evening.n_b) == (14, 7)
    assert evening.mean_b == 20.0 and evening.mean_a == (7 * 40 + 7 * 30) / 14
    assert evening.high < 0, "practice evenings are clearly quicker to sleep"
    assert insight([], nights, 3, FIRST).evening is None
    assert insight([], nights, 3, FIRST).days_practising == 0


def test_no_trend_from_a_few_days_too_early_to_tell() -> None:
    from ontspan.services.insights import describe

    start = datetime(2026, 3, 2, 20)
    growing = [Practice(start + timedelta(days=d), True, 7, 7 - d) for d in range(3)]
    ins = insight(growing, [], 14, start.date() + timedelta(days=3))
    assert ins.tension_drop_mean is not None and ins.tension_trend_per_week is None
    text = " ".join(describe(ins, "en"))
    assert "too early to tell" in text and "growing" not in text
    weeks = [Practice(start + timedelta(days=3 * d), True, 7, 4 + d // 3) for d in range(8)]
    later = insight(weeks, [], 14, start.date() + timedelta(days=25))
    assert later.tension_trend_per_week is not None
