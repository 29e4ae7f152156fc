"""Properties of the progress statistics."""

from __future__ import annotations

import itertools
import math
import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontspan.core.progress import Practice, insight, welch

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
