"""The ASGI entry point of practice mode, for several worker processes:
`uvicorn --factory ontspan.web.practice_app:app --workers 4` (this is what
`ontspan serve --practice` runs). Settings come from the environment, so every worker builds
the same app: ONTSPAN_DATABASE_URL, ONTSPAN_ALLOWED_HOSTS (comma-separated) and
ONTSPAN_SECURE_COOKIES=1 behind HTTPS."""

from __future__ import annotations

import os

from starlette.applications import Starlette

from ontspan.store.accounts import Accounts
from ontspan.store.db import open_engine
from ontspan.web.app import create_app
from ontspan.web.security import LOOPBACK


def app() -> Starlette:
    hosts = [h.strip() for h in os.environ.get("ONTSPAN_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return create_app(accounts=Accounts(open_engine()), allowed_hosts=[*LOOPBACK, *hosts],
                      secure_cookies=os.environ.get("ONTSPAN_SECURE_COOKIES") == "1")
