"""`ontspan serve --practice`: one web app for a practice, its therapists and their clients.

The single-person app, unchanged, is what a client uses: the gate below logs people in and
points each client request at that client's own journal. Therapists get their caseload and a
page per client instead. Nothing lives in the process: logins, invites and failed attempts
are rows in the database, so several workers can serve one database."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ontspan import library
from ontspan.core.plan import Assignment
from ontspan.services import practice
from ontspan.services.practice import PracticeError
from ontspan.store.accounts import Account, Accounts
from ontspan.store.journal import Journal
from ontspan.web.security import check_form
from ontspan.web.site import Site, routine_id, use_journal

if TYPE_CHECKING:
    from ontspan.services.sessions import Composed

COOKIE = "ontspan_login"
# Reachable without logging in: the login and invite pages and what every page loads.
OPEN = ("/login", "/invite/", "/static/", "/favicon.ico", "/sw.js", "/manifest.webmanifest",
        "/lang/", "/theme/")
# What a therapist may open besides their own pages: only shared assets.
THERAPIST_PATHS = ("/", "/clients", "/invites", "/logout", "/voice")
# Files every page loads, the same for everyone: served without looking up a login.
ASSETS = ("/static/", "/favicon.ico", "/sw.js", "/manifest.webmanifest")
ASSIGNABLE = ("minutes", "intensity", "ending", "breathing", "lang")


def _audio_name(composed: Composed) -> str:
    """The name the client's audio downloads under; the handout names it."""
    return f"ontspan-{composed.routine.id}.mp3"


def _account_of(scope: Scope) -> Account | None:
    account: Account | None = scope.get("state", {}).get("account")
    return account


class LoginGate:
    """Every request but the open ones needs a live login. A client's requests use that
    client's journal; a therapist reaches only the practice pages."""

    def __init__(self, app: ASGIApp, accounts: Accounts) -> None:
        self.app = app
        self.accounts = accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = request.url.path
        if path.startswith(ASSETS):  # the same for everyone: no login to look up
            await self.app(scope, receive, send)
            return
        token = request.cookies.get(COOKIE)
        account = await anyio.to_thread.run_sync(
            practice.current_account, self.accounts, token, datetime.now())
        scope.setdefault("state", {})["account"] = account

        def refuse(key: str, status: int) -> Response:
            text = library.practice_texts()(key, Site.lang(request))
            return PlainTextResponse(text, status_code=status)

        if account is None and not path.startswith(OPEN):
            if request.method == "GET":
                response: Response = RedirectResponse("/login", status_code=303)
            else:
                response = refuse("practice.gate.log_in_first", 401)
            await response(scope, receive, send)
            return
        if account is not None and account.is_therapist and not path.startswith(OPEN) and \
                not (path == "/" or path.startswith(THERAPIST_PATHS[1:])):
            await refuse("practice.gate.not_for_therapists", 403)(scope, receive, send)
            return
        if account is not None and not account.is_therapist and \
                path.startswith(("/clients", "/invites", "/voice")):
            await refuse("practice.gate.not_yours", 403)(scope, receive, send)
            return
        journal, voice = None, None
        if account is not None and not account.is_therapist:
            from ontspan.services.recordings import voice_for

            journal = Journal(self.accounts.engine, account.id)
            voice = voice_for(account.therapist_id or "", Site.lang(request))
        reset = use_journal(journal, voice)
        try:
            await self.app(scope, receive, send)
        finally:
            # The same task may serve the next request on this connection.
            use_journal(None)
            del reset


