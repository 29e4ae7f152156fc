"""Journal commands: log, sleep, journal, export, import, forget, insights."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ontspan.core import i18n
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import N_, _, clock_time, day, day_short, join, number, percent
from ontspan.interfaces.helptext import SpokenCommand
from ontspan.interfaces.options import lang_choice

if TYPE_CHECKING:
    from ontspan.services.sessions import Composed
    from ontspan.store.journal import Journal
    from ontspan.store.peek import Settings


def open_journal() -> Journal:
    """The journal for this command; its connections close when the command ends."""
    from ontspan.store.journal import Journal

    j = Journal.open()
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(j.engine.dispose)
    return j


def compose_here(routine: str | None, options: dict[str, Any], voice: str | None = None,
                 use_safety: bool = True) -> Composed:
    """The session for the person on this computer: the routine they named (or the one their
    plan suggests now), with their own safety profile unless they said --no-safety."""
    from ontspan import library
    from ontspan.services.sessions import compose, suggested_routine

    settings = read_settings()
    name = routine or suggested_routine(settings.plan)
    profile = settings.profile if use_safety else None
    return compose(library.find(name), options, profile, voice)


def read_settings() -> Settings:
    """The person's profile, plan and today's sessions; quick (no database engine, no
    migrations) for the default journal, otherwise through the Journal."""
    from ontspan.store.peek import Done, Settings, peek

    found = peek()
    if found is not None:
        return found
    journal = open_journal()
    return Settings(journal.profile(), journal.plan(),
                    tuple(Done(s.started_at, s.routine, s.state) for s in journal.sessions()),
                    journal.path_state())


def lang_or_default(lang: str | None) -> str:
    """The language asked for, else the one in force (ontspan --lang, or the locale's)."""
    from ontspan.core import i18n
    from ontspan.lang import activate

    return activate(lang) if lang else i18n.lang()


def routine_name(routine_id: str) -> str:
    """A routine as the person knows it ('Slapen gaan'), not its id; the id if it is gone."""
    from ontspan import library
    from ontspan.core import i18n

    try:
        return library.find(routine_id).name(i18n.lang())
    except OntspanError:
        return routine_id


STATES = {"completed": N_("completed"), "stopped": N_("stopped")}
REACTION_WORDS = {"dizzy": N_("dizzy"), "nauseous": N_("nauseous"), "restless": N_("restless"),
                  "pain": N_("pain"), "other": N_("something else")}


def refuse_far_date(option: str, value: date, lang: str) -> None:
    """The journal's own date check (years ahead or long ago), named by the option given."""
    from ontspan.core.records import when_problem
    from ontspan.library import say

    problem = when_problem(option, value, datetime.now())
    if problem is not None:
        raise OntspanError(f"{option}: {say(problem.key, lang, **problem.values)}")


REACTION_CHOICE = click.Choice(["dizzy", "nauseous", "restless", "pain", "other", "none"])


@click.command(cls=SpokenCommand, help=N_(
    "Add a practice you did without `ontspan practice` (an audio file, from "
    "memory)."))
@click.argument("routine", default="standaard")
@click.option("--at", "when", help=N_("When you practised: 'YYYY-MM-DD HH:MM' (default: now)."))
@click.option("--minutes", type=click.FloatRange(0.25, 120),
              help=N_("How long you practised (0.5 for a rapid relaxation of 30 s)."))
@click.option("--stopped", is_flag=True, help=N_("You stopped before the end."))
@click.option("--before", type=click.IntRange(0, 10), help=N_("Tension before, 0-10."))
@click.option("--after", type=click.IntRange(0, 10), help=N_("Tension after, 0-10."))
@click.option("--reaction", type=REACTION_CHOICE, multiple=True,
              help=N_("Anything wrong: dizzy, nauseous, restless, pain, other (repeatable)."))
@click.option("--note", default="", help=N_("A note."))
def log(routine: str, when: str | None, minutes: float | None, stopped: bool, before: int | None,
        after: int | None, reaction: tuple[str, ...], note: str) -> None:
    from ontspan import library
    from ontspan.store.journal import SessionRecord

    now = datetime.now().replace(microsecond=0)
    try:
        started = datetime.fromisoformat(when) if when else now
    except ValueError:
        raise OntspanError(_("--at: {value} is not a time like '2026-03-28 21:30'",
                             value=repr(when))) from None
    if started.tzinfo is not None:  # the journal keeps this computer's wall-clock time
        started = started.astimezone().replace(tzinfo=None)
    refuse_far_date("--at", started, i18n.lang())
    routine = library.find(routine).id  # a typo is refused here, not saved
    record = SessionRecord(
        started_at=started, routine=routine, state="stopped" if stopped else "completed",
        practiced_ms=int((minutes or 0) * 60_000), tension_before=before, tension_after=after,
        reaction=tuple(r for r in reaction if r != "none"), note=note, source="log",
    )
    from ontspan.services.safety import record_reaction

    journal = open_journal()
    journal.add_session(record)
    click.echo(_("Noted: {routine}, {when}.", routine=routine_name(routine),
                 when=f"{day_short(started.date())} {clock_time(started)}"))
    # A reaction after practice from an audio file counts like one after `practice`.
    if record_reaction(journal, record.reaction, started):
        from ontspan import library

        click.echo(library.phrases()("advice.reaction", lang_or_default(None)))


SLEEP_QUESTIONS = [
    ("bed", "--bed", N_("What time did you get into bed? (e.g. 22:45)")),
    ("try_", "--try", N_("What time did you try to go to sleep?")),
    ("latency", "--latency", N_("How many minutes did it take you to fall asleep?")),
    ("awakenings", "--awakenings",
     N_("How many times did you wake up, not counting the last time?")),
    ("awake", "--awake", N_("In total, how many minutes were you awake in between?")),
    ("final", "--final", N_("What time was your final awakening?")),
    ("out", "--out", N_("What time did you get out of bed?")),
    ("quality", "--quality", N_("How would you rate your sleep, 1 (very poor) to 5 (very good)?")),
]


@click.command(cls=SpokenCommand, help=N_(
    "Fill in the sleep diary for one night (Consensus Sleep Diary), in under a "
    "minute.\n\nWithout options it asks; with all options it asks nothing. Times "
    "after midnight belong to the next morning. Entering a night again corrects it."))
@click.option("--date", "night", help=N_("Date of the evening the night began (default: last night)."))
@click.option("--bed", help=N_("Got into bed, HH:MM."))
@click.option("--try", "try_", help=N_("Started trying to sleep, HH:MM."))
@click.option("--latency", type=int, help=N_("Minutes to fall asleep."))
@click.option("--awakenings", type=int, help=N_("Times awake in the night (not the final one)."))
@click.option("--awake", type=int, help=N_("Total minutes of those awakenings."))
@click.option("--final", help=N_("Final awakening, HH:MM."))
@click.option("--out", help=N_("Got out of bed, HH:MM."))
@click.option("--quality", type=int, help=N_("Sleep quality 1 (very poor) - 5 (very good)."))
@click.option("--note", default="", help=N_("A note."))
@click.option("--lang", type=lang_choice(), help=N_("Language of the questions."))
def sleep(night: str | None, note: str, lang: str | None, **answers: Any) -> None:
    from ontspan.core.sleep import NightAnswers, parse_clock

    lang = lang_or_default(lang)
    try:
        night_of = date.fromisoformat(night) if night else date.today() - timedelta(days=1)
    except ValueError:
        raise OntspanError(_("--date: {value} is not a date like 2026-03-28",
                                  value=repr(night))) from None
    refuse_far_date("--date", night_of, lang)  # before the questions, not after them
    for key, option, question in SLEEP_QUESTIONS:
        if answers[key] is None:
            if not sys.stdin.isatty():
                raise OntspanError(_("{option}: missing (give it, or run on a terminal to be "
                                     "asked)", option=option))
            answers[key] = click.prompt(_(question),
                                        type=str if key in ("bed", "try_", "final", "out")
                                        else int)
    if answers["awakenings"] == 0 and answers["awake"] is None:
        answers["awake"] = 0
    record = NightAnswers(
        night=night_of, bed=parse_clock("--bed", answers["bed"]),
        try_sleep=parse_clock("--try", answers["try_"]), latency_min=answers["latency"],
        awakenings=answers["awakenings"], awake_min=answers["awake"],
        final=parse_clock("--final", answers["final"]), out=parse_clock("--out", answers["out"]),
        quality=answers["quality"], note=note,
    )
    saved = open_journal().save_night(record)
    m = saved.metrics()
    click.echo(_("Night of {date}: {hours} h of sleep, {latency} min to fall asleep, "
                 "sleep efficiency {efficiency}.", date=day(night_of),
                 hours=number(m["tst_min"] / 60), latency=m["sol_min"],
                 efficiency=percent(m["se_pct"], 1)))


@click.command(cls=SpokenCommand, help=N_(
    "List your latest practice sessions and sleep-diary nights (--all: every one)."))
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
@click.option("-n", "--last", "last", type=click.IntRange(1), default=20, show_default=True,
              help=N_("How many of the latest sessions and nights to list."))
@click.option("--all", "everything", is_flag=True, help=N_("List everything."))
@click.option("--ids", is_flag=True, help=N_("Show each session's id (for `ontspan remove`)."))
def journal(lang: str | None, last: int, everything: bool, ids: bool) -> None:
    from ontspan.library import say

    lang = lang_or_default(lang)
    j = open_journal()
    total_sessions, total_nights = j.count_sessions(), j.count_nights()
    limit_s = total_sessions if everything else last
    limit_n = total_nights if everything else last
    if total_sessions > limit_s:
        click.echo(say("journal.older_sessions", lang, count=total_sessions - limit_s))
    for s in reversed(j.recent_sessions(limit_s)):
        rating = ""
        if s.tension_before is not None or s.tension_after is not None:
            rating = "  " + _("tension {before} -> {after}",
                              before="-" if s.tension_before is None else s.tension_before,
                              after="-" if s.tension_after is None else s.tension_after)
        reaction = (f"  ({join([_(REACTION_WORDS.get(r, r)) for r in s.reaction])})"
                    if s.reaction else "")
        state = _(STATES.get(s.state, s.state))
        ident = f"  {s.id}" if ids else ""
        click.echo(f"{day_short(s.started_at.date())} {clock_time(s.started_at)}  "
                   f"{routine_name(s.routine)}, {state}{rating}{reaction}{ident}")
    if total_nights > limit_n:
        click.echo(say("journal.older_nights", lang, count=total_nights - limit_n))
    for n in reversed(j.recent_nights(limit_n)):
        m = n.metrics()
        click.echo(_("Night of {date}: {in_bed} min in bed, {asleep} min asleep, {latency} min "
                     "to fall asleep, sleep efficiency {efficiency}.",
                     date=day_short(n.answers.night), in_bed=m["tib_min"], asleep=m["tst_min"],
                     latency=m["sol_min"], efficiency=percent(m["se_pct"], 1)))


@click.command(cls=SpokenCommand, help=N_(
    "Export everything in the journal (sessions and nights) as JSON or CSV."))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=N_("File to write; csv writes FILE.sessions.csv and FILE.nights.csv."))
