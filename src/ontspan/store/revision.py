"""The newest migration, found by reading the migration files: no Alembic import, so a
command can check in a millisecond whether the journal is up to date."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_FIELD = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)


@cache
def head_revision() -> str:
    """The revision that no other migration builds on (Alembic's 'head')."""
    revisions: set[str] = set()
    parents: set[str] = set()
    folder = resources.files("ontspan.store").joinpath("migrations").joinpath("versions")
    for entry in folder.iterdir():
        if not entry.name.endswith(".py"):
            continue
        fields = dict(_FIELD.findall(entry.read_text(encoding="utf-8")))
        if "revision" not in fields:
            continue
        revisions.add(fields["revision"].strip().strip("'\""))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", fields.get("down_revision", "")))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the journal migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()
