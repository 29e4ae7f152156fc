"""The muscle groups ontspan knows, as plain immutable data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ontspan.core.yamlsrc import Located

SIDES = ("right", "left")
FALLBACK_LANG = "en"  # for a person's own routine written in fewer languages than we speak


@dataclass(frozen=True)
class Text:
    """One sentence in every language we speak (the codes of data/languages.toml)."""

    texts: Mapping[str, str]

    def __call__(self, lang: str) -> str:
        if lang in self.texts:
            return self.texts[lang]
        return self.texts.get(FALLBACK_LANG) or next(iter(self.texts.values()))

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.texts.items())))


@dataclass(frozen=True)
class MuscleGroup:
    id: str
    name: Text
    tense: Text  # a preview of the movement; the person begins at the cue
    gentle: Text  # the same movement, lightly
    eyes_open: Text | None  # for groups that close the eyes: the variant with eyes open
    feel: Text  # where to notice the tension, said while tensing
    loose: Text  # the first release line for this group
    attend: Text
    inhale: bool  # False where breathing in while tensing contradicts the movement
    areas: tuple[str, ...]
    public: bool
    sitting: bool
    lying: bool
    sided: bool
    priority: int


@dataclass(frozen=True)
class Catalogue:
    groups: Mapping[str, MuscleGroup]
    langs: tuple[str, ...]  # every text of the catalogue exists in each of these

    def __getitem__(self, group_id: str) -> MuscleGroup:
        return self.groups[group_id]

    def __contains__(self, group_id: object) -> bool:
        return group_id in self.groups

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(a for g in self.groups.values() for a in g.areas)


def text_field(doc: Located, path: tuple[str | int, ...], value: Any, langs: tuple[str, ...],
               *, complete: bool = True) -> Text:
    """A text in each of `langs`; with complete=False (a person's own routine) at least one."""
    if isinstance(value, str):
        return Text(dict.fromkeys(langs, value))
    names = ", ".join(repr(lang) for lang in langs)
    if not isinstance(value, dict):
        raise doc.error(path, f"expected a mapping with texts in {names}")
    extra = sorted(set(value) - set(langs), key=str)
    if extra:  # e.g. an unquoted comma in a {nl: ..., en: ...} mapping
        raise doc.error((*path, extra[0]), f"unexpected key: a text has only {names} "
                        "(put quotes around a text with a comma)")
    texts: dict[str, str] = {}
    for lang in langs:
        text = value.get(lang)
        if isinstance(text, str) and text.strip():
            texts[lang] = text.strip()
        elif complete or text is not None:
            raise doc.error((*path, lang), "missing text")
    if not texts:
        raise doc.error((*path, langs[0]), "missing text")
    return Text(texts)


def _bool(doc: Located, path: tuple[str | int, ...], value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise doc.error(path, f"expected true or false, got {value!r}")
    return value


def parse_catalogue(doc: Located, langs: tuple[str, ...]) -> Catalogue:
    if not isinstance(doc.value, list):
        raise doc.error((), "expected a list of muscle groups")
    groups: dict[str, MuscleGroup] = {}
    for i, item in enumerate(doc.value):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise doc.error((i, "id"), "every muscle group needs an id")
        areas = item.get("areas")
        if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
            raise doc.error((i, "areas"), "expected a list of area names")
        group = MuscleGroup(
            id=item["id"],
            name=text_field(doc, (i, "name"), item.get("name"), langs),
            tense=text_field(doc, (i, "tense"), item.get("tense"), langs),
            gentle=text_field(doc, (i, "gentle"), item.get("gentle", item.get("tense")), langs),
            eyes_open=(None if item.get("eyes_open") is None
                       else text_field(doc, (i, "eyes_open"), item["eyes_open"], langs)),
            feel=text_field(doc, (i, "feel"), item.get("feel"), langs),
            loose=text_field(doc, (i, "loose"), item.get("loose"), langs),
            attend=text_field(doc, (i, "attend"), item.get("attend"), langs),
            inhale=_bool(doc, (i, "inhale"), item.get("inhale"), True),
            areas=tuple(areas),
            public=_bool(doc, (i, "public"), item.get("public"), False),
            sitting=_bool(doc, (i, "sitting"), item.get("sitting"), True),
            lying=_bool(doc, (i, "lying"), item.get("lying"), True),
            sided=_bool(doc, (i, "sided"), item.get("sided"), False),
            priority=int(item.get("priority", 5)),
        )
        if group.id in groups:
            raise doc.error((i, "id"), f"duplicate muscle group {group.id!r}")
        groups[group.id] = group
    return Catalogue(groups, langs)


@dataclass(frozen=True)
class Phrases:
    """Phrase id -> text, for everything spoken or shown outside the catalogue."""

    texts: Mapping[str, Text]

    def __call__(self, phrase_id: str, lang: str) -> str:
        return self.texts[phrase_id](lang)


def parse_phrases(doc: Located, langs: tuple[str, ...]) -> Phrases:
    if not isinstance(doc.value, dict):
        raise doc.error((), "expected a mapping of phrase ids to texts")
    return Phrases({k: text_field(doc, (k,), v, langs) for k, v in doc.value.items()})
