"""The muscle groups ontspan knows, as plain immutable data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ontspan.core.yamlsrc import Located

LANGS = ("nl", "en")
SIDES = ("right", "left")


@dataclass(frozen=True)
class Text:
    """One sentence in every language we speak."""

    nl: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


@dataclass(frozen=True)
class MuscleGroup:
    id: str
    name: Text
    tense: Text
    attend: Text
    areas: tuple[str, ...]
    public: bool
    sitting: bool
    lying: bool
    sided: bool
    priority: int


@dataclass(frozen=True)
class Catalogue:
    groups: Mapping[str, MuscleGroup]

    def __getitem__(self, group_id: str) -> MuscleGroup:
        return self.groups[group_id]

    def __contains__(self, group_id: object) -> bool:
        return group_id in self.groups

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(a for g in self.groups.values() for a in g.areas)


def text_field(doc: Located, path: tuple[str | int, ...], value: Any) -> Text:
    if isinstance(value, str):
        return Text(value, value)
    if not isinstance(value, dict):
        raise doc.error(path, "expected a mapping with 'nl' and 'en' texts")
    extra = sorted(set(value) - set(LANGS))
    if extra:  # e.g. an unquoted comma in a {nl: ..., en: ...} mapping
        raise doc.error((*path, extra[0]), "unexpected key: a text has only 'nl' and 'en' "
                        "(put quotes around a text with a comma)")
    for lang in LANGS:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise doc.error((*path, lang), "missing text")
    return Text(value["nl"].strip(), value["en"].strip())


def _bool(doc: Located, path: tuple[str | int, ...], value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise doc.error(path, f"expected true or false, got {value!r}")
    return value


def parse_catalogue(doc: Located) -> Catalogue:
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
            name=text_field(doc, (i, "name"), item.get("name")),
            tense=text_field(doc, (i, "tense"), item.get("tense")),
            attend=text_field(doc, (i, "attend"), item.get("attend")),
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
    return Catalogue(groups)


@dataclass(frozen=True)
class Phrases:
    """Phrase id -> text, for everything spoken or shown outside the catalogue."""

    texts: Mapping[str, Text]

    def __call__(self, phrase_id: str, lang: str) -> str:
        return self.texts[phrase_id](lang)


def parse_phrases(doc: Located) -> Phrases:
    if not isinstance(doc.value, dict):
        raise doc.error((), "expected a mapping of phrase ids to texts")
    return Phrases({k: text_field(doc, (k,), v) for k, v in doc.value.items()})
