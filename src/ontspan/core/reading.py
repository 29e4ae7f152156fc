"""Reading what a person types, in their language: yes and no, clock times, weekdays and body
areas. Pure: the words come from the caller (Babel's day names, data/areas.yaml)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

YES = frozenset({"j", "ja", "y", "yes", "jawohl", "jep"})
NO = frozenset({"n", "nee", "nein", "no", "neen"})

_CLOCK = re.compile(r"^(\d{1,2})(?:\s*[:.hu]\s*(\d{2}))?\s*(?:uur|uhr|h)?$")


def fold(text: str) -> str:
    """Lower case without accents or extra spaces: 'Füße ' and 'fusse' stay apart, but
    'knieën' and 'knieen', 'Rücken' and 'rucken' meet."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").split())


def yes_no(answer: str) -> bool | None:
    """True for j, ja, y, yes; False for n, nee, nein, no; None for anything else."""
    word = fold(answer)
    return True if word in YES else False if word in NO else None


def clock(value: str) -> tuple[int, int] | None:
    """(hour, minute) from 7:30, 7.30, 07.30 uur, 19 Uhr, 19h30, 7u30; None if it is no time."""
    match = _CLOCK.match(fold(value))
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return (hour, minute) if hour < 24 and minute < 60 else None


def weekday_index(names: Mapping[int, Iterable[str]]) -> dict[str, int]:
    """Every folded name (and every unambiguous prefix of two letters or more) -> 0 for Monday."""
    full: dict[str, int] = {}
    for day, words in names.items():
        for word in words:
            full[fold(word).rstrip(".")] = day
    index = dict(full)
    prefixes: dict[str, set[int]] = {}
    for word, day in full.items():
        for end in range(2, len(word)):
            prefixes.setdefault(word[:end], set()).add(day)
    for prefix, days in prefixes.items():
        if len(days) == 1 and prefix not in index:
            index[prefix] = days.pop()
    return index


def area_index(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Every folded name of a body area -> the area id (ids themselves included)."""
    index: dict[str, str] = {}
    for area, words in names.items():
        index[fold(area)] = area
        for word in words:
            index.setdefault(fold(word), area)
    return index
