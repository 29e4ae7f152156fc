"""What every handler shares: the journal, the page's language, its texts and the templates.

Handlers that touch the database, the voice or matplotlib are plain `def` functions, which
Starlette runs in its thread pool: the event loop keeps answering while they work."""

from __future__ import annotations

import json
import secrets
import threading
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ontspan import library
from ontspan.core import i18n
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _
from ontspan.store.journal import Journal

HERE = Path(__file__).parent
_VOICE = threading.Lock()


def _web_texts() -> Any:
    return library.web_texts()


def web_text(key: str, lang: str) -> str:
    """One text of the web app (and `ontspan serve`) from data/web.yaml."""
    return str(_web_texts()(key, lang))


def text(key: str, lang: str) -> str:
    """A web text, or else a phrase the CLI uses too (phase names, reactions)."""
    try:
        return web_text(key, lang)
    except KeyError:
        return str(library.phrases()(key, lang))


def safe_next(target: str | None) -> str:
    """Where to go after a form: a path on this site only, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def routine_id(name: str | None) -> str | None:
    """Only names from the library, never a path (that used to open /dev/zero or /etc/...)."""
    if not name:
        return None
    if name not in {r.id for r in library.all_routines().routines}:
        raise HTTPException(404, _("There is no such routine."))  # never echo a path
    return name


# In practice mode each request works on the journal of the client who is logged in; the gate
# (web/practice.py) sets it for the request. anyio copies it into worker threads.
_request_journal: ContextVar[Journal | None] = ContextVar("ontspan_journal", default=None)


# ...and speaks with the voice the client's therapist recorded, where there is one.
_request_voice: ContextVar[Any] = ContextVar("ontspan_voice", default=None)


def use_journal(journal: Journal | None, voice: Any = None) -> Token[Journal | None]:
    _request_voice.set(voice)
    return _request_journal.set(journal)


class Site:
    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        # Numbers as the page's language writes them (2,5 in Dutch and German).
        self.templates.env.filters["num"] = lambda value, digits=1: i18n.number(value, digits)

    @property
    def journal(self) -> Journal:
        """This request's journal: the client's own in practice mode, else the one journal."""
        return _request_journal.get() or self._journal

    @staticmethod
    def lang(request: Request) -> str:
        """The person's choice (a cookie); on a first visit the browser's Accept-Language."""
        langs = library.languages()
        lang = request.cookies.get("lang")
        if lang not in langs:
            accepted = langs.from_accept_language(request.headers.get("accept-language", ""))
            lang = accepted or library.default_lang()
        return library.activate(lang)  # from here on this request speaks it

    def texts(self, key: str, lang: str) -> str:
        return web_text(key, lang)

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        lang = self.lang(request)
        token = request.cookies.get("csrf") or secrets.token_urlsafe(32)

        def t(key: str, **values: Any) -> str:
            return text(key, lang).format(**values)

        theme = request.cookies.get("theme")
        response = self.templates.TemplateResponse(
            request, name, {"t": t, "lang": lang, "languages": library.languages().items,
                            "csrf": token, "path": request.url.path,
                            "theme": theme if theme in ("light", "dark") else "",
                            **context}, status_code=status)
        response.set_cookie("csrf", token, httponly=True, samesite="strict")
        response.headers["content-language"] = lang
        return response

    def options(self, request: Request) -> dict[str, Any]:
        """Session options from the query, checked: what the player and the audio share."""
        q = request.query_params
        minutes = q.get("minutes") or None
        try:
            minutes_value = float(minutes) if minutes else None
        except ValueError:
            raise OntspanError(_("Length in minutes: {value} is not a number",
                                 value=repr(minutes))) from None
        if minutes_value is not None and not 1 <= minutes_value <= 120:
            raise OntspanError(_("minutes: {minutes} is not between 1 and 120", minutes=minutes))
        intensity = q.get("intensity") or None
        ending = q.get("ending") or None
        return {
            "lang": self.lang(request), "minutes": minutes_value,
            "breathing": True if q.get("breathing") else None,
            "intensity": intensity if intensity in ("gentle", "normal") else None,
            "ending": ending if ending in ("day", "night") else None,
        }

    def spoken(self, request: Request) -> Any:
        """(plan, spoken session) for the query. Blocking: call it from a thread."""
        from ontspan.services.sessions import compose, suggested_routine

        name = routine_id(request.query_params.get("routine")) or suggested_routine(
            self.journal.plan(), path=self.journal.path_state())
        options = self.options(request)
        with _VOICE:  # eSpeak NG keeps global state: one thread speaks at a time
            spoken = compose(library.find(name), options, self.journal.profile(),
                             _request_voice.get())
        return spoken.plan, spoken

    @staticmethod
    def options_json(options: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in options.items() if v is not None})
