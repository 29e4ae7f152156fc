"""Routines: which muscle groups, in which order, with which defaults. Parsed from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ontspan.core.catalogue import Catalogue, Text, text_field
from ontspan.core.prefs import check_defaults
from ontspan.core.script import ScriptStep, parse_script
from ontspan.core.yamlsrc import Located

POSTURES = ("any", "sitting", "lying")
MODES = ("tense", "release-only")
SIDE_ROLES = ("dominant", "other")


@dataclass(frozen=True)
class GroupRef:
    """One step of a routine: a catalogue group, for sided groups with its side role."""

    group: str
    side: str | None = None  # "dominant" | "other" | None

    def __str__(self) -> str:
        return f"{self.group}@{self.side}" if self.side else self.group


@dataclass(frozen=True)
class Routine:
    id: str
    source: str
    name: Text
    summary: Text
    groups: tuple[GroupRef, ...]
    posture: str = "any"
    eyes: str = "closed"
    breaths: int = 3
    mode: str = "tense"
    public: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    builtin: bool = True
    # A scripted routine (core/script.py): steps instead of groups to tense; `frame` adds
    # the usual opening and closing lines around it.
    script: tuple[ScriptStep, ...] = ()
    frame: bool = True
    # The combined sets of the same training, for fitting a length: fewer or more groups.
    shorter: str | None = None
    longer: str | None = None


KNOWN_KEYS = {
    "id", "name", "summary", "posture", "eyes", "breaths", "mode", "public", "groups", "defaults",
    "script", "frame", "shorter", "longer",
}


def parse_routine(
    doc: Located, routine_id: str, catalogue: Catalogue, *, builtin: bool
) -> Routine:
    data = doc.value
    if not isinstance(data, dict):
        raise doc.error((), "a routine file is a mapping with at least 'name' and 'groups'")
    for key in data:
        if key not in KNOWN_KEYS:
            raise doc.error((key,), f"unknown field; known fields: {', '.join(sorted(KNOWN_KEYS))}")
    if "name" not in data:
        raise doc.error(("name",), "missing: give the routine a name")
    # Built-in routines speak every language; a person's own may be in just theirs.
    langs = catalogue.langs
    name = text_field(doc, ("name",), data["name"], langs, complete=builtin)
    summary = text_field(doc, ("summary",), data.get("summary", data["name"]), langs,
                         complete=builtin)

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in allowed:
            raise doc.error((key,), f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    posture = choice("posture", POSTURES, "any")
    eyes = choice("eyes", ("closed", "open"), "closed")
    mode = choice("mode", MODES, "tense")
    breaths = data.get("breaths", 3)
    if not isinstance(breaths, int) or isinstance(breaths, bool) or not 0 <= breaths <= 10:
        raise doc.error(("breaths",), f"expected a whole number of calm breaths 0-10, got {breaths!r}")
    public = data.get("public", False)
    if not isinstance(public, bool):
        raise doc.error(("public",), "expected true or false")

    script: tuple[ScriptStep, ...] = ()
    if "script" in data:
        if "groups" in data or "mode" in data:
            key = "groups" if "groups" in data else "mode"
            raise doc.error((key,), "a routine with a script names its groups in 'recall' "
                                    "steps and never tenses; drop this field")
        script = parse_script(doc, data["script"], catalogue, complete=builtin)
        mode = "release-only"
    frame = data.get("frame", True)
    if not isinstance(frame, bool):
        raise doc.error(("frame",), "expected true or false")

    raw_groups = data.get("groups") if not script else [
        f"{s.group}@{s.side}" if s.side else s.group for s in script if s.kind == "recall"]
    if not isinstance(raw_groups, list) or (not raw_groups and not script):
        raise doc.error(("groups",), "expected a non-empty list of muscle-group ids")
    refs: list[GroupRef] = []
    for i, item in enumerate(raw_groups):
        if not isinstance(item, str):
            raise doc.error(("groups", i), f"expected a muscle-group id, got {item!r}")
        group_id, _, side = item.partition("@")
        if group_id not in catalogue:
            known = ", ".join(sorted(catalogue.groups))
            raise doc.error(("groups", i), f"unknown muscle group {group_id!r}; known: {known}")
        group = catalogue[group_id]
        if group.sided and side not in SIDE_ROLES:
            raise doc.error(
                ("groups", i), f"{group_id!r} has two sides: write {group_id}@dominant or @other"
            )
        if not group.sided and side:
            raise doc.error(("groups", i), f"{group_id!r} has no sides; drop '@{side}'")
        if public and not group.public:
            raise doc.error(("groups", i), f"{group_id!r} can be seen by others; not for a public routine")
        if posture != "any" and not getattr(group, posture):
            raise doc.error(("groups", i), f"{group_id!r} cannot be done {posture}")
        refs.append(GroupRef(group_id, side or None))

    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise doc.error(("defaults",), "expected a mapping of preference names to values")
    problem = check_defaults(defaults, langs)
    if problem is not None:
        key, message = problem
        raise doc.error(("defaults", key), message)

    for key in ("shorter", "longer"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise doc.error((key,), "expected the id of another routine")
    return Routine(
        id=routine_id,
        source=doc.source,
        name=name,
        summary=summary,
        groups=tuple(refs),
        posture=posture,
        eyes=eyes,
        breaths=breaths,
        mode=mode,
        public=public,
        defaults=dict(defaults),
        builtin=builtin,
        script=script,
        frame=frame,
        shorter=data.get("shorter"),
        longer=data.get("longer"),
    )
