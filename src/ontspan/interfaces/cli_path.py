"""The learning path command: where you are, what to practise, when to move on."""

from __future__ import annotations

import json
from datetime import datetime

import click

from ontspan.core.errors import OntspanError
from ontspan.core.i18n import N_
from ontspan.interfaces.cli_journal import lang_or_default, open_journal
from ontspan.interfaces.helptext import SpokenCommand
from ontspan.interfaces.options import lang_choice


def length_text(low_s: float, high_s: float) -> str:
    """20-30 s, 5-7 min: seconds below a minute, else minutes."""
    if high_s < 60:
        return f"{low_s:.0f}–{high_s:.0f} s" if low_s != high_s else f"{low_s:.0f} s"
    low, high = round(low_s / 60), round(high_s / 60)
    return f"{low}–{high} min" if low != high else f"{low} min"


@click.command("path", cls=SpokenCommand, help=N_(
    "The learning path: from sixteen groups to relaxing in half a minute, in ten "
    "stages.\n\nShows your stage, what to practise and how often, how far the "
    "criterion to move on is met (from your journal), and what comes next. Moving "
    "on is offered, never forced; you or your therapist move a stage forward or "
    "back by hand."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print as JSON."))
@click.option("--start", is_flag=True, help=N_("Begin the path at stage 1 (sixteen groups)."))
@click.option("--set", "set_to", metavar="STAGE",
              help=N_("Move to a stage by hand, by id or number (e.g. herinneren or 4)."))
@click.option("--next", "forward", is_flag=True, help=N_("Move on to the next stage."))
@click.option("--back", is_flag=True, help=N_("Go back one stage."))
@click.option("--stop", is_flag=True, help=N_("Leave the path (the usual sessions are suggested)."))
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
def path(as_json: bool, start: bool, set_to: str | None, forward: bool, back: bool, stop: bool,
         lang: str | None) -> None:
    from ontspan import library
    from ontspan.services import path as service

    lang = lang_or_default(lang)
    say = library.phrases()

    def t(key: str, **values: object) -> str:
        return say(key, lang).format(**values)

    if sum([start, set_to is not None, forward, back, stop]) > 1:
        raise OntspanError("path: give one of --start, --set, --next, --back, --stop")
    journal = open_journal()
    now = datetime.now().replace(microsecond=0)
    moved = True
    if start:
        here = service.set_stage(journal, library.learning_path().stages[0], now)
    elif set_to is not None:
        here = service.set_stage(journal, service.find_stage(set_to), now)
    elif forward or back:
        here = service.step(journal, forward, now)
    elif stop:
        service.leave(journal)
        if not as_json:
            click.echo(t("path.left"))
            return
        here = service.current(journal, now.date())
    else:
        moved = False
        here = service.current(journal, now.date())
    if as_json:
        click.echo(json.dumps(service.to_json(here, lang), ensure_ascii=False, indent=2))
        return
    stages = library.learning_path().stages
    stage = here.stage
    if moved:
        click.echo(t("path.moved", n=stage.number, name=stage.name(lang)))
        click.echo("")
    click.echo(t("path.title"))
    for other, met in zip(stages, here.met, strict=True):
        mark = "→" if other is stage and here.started else "✓" if met else " "
        click.echo(f" {mark} {other.number:>2}. {other.name(lang)}  ({', '.join(other.routines)})")
    click.echo("")
    if not here.started:
        click.echo(t("path.not_started"))
        return
    assert here.since is not None
    click.echo(t("path.stage", n=stage.number, total=len(stages), name=stage.name(lang),
                 since=f"{here.since:%Y-%m-%d}"))
    click.echo(stage.practise(lang))
    click.echo(t("path.routine", routine=stage.routines[0],
                 length=length_text(*stage.length_s)))
    prog = here.progress
    c = prog.criterion
    if c is None:
        click.echo(t("path.last"))
        return
    click.echo("")
    click.echo(t("path.criterion"))
    click.echo(t("path.need.sessions", done=prog.sessions, need=c.sessions))
    click.echo(t("path.need.days", done=min(prog.days, c.days), need=c.days))
    click.echo(t("path.need.relaxed", done=prog.relaxed, need=c.relaxed, recent=c.recent,
                 after=c.after_max, drop=c.drop_min))
    if here.offered is not None:
        click.echo(t("path.offer", n=here.offered.number, name=here.offered.name(lang)))
    elif here.following is not None:
        click.echo(t("path.following", n=here.following.number,
                     name=here.following.name(lang)))
    click.echo(t("path.by_hand"))


COMMANDS = [path]
