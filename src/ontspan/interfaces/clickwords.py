"""click's own words ("Aborted!", "Error:", "Usage:", "is not a valid integer") in the
person's language, and a yes/no question that understands j, ja, nee, nein.

click marks its messages for gettext but looks them up in the process-wide default domain;
we point each of its modules at our catalogue instead. The messages below are click's own
msgids, listed here (N_) so that extraction puts them in our catalogues for translation."""

from __future__ import annotations

import importlib

import click

from ontspan.core.i18n import N_, _, gettext, plural

CLICK_MODULES = ("core", "exceptions", "types", "termui", "decorators", "formatting", "parser")

CLICK_MESSAGES = (
    N_("Aborted!"),
    N_("Options"),
    N_("Commands"),
    N_("Missing command."),
    N_("Usage:"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Could not open file {filename!r}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Show the version and exit."),
    N_("Show this message and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: invalid input"),
    N_("Error: The two entered values do not match."),
    N_("Repeat for confirmation"),
    N_("Press any key to continue..."),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("default: {default}"),
    N_("required"),
)


def _plurals() -> None:
    # click's plural messages, for extraction (ngettext's first two arguments).
    from ontspan.core.i18n import ngettext

    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.",
             1)


def localise_click() -> None:
    """From now on click speaks the language in force (see ontspan.core.i18n)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            setattr(module, "_", gettext)  # noqa: B010 - mypy does not know click's names
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", plural)  # noqa: B010


YES = ("j", "ja", "y", "yes")
NO = ("n", "nee", "nein", "no")


def confirm(text: str, default: bool = False) -> bool:
    """click.confirm in the person's language: '[j/N]', and j, ja, nee or nein are understood
    (y and n always work too). Ctrl-C or end of input: no."""
    suffix = _("[y/N]") if not default else _("[Y/n]")
    while True:
        try:
            answer = click.prompt(f"{text} {suffix}", default="", show_default=False,
                                  prompt_suffix=" ").strip().lower()
        except (click.Abort, EOFError):
            return False
        if answer == "":
            return default
        if answer in YES:
            return True
        if answer in NO:
            return False
        click.echo(_("Please answer yes or no (j/n)."), err=True)
