"""From what a person asked for to a Timeline: routine lookup, preference layers, safety."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ontspan import library, paths
from ontspan.core.compiler import SpeechMs, compile_timeline, estimate_speech_ms
from ontspan.core.prefs import Prefs, resolve
from ontspan.core.routines import Routine
from ontspan.core.timeline import Timeline

if TYPE_CHECKING:
    from ontspan.audio.phrases import PhraseBank
    from ontspan.services.safety_flow import Plan
    from ontspan.store.journal import Journal


def prefs_for(
    routine: Routine, options: dict[str, Any], safety: dict[str, Any] | None = None
) -> Prefs:
    """Layers, later winning: locale language, routine defaults, safety rules, given options."""
    lang = {"lang": paths.default_lang()}
    return resolve(lang, routine.defaults, safety or {}, options)


def timeline_for(
    routine: Routine, prefs: Prefs, speech_ms: SpeechMs = estimate_speech_ms
) -> Timeline:
    return compile_timeline(routine, prefs, library.catalogue(), library.phrases(), speech_ms)



@dataclass
class Spoken:
    """A Timeline timed by a real voice, with the phrase bank that holds its audio."""

    timeline: Timeline
    bank: PhraseBank


def measured_timeline(routine: Routine, prefs: Prefs, voice_spec: str | None) -> Spoken:
    """Compile with the real spoken lengths of the chosen voice (made once, then cached)."""
    from ontspan.audio.phrases import PhraseBank
    from ontspan.audio.voices import MissingRecordings, resolve_voice

    bank = PhraseBank(resolve_voice(voice_spec, prefs.lang))
    missing: set[str] = set()

    def speech_ms(phrase_id: str, text: str) -> int:
        try:
            return bank.speech_ms(phrase_id, text)
        except MissingRecordings:
            # Plan with an estimate for now; below, only lines actually used must exist.
            missing.add(phrase_id)
            return estimate_speech_ms(phrase_id, text)

    timeline = timeline_for(routine, prefs, speech_ms)
    if missing:
        bank.check_complete([(c.phrase, c.text) for c in timeline.cues])
    return Spoken(timeline, bank)


def speak(journal: Journal, routine_name: str | None, options: dict[str, Any],
          voice: str | None = None, use_safety: bool = True) -> tuple[Plan, Spoken]:
    """The session a person gets: their routine, options and safety profile, timed by the voice.

    The one place every interface (CLI, terminal player, web) composes a session."""
    from ontspan.services.safety_flow import plan_session

    plan = plan_session(journal, routine_name, options, use_safety)
    return plan, measured_timeline(plan.routine, plan.prefs, voice)


def build(routine_name: str | None, options: dict[str, Any], voice: str | None = None,
          use_safety: bool = True) -> Spoken:
    """`speak` for one-shot commands: opens and closes the journal around it."""
    from ontspan.store.journal import Journal

    journal = Journal.open()
    try:
        return speak(journal, routine_name, options, voice, use_safety)[1]
    finally:
        journal.engine.dispose()
