from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


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


# Lazy imports (scipy, numpy) make a first example slow: timing is the benchmarks' business.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("ontspan", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ontspan"))
