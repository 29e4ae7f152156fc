"""`ontspan serve`: the same practice in a browser, on this computer only.

Server-rendered pages over the same services as the CLI; a little plain JavaScript plays the
session. Security even on localhost: a host check (no DNS rebinding), a CSRF token on every
form plus an Origin check, and a strict Content-Security-Policy with no inline scripts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ontspan import library, paths
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _
from ontspan.core.safety import REACTIONS
from ontspan.store.journal import Journal
from ontspan.web.security import (
    LOOPBACK,
    HostCheck,
    Pairing,
    PairingGate,
    SecurityHeaders,
    check_form,
    script_json,
)

HERE = Path(__file__).parent


def _web_texts() -> Any:
    return library.web_texts()


def web_text(key: str, lang: str) -> str:
    """One text of the web app (and `ontspan serve`) from data/web.yaml."""
    return str(_web_texts()(key, lang))


class Web:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.texts = _web_texts()
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))

    # -- helpers -------------------------------------------------------------------------

    def lang(self, request: Request) -> str:
        """The person's choice (a cookie); on a first visit the browser's Accept-Language.
        From here on this request speaks it (messages, numbers, dates)."""
        langs = library.languages()
        lang = request.cookies.get("lang")
        if lang not in langs:
            accepted = langs.from_accept_language(request.headers.get("accept-language", ""))
            lang = accepted or library.default_lang()
        return library.activate(lang)

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        lang = self.lang(request)
        token = request.cookies.get("csrf") or secrets.token_urlsafe(32)

        def t(key: str, **values: Any) -> str:
            try:
                return self.texts(key, lang).format(**values)
            except KeyError:
                return library.phrases()(key, lang).format(**values)

        response = self.templates.TemplateResponse(
            request, name, {"t": t, "lang": lang, "languages": library.languages().items,
                            "csrf": token, "path": request.url.path,
                            **context}, status_code=status)
        response.set_cookie("csrf", token, httponly=True, samesite="strict")
        response.headers["content-language"] = lang
        return response

    async def form(self, request: Request) -> dict[str, str]:
        """The posted form, after the CSRF and same-origin checks."""
        return check_form(request, await request.form())

    @staticmethod
    def routine_id(name: str | None) -> str | None:
        """Only names from the library: never a path (it used to open /dev/zero or /etc/...)."""
        if not name:
            return None
        if name not in {r.id for r in library.all_routines().routines}:
            raise HTTPException(404, _("There is no such routine."))  # never echo a path
        return name

    def options(self, request: Request) -> dict[str, Any]:
        q = request.query_params
        minutes = q.get("minutes") or None
        try:
            minutes_value = float(minutes) if minutes else None
        except ValueError:
            raise OntspanError(_("Length in minutes: {value} is not a number",
                                 value=repr(minutes))) from None
        return {
            "lang": self.lang(request), "minutes": minutes_value,
            "breathing": True if q.get("breathing") else None,
            "intensity": q.get("intensity") or None, "ending": q.get("ending") or None,
        }

    def spoken(self, request: Request) -> Any:
        from ontspan.services.sessions import compose, suggested_routine

        name = self.routine_id(request.query_params.get("routine")) or suggested_routine(
            self.journal.plan())
        spoken = compose(library.find(name), self.options(request), self.journal.profile())
        return spoken.plan, spoken

    # -- pages ---------------------------------------------------------------------------

    async def today(self, request: Request) -> Response:
        from ontspan.services.sessions import suggested_routine

        now = datetime.now()
        plan = self.journal.plan()
        moments = plan.on(now) if plan else ()
        done = [s for s in self.journal.sessions() if s.started_at.date() == date.today()]
        routine = library.find(suggested_routine(plan, now))
        # ?preview=N passes on to the session: a therapist (or a test) can run it faster.
        preview = request.query_params.get("preview", "")
        return self.page(request, "today.html", moments=moments, done=done, routine=routine,
                         preview=preview if preview.replace(".", "", 1).isdigit() else "")

    async def practice(self, request: Request) -> Response:
        lang = self.lang(request)
        routines = [(r.id, r.name(lang)) for r in library.all_routines().routines]
        return self.page(request, "practice.html", routines=routines,
                         selected=request.query_params.get("routine", "standaard"))

    async def session(self, request: Request) -> Response:
        plan, spoken = self.spoken(request)
        timeline = spoken.timeline
        cat = library.catalogue()
        areas = {g.id: list(cat[g.id.removesuffix("-left").removesuffix("-right")].areas)
                 for g in timeline.groups}
        data = timeline.to_dict()
        data["areas"] = areas
        query = request.url.query
        speed = request.query_params.get("preview") or "1"
        sound = bool(request.query_params.get("sound")) and speed == "1"
        say = library.phrases()
        lang = self.lang(request)
        words = {phase: say(f"ui.phase.{phase}", lang)
                 for phase in ("intro", "instruction", "tense", "release", "feel", "outro")}
        for key in ("group_of", "breathe_in", "breathe_out", "keep_breathing"):
            words[key] = say(f"ui.{key}", lang)
        return self.page(request, "session.html", timeline=timeline, plan=plan,
                         words=json.dumps(words, ensure_ascii=False),
                         timeline_json=script_json(data), query=query,
                         sound=sound, speed=speed, reactions=REACTIONS,
                         options=json.dumps({k: v for k, v in self.options(request).items()
                                             if v is not None}))

    async def audio(self, request: Request) -> Response:
        from ontspan.audio.mixer import MixSettings
        from ontspan.services.render import render

        fmt = request.path_params["fmt"]
        if fmt not in ("mp3", "ogg", "vtt"):
            return PlainTextResponse(_("unknown format"), status_code=404)
        plan, spoken = self.spoken(request)
        key = hashlib.sha256(json.dumps(spoken.timeline.to_dict(), sort_keys=True).encode())
        folder = paths.cache_dir() / "renders"
        folder.mkdir(parents=True, exist_ok=True)
        audio_ext = "mp3" if fmt == "vtt" else fmt
        target = folder / f"{key.hexdigest()[:24]}.{audio_ext}"
        if not target.exists():
            render(spoken, target, MixSettings())
        name = f"ontspan-{plan.routine.id}.{fmt}"
        if fmt == "vtt":
            return FileResponse(target.with_suffix(".vtt"), media_type="text/vtt", filename=name)
        media = "audio/mpeg" if fmt == "mp3" else "audio/ogg"
        disposition = "attachment" if request.query_params.get("download") else "inline"
        return FileResponse(target, media_type=media, filename=name,
                            content_disposition_type=disposition)

    async def record(self, request: Request) -> Response:
        from ontspan.services.exchange import parse_session
        from ontspan.services.safety import record_reaction

        form = await self.form(request)
        reaction = form.get("reaction", "")
        reactions = (reaction,) if reaction in REACTIONS else ()
        practiced = form.get("practiced_ms") or "0"
        with contextlib.suppress(ValueError, OverflowError):  # else parse_session names it
            practiced = str(round(float(practiced)))  # the player counts fractions of a ms
        # The same checks as every other way into the journal (core/records.py).
        record = parse_session("session", {
            "started_at": datetime.now().replace(microsecond=0).isoformat(),
            "routine": self.routine_id(form.get("routine")) or "?",
            "state": "completed" if form.get("state") == "completed" else "stopped",
            "options": form.get("options") or "{}", "planned_ms": form.get("planned_ms") or 0,
            "practiced_ms": practiced, "tension_before": form.get("tension_before", ""),
            "tension_after": form.get("tension_after", ""), "reaction": ",".join(reactions),
            "source": "web",
        })
        self.journal.add_session(record)
        record_reaction(self.journal, reactions)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def journal_page(self, request: Request) -> Response:
        from ontspan.services.insights import build_insight, describe

        lang = self.lang(request)
        ins = build_insight(self.journal, date.today())
        return self.page(request, "journal.html", sessions=list(reversed(self.journal.sessions())),
                         nights=list(reversed(self.journal.nights())), edit=None,
                         routines=self.routine_choices(lang), reactions=REACTIONS,
                         insight=describe(ins, lang), message=request.query_params.get("saved"))

    def routine_choices(self, lang: str) -> list[tuple[str, str]]:
        return [(r.id, r.name(lang)) for r in library.all_routines().routines]

    async def session_edit(self, request: Request) -> Response:
        found = next((s for s in self.journal.sessions() if s.id == request.path_params["id"]),
                     None)
        if found is None:
            return PlainTextResponse(_("There is no such session."), status_code=404)
        return self.page(request, "session_edit.html", edit=found, reactions=REACTIONS,
                         routines=self.routine_choices(self.lang(request)))

    async def session_save(self, request: Request) -> Response:
        from ontspan.services.exchange import parse_session

        form = await self.form(request)
        existing = {s.id: s for s in self.journal.sessions()}
        old = existing.get(form.get("id", ""))
        row: dict[str, Any] = {
            "started_at": form.get("started_at", ""), "routine": form.get("routine", ""),
            "state": "completed" if form.get("completed") else "stopped",
            "tension_before": form.get("tension_before", ""),
            "tension_after": form.get("tension_after", ""),
            "reaction": form.get("reaction", ""), "note": form.get("note", ""),
            "source": old.source if old else "log",
            "options": old.options if old else {},
            "planned_ms": old.planned_ms if old else 0,
            "practiced_ms": old.practiced_ms if old else 0,
        }
        if old is not None:
            row["id"] = old.id
        self.journal.save_session(parse_session("session", row))
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def night(self, request: Request) -> Response:
        from ontspan.services.exchange import parse_night

        form = await self.form(request)
        answers = parse_night("night", form)
        self.journal.save_night(answers)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def insights_svg(self, request: Request) -> Response:
        import tempfile

        from ontspan.services.insights import build_insight, plot

        ins = build_insight(self.journal, date.today())
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "chart.svg"
            plot(ins, self.journal, target, self.lang(request))
            return Response(target.read_bytes(), media_type="image/svg+xml")

    async def intake(self, request: Request) -> Response:
        from ontspan.services.safety import active_rules

        profile = self.journal.profile()
        return self.page(request, "intake.html", profile=profile,
                         rules=active_rules(profile, self.lang(request)),
                         plan=self.journal.plan(), saved=request.query_params.get("saved"))

    async def intake_save(self, request: Request) -> Response:
        from ontspan.core.safety import Profile
        from ontspan.services.safety import parse_areas, save_intake

        form = await self.form(request)
        profile = Profile(parse_areas(form.get("pain", "")), bool(form.get("heart_lung")),
                          bool(form.get("trauma")), bool(form.get("therapist")), 0,
                          parse_areas(form.get("injury", ""), "injury"),
                          bool(form.get("pregnant")), bool(form.get("contact_lenses")))
        save_intake(self.journal, profile, self.lang(request))
        return RedirectResponse("/intake?saved=1", status_code=303)

    async def plan_save(self, request: Request) -> Response:
        from ontspan.services.planning import build_plan, local_zone

        form = await self.form(request)
        weekly = tuple(w for w in form.get("weekly", "").split() if w)
        self.journal.save_plan(build_plan(form.get("daily", "") or None, weekly, (),
                                          local_zone()))
        return RedirectResponse("/intake?saved=1", status_code=303)

    async def plan_ics(self, request: Request) -> Response:
        from ontspan.services.planning import ics

        plan = self.journal.plan()
        if not plan:
            return PlainTextResponse(_("No plan yet."), status_code=404)
        body = ics(plan, self.lang(request), datetime.now().astimezone())
        return Response(body, media_type="text/calendar",
                        headers={"content-disposition": 'attachment; filename="ontspan.ics"'})

    async def set_lang(self, request: Request) -> Response:
        lang = request.path_params["lang"]
        target = request.query_params.get("next", "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        response = RedirectResponse(target, status_code=303)
        if lang in library.languages():
            response.set_cookie("lang", lang, samesite="strict")
        return response


class Speak:
    """Every request speaks the person's language from its first word (error pages too)."""

    def __init__(self, app: Any, web: Web) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.web.lang(Request(scope))
        await self.app(scope, receive, send)


