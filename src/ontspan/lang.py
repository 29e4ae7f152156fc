"""The languages ontspan speaks and the message catalogue of each: which one is in force.

Kept apart from the library (and free of YAML) because every command needs it at once, even
`ontspan --help`, which must stay fast."""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from importlib import resources

from ontspan.core import i18n
from ontspan.core.errors import SourceError
from ontspan.core.languages import Languages, parse_languages


@cache
def languages() -> Languages:
    """The one list of languages (data/languages.toml); every text file must have them all."""
    import tomllib

    source = "ontspan/data/languages.toml"
    try:
        text = resources.files("ontspan.data").joinpath("languages.toml").read_text("utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(source, None, "(file)", str(exc)) from None
    return parse_languages(data, source)


def default_lang() -> str:
    """The language of the person's locale (ONTSPAN_LANG, LC_ALL, LC_MESSAGES, LANG, LANGUAGE:
    the first one set decides, as in gettext), English when we do not speak it."""
    langs = languages()
    for var in ("ONTSPAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            # LANGUAGE may list several, de_AT:de:en; the first we speak wins.
            for part in value.split(":"):
                code = langs.for_locale(part)
                if code is not None:
                    return code
            return "en" if "en" in langs else langs.codes[0]
    return "en" if "en" in langs else langs.codes[0]


def catalog_path(lang: str) -> str:
    """Where the message catalogue of a language lives inside the package."""
    return f"locale/{lang}/LC_MESSAGES/ontspan.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The message catalogue of a language, read from its .po file with Babel (no build step:
    the .po ships as package data in the wheel and in an editable install alike)."""
    if lang == i18n.SOURCE_LANG:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = resources.files("ontspan").joinpath(catalog_path(lang))
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain="ontspan")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def activate(lang: str | None = None) -> str:
    """Speak this language (default: the locale's) from now on in this context; returns it."""
    code = lang if lang in languages() else default_lang()
    assert code is not None
    i18n.use(i18n.Speaking(code, languages()[code].locale, translations(code)))
    return code
