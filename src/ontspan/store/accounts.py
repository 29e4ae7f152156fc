"""Accounts of a practice: therapists and clients, their logins, invites and the audit log.

Only digests of tokens are stored: a leaked database does not log anyone in. Every method is
one transaction, so several worker processes can share the database without state of their
own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, delete, func, insert, select, update

from ontspan.store import schema

ROLES = ("therapist", "client")


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    role: str
    password_hash: str
    therapist_id: str | None
    created_at: datetime
    closed_at: datetime | None = None

    @property
    def is_therapist(self) -> bool:
        return self.role == "therapist"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: str
    action: str
    subject_id: str
    detail: str


def _account(row: object) -> Account:
    return Account(row.id, row.email, row.role, row.password_hash,  # type: ignore[attr-defined]
                   row.therapist_id, row.created_at, row.closed_at)  # type: ignore[attr-defined]


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, email: str, role: str, password_hash: str, therapist_id: str | None,
            now: datetime) -> Account:
        account = Account(str(uuid.uuid4()), email, role, password_hash, therapist_id, now)
        with self.engine.begin() as conn:
            conn.execute(insert(schema.accounts).values(
                id=account.id, email=email, role=role, password_hash=password_hash,
                therapist_id=therapist_id, created_at=now))
        return account

    def by_email(self, email: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.accounts)
                               .where(schema.accounts.c.email == email)).first()
        return _account(row) if row else None

    def by_id(self, account_id: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.accounts)
                               .where(schema.accounts.c.id == account_id)).first()
        return _account(row) if row else None

    def clients_of(self, therapist_id: str) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.accounts)
                                .where(schema.accounts.c.therapist_id == therapist_id,
                                       schema.accounts.c.closed_at.is_(None))
                                .order_by(schema.accounts.c.email))
            return [_account(r) for r in rows]

    def set_password(self, account_id: str, password_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.accounts).where(schema.accounts.c.id == account_id)
                         .values(password_hash=password_hash))

    def set_therapist(self, client_id: str, therapist_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.accounts).where(schema.accounts.c.id == client_id)
                         .values(therapist_id=therapist_id))

    def close(self, account_id: str, now: datetime) -> None:
        """A closed file: the person can no longer log in; their logins end."""
        with self.engine.begin() as conn:
            conn.execute(update(schema.accounts).where(schema.accounts.c.id == account_id)
                         .values(closed_at=now))
            conn.execute(update(schema.logins).where(schema.logins.c.account_id == account_id,
                                                     schema.logins.c.revoked_at.is_(None))
                         .values(revoked_at=now))

    def delete(self, account_id: str) -> None:
        """The account itself (its records are deleted by the journal of its owner)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.logins).where(schema.logins.c.account_id == account_id))
            conn.execute(delete(schema.accounts).where(schema.accounts.c.id == account_id))

    # Logins (a browser session each; the cookie holds the token, the table its digest)

    def add_login(self, digest: str, account_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.logins).values(id=digest, account_id=account_id,
                                                      created_at=now))

    def login(self, digest: str, max_age: timedelta, now: datetime) -> Account | None:
        """The account behind a live login, or None (unknown, revoked, expired, closed)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.accounts)
                .join(schema.logins, schema.logins.c.account_id == schema.accounts.c.id)
                .where(schema.logins.c.id == digest, schema.logins.c.revoked_at.is_(None),
                       schema.logins.c.created_at > now - max_age,
                       schema.accounts.c.closed_at.is_(None))
            ).first()
        return _account(row) if row else None

    def revoke(self, digest: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.logins).where(schema.logins.c.id == digest)
                         .values(revoked_at=now))

    def revoke_all(self, account_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(schema.logins).where(schema.logins.c.account_id == account_id,
                                                     schema.logins.c.revoked_at.is_(None))
                         .values(revoked_at=now))

    # Failed logins, counted in the database so that every worker sees the same count

    def failures_since(self, email: str, since: datetime) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(
                select(func.count()).select_from(schema.login_failures)
                .where(schema.login_failures.c.email == email,
                       schema.login_failures.c.at > since)).scalar_one())

    def add_failure(self, email: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.login_failures).values(email=email, at=now))
            # Old failures say nothing any more: keep the table small.
            conn.execute(delete(schema.login_failures)
                         .where(schema.login_failures.c.at < now - timedelta(days=1)))

    # Invites: single use, expiring

    def add_invite(self, digest: str, therapist_id: str, expires_at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.invites).values(id=digest, therapist_id=therapist_id,
                                                       expires_at=expires_at))

    def use_invite(self, digest: str, now: datetime) -> str | None:
        """Marks a live invite used and returns its therapist's id; None when it is unknown,
        used or expired. The update is conditional, so two workers cannot both use it."""
        invites = schema.invites
        with self.engine.begin() as conn:
            row = conn.execute(select(invites.c.therapist_id).where(
                and_(invites.c.id == digest, invites.c.used_at.is_(None),
                     invites.c.expires_at > now))).first()
            if row is None:
                return None
            done = conn.execute(update(invites).where(invites.c.id == digest,
                                                      invites.c.used_at.is_(None))
                                .values(used_at=now))
            return str(row.therapist_id) if done.rowcount == 1 else None

    # Audit log: who viewed or changed whose records

    def audit(self, actor_id: str, action: str, subject_id: str, now: datetime,
              detail: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.audit).values(at=now, actor_id=actor_id, action=action,
                                                     subject_id=subject_id, detail=detail[:200]))

    def audit_of(self, subject_id: str) -> list[AuditEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.audit).where(schema.audit.c.subject_id == subject_id)
                                .order_by(schema.audit.c.at, schema.audit.c.id))
            return [AuditEntry(r.at, r.actor_id, r.action, r.subject_id, r.detail) for r in rows]
