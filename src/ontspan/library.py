"""Loads the catalogue, the phrases and every routine: built-in ones ship as ordinary routine
files in the package and are read exactly like a person's own."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ontspan import paths
from ontspan.core import i18n
from ontspan.core.catalogue import Catalogue, Phrases, parse_catalogue, parse_phrases
from ontspan.core.errors import OntspanError, PhrasedError, SourceError
from ontspan.core.path import LearningPath, parse_path
from ontspan.core.routines import Routine, parse_routine
from ontspan.core.yamlsrc import parse
from ontspan.lang import activate, default_lang, languages


def _read(name: str) -> str:
    return resources.files("ontspan.data").joinpath(name).read_text(encoding="utf-8")


@cache
def catalogue() -> Catalogue:
    return parse_catalogue(parse(_read("groups.yaml"), "ontspan/data/groups.yaml"),
                           languages().codes)


@cache
def phrases() -> Phrases:
    return parse_phrases(parse(_read("phrases.yaml"), "ontspan/data/phrases.yaml"),
                         languages().codes)


__all__ = ["activate", "default_lang", "languages"]  # here too: the library's one entry point


@cache
def web_texts() -> Phrases:
    """The words of the web app (and `ontspan serve`), from data/web.yaml."""
    return parse_phrases(parse(_read("web.yaml"), "ontspan/data/web.yaml"), languages().codes)


@cache
def messages() -> Phrases:
    return parse_phrases(parse(_read("records.yaml"), "ontspan/data/records.yaml"),
                         languages().codes)


def say(key: str, lang: str | None = None, /, **values: object) -> str:
    """A message about the journal's records (data/records.yaml) in the person's language."""
    return messages()(key, lang or i18n.lang()).format(**values)


@cache
def practice_texts() -> Phrases:
    return texts("practice.yaml")


def texts(name: str) -> Phrases:
    """A file of texts in data/ (key -> a text in every language of languages.toml)."""
    return parse_phrases(parse(_read(name), f"ontspan/data/{name}"), languages().codes)


@cache
def learning_path() -> LearningPath:
    """The stages of data/path.yaml; each names built-in routines."""
    return parse_path(parse(_read("path.yaml"), "ontspan/data/path.yaml"), _builtin_names(),
                      languages().codes)


def _builtin_names() -> list[str]:
    folder = resources.files("ontspan.data").joinpath("routines")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


BUILTIN_ORDER = ("standaard", "bed", "onderweg", "volledig", "zeven", "vier", "loslaten")
# The scripted routines of the later path stages (nothing tensed), in the path's order.
SCRIPTED_ORDER = ("herinneren", "herinneren-tellen", "tellen", "signaalwoord", "differentieel",
                  "snel")


def load_file(path: Path, *, builtin: bool = False, routine_id: str | None = None) -> Routine:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OntspanError(i18n._("{path}: cannot read routine file: {reason}", path=path,
                                  reason=exc.strerror)) from None
    except UnicodeDecodeError:
        raise SourceError(str(path), None, "(file)", "not UTF-8 text") from None
    return parse_routine(
        parse(text, str(path)), routine_id or path.stem, catalogue(), builtin=builtin
    )


@cache
def _builtin(name: str) -> Routine:
    text = _read(f"routines/{name}.yaml")
    return parse_routine(
        parse(text, f"ontspan/data/routines/{name}.yaml"), name, catalogue(), builtin=True
    )


@dataclass(frozen=True)
class Listing:
    routines: tuple[Routine, ...]
    problems: tuple[SourceError, ...]


def all_routines() -> Listing:
    names = _builtin_names()
    known = BUILTIN_ORDER + SCRIPTED_ORDER
    ordered = [n for n in known if n in names] + [n for n in names if n not in known]
    found = [_builtin(n) for n in ordered]
    problems: list[SourceError] = []
    folder = paths.routines_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.y*ml")):
            try:
                found.append(load_file(path))
            except SourceError as exc:
                problems.append(exc)
    return Listing(tuple(found), tuple(problems))


def builtin_or_none(name: str) -> Routine | None:
    """A built-in routine by id, for the compiler's shorter and longer sets; None if absent."""
    return _builtin(name) if name in _builtin_names() else None


@cache
def area_words() -> dict[str, str]:
    """What a person may type for a body area, in any language we speak -> the area id."""
    from ontspan.core.reading import area_index

    return area_index({area: [w for words in by_lang.values() for w in words]
                       for area, by_lang in _areas().items()})