class Practice:
    """The practice's own pages: login, invites, the caseload and a page per client."""

    def __init__(self, site: Site, accounts: Accounts, secure: bool) -> None:
        self.site = site
        self.accounts = accounts
        self.secure = secure  # behind HTTPS: cookies only over TLS

    # -- helpers -------------------------------------------------------------------------

    def say(self, request: Request, key: str, **values: object) -> str:
        return library.practice_texts()(key, self.site.lang(request)).format(**values)

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        def p(key: str, **values: object) -> str:
            return self.say(request, key, **values)

        def audit_text(action: str, detail: str) -> str:
            """One line of the audit log in the reader's language; an email address (hand-over)
            and anything an older version wrote stay as they are."""
            say = library.practice_texts()
            lang = self.site.lang(request)
            known = say.texts
            what = say(f"practice.audit.{action}", lang) \
                if f"practice.audit.{action}" in known else action
            key = f"practice.audit.detail.{detail}"
            about = say(key, lang) if key in known else detail
            if action == "handed-over":
                return f"{what} {about}"
            return f"{what} ({about})" if about else what

        return self.site.page(request, name, status=status, p=p, audit_text=audit_text,
                              account=_account_of(request.scope), **context)

    def refusal(self, request: Request, exc: PracticeError, status: int = 403) -> Response:
        return self.page(request, "practice/message.html", status=status,
                         message=self.say(request, exc.key, **exc.values))

    def _login_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(COOKIE, token, max_age=int(practice.LOGIN_MAX_AGE.total_seconds()),
                            httponly=True, samesite="strict", secure=self.secure)

    async def _client(self, request: Request, action: str = "viewed",
                      detail: str = "") -> Account:
        actor = _account_of(request.scope)
        assert actor is not None  # the gate let only logged-in people through
        return await run_in_threadpool(practice.client_for, self.accounts, actor,
                                       request.path_params["id"], datetime.now(), action, detail)

    def _journal(self, client: Account) -> Journal:
        return Journal(self.accounts.engine, client.id)

    # -- logging in and out ---------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        return self.page(request, "practice/login.html", error="")

    async def login(self, request: Request) -> Response:
        form = check_form(request, await request.form())
        try:
            login = await run_in_threadpool(practice.log_in, self.accounts, form.get("email", ""),
                                            form.get("password", ""), datetime.now())
        except PracticeError as exc:
            return self.page(request, "practice/login.html", status=401,
                             error=self.say(request, exc.key, **exc.values),
                             email=form.get("email", ""))
        response = RedirectResponse("/", status_code=303)
        self._login_cookie(response, login.token)
        return response

    async def logout(self, request: Request) -> Response:
        check_form(request, await request.form())
        token = request.cookies.get(COOKIE)
        if token:
            await run_in_threadpool(practice.log_out, self.accounts, token, datetime.now())
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    async def invite_form(self, request: Request) -> Response:
        return self.page(request, "practice/invite.html", error="",
                         token=request.path_params["token"])

    async def invite_accept(self, request: Request) -> Response:
        form = check_form(request, await request.form())
        token = request.path_params["token"]
        try:
            await run_in_threadpool(practice.accept_invite, self.accounts, token,
                                    form.get("email", ""), form.get("password", ""),
                                    datetime.now())
            login = await run_in_threadpool(practice.log_in, self.accounts, form.get("email", ""),
                                            form.get("password", ""), datetime.now())
        except PracticeError as exc:
            return self.page(request, "practice/invite.html", status=400, token=token,
                             error=self.say(request, exc.key, **exc.values))
        response = RedirectResponse("/intake", status_code=303)
        self._login_cookie(response, login.token)
        return response

    # -- the therapist --------------------------------------------------------------------

    async def home(self, request: Request, client_today: Any) -> Response:
        account = _account_of(request.scope)
        if account is None or not account.is_therapist:
            return await self.client_today(request, client_today)

        def rows() -> list[tuple[Account, Any]]:
            from ontspan.services.caseload import glance

            today = date.today()
            return [(c, glance(self._journal(c), today))
                    for c in self.accounts.clients_of(account.id)]

        return self.page(request, "practice/caseload.html", clients=await run_in_threadpool(rows))

    async def client_page(self, request: Request) -> Response:
        from ontspan.services.caseload import glance
        from ontspan.services.safety import active_rules

        try:
            client = await self._client(request)
        except PracticeError as exc:
            return self.refusal(request, exc)
        journal = self._journal(client)

        def load() -> dict[str, Any]:
            profile = journal.profile()
            return {"glance": glance(journal, date.today()), "profile": profile,
                    "rules": active_rules(profile, self.site.lang(request)),
                    "plan": journal.plan(), "assignment": journal.assignment(),
                    "audit": self.accounts.audit_of(client.id)[-10:]}

        lang = self.site.lang(request)
        routines = [(r.id, r.name(lang)) for r in library.all_routines().routines]
        loaded = await run_in_threadpool(load)
        stage_routine = library.find(loaded["glance"].path.stage.routines[0]).name(lang)
        return self.page(request, "practice/client.html", client=client, routines=routines,
                         stages=library.learning_path().stages, stage_routine=stage_routine,
                         **loaded)

    async def client_intake(self, request: Request) -> Response:
        from ontspan.core.safety import Profile
        from ontspan.services.safety import parse_areas, save_intake

        form = check_form(request, await request.form())
        try:
            client = await self._client(request, "changed", "intake")
        except PracticeError as exc:
            return self.refusal(request, exc)
        profile = Profile(parse_areas(form.get("pain", "")), bool(form.get("heart_lung")),
                          bool(form.get("trauma")), True)  # answered with the therapist
        await run_in_threadpool(save_intake, self._journal(client), profile,
                                self.site.lang(request))
        return RedirectResponse(f"/clients/{client.id}?saved=1", status_code=303)

    async def client_assign(self, request: Request) -> Response:
        from ontspan.core.prefs import resolve

        form = check_form(request, await request.form())
        try:
            client = await self._client(request, "changed", "routine")
        except PracticeError as exc:
            return self.refusal(request, exc)
        name = routine_id(form.get("routine")) or "standaard"
        options: dict[str, Any] = {
            "minutes": float(form["minutes"]) if form.get("minutes") else None,
            "intensity": form.get("intensity") or None, "ending": form.get("ending") or None,
            "breathing": True if form.get("breathing") else None,
            "lang": form.get("lang") or None,
        }
        options = {k: v for k, v in options.items() if v is not None and k in ASSIGNABLE}
        resolve(options)  # the same checks as on the command line: refuses what is unsafe
        assignment = Assignment(name, tuple(sorted(options.items())))
        await run_in_threadpool(self._journal(client).save_assignment, assignment)
        return RedirectResponse(f"/clients/{client.id}?saved=1", status_code=303)

    async def client_plan(self, request: Request) -> Response:
        from ontspan.services.planning import build_plan, local_zone

        form = check_form(request, await request.form())
        try:
            client = await self._client(request, "changed", "plan")
        except PracticeError as exc:
            return self.refusal(request, exc)
        plan = build_plan(form.get("daily", "") or None, (), (), local_zone())
        await run_in_threadpool(self._journal(client).save_plan, plan)
        return RedirectResponse(f"/clients/{client.id}?saved=1", status_code=303)

    async def client_path(self, request: Request) -> Response:
        """The stage on the learning path, set by the therapist with the client (or left).
        A new stage also sets its session, keeping the language and other choices."""
        from ontspan.services import path

        form = check_form(request, await request.form())
        try:
            client = await self._client(request, "changed", "path")
        except PracticeError as exc:
            return self.refusal(request, exc)
        journal = self._journal(client)
        ref = form.get("stage", "")
        stage = library.learning_path().find(ref) if ref else None
        if ref and stage is None:
            return self.page(request, "practice/message.html", status=400,
                             message=self.say(request, "practice.path.unknown", stage=ref))

        def save() -> None:
            if stage is None:
                path.leave(journal)
                return
            path.set_stage(journal, stage, datetime.now().replace(microsecond=0))
            assigned = journal.assignment()
            if assigned is not None:
                # The stage sets its own length: a length chosen for another routine goes.
                kept = tuple((k, v) for k, v in assigned.options if k != "minutes")
                journal.save_assignment(Assignment(stage.routines[0], kept))

        await run_in_threadpool(save)
        return RedirectResponse(f"/clients/{client.id}?saved=1#path", status_code=303)

    def _composed(self, client: Account, lang: str) -> Any:
        """The client's assigned session with the client's own safety answers (never the
        therapist's), timed by the voice."""
        from ontspan.services.recordings import voice_for
        from ontspan.services.sessions import compose
        from ontspan.web.site import _VOICE

        journal = self._journal(client)
        assignment = journal.assignment() or Assignment("standaard")
        options = {"lang": lang, **dict(assignment.options)}
        voice = voice_for(client.therapist_id or "", str(options["lang"]))
        with _VOICE:
            return compose(library.find(assignment.routine), options, journal.profile(), voice)

    async def client_handout(self, request: Request) -> Response:
        from ontspan.services.handout import handout_html

        try:
            client = await self._client(request, "viewed", "handout")
        except PracticeError as exc:
            return self.refusal(request, exc)
        composed = await run_in_threadpool(self._composed, client, self.site.lang(request))
        html = handout_html(composed.timeline, client.email, _audio_name(composed))
        return Response(html, media_type="text/html")

    async def client_handout_pdf(self, request: Request) -> Response:
        """The same handout as a PDF, in the language the session is set to."""
        from ontspan.services.handout_pdf import handout_pdf

        try:
            client = await self._client(request, "viewed", "handout.pdf")
        except PracticeError as exc:
            return self.refusal(request, exc)
        composed = await run_in_threadpool(self._composed, client, self.site.lang(request))
        pdf = await run_in_threadpool(handout_pdf, composed.timeline, client.email,
                                      _audio_name(composed))
        return Response(pdf, media_type="application/pdf", headers={
            "content-disposition": f'inline; filename="ontspan-{composed.routine.id}.pdf"'})

    async def client_audio(self, request: Request) -> Response:
        from starlette.responses import FileResponse

        try:
            client = await self._client(request, "viewed", "audio")
        except PracticeError as exc:
            return self.refusal(request, exc)
        composed = await run_in_threadpool(self._composed, client, self.site.lang(request))
        assets = request.app.state.assets
        target = await run_in_threadpool(assets.renders.file, composed, "mp3")
        return FileResponse(target, media_type="audio/mpeg", filename=_audio_name(composed))

    async def client_handover(self, request: Request) -> Response:
        form = check_form(request, await request.form())
        actor = _account_of(request.scope)
        assert actor is not None
        try:
            await run_in_threadpool(practice.hand_over, self.accounts, actor,
                                    request.path_params["id"], form.get("email", ""),
                                    datetime.now())
        except PracticeError as exc:
            return self.refusal(request, exc)
        return RedirectResponse("/", status_code=303)

    async def client_close(self, request: Request) -> Response:
        check_form(request, await request.form())
        actor = _account_of(request.scope)
        assert actor is not None
        try:
            await run_in_threadpool(practice.close_file, self.accounts, actor,
                                    request.path_params["id"], datetime.now())
        except PracticeError as exc:
            return self.refusal(request, exc)
        return RedirectResponse("/", status_code=303)

    async def invite(self, request: Request) -> Response:
        check_form(request, await request.form())
        actor = _account_of(request.scope)
        assert actor is not None
        token = await run_in_threadpool(practice.make_invite, self.accounts, actor,
                                        datetime.now())
        link = f"{request.url.scheme}://{request.url.netloc}/invite/{token}"
        return self.page(request, "practice/invite_made.html", link=link)

    # -- the therapist's own voice --------------------------------------------------------

    async def voice_page(self, request: Request) -> Response:
        from ontspan.services.recordings import folder, phrases_to_record

        actor = _account_of(request.scope)
        assert actor is not None
        lang = self.site.lang(request)
        phrases = await run_in_threadpool(phrases_to_record, lang)
        where = folder(actor.id, lang)
        rows = [(pid, text, (where / f"{pid}.wav").exists()) for pid, text in phrases]
        return self.page(request, "practice/voice.html", rows=rows, voice_lang=lang,
                         recorded=sum(1 for r in rows if r[2]))

    async def voice_upload(self, request: Request) -> Response:
        from ontspan.services.recordings import MAX_BYTES, save

        actor = _account_of(request.scope)
        assert actor is not None
        async with request.form(max_part_size=MAX_BYTES) as form:
            check_form(request, form)
            upload = form.get("audio")
            if upload is None or isinstance(upload, str):
                return PlainTextResponse("no recording sent", status_code=400)
            data = await upload.read()
        try:
            await run_in_threadpool(save, actor.id, request.path_params["lang"],
                                    request.path_params["phrase"], data)
        except PracticeError as exc:
            return PlainTextResponse(self.say(request, exc.key, **exc.values), status_code=400)
        return PlainTextResponse("ok")

    async def voice_file(self, request: Request) -> Response:
        from starlette.responses import FileResponse

        from ontspan.services.recordings import folder

        actor = _account_of(request.scope)
        assert actor is not None
        phrase = request.path_params["phrase"]
        target = folder(actor.id, request.path_params["lang"]) / f"{phrase}.wav"
        # Only names from the phrase list reach the disk: no path in a phrase id.
        if "/" in phrase or phrase.startswith(".") or not target.is_file():
            return PlainTextResponse("not recorded", status_code=404)
        return FileResponse(target, media_type="audio/wav")

    # -- the client -----------------------------------------------------------------------

    async def client_today(self, request: Request, today: Any) -> Response:
        """Today, with the session the therapist set first."""
        journal = self.site.journal
        assignment = await run_in_threadpool(journal.assignment)
        if assignment is None:
            return await run_in_threadpool(today, request)
        state = await run_in_threadpool(journal.path_state)
        stage = library.learning_path().find(state.stage) if state is not None else None
        from urllib.parse import urlencode

        query = urlencode({"routine": assignment.routine, "sound": 1,
                           **{k: ("1" if v is True else v) for k, v in assignment.options}})
        routine = library.find(assignment.routine)
        return self.page(request, "practice/today.html", routine=routine, query=query,
                         assignment=assignment, stage=stage)

    async def my_export(self, request: Request) -> Response:
        from ontspan.services.exchange import export_data

        account = _account_of(request.scope)
        assert account is not None
        data = await run_in_threadpool(export_data, self.site.journal)
        await run_in_threadpool(self.accounts.audit, account.id, "exported", account.id,
                                datetime.now())
        return JSONResponse(data, headers={
            "content-disposition": 'attachment; filename="ontspan-export.json"'})

    async def my_delete(self, request: Request) -> Response:
        form = check_form(request, await request.form())
        account = _account_of(request.scope)
        assert account is not None
        if form.get("confirm") != "1":
            return RedirectResponse("/journal", status_code=303)

        def delete() -> None:
            self.site.journal.forget_all()
            self.accounts.audit(account.id, "deleted", account.id, datetime.now())
            self.accounts.delete(account.id)

        await run_in_threadpool(delete)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response


