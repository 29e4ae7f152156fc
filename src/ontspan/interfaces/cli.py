"""The `ontspan` command. It parses arguments and calls services; heavy libraries (audio,
database, web) are imported inside the commands that need them, so --help stays fast."""

from __future__ import annotations

import json
import sys
from enum import IntEnum
from typing import Any

import click

from ontspan import __version__
from ontspan.core.errors import OntspanError
from ontspan.interfaces.options import pop_session_options, session_options


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class OntspanGroup(click.Group):
    """Turns every OntspanError into one clear line and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OntspanError as exc:
            click.echo(f"ontspan: {exc}", err=True)
            ctx.exit(ExitStatus.ERROR)


@click.group(cls=OntspanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ontspan")
def cli() -> None:
    """Progressive muscle relaxation: tense a muscle group, let go, feel the difference.

    Start with `ontspan practice` (or `ontspan practice bed` in bed,
    `ontspan practice onderweg` on the train). Everything stays on this computer.
    """


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--lang", type=click.Choice(["nl", "en"]), help="Language of names.")
def routines(as_json: bool, lang: str | None) -> None:
    """List the built-in routines and your own, with their length."""
    from ontspan import library, paths
    from ontspan.services.sessions import prefs_for, timeline_for

    listing = library.all_routines()
    rows: list[dict[str, Any]] = []
    for routine in listing.routines:
        prefs = prefs_for(routine, {"lang": lang})
        timeline = timeline_for(routine, prefs)
        rows.append({
            "id": routine.id,
            "name": routine.name(prefs.lang),
            "summary": routine.summary(prefs.lang),
            "groups": len(timeline.groups),
            "minutes": round(timeline.duration_ms / 60_000, 1),
            "source": "built-in" if routine.builtin else routine.source,
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = max(len(r["id"]) for r in rows)
        for r in rows:
            own = "" if r["source"] == "built-in" else "  (own)"
            click.echo(f"{r['id']:<{width}}  {r['minutes']:>4} min  {r['groups']:>2} groups  "
                       f"{r['summary']}{own}")
        click.echo(f"\nYour own routines go in {paths.routines_dir()} (YAML).")
    for problem in listing.problems:
        click.echo(f"ontspan: {problem}", err=True)
    if listing.problems:
        sys.exit(ExitStatus.ERROR)


@cli.command()
@click.argument("routine", default="standaard")
@session_options
@click.option("--json", "as_json", is_flag=True, help="Print the Timeline as JSON.")
def show(routine: str, as_json: bool, **kwargs: Any) -> None:
    """Show the exact script of a session: every step, what is said and when."""
    from ontspan.services.sessions import build

    timeline = build(routine, pop_session_options(kwargs))
    if as_json:
        click.echo(json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2))
        return
    from ontspan.interfaces.showtext import render_text

    click.echo(render_text(timeline))


def main() -> None:
    cli(prog_name="ontspan")
