"""`--help` in the person's language.

The help of a command and of each option is an English msgid, marked with N_() where the
command is declared (click's `help=`; a docstring would not reach the catalogue), and
translated only when help or usage is shown, when the language is known. The placeholders of
the usage line (FILE, [OPTIONS], ROUTINE) are translated as well. Help is formatted from a
translated copy of the command, so the command that parses the line is never changed."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TypeVar

import click

from ontspan.core.i18n import N_, _

# The words in capitals a usage line shows: click's (from a type's name or its defaults) and
# the names of our arguments and metavars. One that is missing here stays English, and
# tests/test_every_word.py says so.
PLACEHOLDERS = (
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("[COMMAND] [ARGS]..."),
    N_("FILE"),
    N_("FILES"),
    N_("DIRECTORY"),
    N_("PATH"),
    N_("TEXT"),
    N_("INTEGER"),
    N_("INTEGER RANGE"),
    N_("FLOAT"),
    N_("FLOAT RANGE"),
    N_("ROUTINE"),
    N_("NAME"),
    N_("LOCATION"),
    N_("EMAIL"),
    N_("VOICE"),
    N_("STAGE"),
)

HELP_OPTION = N_("Show this message and exit.")  # click's msgid

CAPITALS = re.compile(r"[A-Z]{2,}(?: [A-Z]{2,})*")

C = TypeVar("C", bound=click.Command)


def placeholders(text: str) -> str:
    """'[ROUTINE]' -> '[OEFENING]': each run of capitals through the catalogue."""
    return CAPITALS.sub(lambda m: _(m.group()), text)


def _spoken_param(param: click.Parameter, ctx: click.Context) -> click.Parameter:
    shown = copy.copy(param)
    text = getattr(param, "help", None)
    if text:
        shown.help = _(text)
    if not (isinstance(param, click.Option) and (param.is_flag or param.count)):
        shown.metavar = placeholders(param.make_metavar(ctx))
    return shown


def spoken(command: C, ctx: click.Context | None) -> C:
    """A copy of the command with its words in the language in force (for showing only)."""
    shown = copy.copy(command)
    for name in ("help", "short_help", "epilog"):
        text = getattr(command, name)
        if text:
            setattr(shown, name, _(text))
    if command.options_metavar:
        shown.options_metavar = _(command.options_metavar)
    if isinstance(command, click.Group) and isinstance(shown, click.Group):
        shown.subcommand_metavar = _(command.subcommand_metavar)
    if ctx is not None:
        shown.params = [_spoken_param(p, ctx) for p in command.params]
        # click keeps the help option once made, in the language of that moment: its words
        # are taken afresh each time.
        help_option = command.get_help_option(ctx)
        if help_option is not None:
            shown_help = copy.copy(help_option)
            shown_help.help = _(HELP_OPTION)
            shown.params.append(shown_help)
            shown.add_help_option = False
    return shown


def _parse_args(parse: Callable[[], list[str]]) -> list[str]:
    """click names an argument in its complaint by its placeholder ('FILES...'): the
    person's word for it instead."""
    try:
        return parse()
    except click.BadParameter as exc:
        if exc.param is not None and exc.ctx is not None:
            exc.param = _spoken_param(exc.param, exc.ctx)
        raise


class SpokenCommand(click.Command):
    """A command whose help and usage are in the person's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parse_args(lambda: super(SpokenCommand, self).parse_args(ctx, args))

    def get_help(self, ctx: click.Context) -> str:
        return click.Command.get_help(spoken(self, ctx), ctx)

    def get_usage(self, ctx: click.Context) -> str:
        return click.Command.get_usage(spoken(self, ctx), ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Command.get_short_help_str(spoken(self, None), limit)


class SpokenGroup(click.Group):
    """A group whose help and usage, and its commands' (by default), are in the person's
    language."""

    command_class = SpokenCommand
    group_class: type[click.Group] | type[type] | None = type  # its groups are SpokenGroups

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parse_args(lambda: super(SpokenGroup, self).parse_args(ctx, args))

    def get_help(self, ctx: click.Context) -> str:
        return click.Group.get_help(spoken(self, ctx), ctx)

    def get_usage(self, ctx: click.Context) -> str:
        return click.Group.get_usage(spoken(self, ctx), ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Group.get_short_help_str(spoken(self, None), limit)