class App(Starlette):
    """Starlette with the security headers outside everything, its own error pages included."""

    def build_middleware_stack(self) -> Any:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(journal: Journal | None = None, allowed_hosts: list[str] | None = None,
               pairing: Pairing | None = None) -> Starlette:
    web = Web(journal or Journal.open())

    async def errors(request: Request, exc: Exception) -> Response:
        status = 403 if isinstance(exc, PermissionError) else 400
        return web.page(request, "error.html", status=status, message=str(exc))

    async def http_errors(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return web.page(request, "error.html", status=exc.status_code, message=exc.detail)

    async def crash(request: Request, exc: Exception) -> Response:
        # Never a traceback to a person; the server log keeps the details.
        return web.page(request, "error.html", status=500,
                        message=web.texts("error.crash", web.lang(request)))

    async def favicon(request: Request) -> Response:
        return FileResponse(HERE / "static" / "favicon.png", media_type="image/png")

    routes = [
        Route("/", web.today),
        Route("/practice", web.practice),
        Route("/session", web.session),
        Route("/session/record", web.record, methods=["POST"]),
        Route("/audio.{fmt}", web.audio),
        Route("/journal", web.journal_page),
        Route("/journal/night", web.night, methods=["POST"]),
        Route("/journal/session", web.session_save, methods=["POST"]),
        Route("/journal/session/{id}", web.session_edit),
        Route("/insights.svg", web.insights_svg),
        Route("/intake", web.intake),
        Route("/intake", web.intake_save, methods=["POST"]),
        Route("/plan", web.plan_save, methods=["POST"]),
        Route("/plan.ics", web.plan_ics),
        Route("/lang/{lang}", web.set_lang),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    hosts = allowed_hosts or [*LOOPBACK, "testserver"]
    HostCheck(None, hosts)  # fails now, not at the first request, on a wildcard
    middleware = [Middleware(HostCheck, allowed=hosts), Middleware(Speak, web=web)]
    if pairing is not None:
        refused = " / ".join(web.texts("pair.needed", lang) for lang in library.languages().codes)
        middleware.append(Middleware(PairingGate, pairing=pairing, refused=refused))
    app = App(
        routes=routes, middleware=middleware,
        exception_handlers={OntspanError: errors, PermissionError: errors, ValueError: errors,
                            HTTPException: http_errors, Exception: crash},
    )
    app.state.web = web
    return app
