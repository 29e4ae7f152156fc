"""A person's preferences for one session, checked against what is safe and possible."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ontspan.core.errors import PreferenceError

# Ranges from the reference text (tense 5-7 s, feel 20-30 s) widened to what clinical
# training uses; outside them the exercise stops being PMR as taught.
TENSION_RANGE = (3.0, 10.0)
RELEASE_RANGE = (10.0, 60.0)
DELAY_RANGE = (0.0, 60.0)
MINUTES_RANGE = (2.0, 90.0)
# When fitting a target length, rest lengths are chosen within this range: the source's
# 20-30 s, stretched to the 40 s of clinical training for longer targets.
FIT_RELEASE_RANGE = (20.0, 40.0)

CHOICES: dict[str, tuple[str, ...]] = {
    "intensity": ("normal", "gentle"),
    "ending": ("day", "night"),
    "dominant": ("right", "left"),
}


@dataclass(frozen=True)
class Adaptation:
    """One change a safety rule made, with the reason shown to the person."""

    rule: str
    text: str


@dataclass(frozen=True)
class Prefs:
    tension_s: float = 6.0
    release_s: float = 25.0
    delay_s: float = 3.0
    rounds: int = 1
    breathing: bool = False
    intensity: str = "normal"
    ending: str = "day"
    dominant: str = "right"
    lang: str = "en"
    minutes: float | None = None
    # Set by the safety rules (or a therapist), not by everyday options.
    keep_breathing: bool = False
    eyes_open: bool = False
    skip_areas: frozenset[str] = frozenset()
    release_only_areas: frozenset[str] = frozenset()
    gentle_areas: frozenset[str] = frozenset()  # tensed lightly whatever the intensity
    start_with: tuple[str, ...] = ()
    max_minutes: float | None = None  # a safety cap: shorten when longer, never lengthen
    pain_note: bool = False
    trauma_note: bool = False
    adaptations: tuple[Adaptation, ...] = field(default=())

    @property
    def tension_ms(self) -> int:
        return round(self.tension_s * 1000)

    @property
    def release_ms(self) -> int:
        return round(self.release_s * 1000)

    @property
    def delay_ms(self) -> int:
        return round(self.delay_s * 1000)


OPTION_NAMES = ("tension", "release", "delay", "rounds", "breathing", "intensity", "ending",
                "dominant", "lang", "minutes")
# Options are named as a person types them (--tension 6); the fields carry their unit.
OPTION_FIELDS = {"tension": "tension_s", "release": "release_s", "delay": "delay_s"}


def _check(name: str, value: Any, langs: tuple[str, ...] = ()) -> Any:
    """Validate one everyday preference; returns the normalised value. The languages come from
    the catalogue (data/languages.toml); without them any language code passes here."""
    opt = f"--{name}"

    def number(low: float, high: float, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PreferenceError(opt, f"expected a number of {what}, got {value!r}")
        if not low <= value <= high:
            raise PreferenceError(
                opt, f"{value:g} {what} is outside the safe range {low:g}-{high:g}"
            )
        return float(value)

    if name == "tension":
        return number(*TENSION_RANGE, "seconds")
    if name == "release":
        return number(*RELEASE_RANGE, "seconds")
    if name == "delay":
        return number(*DELAY_RANGE, "seconds")
    if name == "minutes":
        return None if value is None else number(*MINUTES_RANGE, "minutes")
    if name == "rounds":
        if value not in (1, 2) or isinstance(value, bool):
            raise PreferenceError(opt, f"choose 1 or 2 rounds per group, got {value!r}")
        return int(value)
    if name == "breathing":
        if not isinstance(value, bool):
            raise PreferenceError(opt, f"expected true or false, got {value!r}")
        return value
    if name == "lang":
        if not isinstance(value, str) or (langs and value not in langs):
            raise PreferenceError(opt, f"{value!r} is not one of {', '.join(langs)}")
        return value
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise PreferenceError(opt, f"{value!r} is not one of {', '.join(CHOICES[name])}")
        return value
    raise PreferenceError(opt, "unknown preference")


def check_defaults(defaults: dict[str, Any], langs: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """For routine files: the first bad default as (key, message), or None."""
    for key, value in defaults.items():
        if key not in OPTION_NAMES:
            return key, f"unknown preference; known: {', '.join(OPTION_NAMES)}"
        try:
            _check(key, value, langs)
        except PreferenceError as exc:
            return key, str(exc).split(": ", 1)[1]
    return None


def resolve(*layers: Mapping[str, Any], base: Prefs | None = None,
            langs: tuple[str, ...] = ()) -> Prefs:
    """Later layers win; None means 'not given'. Raises PreferenceError naming the option."""
    prefs = base or Prefs()
    known = {f.name for f in fields(Prefs)}
    for layer in layers:
        changes = {}
        for key, value in layer.items():
            if value is None:
                continue
            name = OPTION_FIELDS.get(key, key)
            if name not in known:
                raise PreferenceError(f"--{key}", "unknown preference")
            changes[name] = _check(key, value, langs) if key in OPTION_NAMES else value
        prefs = replace(prefs, **changes)
    return prefs


def to_json(prefs: Prefs) -> dict[str, Any]:
    """The preferences as plain JSON values (sets sorted), for the Timeline's JSON."""
    out: dict[str, Any] = {}
    for f in fields(Prefs):
        value = getattr(prefs, f.name)
        if isinstance(value, frozenset):
            value = sorted(value)
        elif f.name == "adaptations":
            value = [{"rule": a.rule, "text": a.text} for a in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out
