"""Scripted routines: the later stages of the learning path, where nothing is tensed.

A routine with a `script` is a list of steps instead of a list of groups to tense:
  say    a line of the routine's own text (optionally followed by `pause` seconds of quiet)
  pause  quiet, in seconds
  recall one muscle group, relaxed by remembering how letting go felt (no tensing)
  count  the numbers 1..N, one on each out-breath, relaxing further with each
  cue    N calm breaths: "in" on the in-breath, the cue word on the out-breath

They are compiled by core/script_timeline.py, apart from the tense-release compiler, so each
stays small. Safety holds the same way: nothing is ever tensed, areas to skip are skipped, eyes stay open
when the safety profile says so, and a length cap shortens the quiet parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ontspan.core.catalogue import Catalogue, Text, text_field
from ontspan.core.yamlsrc import Located

STEP_KINDS = ("say", "pause", "recall", "count", "cue")
MAX_COUNT = 10  # the numbers ship as phrases count.1 .. count.10
MAX_CUE_BREATHS = 20
PAUSE_RANGE = (0.0, 120.0)


@dataclass(frozen=True)
class ScriptStep:
    kind: str
    text: Text | None = None  # say; recall (None: the group's own release-only text)
    pause_s: float = 0.0  # say, pause
    group: str | None = None  # recall: catalogue group id
    side: str | None = None  # recall: "dominant" | "other" for sided groups
    count: int = 0  # count: up to N; cue: N breaths


def parse_script(doc: Located, raw: Any, catalogue: Catalogue,
                 complete: bool = True) -> tuple[ScriptStep, ...]:
    """The steps; texts in every language of the catalogue (complete=False: at least one)."""
    if not isinstance(raw, list) or not raw:
        raise doc.error(("script",), "expected a non-empty list of steps")
    steps: list[ScriptStep] = []
    for i, item in enumerate(raw):
        path: tuple[str | int, ...] = ("script", i)
        if not isinstance(item, dict):
            raise doc.error(path, f"expected a step such as 'say:' or 'recall:'; one of "
                                  f"{', '.join(STEP_KINDS)}")
        kinds = [k for k in STEP_KINDS if k in item]
        kind = "recall" if "recall" in item else "say" if "say" in item else (
            kinds[0] if len(kinds) == 1 else "")
        if not kind or (kind not in ("say", "recall") and len(kinds) > 1):
            raise doc.error(path, f"one step kind per step: {', '.join(STEP_KINDS)}")
        allowed = {"say": {"say", "pause"}, "recall": {"recall", "say"}}.get(kind, {kind})
        extra = sorted(set(item) - allowed)
        if extra:
            raise doc.error((*path, extra[0]), f"unknown field for a {kind} step")
        steps.append(_step(doc, path, kind, item, catalogue, complete))
    return tuple(steps)


def _step(doc: Located, path: tuple[str | int, ...], kind: str, item: dict[str, Any],
          catalogue: Catalogue, complete: bool) -> ScriptStep:
    langs = catalogue.langs
    pause = item.get("pause", 0.0)
    if kind in ("say", "pause"):
        low, high = PAUSE_RANGE
        if isinstance(pause, bool) or not isinstance(pause, int | float) or not low <= pause <= high:
            raise doc.error((*path, "pause"), f"expected seconds of quiet {low:g}-{high:g}")
    if kind == "pause":
        return ScriptStep("pause", pause_s=float(pause))
    if kind == "say":
        return ScriptStep("say", text_field(doc, (*path, "say"), item["say"], langs,
                                            complete=complete),
                          pause_s=float(pause))
    if kind == "recall":
        ref = item["recall"]
        group_id, _, side = str(ref).partition("@")
        if group_id not in catalogue:
            raise doc.error((*path, "recall"), f"unknown muscle group {group_id!r}")
        group = catalogue[group_id]
        if group.sided and side not in ("dominant", "other"):
            raise doc.error((*path, "recall"), f"{group_id!r} has two sides: write "
                                               f"{group_id}@dominant or @other")
        if not group.sided and side:
            raise doc.error((*path, "recall"), f"{group_id!r} has no sides; drop '@{side}'")
        text = (text_field(doc, (*path, "say"), item["say"], langs, complete=complete)
                if "say" in item else None)
        return ScriptStep("recall", text, group=group_id, side=side or None)
    limit = MAX_COUNT if kind == "count" else MAX_CUE_BREATHS
    number = item[kind]
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= limit:
        raise doc.error((*path, kind), f"expected a whole number 1-{limit}")
    return ScriptStep(kind, count=number)
