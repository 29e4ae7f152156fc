"""The languages ontspan speaks, read from data/languages.toml: adding one is data, not code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ontspan.core.errors import SourceError

_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Language:
    code: str  # "nl": in --lang, the data files and the message catalogues
    name: str  # its own name: "Nederlands"
    locales: tuple[str, ...]  # "nl_NL", "nl_BE": the first formats numbers and dates
    espeak: str  # the eSpeak NG voice

    @property
    def locale(self) -> str:
        return self.locales[0]


@dataclass(frozen=True)
class Languages:
    items: tuple[Language, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.items)

    def __getitem__(self, code: str) -> Language:
        for lang in self.items:
            if lang.code == code:
                return lang
        raise KeyError(code)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def for_locale(self, value: str) -> str | None:
        """The language for a locale name as in LANG (de_AT.UTF-8) or Accept-Language (de-CH),
        or None when none matches."""
        tag = value.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
        if not tag or tag in ("c", "posix"):
            return None
        for lang in self.items:
            if tag in (loc.lower() for loc in lang.locales):
                return lang.code
        base = tag.split("_")[0]
        return base if base in self.codes else None

    def from_accept_language(self, header: str) -> str | None:
        """The best of our languages for an HTTP Accept-Language header (by q value)."""
        ranked: list[tuple[float, int, str]] = []
        for i, part in enumerate(header.split(",")):
            tag, _, params = part.strip().partition(";")
            q = 1.0
            if params.strip().startswith("q="):
                try:
                    q = float(params.strip()[2:])
                except ValueError:
                    q = 0.0
            code = self.for_locale(tag)
            if code is not None and q > 0:
                ranked.append((-q, i, code))
        return min(ranked)[2] if ranked else None


def parse_languages(data: dict[str, Any], source: str) -> Languages:
    """The [[language]] tables of languages.toml, checked field by field."""
    items = data.get("language")

    def error(i: int, key: str, message: str) -> SourceError:
        return SourceError(source, None, f"language[{i + 1}].{key}", message)

    if not isinstance(items, list) or not items:
        raise SourceError(source, None, "language", "expected [[language]] tables")
    found: list[Language] = []
    for i, item in enumerate(items):
        code = item.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise error(i, "code", "expected a language code of two or three letters")
        if code in (lang.code for lang in found):
            raise error(i, "code", f"duplicate language {code!r}")
        name, espeak, locales = item.get("name"), item.get("espeak"), item.get("locales")
        if not isinstance(name, str) or not name.strip():
            raise error(i, "name", "missing: the language's own name")
        if not isinstance(espeak, str) or not espeak.strip():
            raise error(i, "espeak", "missing: the eSpeak NG voice for this language")
        if (not isinstance(locales, list) or not locales
                or not all(isinstance(x, str) and x.startswith(code + "_") for x in locales)):
            raise error(i, "locales", f"expected a list of locales like {code}_XX")
        found.append(Language(code, name.strip(), tuple(locales), espeak.strip()))
    return Languages(tuple(found))
