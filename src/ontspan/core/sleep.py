"""Sleep-diary arithmetic after the Consensus Sleep Diary (Carney et al., SLEEP 2012).

Pure: clock times in, checked datetimes and derived figures out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _

# A gap longer than this between two answers of one night is almost surely a typo.
MAX_GAP = timedelta(hours=16)


class NightError(OntspanError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class NightAnswers:
    """What a person fills in the morning. `night` is the date of the evening it began."""

    night: date
    bed: time  # got into bed
    try_sleep: time  # started trying to sleep
    latency_min: int  # minutes to fall asleep
    awakenings: int  # number of awakenings, not counting the final one
    awake_min: int  # their total minutes
    final: time  # final awakening
    out: time  # got out of bed
    quality: int  # 1 very poor .. 5 very good
    note: str = ""


@dataclass(frozen=True)
class Night:
    # The derived figures are cached: the insights read each night's several times over.
    answers: NightAnswers
    bed_at: datetime
    try_at: datetime
    final_at: datetime
    out_at: datetime

    @cached_property
    def tib_min(self) -> int:
        """Time in bed."""
        return _minutes(self.out_at - self.bed_at)

    @property
    def sol_min(self) -> int:
        """Sleep onset latency."""
        return self.answers.latency_min

    @property
    def waso_min(self) -> int:
        """Wake after sleep onset (the awakenings, not the final one)."""
        return self.answers.awake_min

    @cached_property
    def tst_min(self) -> int:
        """Total sleep time."""
        return _minutes(self.final_at - self.try_at) - self.sol_min - self.waso_min

    @cached_property
    def se_pct(self) -> float:
        """Sleep efficiency: total sleep time / time in bed."""
        return round(100 * self.tst_min / self.tib_min, 1)

    @property
    def nwak(self) -> int:
        return self.answers.awakenings

    @property
    def early_wake_min(self) -> int:
        """Lying awake after the final awakening."""
        return _minutes(self.out_at - self.final_at)

    def metrics(self) -> dict[str, float | int]:
        return {"tib_min": self.tib_min, "sol_min": self.sol_min, "waso_min": self.waso_min,
                "tst_min": self.tst_min, "se_pct": self.se_pct, "nwak": self.nwak,
                "early_wake_min": self.early_wake_min}


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _after(previous: datetime, clock: time) -> datetime:
    """The first moment at or after `previous` that shows `clock`."""
    candidate = datetime.combine(previous.date(), clock)
    return candidate if candidate >= previous else candidate + timedelta(days=1)


def evaluate(a: NightAnswers) -> Night:
    """Place the clock times on the calendar and check that the night is possible."""
    for name, value, low, high in (
        ("--latency", a.latency_min, 0, 720), ("--awakenings", a.awakenings, 0, 50),
        ("--awake", a.awake_min, 0, 720), ("--quality", a.quality, 1, 5),
    ):
        if not low <= value <= high:
            raise NightError(name, _("{value} is not between {low} and {high}", value=value,
                                         low=low, high=high))
    if a.awakenings == 0 and a.awake_min > 0:
        raise NightError("--awake", _("minutes awake during the night, but no awakenings"))
    # Before noon counts as after midnight: a bedtime of 00:30 belongs to the next morning.
    bed_day = a.night + timedelta(days=1) if a.bed < time(12) else a.night
    bed_at = datetime.combine(bed_day, a.bed)
    try_at = _after(bed_at, a.try_sleep)
    if try_at - bed_at > MAX_GAP:
        raise NightError("--try", _("trying to sleep at {try_} comes before going to bed at {bed}",
                                    try_=f"{a.try_sleep:%H:%M}", bed=f"{a.bed:%H:%M}"))
    final_at = _after(try_at, a.final)
    if final_at - try_at > MAX_GAP:
        raise NightError("--final", _("final awakening at {final} is not after trying to sleep "
                                      "at {try_}", final=f"{a.final:%H:%M}",
                                      try_=f"{a.try_sleep:%H:%M}"))
    out_at = _after(final_at, a.out)
    if out_at - final_at > MAX_GAP:
        raise NightError("--out", _("getting up at {out} is before the final awakening at "
                                    "{final}", out=f"{a.out:%H:%M}", final=f"{a.final:%H:%M}"))
    night = Night(a, bed_at, try_at, final_at, out_at)
    asleep_window = _minutes(final_at - try_at)
    if a.latency_min + a.awake_min > asleep_window:
        raise NightError(
            "--awake", _("{latency} min to fall asleep plus {awake} min awake is more than the "
                         "{window} min between trying to sleep and the final awakening",
                         latency=a.latency_min, awake=a.awake_min, window=asleep_window))
    if night.tib_min <= 0:
        raise NightError("--out", _("no time in bed"))
    return night


def parse_clock(field: str, value: str) -> time:
    from ontspan.core.reading import clock

    found = clock(value)
    if found is None:
        raise NightError(field, _("{value} is not a time like 23:15", value=repr(value)))
    return time(*found)
