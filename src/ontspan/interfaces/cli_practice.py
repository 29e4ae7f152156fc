"""`ontspan practice`: the guided session, now, with questions before and after."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

import click

from ontspan.core.i18n import N_
from ontspan.interfaces.helptext import SpokenCommand
from ontspan.interfaces.options import pop_session_options, session_options, voice_option


def _ask(prompt: str, allowed: set[str], lang: str, invalid: str = "ask.invalid") -> str:
    """One line; Enter or q gives '' (skip). Asks again, saying what fits, on anything else."""
    from ontspan import library

    while True:
        try:
            answer = input(prompt + ": ").strip().lower()
        except EOFError:
            return ""
        if answer in ("", "q"):
            return ""
        if answer in allowed:
            return answer
        click.echo(library.phrases()(invalid, lang))


def _tension(key: str, lang: str) -> int | None:
    from ontspan import library

    answer = _ask(library.phrases()(key, lang), {str(i) for i in range(11)}, lang,
                  "ask.invalid.scale")
    return int(answer) if answer else None


@click.command(cls=SpokenCommand, help=N_(
    "Practise now: you are talked through a session, step by step.\n\nWithout a "
    "routine you get the suggested one (see `ontspan today`); `ontspan practice "
    "bed` in bed, `ontspan practice onderweg --minutes 5` on the train. Keys: space "
    "pauses, s skips the rest of a muscle group, q (or Ctrl-C) stops."))
@click.argument("routine", required=False)
@session_options
@voice_option
@click.option("--preview", type=click.FloatRange(1, 200), default=1.0,
              help=N_("Run faster, e.g. 20 for twenty times (silent): to check a routine."))
@click.option("--no-input", is_flag=True, help=N_("Ask nothing (scripts, tests)."))
@click.option("--transcript", is_flag=True,
              help=N_("One line per cue as it is said, instead of the full-screen view (for "
                   "screen readers and logs); the default when the output is not a terminal."))
@click.option("--no-safety", is_flag=True, help=N_("Ignore your safety profile for this session."))
def practice(routine: str | None, voice: str | None, preview: float, no_input: bool,
             transcript: bool, no_safety: bool, **kwargs: Any) -> None:
    from rich.console import Console

    from ontspan import library
    from ontspan.audio.mixer import MixSettings, SessionAudio
    from ontspan.audio.playback import LiveAudio, open_sink
    from ontspan.core.safety import REACTIONS, WARNING_REACTIONS
    from ontspan.interfaces.cli_journal import open_journal
    from ontspan.interfaces.cli_safety import first_run_check
    from ontspan.interfaces.terminal_player import raw_keys, run
    from ontspan.interfaces.terminal_player import transcript as run_transcript
    from ontspan.interfaces.terminal_view import View
    from ontspan.services.player import Session, SessionClock
    from ontspan.services.safety import record_reaction
    from ontspan.services.sessions import compose, plan_session, suggested_routine
    from ontspan.store.journal import SessionRecord

    say = library.phrases()
    # The reactions as the numbers a person types at the question after a session.
    reaction_keys = {str(i): reaction for i, reaction in enumerate(REACTIONS, start=1)}
    journal = open_journal()
    options = pop_session_options(kwargs)
    chosen = library.find(routine or suggested_routine(journal.plan(), path=journal.path_state()))
    # The language decides how the questions are asked, before the session is composed.
    lang = plan_session(chosen, options).prefs.lang
    console = Console(highlight=False)
    interactive = not no_input and sys.stdin.isatty()

    if interactive:
        first_run_check(journal, lang)  # may change the profile: composed after it
    before = _tension("ask.tension_before", lang) if interactive else None

    console.print(say("ui.preparing", lang), style="dim")
    spoken = compose(chosen, options, None if no_safety else journal.profile(), voice)
    plan, timeline = spoken.plan, spoken.timeline
    assert spoken.bank is not None  # composed with its voice, so it has one
    notes = [a.text for a in timeline.adaptations]
    clock = SessionClock(time.monotonic, preview)
    session = Session(timeline, clock)
    sink = None
    if preview == 1.0:
        sink = open_sink(22_050)
        if sink is None:
            console.print(say("ui.silent", lang))
    else:
        console.print(say("ui.preview", lang).format(speed=f"{preview:g}"))

    record = SessionRecord(
        started_at=datetime.now().replace(microsecond=0), routine=plan.routine.id,
        state="stopped", options={k: v for k, v in options.items() if v is not None},
        planned_ms=timeline.duration_ms, tension_before=before,
    )
    journal.save_session(record)  # saved from the start: even a killed session is in the journal

    if sink is not None:
        audio = SessionAudio(timeline, spoken.bank.audio, MixSettings())
        live = LiveAudio(audio, clock.playing_position_ms)
        clock.resume(0)  # the device starts now, so the first cue is never late
        sink.start(live.pull)
    sound_note = ("" if sink is not None else say("ui.silent.short", lang) if preview == 1.0
                  else say("ui.preview.short", lang).format(speed=f"{preview:g}"))
    view = View(timeline, lambda key: say(key, lang), notes, sound_note)
    try:
        with raw_keys() as keys:
            if transcript or not console.is_terminal:
                outcome = run_transcript(session, view, lambda line: click.echo(line),
                                         keys)
            else:
                outcome = run(session, view, console, bell=sink is None and preview == 1.0,
                              keys=keys)
    finally:
        if sink is not None:
            sink.close()

    reaction: tuple[str, ...] = ()
    after = None
    if interactive:
        if not outcome.completed:
            answer = _ask(say("ask.stop_reason", lang), set(reaction_keys), lang)
            reaction = (reaction_keys[answer],) if answer else ()
            after = _tension("ask.tension_after", lang)
        else:
            after = _tension("ask.tension_after", lang)
            answer = _ask(say("ask.reaction", lang), set(reaction_keys) - {"5"}, lang)
            reaction = (reaction_keys[answer],) if answer else ()
    note = ""
    if outcome.skipped:
        names = {g.id: g.name for g in timeline.groups}
        note = say("note.skipped", lang).format(
            groups=", ".join(names.get(g, g) for g in outcome.skipped))
    final = replace(
        record, state="completed" if outcome.completed else "stopped",
        practiced_ms=outcome.practiced_ms, tension_after=after, reaction=reaction, note=note,
    )
    journal.save_session(final)
    record_reaction(journal, reaction)
    console.print(say("done.completed" if outcome.completed else "done.stopped", lang))
    if set(reaction) & set(WARNING_REACTIONS):
        console.print(say("advice.reaction", lang), style="yellow")
    if "pain" in reaction:
        console.print(say("advice.pain", lang), style="yellow")
    console.print(say("done.saved", lang), style="dim")
    if timeline.prefs.ending == "night":  # how to practise in bed: said after a bed session
        console.print(say("homework", lang), style="dim")
    if not outcome.completed:
        sys.exit(0)
