"""The words a person reads, in their language.

`_()` and `ngettext()` translate through the message catalogue in force (gettext .po files
under ontspan/locale, loaded by `library.activate`); English is the source language, so with
no catalogue the English text is shown. Numbers, percentages, dates and weekday names are
formatted for the locale by Babel. The language in force is a context variable: one per
command, one per web request.

Messages are written with named fields: `_("{n} nights", n=3)`, never f-strings, so the
translator sees the whole sentence and can move the words around.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

SOURCE_LANG = "en"  # the language of the msgids in the code


@dataclass(frozen=True)
class Speaking:
    """The language in force: its code, the locale for formats, and its message catalogue."""

    lang: str = SOURCE_LANG
    locale: str = "en_GB"
    catalog: _gettext.NullTranslations = field(default_factory=_gettext.NullTranslations)


_current: ContextVar[Speaking] = ContextVar("ontspan_speaking", default=Speaking())  # noqa: B039


def use(speaking: Speaking) -> None:
    """From now on in this context (a command, a web request), speak this language."""
    _current.set(speaking)


@contextmanager
def speaking(speaking: Speaking) -> Iterator[None]:
    token = _current.set(speaking)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Speaking:
    return _current.get()


def lang() -> str:
    return _current.get().lang


def _(message: str, **values: Any) -> str:
    """The message in the language in force, with its {fields} filled in."""
    text = _current.get().catalog.gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """The singular or (the language's) plural form for n; {n} is filled in too."""
    text = _current.get().catalog.ngettext(singular, plural, n)
    return text.format(n=number(n), **values)


def gettext(message: str) -> str:
    """The bare translation, unformatted: for a library that fills in the fields itself."""
    return _current.get().catalog.gettext(message)


def plural(singular: str, plural: str, n: int) -> str:
    """The bare singular or plural translation, unformatted (see gettext)."""
    return _current.get().catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; _() translates it where shown."""
    return message


# -- Babel formats ----------------------------------------------------------------------------

def number(value: float, digits: int = 1) -> str:
    """2.7 -> '2,7' in Dutch and German; whole numbers without decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=_current.get().locale))


def percent(value: float, digits: int = 0) -> str:
    """90.3 (a percentage, not a fraction) -> '90%' or, with digits=1, '90,3%'."""
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return str(format_percent(value / 100, format=pattern, locale=_current.get().locale))


def day(value: date) -> str:
    """A date in words: '2 november 2026', '2. November 2026', '2 November 2026'."""
    from babel.dates import format_date

    return str(format_date(value, format="long", locale=_current.get().locale))


def day_short(value: date) -> str:
    """A date with its weekday, short: 'ma 2 nov', 'Mo., 2. Nov.', 'Mon 2 Nov'."""
    from babel.dates import format_skeleton

    return str(format_skeleton("MMMEd", value, locale=_current.get().locale))


def clock_time(value: time | datetime) -> str:
    """'21:30' (24 hours, as everywhere in our languages)."""
    return f"{value.hour:02d}:{value.minute:02d}"


def moment(value: datetime) -> str:
    """A date and a time: 'ma 2 nov 21:30'."""
    return f"{day_short(value.date())} {clock_time(value)}"


def weekday_names(width: Literal["abbreviated", "wide"] = "abbreviated") -> list[str]:
    """Monday first: 'ma', 'di', ... or with width='wide' 'maandag', 'dinsdag', ..."""
    from babel.dates import get_day_names

    names = get_day_names(width, context="format", locale=_current.get().locale)
    return [str(names[i]).rstrip(".") for i in range(7)]


def join(items: list[str], lang: str | None = None) -> str:
    """'a, b en c' / 'a, b und c' / 'a, b and c': in `lang`, else in the language in force."""
    from babel.lists import format_list

    locale = lang or _current.get().locale
    return str(format_list(items, locale=locale)) if items else ""
