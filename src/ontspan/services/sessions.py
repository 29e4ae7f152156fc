"""From what a person asked for to a Timeline: routine lookup, preference layers, safety."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ontspan import library, paths
from ontspan.core.compiler import SpeechMs, compile_timeline, estimate_speech_ms
from ontspan.core.prefs import Prefs, resolve
from ontspan.core.routines import Routine
from ontspan.core.timeline import Timeline


@dataclass(frozen=True)
class Request:
    """What the person asked for: a routine name and the options they gave (None = not given)."""

    routine: str
    options: dict[str, Any]
    safety: bool = True  # apply the stored safety profile


def prefs_for(routine: Routine, options: dict[str, Any], base: Prefs | None = None) -> Prefs:
    lang = {"lang": paths.default_lang()}
    return resolve(lang, routine.defaults, options, base=base)


def timeline_for(
    routine: Routine, prefs: Prefs, speech_ms: SpeechMs = estimate_speech_ms
) -> Timeline:
    return compile_timeline(routine, prefs, library.catalogue(), library.phrases(), speech_ms)


def build(routine_name: str, options: dict[str, Any]) -> Timeline:
    routine = library.find(routine_name)
    return timeline_for(routine, prefs_for(routine, options))
