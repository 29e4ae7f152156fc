from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pg_helpers import BACKENDS, PG_URL, reset_postgres

if TYPE_CHECKING:
    from starlette.testclient import TestClient

    from ontspan.store.accounts import Accounts
    from ontspan.store.journal import Journal


@pytest.fixture(autouse=True)
def ontspan_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own empty data folder and an English locale."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ONTSPAN_HOME", str(home))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("ONTSPAN_LANG", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    from ontspan.core import i18n

    i18n.use(i18n.Speaking())  # a command run in-process leaves its language behind
    monkeypatch.delenv("ONTSPAN_DATABASE_URL", raising=False)
    yield home


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The single-person web app over HTTP, past its first-visit questions (they have their
    own tests)."""
    from starlette.testclient import TestClient

    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    journal = Journal.open()
    journal.mark_intake_offered()
    with TestClient(create_app(journal), base_url="http://127.0.0.1") as c:
        yield c
    journal.engine.dispose()


@pytest.fixture(params=BACKENDS)
def journal(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Journal]:
    """An empty journal on SQLite, and on PostgreSQL too where there is one (CI)."""
    from ontspan.store.journal import Journal

    if request.param == "postgres":
        assert PG_URL
        reset_postgres(PG_URL)
        monkeypatch.setenv("ONTSPAN_DATABASE_URL", PG_URL)
    j = Journal.open()
    yield j
    j.engine.dispose()


@pytest.fixture(params=BACKENDS)
def accounts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
             ontspan_home: Path) -> Iterator[Accounts]:
    """Practice mode's accounts in an empty database: SQLite in the test's home, and the
    PostgreSQL server too where ONTSPAN_TEST_POSTGRES_URL names one (CI does)."""
    from ontspan.store.accounts import Accounts
    from ontspan.store.db import open_engine

    if request.param == "postgres":
        assert PG_URL
        reset_postgres(PG_URL)
        monkeypatch.setenv("ONTSPAN_DATABASE_URL", PG_URL)
    engine = open_engine()
    yield Accounts(engine)
    engine.dispose()


# Lazy imports (scipy, numpy) make a first example slow: timing is the benchmarks' business.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("ontspan", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ontspan"))