def practice_routes(site: Site, accounts: Accounts, today: Any, secure: bool) -> list[BaseRoute]:
    """The routes that come before the single-person app's (they win on "/")."""
    p = Practice(site, accounts, secure)

    async def home(request: Request) -> Response:
        return await p.home(request, today)

    return [
        Route("/", home),
        Route("/login", p.login_form),
        Route("/login", p.login, methods=["POST"]),
        Route("/logout", p.logout, methods=["POST"]),
        Route("/invite/{token}", p.invite_form),
        Route("/invite/{token}", p.invite_accept, methods=["POST"]),
        Route("/invites", p.invite, methods=["POST"]),
        Route("/clients/{id}", p.client_page),
        Route("/clients/{id}/intake", p.client_intake, methods=["POST"]),
        Route("/clients/{id}/routine", p.client_assign, methods=["POST"]),
        Route("/clients/{id}/plan", p.client_plan, methods=["POST"]),
        Route("/clients/{id}/path", p.client_path, methods=["POST"]),
        Route("/clients/{id}/handout", p.client_handout),
        Route("/clients/{id}/handout.pdf", p.client_handout_pdf),
        Route("/clients/{id}/audio.mp3", p.client_audio),
        Route("/clients/{id}/handover", p.client_handover, methods=["POST"]),
        Route("/clients/{id}/close", p.client_close, methods=["POST"]),
        Route("/voice", p.voice_page),
        Route("/voice/{lang}/{phrase}", p.voice_upload, methods=["POST"]),
        Route("/voice/{lang}/{phrase}.wav", p.voice_file),
        Route("/my/export", p.my_export),
        Route("/my/delete", p.my_delete, methods=["POST"]),
    ]