def export(fmt: str, output: Path) -> None:
    from ontspan.files import check_output
    from ontspan.services.exchange import export as do_export

    check_output(output)
    for written in do_export(open_journal(), output, fmt):
        click.echo(str(written))


@click.command(cls=SpokenCommand, help=N_(
    "Rescue a damaged journal: write out every session and night that is still "
    "readable.\n\nThe damaged file is only read, never changed. Move it aside, then "
    "`ontspan import` the rescued file to start a new journal with everything that "
    "could be saved."))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=N_("File to write, as `export` writes it; import it into a new journal."))
def salvage(fmt: str, output: Path) -> None:
    from ontspan.library import say
    from ontspan.services.exchange import salvage_to
    from ontspan.store.db import journal_path

    if os.environ.get("ONTSPAN_DATABASE_URL"):
        raise OntspanError(say("salvage.not_sqlite"))
    database = journal_path()
    if not database.exists():
        raise OntspanError(say("salvage.no_journal", path=database))
    written, rescued = salvage_to(database, output, fmt)
    for path in written:
        click.echo(say("salvage.done" if rescued.exact else "salvage.done_unknown", path=path,
                       sessions=len(rescued.sessions), nights=len(rescued.nights),
                       lost=rescued.lost))


@click.command("import", cls=SpokenCommand, help=N_(
    "Import an export (JSON, or the sessions/nights CSV files); importing twice "
    "adds nothing.\n\nEach file goes in whole or not at all. A night or session "
    "already in your journal with other values is kept and reported, unless "
    "--replace."))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help=N_("Where a file and your journal differ, take the file's (default: keep yours)."))
