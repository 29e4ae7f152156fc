"""The HTML pages (GET). Plain `def`: Starlette runs them in its thread pool, because they read
the journal and may have the voice speak every line of a session first."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ontspan import library
from ontspan.core.i18n import _
from ontspan.core.safety import REACTIONS
from ontspan.web.security import script_json
from ontspan.web.site import Site, safe_next, text


def routine_choices(lang: str) -> list[tuple[str, str]]:
    return [(r.id, r.name(lang)) for r in library.all_routines().routines]


class Pages:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.db = site.journal

    def first_visit(self, request: Request) -> Response | None:
        """Before the first practice, the safety questions (skippable), as the CLI asks them."""
        if self.db.intake_offered():
            return None
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/intake?first=1&next={quote(here, safe='')}", status_code=303)

    def today(self, request: Request) -> Response:
        from ontspan.services.sessions import suggested_routine

        if (ask := self.first_visit(request)) is not None:
            return ask
        now = datetime.now()
        plan = self.db.plan()
        moments = plan.on(now) if plan else ()
        done = [s for s in self.db.sessions() if s.started_at.date() == date.today()]
        routine = library.find(suggested_routine(plan, now))
        # ?preview=N passes on to the session: a therapist (or a test) can run it faster.
        preview = request.query_params.get("preview", "")
        return self.site.page(request, "today.html", moments=moments, done=done, routine=routine,
                              preview=preview if preview.replace(".", "", 1).isdigit() else "")

    def practice(self, request: Request) -> Response:
        if (ask := self.first_visit(request)) is not None:
            return ask
        return self.site.page(request, "practice.html",
                              routines=routine_choices(self.site.lang(request)),
                              selected=request.query_params.get("routine", "standaard"))

    def session(self, request: Request) -> Response:
        if (ask := self.first_visit(request)) is not None:
            return ask
        plan, spoken = self.site.spoken(request)
        timeline = spoken.timeline
        cat = library.catalogue()
        data = timeline.to_dict()
        data["areas"] = {g.id: list(cat[g.id.removesuffix("-left").removesuffix("-right")].areas)
                         for g in timeline.groups}
        if spoken.bank is not None:
            from ontspan.services.clips import clip_keys

            data["clips"] = clip_keys(spoken.bank, timeline.cues)
        speed = request.query_params.get("preview") or "1"
        try:
            if not 0 < float(speed) <= 100:
                raise ValueError
        except ValueError:
            raise HTTPException(400, "preview: not a speed") from None
        sound = bool(request.query_params.get("sound")) and speed == "1"
        lang = self.site.lang(request)
        words = {phase: text(f"ui.phase.{phase}", lang)
                 for phase in ("intro", "tense", "release", "feel", "outro")}
        for key in ("group_of", "breathe_in", "breathe_out", "keep_breathing"):
            words[key] = text(f"ui.{key}", lang)
        options = self.site.options(request)
        return self.site.page(request, "session.html", timeline=timeline, plan=plan,
                              words=script_json(words), timeline_json=script_json(data),
                              query=request.url.query, sound=sound, speed=speed,
                              reactions=REACTIONS, options=self.site.options_json(options))

    def journal(self, request: Request) -> Response:
        from ontspan.services.insights import build_insight, describe

        lang = self.site.lang(request)
        ins = build_insight(self.db, date.today())
        return self.site.page(request, "journal.html",
                              sessions=list(reversed(self.db.sessions())),
                              nights=list(reversed(self.db.nights())), edit=None,
                              routines=routine_choices(lang), reactions=REACTIONS,
                              insight=describe(ins, lang),
                              message=request.query_params.get("saved"))

    def session_edit(self, request: Request) -> Response:
        found = next((s for s in self.db.sessions() if s.id == request.path_params["id"]),
                     None)
        if found is None:
            raise HTTPException(404, _("There is no such session."))
        return self.site.page(request, "session_edit.html", edit=found, reactions=REACTIONS,
                              routines=routine_choices(self.site.lang(request)))

    def intake(self, request: Request) -> Response:
        from ontspan.services.safety import active_rules

        profile = self.db.profile()
        areas = [(a, text(f"area.{a}", self.site.lang(request)).split(" ", 1)[-1])
                 for a in library.catalogue().areas]
        return self.site.page(request, "intake.html", profile=profile, areas=areas,
                              first=bool(request.query_params.get("first")),
                              next=safe_next(request.query_params.get("next")),
                              rules=active_rules(profile, self.site.lang(request)),
                              plan=self.db.plan(),
                              saved=request.query_params.get("saved"))

