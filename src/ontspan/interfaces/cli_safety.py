"""Safety and habit commands: intake, plan, today."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ontspan.core.errors import OntspanError
from ontspan.core.i18n import N_, _, join, weekday_names
from ontspan.interfaces.cli_journal import lang_or_default, open_journal, read_settings
from ontspan.interfaces.helptext import SpokenCommand
from ontspan.interfaces.options import lang_choice

if TYPE_CHECKING:
    from ontspan.core.safety import RuleResult
    from ontspan.store.journal import Journal


@click.command(cls=SpokenCommand, help=N_(
    "A few safety questions, so every session fits your body (asked once, "
    "changeable)."))
@click.option("--pain", help=N_("Areas with serious pain or joint problems, e.g. lower-back,neck "
                             "(or 'none')."))
@click.option("--heart-lung", type=click.Choice(["yes", "no"]),
              help=N_("A heart or lung condition, or short of breath quickly."))
@click.option("--trauma", type=click.Choice(["yes", "no"]), help=N_("Trauma or PTSD complaints."))
@click.option("--therapist", type=click.Choice(["yes", "no"]),
              help=N_("You practise with a therapist."))
@click.option("--injury", help=N_("Areas with an injury or operation in the past months "
                                  "(or 'none')."))
@click.option("--pregnant", type=click.Choice(["yes", "no"]), help=N_("Pregnant (default: no)."))
@click.option("--contact-lenses", type=click.Choice(["yes", "no"]),
              help=N_("Contact lenses while practising (default: no)."))
@click.option("--show", is_flag=True, help=N_("Show your answers and what they change."))
@click.option("--reset", is_flag=True, help=N_("Forget your answers (and past reactions)."))
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
def intake(pain: str | None, heart_lung: str | None, trauma: str | None, therapist: str | None,
           injury: str | None, pregnant: str | None, contact_lenses: str | None,
           show: bool, reset: bool, lang: str | None) -> None:
    from ontspan.core.safety import Profile
    from ontspan.services.safety import active_rules, parse_areas, save_intake

    lang = lang_or_default(lang)
    journal = open_journal()
    if reset:
        journal.forget_safety()
        click.echo(_("Your answers to the safety questions are forgotten."))
        return
    if show:
        profile = journal.profile()
        if profile is None:
            click.echo(_("Not answered yet (run `ontspan intake`)."))
            return
        from ontspan import library

        def yes(value: bool) -> str:
            return _("yes") if value else _("no")

        areas = join([library.area_name(a, lang) for a in profile.pain_areas]) or _("none")
        click.echo(_("Pain or joint problems: {areas}", areas=areas))
        click.echo(_("Heart or lung condition: {answer}", answer=yes(profile.heart_lung)))
        click.echo(_("Trauma or PTSD complaints: {answer}", answer=yes(profile.trauma)))
        click.echo(_("Practising with a therapist: {answer}", answer=yes(profile.therapist)))
        injured = join([library.area_name(a, lang) for a in profile.injury_areas]) or _("none")
        click.echo(_("Injury or operation: {areas}", areas=injured))
        click.echo(_("Pregnant: {answer}", answer=yes(profile.pregnant)))
        click.echo(_("Contact lenses: {answer}", answer=yes(profile.contact_lenses)))
        click.echo(_("Sessions that left you dizzy, nauseous or restless: {n}",
                     n=profile.reactions))
        show_rules(active_rules(profile, lang))
        return
    given = [pain, heart_lung, trauma, therapist]
    if all(v is None for v in [*given, injury, pregnant, contact_lenses]):
        if not sys.stdin.isatty():
            raise OntspanError(_("intake: give --pain, --heart-lung, --trauma and --therapist, "
                                 "or run it on a terminal to be asked"))
        run_intake(journal, lang)
        return
    missing = [name for name, v in zip(("--pain", "--heart-lung", "--trauma", "--therapist"),
                                       given, strict=True) if v is None]
    if missing:
        raise OntspanError(_("{option}: missing (give all four answers, or none to be asked)",
                             option=missing[0]))
    profile = Profile(parse_areas(pain or ""), heart_lung == "yes", trauma == "yes",
                      therapist == "yes", 0, parse_areas(injury or "", "--injury"),
                      pregnant == "yes", contact_lenses == "yes")
    show_saved(save_intake(journal, profile, lang), lang)


def show_rules(active: list[RuleResult]) -> None:
    for result in active:
        click.echo(f"- {result.text}")
        if result.advice:
            click.echo(f"  {result.advice}")


def show_saved(active: list[RuleResult], lang: str) -> None:
    from ontspan import library

    click.echo(library.phrases()("intake.saved" if active else "intake.none", lang))
    show_rules(active)


def _yes(text: str) -> bool:
    """j, ja, nee, nein, y, no...; Enter means no."""
    from ontspan.core.reading import yes_no

    while True:
        answer = click.prompt(text, default="", show_default=False)
        if not answer.strip():
            return False
        found = yes_no(answer)
        if found is not None:
            return found


def run_intake(journal: Journal, lang: str) -> None:
    """The safety questions on a terminal; the answers are saved and what they change shown."""
    from ontspan import library
    from ontspan.core.safety import Profile
    from ontspan.services.safety import parse_areas, save_intake

    say = library.phrases()
    click.echo(say("intake.intro", lang))

    def areas(question: str) -> tuple[str, ...]:
        while True:
            try:
                return parse_areas(click.prompt(say(question, lang), default="",
                                                show_default=False))
            except OntspanError as exc:
                click.echo(str(exc).removeprefix("--pain: "))

    pain = areas("intake.pain")
    heart_lung = _yes(say("intake.heart_lung", lang))
    trauma = _yes(say("intake.trauma", lang))
    injury = areas("intake.injury")
    pregnant = _yes(say("intake.pregnant", lang))
    lenses = _yes(say("intake.lenses", lang))
    profile = Profile(pain, heart_lung, trauma, _yes(say("intake.therapist", lang)), 0,
                      injury, pregnant, lenses)
    show_saved(save_intake(journal, profile, lang), lang)


def first_run_check(journal: Journal, lang: str) -> None:
    """On the first practice: the intake questions (skippable), once."""
    if journal.intake_offered():
        return
    journal.mark_intake_offered()
    run_intake(journal, lang)


@click.command(cls=SpokenCommand, help=N_(
    "Choose fixed moments to practise; export them to your calendar as "
    "reminders.\n\nThe usual advice: every day, once after work or school and once "
    "before sleep (`--daily 18:00,22:30`). Three times a week fairly beats never "
    "perfectly (`--weekly mon,wed,fri@19:00`). In the first weeks, 5-10 minutes is "
    "plenty."))
@click.option("--daily", help=N_("Every day at these times, e.g. 18:00,22:30."))
@click.option("--weekly", multiple=True, help=N_("On these days, e.g. mon,wed,fri@19:00 "
                                              "(repeatable)."))
@click.option("--routine", "routines", multiple=True,
              help=N_("Routine per moment, in order (or one for all); default: bed after 21:00, "
                   "else standaard."))
@click.option("--rapid", help=N_("Short reminders for rapid relaxation (30 s) every day at these "
                             "times, e.g. 10:00,12:30,15:00 (learning path, stage 9)."))
@click.option("--tz", help=N_("Time zone for the calendar (default: this computer's)."))
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("Write the plan as a calendar file with reminders (.ics)."))
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
def plan(daily: str | None, weekly: tuple[str, ...], routines: tuple[str, ...], rapid: str | None,
         tz: str | None, ics_path: Path | None, lang: str | None) -> None:
    from ontspan.files import atomic_path, check_output
    from ontspan.services.planning import build_plan, ics, local_zone, with_rapid

    lang = lang_or_default(lang)
    if ics_path is not None:
        check_output(ics_path)
    journal = open_journal()
    current = journal.plan()
    if daily or weekly:
        current = build_plan(daily, weekly, routines, tz or (current.tz if current else None)
                             or local_zone())
        journal.save_plan(current)
    elif routines or (tz and not rapid):
        raise OntspanError(_("--routine/--tz: give them with --daily or --weekly"))
    if rapid:
        current = with_rapid(current, rapid, tz or local_zone())
        journal.save_plan(current)
    if current is None:
        if not sys.stdin.isatty() or ics_path is not None:
            raise OntspanError(_("plan: no plan yet; e.g. ontspan plan --daily 18:00,22:30"))
        times = click.prompt(_("At what times do you want to practise? (e.g. 18:00,22:30)"),
                             default="18:00,22:30")
        current = build_plan(times, (), (), local_zone())
        journal.save_plan(current)
    from ontspan.core.plan import DAYS
    from ontspan.interfaces.cli_journal import routine_name

    names = weekday_names()
    for moment in current.moments:
        days = _("every day") if moment.every_day else join(
            [names[DAYS.index(d)] for d in moment.days])
        click.echo(f"{moment.time}  {days}: {routine_name(moment.routine)}")
    click.echo(_("In the first weeks 5-10 minutes is plenty (--minutes 8)."))
    if ics_path is not None:
        with atomic_path(ics_path) as tmp:
            tmp.write_bytes(ics(current, lang, datetime.now().astimezone()))
        click.echo(str(ics_path))


@click.command(cls=SpokenCommand, help=N_(
    "What is planned and done today, and the session to start now."))
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
def today(lang: str | None) -> None:
    from ontspan.services.sessions import suggested_routine

    lang = lang_or_default(lang)
    settings = read_settings()
    now = datetime.now()
    done = settings.done_on(now.date())
    current = settings.plan
    from ontspan.interfaces.cli_journal import STATES, routine_name

    if current:
        for moment in current.on(now):
            click.echo(_("Planned: {time} {routine}", time=moment.time,
                         routine=routine_name(moment.routine)))
    else:
        click.echo(_("No fixed moments yet (ontspan plan)."))
    for s in done:
        click.echo(_("Done: {time} {routine} ({state})", time=f"{s.started_at:%H:%M}",
                     routine=routine_name(s.routine), state=_(STATES.get(s.state, s.state))))
    state = settings.path
    suggestion = suggested_routine(current, now, state)
    if state is not None:
        from ontspan import library

        stage = library.learning_path().find(state.stage)
        if stage is not None:
            click.echo(library.phrases()("path.today", lang).format(n=stage.number,
                                                                     name=stage.name(lang)))
    click.echo(_("Now: ontspan practice {routine}", routine=suggestion))


COMMANDS = [intake, plan, today]