def import_(files: tuple[Path, ...], replace: bool) -> None:
    from ontspan.library import say
    from ontspan.services.exchange import import_file

    j = open_journal()
    for path in files:
        result = import_file(j, path, replace_existing=replace)
        for conflict in result.conflicts:
            click.echo(f"{path}: {conflict}", err=True)
        click.echo(say("import.result", path=path, sessions=result.sessions_added,
                       nights=result.nights_added, unchanged=result.unchanged,
                       conflicts=len(result.conflicts)))


@click.command(cls=SpokenCommand, help=N_(
    "Remove one night from the sleep diary or one practice session from the "
    "journal."))
@click.option("--night", "night", help=N_("The night to remove: the date of its evening."))
@click.option("--session", "session_id", help=N_("The id of the session to remove "
              "(`ontspan journal --ids`)."))
def remove(night: str | None, session_id: str | None) -> None:
    from ontspan.library import say

    if (night is None) == (session_id is None):
        raise OntspanError(say("remove.nothing"))
    j = open_journal()
    if night is not None:
        try:
            day = date.fromisoformat(night)
        except ValueError:
            raise OntspanError(f"--night: {say('record.not_date', value=repr(night))}") from None
        if not j.remove_night(day):
            raise OntspanError(say("remove.night_missing", night=day.isoformat()))
        click.echo(say("remove.night_done", night=day.isoformat()))
        return
    assert session_id is not None
    gone = j.remove_session(session_id)
    if gone is None:
        raise OntspanError(say("remove.session_missing", id=session_id))
    click.echo(say("remove.session_done", when=f"{gone.started_at:%Y-%m-%d %H:%M}",
                   routine=gone.routine))


