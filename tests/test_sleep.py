"""Sleep-diary figures: hand-computed diaries and properties."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ontspan.core.sleep import NightAnswers, NightError, evaluate


def night(bed: str, try_: str, latency: int, n: int, awake: int, final: str, out: str,
          quality: int = 3) -> NightAnswers:
    t = lambda s: time(*map(int, s.split(":")))  # noqa: E731
    return NightAnswers(date(2026, 3, 28), t(bed), t(try_), latency, n, awake, t(final), t(out),
                        quality)


def test_night_crossing_midnight_with_awakenings() -> None:
    # In bed 22:45, tries at 23:15, 30 min to fall asleep, awake twice for 40 min,
    # final awakening 06:30, up at 07:00.
    n = evaluate(night("22:45", "23:15", 30, 2, 40, "06:30", "07:00"))
    assert n.tib_min == 495  # 22:45 -> 07:00
    assert n.sol_min == 30 and n.waso_min == 40 and n.nwak == 2
    assert n.tst_min == 435 - 30 - 40  # (06:30 - 23:15) = 435
    assert n.se_pct == round(100 * 365 / 495, 1)  # 73.7
    assert n.early_wake_min == 30


def test_bed_after_midnight() -> None:
    n = evaluate(night("00:30", "00:40", 10, 0, 0, "07:40", "08:00"))
    assert n.bed_at.date() == date(2026, 3, 29)
    assert n.tib_min == 450 and n.tst_min == 410 and n.se_pct == 91.1


def test_a_good_night() -> None:
    n = evaluate(night("23:00", "23:00", 5, 0, 0, "07:00", "07:00", 5))
    assert (n.tib_min, n.tst_min, n.se_pct) == (480, 475, 99.0)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (("23:00", "22:30", 10, 0, 0, "07:00", "07:30"), "--try"),
        (("23:00", "23:30", 300, 2, 300, "06:00", "07:00"), "--awake"),
        (("23:00", "23:30", 10, 0, 30, "06:00", "07:00"), "--awake"),
        (("23:00", "23:30", 10, 0, 0, "06:00", "07:00", 9), "--quality"),
    ],
)
def test_impossible_nights_are_named(answers: tuple, field: str) -> None:
    with pytest.raises(NightError) as err:
        evaluate(night(*answers))
    assert err.value.field == field


clock = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@given(clock, st.integers(0, 600), st.integers(30, 900), st.floats(0, 0.5), st.floats(0, 0.5),
       st.integers(0, 10), st.integers(0, 120))
def test_efficiency_and_sleep_never_exceed_bed(bed: time, to_try: int, asleep: int,
                                               latency_part: float, awake_part: float, n: int,
                                               up: int) -> None:
    from datetime import datetime, timedelta

    # Mostly possible nights: latency and time awake each take at most half the night.
    latency, awake = int(asleep * latency_part), int(asleep * awake_part)
    base = datetime.combine(date(2026, 1, 1), bed)
    try_at = base + timedelta(minutes=to_try)
    final_at = try_at + timedelta(minutes=asleep)
    out_at = final_at + timedelta(minutes=up)
    answers = NightAnswers(date(2026, 1, 1), bed, try_at.time(), latency, n if awake else 0,
                           awake if n else 0, final_at.time(), out_at.time(), 3)
    try:
        result = evaluate(answers)
    except NightError:
        assume(False)
        return
    assert 0 <= result.tst_min <= result.tib_min
    assert 0 <= result.se_pct <= 100
