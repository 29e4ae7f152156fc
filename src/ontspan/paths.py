"""Where ontspan keeps things: ONTSPAN_HOME if set (tests, portable use), else the OS folders."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path | None:
    value = os.environ.get("ONTSPAN_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    if (h := home()) is not None:
        return h
    import platformdirs

    return Path(platformdirs.user_data_dir("ontspan", appauthor=False))


def config_dir() -> Path:
    if (h := home()) is not None:
        return h
    import platformdirs

    return Path(platformdirs.user_config_dir("ontspan", appauthor=False))


def cache_dir() -> Path:
    if (h := home()) is not None:
        return h / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("ontspan", appauthor=False))


def routines_dir() -> Path:
    return config_dir() / "routines"
