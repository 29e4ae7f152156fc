"""The one composition path: (routine, options, safety profile, voice) -> a spoken Timeline.

Every interface (CLI show/render/handout, the terminal player, the web app) calls `compose`;
`plan_session` is its first half, for an interface that needs the language or the advice
before the voice has measured anything."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ontspan import library
from ontspan.core import i18n
from ontspan.core.compiler import SpeechMs, compile_timeline, estimate_speech_ms
from ontspan.core.path import PathState
from ontspan.core.plan import PracticePlan, routine_for_now
from ontspan.core.prefs import Adaptation, Prefs, resolve
from ontspan.core.routines import Routine
from ontspan.core.safety import Profile, apply, rules
from ontspan.core.timeline import Timeline

if TYPE_CHECKING:
    from ontspan.audio.phrases import PhraseBank
    from ontspan.audio.voices import Voice


@dataclass(frozen=True)
class SessionPlan:
    """What a session will be before any voice is involved: the routine, the preferences in
    force (safety rules applied) and the advice to show first."""

    routine: Routine
    prefs: Prefs
    advice: tuple[str, ...]


@dataclass(frozen=True)
class Composed:
    """A session ready to play: its plan, its Timeline (timed by the voice when measured) and
    the phrase bank that holds its audio (None when timed by estimate)."""

    plan: SessionPlan
    timeline: Timeline
    bank: PhraseBank | None

    @property
    def routine(self) -> Routine:
        return self.plan.routine

    @property
    def prefs(self) -> Prefs:
        return self.plan.prefs


def suggested_routine(plan: PracticePlan | None, now: datetime | None = None,
                      path: PathState | None = None) -> str:
    """On the learning path, the stage's routine; otherwise the plan's routine for the moment
    nearest now; without a plan, bed in the evening."""
    stage = library.learning_path().find(path.stage) if path is not None else None
    if stage is not None:
        return stage.routines[0]
    return routine_for_now(plan, now or datetime.now())


def plan_session(routine: Routine, options: Mapping[str, Any] | None = None,
                 profile: Profile | None = None) -> SessionPlan:
    """Layers, later winning: locale language, routine defaults, safety rules, given options."""
    options = dict(options or {})
    # The language in force: the command's --lang or the locale's, the web page's choice.
    layers: list[Mapping[str, Any]] = [{"lang": i18n.lang()}, routine.defaults]
    langs = library.languages().codes
    lang = resolve(*layers, options, langs=langs).lang
    if profile is None:
        return SessionPlan(routine, resolve(*layers, options, langs=langs), ())
    changes, active = apply(rules(profile, library.phrases(), lang), options)
    prefs = resolve(*layers, changes, options, langs=langs)
    prefs = replace(prefs, adaptations=tuple(Adaptation(r.rule, r.text) for r in active))
    return SessionPlan(routine, prefs, tuple(r.advice for r in active if r.advice))


def compose(routine: Routine, options: Mapping[str, Any] | None = None,
            profile: Profile | None = None, voice: str | Voice | None = None, *,
            measure: bool = True) -> Composed:
    """The session a person gets. With `measure`, every line is timed by the chosen voice
    (made once, then cached), so what is shown, heard and printed agree to the millisecond;
    without it, lengths are estimated (quick, for previews and tests)."""
    plan = plan_session(routine, options, profile)
    if not measure:
        return Composed(plan, _compile(plan, estimate_speech_ms), None)

    from ontspan.audio.phrases import PhraseBank
    from ontspan.audio.voices import MissingRecordings, resolve_voice

    spoken_by = voice if voice is not None and not isinstance(voice, str) \
        else resolve_voice(voice, plan.prefs.lang)
    bank = PhraseBank(spoken_by)
    missing: set[str] = set()

    def speech_ms(phrase_id: str, text: str) -> int:
        try:
            return bank.speech_ms(phrase_id, text)
        except MissingRecordings:
            # Plan with an estimate for now; below, only lines actually used must exist.
            missing.add(phrase_id)
            return estimate_speech_ms(phrase_id, text)

    timeline = _compile(plan, speech_ms)
    if missing:
        bank.check_complete([(c.phrase, c.text) for c in timeline.cues])
    bank.save_lengths()
    return Composed(plan, timeline, bank)


def _compile(plan: SessionPlan, speech_ms: SpeechMs) -> Timeline:
    return compile_timeline(plan.routine, plan.prefs, library.catalogue(), library.phrases(),
                            speech_ms, library.builtin_or_none)
