"""Practice mode: who may do what. Accounts, logins, invites, and the rule that a client sees
only their own records and a therapist only their own clients'.

Returns values and raises OntspanError with a message key for the interface to translate
(see data/practice.yaml); never prompts or prints."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from ontspan.core.errors import OntspanError
from ontspan.store.accounts import ROLES, Account, Accounts

if TYPE_CHECKING:
    from argon2 import PasswordHasher

PASSWORD_MIN_LENGTH = 10
LOGIN_MAX_AGE = timedelta(days=30)
INVITE_VALID = timedelta(days=7)
# Five wrong passwords for one address in fifteen minutes, then wait: slow enough to stop
# guessing, short enough that a person who mistyped is not locked out for long.
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class PracticeError(OntspanError):
    """A refusal the person can act on; `key` names its text in data/practice.yaml."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    # argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 30 ms on a
    # small server. The library's default (64 MiB, 3 passes, 4 lanes) took a second per login
    # on two cores and let a few dozen logins starve every page. Older hashes still verify.
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def _dummy_hash() -> str:
    """Checked when the address is unknown, so that the answer takes as long as for a known
    one and does not tell which addresses have an account."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise PracticeError("practice.password_short", n=PASSWORD_MIN_LENGTH)
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise PracticeError("practice.email_invalid", email=email)
    return email


def add_account(accounts: Accounts, email: str, role: str, password: str,
                therapist_email: str | None, now: datetime) -> Account:
    email = normal_email(email)
    if role not in ROLES:
        raise PracticeError("practice.role_invalid", role=role)
    if accounts.by_email(email) is not None:
        raise PracticeError("practice.email_taken", email=email)
    therapist_id = None
    if role == "client":
        if not therapist_email:
            raise PracticeError("practice.client_needs_therapist")
        therapist = accounts.by_email(normal_email(therapist_email))
        if therapist is None or not therapist.is_therapist:
            raise PracticeError("practice.no_such_therapist", email=therapist_email)
        therapist_id = therapist.id
    elif therapist_email:
        raise PracticeError("practice.therapist_has_no_therapist")
    return accounts.add(email, role, hash_password(password), therapist_id, now)


@dataclass(frozen=True)
class Login:
    token: str  # goes in the cookie; only its digest is stored
    account: Account


def log_in(accounts: Accounts, email: str, password: str, now: datetime) -> Login:
    email = email.strip().lower()
    if accounts.failures_since(email, now - FAILURE_WINDOW) >= MAX_FAILURES:
        raise PracticeError("practice.too_many_attempts", minutes=FAILURE_WINDOW.seconds // 60)
    account = accounts.by_email(email)
    ok = _verify(account.password_hash if account else _dummy_hash(), password)
    if account is None or not ok or account.closed_at is not None:
        accounts.add_failure(email, now)
        raise PracticeError("practice.login_wrong")
    token = secrets.token_urlsafe(32)
    accounts.add_login(digest(token), account.id, now)
    return Login(token, account)


def current_account(accounts: Accounts, token: str | None, now: datetime) -> Account | None:
    if not token:
        return None
    return accounts.login(digest(token), LOGIN_MAX_AGE, now)


def log_out(accounts: Accounts, token: str, now: datetime) -> None:
    accounts.revoke(digest(token), now)


def make_invite(accounts: Accounts, therapist: Account, now: datetime) -> str:
    """A single-use token for a client's invite link, valid for a week."""
    if not therapist.is_therapist:
        raise PracticeError("practice.not_allowed")
    token = secrets.token_urlsafe(24)
    accounts.add_invite(digest(token), therapist.id, now + INVITE_VALID)
    return token


def accept_invite(accounts: Accounts, token: str, email: str, password: str,
                  now: datetime) -> Account:
    email = normal_email(email)
    hashed = hash_password(password)  # checked before the invite is used up
    if accounts.by_email(email) is not None:
        raise PracticeError("practice.email_taken", email=email)
    therapist_id = accounts.use_invite(digest(token), now)
    if therapist_id is None:
        raise PracticeError("practice.invite_invalid")
    return accounts.add(email, "client", hashed, therapist_id, now)


def may_see(actor: Account, subject: Account) -> bool:
    """A person sees their own records; a therapist also those of their own clients."""
    if actor.id == subject.id:
        return True
    return actor.is_therapist and subject.therapist_id == actor.id and subject.closed_at is None


def client_for(accounts: Accounts, actor: Account, client_id: str, now: datetime,
               action: str = "viewed", detail: str = "") -> Account:
    """The client whose records `actor` opens, with the audit entry written; refused (the
    same way whether the client exists or not) when it is not theirs."""
    subject = accounts.by_id(client_id)
    if subject is None or subject.role != "client" or not may_see(actor, subject):
        raise PracticeError("practice.not_allowed")
    accounts.audit(actor.id, action, subject.id, now, detail)
    return subject


def hand_over(accounts: Accounts, actor: Account, client_id: str, to_email: str,
              now: datetime) -> None:
    client = client_for(accounts, actor, client_id, now, "handed-over", to_email)
    if not actor.is_therapist:
        raise PracticeError("practice.not_allowed")
    other = accounts.by_email(normal_email(to_email))
    if other is None or not other.is_therapist or other.closed_at is not None:
        raise PracticeError("practice.no_such_therapist", email=to_email)
    accounts.set_therapist(client.id, other.id)


def close_file(accounts: Accounts, actor: Account, client_id: str, now: datetime) -> None:
    client = client_for(accounts, actor, client_id, now, "closed")
    if not actor.is_therapist:
        raise PracticeError("practice.not_allowed")
    accounts.close(client.id, now)
