"""`ontspan account`: the accounts of a practice (see `ontspan serve --practice`)."""

from __future__ import annotations

import os
from datetime import datetime

import click

from ontspan.core.errors import OntspanError
from ontspan.core.i18n import N_
from ontspan.interfaces.cli_journal import lang_or_default
from ontspan.interfaces.helptext import SpokenGroup


@click.group(cls=SpokenGroup, help=N_(
    "Accounts for a practice: therapists and their clients (ontspan serve "
    "--practice)."))
def account() -> None:
    pass


@account.command("add", help=N_(
    "Add a therapist or a client. The password is asked for, or read from "
    "ONTSPAN_PASSWORD (for scripts)."))
@click.argument("email")
@click.option("--role", type=click.Choice(["therapist", "client"]), required=True)
@click.option("--therapist", "therapist_email", help=N_("A client's therapist (their email)."))
@click.option("--lang", help=N_("Language of the messages."))
def account_add(email: str, role: str, therapist_email: str | None, lang: str | None) -> None:
    from ontspan import library
    from ontspan.services.practice import PracticeError, add_account
    from ontspan.store.accounts import Accounts
    from ontspan.store.db import open_engine

    lang = lang_or_default(lang)
    texts = library.practice_texts()
    password = os.environ.get("ONTSPAN_PASSWORD")
    if password is None:
        password = click.prompt(texts("practice.password_prompt", lang), hide_input=True,
                                confirmation_prompt=True)
    engine = open_engine()
    try:
        added = add_account(Accounts(engine), email, role, password, therapist_email,
                            datetime.now())
    except PracticeError as exc:
        raise OntspanError(texts(exc.key, lang).format(**exc.values)) from None
    finally:
        engine.dispose()
    role_name = texts(f"practice.role.{added.role}", lang)
    click.echo(texts("practice.account_added", lang).format(email=added.email, role=role_name))


COMMANDS = [account]