@click.command(cls=SpokenCommand, help=N_(
    "Delete everything ontspan has recorded about you (asks first)."))
@click.option("--all", "everything", is_flag=True, required=True,
              help=N_("Delete every session, night and setting."))
@click.option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
def forget(everything: bool, yes: bool) -> None:
    from ontspan.interfaces.clickwords import confirm

    if not yes and not confirm(_("Delete all sessions, sleep-diary nights and settings for good?")):
        click.echo(_("Nothing was deleted."))
        sys.exit(1)
    open_journal().forget_all()
    click.echo(_("Everything is deleted."))


@click.command(cls=SpokenCommand, help=N_(
    "Is practice helping? Practice against your plan, tension, sleep, and honest "
    "checkpoints."))
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("Also draw the figures as a chart (.png or .svg)."))
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
def insights(plot: Path | None, lang: str | None) -> None:
    from ontspan.services.insights import build_insight, describe
    from ontspan.services.insights import plot as draw

    lang = lang_or_default(lang)
    if plot is not None:
        from ontspan.files import check_output

        if plot.suffix.lower() not in (".png", ".svg"):
            raise OntspanError(_("--plot: {path}: choose a .png or .svg file", path=plot))
        check_output(plot)
    j = open_journal()
    ins = build_insight(j, date.today())
    click.echo("\n".join(describe(ins, lang)))
    if plot is not None:
        draw(ins, j, plot, lang)
        click.echo(str(plot))


COMMANDS = [log, sleep, journal, export, salvage, import_, remove, forget, insights]
