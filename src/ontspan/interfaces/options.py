"""The session options every command that takes a routine shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ontspan.core.i18n import N_

F = TypeVar("F", bound=Callable[..., Any])


def lang_choice() -> click.Choice[str]:
    """The languages of data/languages.toml, for every --lang."""
    from ontspan.lang import languages

    return click.Choice(languages().codes)


SESSION_OPTIONS: list[Callable[[F], F]] = [
    click.option("--tension", type=float, help=N_("Seconds to hold the tension (3-10, default 6).")),
    click.option("--release", type=float,
                 help=N_("Seconds to let go and feel afterwards (10-60, default 25).")),
    click.option("--delay", type=float, help=N_("Seconds of quiet before the first word (default 3).")),
    click.option("--rounds", type=click.IntRange(1, 2), help=N_("Rounds per muscle group: 1 or 2.")),
    click.option("--breathing/--no-breathing", default=None,
                 help=N_("Breathe in while tensing, out while letting go.")),
    click.option("--intensity", type=click.Choice(["normal", "gentle"]),
                 help=N_("gentle: tense lightly, about half as hard.")),
    click.option("--ending", type=click.Choice(["day", "night"]),
                 help=N_("day: come back gently and get up slowly; night: fade into silence.")),
    click.option("--dominant", type=click.Choice(["right", "left"]),
                 help=N_("Your dominant side; it goes first in the sided routines.")),
    click.option("--lang", type=lang_choice(),
                 help=N_("Language (default: from your locale).")),
    click.option("--minutes", type=float,
                 help=N_("Fit the session into about this many minutes.")),
]

OPTION_KEYS = ("tension", "release", "delay", "rounds", "breathing", "intensity", "ending",
               "dominant", "lang", "minutes")


def session_options(func: F) -> F:
    for option in reversed(SESSION_OPTIONS):
        func = option(func)
    return func


def pop_session_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: kwargs.pop(key) for key in OPTION_KEYS}


voice_option = click.option(
    "--voice", metavar="VOICE",
    help=N_("Voice: 'espeak' (built in, default), a name from `ontspan voices`, a Piper .onnx "
         "model, or a folder of your own recordings."),
)
