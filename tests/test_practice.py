"""Practice mode: accounts, logins, invites and who may see whose records, on SQLite and on
PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from ontspan.interfaces.cli import cli
from ontspan.services import practice
from ontspan.services.practice import PracticeError
from ontspan.store.accounts import Accounts

NOW = datetime(2026, 11, 29, 20, 0)
PASSWORD = "een lang wachtwoord"


def test_accounts_logins_and_who_sees_whom(accounts: Accounts) -> None:
    anna = practice.add_account(accounts, "Anna@Praktijk.nl", "therapist", PASSWORD, None, NOW)
    bert = practice.add_account(accounts, "bert@praktijk.nl", "therapist", PASSWORD, None, NOW)
    carla = practice.add_account(accounts, "carla@x.nl", "client", PASSWORD, "anna@praktijk.nl",
                                 NOW)
    assert anna.email == "anna@praktijk.nl" and carla.therapist_id == anna.id
    assert accounts.by_email("anna@praktijk.nl") is not None
    assert "een lang" not in accounts.by_email("anna@praktijk.nl").password_hash  # type: ignore[union-attr]
    assert accounts.by_email("anna@praktijk.nl").password_hash.startswith("$argon2id$")  # type: ignore[union-attr]

    login = practice.log_in(accounts, "ANNA@praktijk.nl ", PASSWORD, NOW)
    assert practice.current_account(accounts, login.token, NOW) == anna
    # A login lasts a month, survives a restart (it is in the database) and can be revoked.
    assert practice.current_account(accounts, login.token, NOW + timedelta(days=31)) is None
    practice.log_out(accounts, login.token, NOW)
    assert practice.current_account(accounts, login.token, NOW) is None
    assert practice.current_account(accounts, "made-up", NOW) is None

    assert practice.may_see(anna, carla) and practice.may_see(carla, carla)
    assert not practice.may_see(bert, carla) and not practice.may_see(carla, anna)
    with pytest.raises(PracticeError) as refused:
        practice.client_for(accounts, bert, carla.id, NOW)
    assert refused.value.key == "practice.not_allowed"
    practice.client_for(accounts, anna, carla.id, NOW)
    assert [(e.actor_id, e.action) for e in accounts.audit_of(carla.id)] == [(anna.id, "viewed")]

    practice.hand_over(accounts, anna, carla.id, "bert@praktijk.nl", NOW)
    moved = accounts.by_id(carla.id)
    assert moved is not None and practice.may_see(bert, moved) and not practice.may_see(anna, moved)
    practice.close_file(accounts, bert, carla.id, NOW)
    with pytest.raises(PracticeError):
        practice.log_in(accounts, "carla@x.nl", PASSWORD, NOW)


def test_wrong_passwords_are_counted_and_then_refused(accounts: Accounts) -> None:
    practice.add_account(accounts, "anna@praktijk.nl", "therapist", PASSWORD, None, NOW)
    for _ in range(practice.MAX_FAILURES):
        with pytest.raises(PracticeError) as wrong:
            practice.log_in(accounts, "anna@praktijk.nl", "niet goed geraden", NOW)
        assert wrong.value.key == "practice.login_wrong"
    with pytest.raises(PracticeError) as blocked:
        practice.log_in(accounts, "anna@praktijk.nl", PASSWORD, NOW)
    assert blocked.value.key == "practice.too_many_attempts"
    later = NOW + practice.FAILURE_WINDOW + timedelta(seconds=1)
    assert practice.log_in(accounts, "anna@praktijk.nl", PASSWORD, later).account.role == "therapist"
    # An unknown address gets the same answer as a wrong password.
    with pytest.raises(PracticeError) as unknown:
        practice.log_in(accounts, "nobody@x.nl", PASSWORD, NOW)
    assert unknown.value.key == "practice.login_wrong"


def test_invites_are_single_use_and_expire(accounts: Accounts) -> None:
    anna = practice.add_account(accounts, "anna@praktijk.nl", "therapist", PASSWORD, None, NOW)
    token = practice.make_invite(accounts, anna, NOW)
    with pytest.raises(PracticeError) as short:
        practice.accept_invite(accounts, token, "dirk@x.nl", "kort", NOW)
    assert short.value.key == "practice.password_short"  # the invite is not used up by that
    dirk = practice.accept_invite(accounts, token, "dirk@x.nl", PASSWORD, NOW)
    assert dirk.role == "client" and dirk.therapist_id == anna.id
    with pytest.raises(PracticeError) as again:
        practice.accept_invite(accounts, token, "eva@x.nl", PASSWORD, NOW)
    assert again.value.key == "practice.invite_invalid"
    late = practice.make_invite(accounts, anna, NOW)
    with pytest.raises(PracticeError):
        practice.accept_invite(accounts, late, "eva@x.nl", PASSWORD, NOW + timedelta(days=8))
    with pytest.raises(PracticeError):
        practice.make_invite(accounts, dirk, NOW)  # clients do not invite


def test_account_add_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONTSPAN_PASSWORD", PASSWORD)
    runner = CliRunner()
    out = runner.invoke(cli, ["account", "add", "anna@praktijk.nl", "--role", "therapist",
                              "--lang", "nl"])
    assert out.exit_code == 0 and "Account aangemaakt: anna@praktijk.nl (therapeut)" in out.stdout
    out = runner.invoke(cli, ["account", "add", "carla@x.nl", "--role", "client", "--lang", "en"])
    assert out.exit_code == 1
    assert "A client belongs to a therapist" in out.stderr and "Traceback" not in out.output
    out = runner.invoke(cli, ["account", "add", "carla@x.nl", "--role", "client",
                              "--therapist", "anna@praktijk.nl"])
    assert out.exit_code == 0
    monkeypatch.delenv("ONTSPAN_PASSWORD")
    out = runner.invoke(cli, ["account", "add", "dirk@x.nl", "--role", "therapist"],
                        input=f"{PASSWORD}\n{PASSWORD}\n")
    assert out.exit_code == 0 and "dirk@x.nl" in out.stdout


def test_each_client_has_a_journal_of_their_own(accounts: Accounts) -> None:
    from ontspan.core.safety import Profile
    from ontspan.core.sleep import NightAnswers, parse_clock
    from ontspan.store.journal import Journal, SessionRecord

    def night(quality: int) -> NightAnswers:
        return NightAnswers(NOW.date(), parse_clock("bed", "23:00"), parse_clock("try", "23:10"),
                            20, 1, 10, parse_clock("final", "06:50"), parse_clock("out", "07:00"),
                            quality, "")

    carla, dirk, mine = (Journal(accounts.engine, owner) for owner in ("c-id", "d-id", ""))
    carla.save_night(night(2))
    dirk.save_night(night(4))  # the same night, another person: both kept
    carla.add_session(SessionRecord(NOW, "bed", "completed", tension_before=6, tension_after=3))
    neck = Profile(("neck",))
    carla.save_intake(neck)
    assert [n.answers.quality for n in carla.nights()] == [2]
    assert [n.answers.quality for n in dirk.nights()] == [4]
    assert len(carla.sessions()) == 1 and dirk.sessions() == [] and mine.sessions() == []
    assert carla.profile() == neck and dirk.profile() is None
    dirk.forget_all()
    assert len(carla.sessions()) == 1 and carla.nights()
    assert not dirk.remove_night(NOW.date()) and carla.remove_night(NOW.date())