def area_name(area: str, lang: str) -> str:
    """A body area's everyday name in a language: 'onderrug', 'unterer Rücken'."""
    by_lang = _areas().get(area, {})
    return (by_lang.get(lang) or by_lang.get("en") or [area])[0]


def area_names(lang: str) -> list[str]:
    """The name of every body area in a language, for 'for example: ...'."""
    return [area_name(area, lang) for area in _areas()]


@cache
def _areas() -> dict[str, dict[str, list[str]]]:
    doc = parse(_read("areas.yaml"), "ontspan/data/areas.yaml")
    known = catalogue().areas
    names: dict[str, dict[str, list[str]]] = {}
    for area, by_lang in (doc.value or {}).items():
        if area not in known:
            raise doc.error((area,), f"not an area of the catalogue; known: {', '.join(sorted(known))}")
        if not isinstance(by_lang, dict) or not all(isinstance(v, list) for v in by_lang.values()):
            raise doc.error((area,), "expected a list of names per language")
        names[area] = {str(lang): [str(w) for w in words] for lang, words in by_lang.items()}
    return names


@cache
def weekday_words() -> dict[str, int]:
    """Weekday names and abbreviations in every language we speak (Babel's) -> 0 for Monday."""
    from babel.dates import get_day_names

    from ontspan.core.plan import DAYS
    from ontspan.core.reading import weekday_index

    names: dict[int, list[str]] = {i: [day] for i, day in enumerate(DAYS)}
    for lang in languages().items:
        for width in ("wide", "abbreviated", "short"):
            for i, name in get_day_names(width, locale=lang.locale).items():
                names[i].append(str(name))
    return weekday_index(names)


def find(name: str) -> Routine:
    """A routine by id or shown name, in any case (own routines shadow built-ins), or by path
    to a YAML file. An unknown name is refused with the nearest names as a suggestion."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or "/" in name:
        if not candidate.exists():
            raise PhrasedError("error.routine.no_file", path=name)
        return load_file(candidate)
    own = paths.routines_dir()
    for ext in (".yaml", ".yml"):
        if (own / f"{name}{ext}").exists():
            return load_file(own / f"{name}{ext}")
    if name in _builtin_names():
        return _builtin(name)
    routines = all_routines().routines
    wanted = name.strip().casefold()
    for matches in (
        lambda r: r.id.casefold() == wanted,
        lambda r: wanted in (r.name(lang).casefold() for lang in languages().codes),
    ):
        found = [r for r in routines if matches(r)]
        if found:
            return found[-1]  # own routines come last and shadow built-ins
    known = ", ".join(r.id for r in routines)
    close = _suggestion(wanted, routines)
    if close:
        raise PhrasedError("error.routine.did_you_mean", name=name, close=close, known=known)
    raise PhrasedError("error.routine.unknown", name=name, known=known)


def _suggestion(wanted: str, routines: tuple[Routine, ...]) -> str:
    """The ids whose id or shown name is close to `wanted` (difflib), nearest first."""
    import difflib

    spellings: dict[str, str] = {}
    for r in routines:
        for spelling in (r.id, *(r.name(lang) for lang in languages().codes)):
            spellings.setdefault(spelling.casefold(), r.id)
    close = difflib.get_close_matches(wanted, list(spellings), n=6, cutoff=0.6)
    return ", ".join(dict.fromkeys(spellings[c] for c in close))


def explain(error: OntspanError, lang: str | None = None) -> str:
    """The one line a person reads for `error`, in `lang` (default: the one in force)."""
    if isinstance(error, PhrasedError):
        return phrases()(error.key, lang or i18n.lang()).format(**error.values)
    return str(error)


_OS_ERRORS = {
    errno.ENOENT: "error.file.not_found", errno.EACCES: "error.file.no_permission",
    errno.EPERM: "error.file.no_permission", errno.EROFS: "error.file.read_only",
    errno.ENOSPC: "error.file.full", errno.EDQUOT: "error.file.full",
    errno.EISDIR: "error.file.is_folder", errno.ENOTDIR: "error.file.not_folder",
}


def explain_os_error(error: OSError, lang: str | None = None) -> str:
    """One line for a failed read or write: the file it was about and what went wrong."""
    path = error.filename if error.filename is not None else ""
    key = _OS_ERRORS.get(error.errno or 0, "error.file.other")
    line = phrases()(key, lang or i18n.lang()).format(path=path, reason=error.strerror or error)
    return line if path else line.removeprefix(": ")
