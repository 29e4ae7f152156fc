"""`ontspan serve`: the same practice in a browser, on this computer (or paired devices).

Server-rendered pages over the same services as the CLI; a little plain JavaScript plays the
session. The app is put together here from its parts: pages (GET), forms (POST), assets
(audio, chart, calendar), and security (headers, Host check, pairing, CSRF)."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ontspan import library
from ontspan.core.errors import OntspanError
from ontspan.store.accounts import Accounts
from ontspan.store.db import JournalUnavailable
from ontspan.store.journal import Journal
from ontspan.web.assets import Assets
from ontspan.web.forms import Forms
from ontspan.web.pages import Pages
from ontspan.web.security import LOOPBACK, HostCheck, Pairing, PairingGate, SecurityHeaders
from ontspan.web.site import HERE, Site, web_text

__all__ = ["create_app", "web_text"]

# In practice mode no request may fall back to a shared journal: this owner has no records
# and no account can have it (account ids are UUIDs).
NOBODY = "-"


class App(Starlette):
    """Starlette with the security headers outside everything, its own error pages included."""

    def build_middleware_stack(self) -> Any:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(journal: Journal | None = None, allowed_hosts: list[str] | None = None,
               pairing: Pairing | None = None, accounts: Accounts | None = None,
               secure_cookies: bool = False) -> Starlette:
    """The web app for one person, or with `accounts` for a practice (web/practice.py): the
    same pages, behind a login, each client on their own journal."""
    if accounts is not None:
        journal = Journal(accounts.engine, owner=NOBODY)
    site = Site(journal or Journal.open())
    pages = Pages(site)
    forms, assets = Forms(site, pages), Assets(site)

    async def errors(request: Request, exc: Exception) -> Response:
        status = 403 if isinstance(exc, PermissionError) else \
            503 if isinstance(exc, JournalUnavailable) else 400
        message = library.explain(exc) if isinstance(exc, OntspanError) else str(exc)
        return site.page(request, "error.html", status=status, message=message)

    async def http_errors(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return site.page(request, "error.html", status=exc.status_code, message=exc.detail)

    async def crash(request: Request, exc: Exception) -> Response:
        # Never a traceback to a person; the server log keeps the details.
        return site.page(request, "error.html", status=500,
                         message=web_text("error.crash", site.lang(request)))

    async def favicon(request: Request) -> Response:
        return FileResponse(HERE / "static" / "favicon.png", media_type="image/png")

    async def service_worker(request: Request) -> Response:
        # At the root, so it may serve every page of the app when there is no network.
        return FileResponse(HERE / "static" / "sw.js", media_type="text/javascript",
                            headers={"cache-control": "no-cache"})

    routes: list[BaseRoute] = []
    if accounts is not None:
        from ontspan.web.practice import practice_routes

        routes += practice_routes(site, accounts, pages.today, secure_cookies)
    routes += [
        Route("/", pages.today),
        Route("/practice", pages.practice),
        Route("/session", pages.session),
        Route("/journal", pages.journal),
        Route("/journal/session/{id}", pages.session_edit),
        Route("/intake", pages.intake),
        Route("/session/record", forms.record, methods=["POST"]),
        Route("/journal/night", forms.night, methods=["POST"]),
        Route("/journal/session", forms.session_save, methods=["POST"]),
        Route("/journal/session/delete", forms.session_delete, methods=["POST"]),
        Route("/journal/night/delete", forms.night_delete, methods=["POST"]),
        Route("/intake", forms.intake_save, methods=["POST"]),
        Route("/intake/later", forms.intake_later, methods=["POST"]),
        Route("/plan", forms.plan_save, methods=["POST"]),
        Route("/lang/{value}", forms.set_lang),
        Route("/theme/{value}", forms.set_theme),
        Route("/audio.{fmt}", assets.audio),
        Route("/clip/{key}.wav", assets.clip),
        Route("/insights.svg", assets.insights_svg),
        Route("/plan.ics", assets.plan_ics),
        Route("/favicon.ico", favicon),
        Route("/sw.js", service_worker),
        Route("/manifest.webmanifest", assets.manifest),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    hosts = allowed_hosts or [*LOOPBACK, "testserver"]
    HostCheck(None, hosts)  # fails now, not at the first request, on a wildcard
    middleware = [Middleware(HostCheck, allowed=hosts)]
    if accounts is not None:
        from ontspan.web.practice import LoginGate

        middleware.append(Middleware(LoginGate, accounts=accounts))
    if pairing is not None:
        refused = " / ".join(web_text("pair.needed", lang) for lang in library.languages().codes)
        middleware.append(Middleware(PairingGate, pairing=pairing, refused=refused))
    app = App(
        routes=routes, middleware=middleware,
        exception_handlers={OntspanError: errors, PermissionError: errors, ValueError: errors,
                            HTTPException: http_errors, Exception: crash},
    )
    app.state.web = site
    app.state.assets = assets
    return app
