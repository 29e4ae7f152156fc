"""The HTML pages (GET). Plain `def`: Starlette runs them in its thread pool, because they read
the journal and may have the voice speak every line of a session first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ontspan import library
from ontspan.core.i18n import _
from ontspan.core.safety import REACTIONS
from ontspan.store.journal import Journal
from ontspan.web.security import script_json
from ontspan.web.site import Site, safe_next, text

PAGE_SIZE = 50  # sessions and nights per Journal page


def night_values(answers: Any, nights: list[Any]) -> dict[str, str]:
    """The diary form's values: a night to correct, or else last night, with the times of
    the previous night filled in (most nights look alike)."""
    if answers is None:
        last = nights[0].answers if nights else None
        night = date.today() - timedelta(days=1)
        if last is None:
            return {"night": night.isoformat(), "awakenings": "0", "awake_min": "0"}
        answers, keep_date = last, night
    else:
        keep_date = answers.night
    values = {"night": keep_date.isoformat(), "bed": f"{answers.bed:%H:%M}",
              "try": f"{answers.try_sleep:%H:%M}", "latency_min": str(answers.latency_min),
              "awakenings": str(answers.awakenings), "awake_min": str(answers.awake_min),
              "final": f"{answers.final:%H:%M}", "out": f"{answers.out:%H:%M}",
              "quality": str(answers.quality), "note": answers.note}
    if keep_date != answers.night:  # a new night: how it felt and what happened is new
        values.update(quality="", note="")
    return values


def routine_choices(lang: str) -> list[tuple[str, str]]:
    return [(r.id, r.name(lang)) for r in library.all_routines().routines]


class Pages:
    def __init__(self, site: Site) -> None:
        self.site = site

    @property
    def db(self) -> Journal:
        return self.site.journal

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
        done = self.db.sessions_since(datetime.combine(date.today(), datetime.min.time()))
        state = self.db.path_state()  # on the learning path: its stage's session
        routine = library.find(suggested_routine(plan, now, state))
        stage = library.learning_path().find(state.stage) if state is not None else None
        # ?preview=N passes on to the session: a therapist (or a test) can run it faster.
        preview = request.query_params.get("preview", "")
        names = dict(routine_choices(self.site.lang(request)))
        return self.site.page(request, "today.html", moments=moments, done=done, routine=routine,
                              names=names, stage=stage,
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
                 for phase in ("intro", "instruction", "tense", "release", "feel", "outro")}
        for key in ("group_of", "breathe_in", "breathe_out", "keep_breathing"):
            words[key] = text(f"ui.{key}", lang)
        options = self.site.options(request)
        return self.site.page(request, "session.html", timeline=timeline, plan=plan,
                              words=script_json(words), timeline_json=script_json(data),
                              query=request.url.query, sound=sound, speed=speed,
                              reactions=REACTIONS, options=self.site.options_json(options))

    def journal(self, request: Request, errors: dict[str, str] | None = None,
                values: dict[str, str] | None = None, status: int = 200) -> Response:
        """Last night's diary first (the most common task), then the insight and the records.
        With `errors`, the form comes back as typed with each problem beside its field."""
        from ontspan.services.insights import build_insight, describe

        lang = self.site.lang(request)
        # A page at a time, newest first: years of practice stay one quick page.
        page_text = request.query_params.get("page", "1")
        page = max(1, min(int(page_text), 10**6)) if page_text.isdigit() else 1
        skip = (page - 1) * PAGE_SIZE
        nights = self.db.recent_nights(PAGE_SIZE, skip)
        more = max(self.db.count_sessions(), self.db.count_nights()) > page * PAGE_SIZE
        editing = request.query_params.get("night")
        if editing is None:  # last night, when it is already in, comes back to be corrected
            editing = (date.today() - timedelta(days=1)).isoformat()
        chosen = self.db.night(editing)
        if values is None:
            latest = nights if page == 1 else self.db.recent_nights(1)
            values = night_values(chosen.answers if chosen else None, latest)
        ins = build_insight(self.db, date.today())
        return self.site.page(request, "journal.html", status=status,
                              sessions=self.db.recent_sessions(PAGE_SIZE, skip), nights=nights,
                              edit=None, routines=routine_choices(lang), reactions=REACTIONS,
                              insight=describe(ins, lang), values=values, errors=errors or {},
                              editing_night=chosen is not None,
                              message=request.query_params.get("saved"), page=page,
                              older=page + 1 if more else None,
                              newer=page - 1 if page > 1 else None)

    def session_edit(self, request: Request, found: Any = None,
                     errors: dict[str, str] | None = None, status: int = 200) -> Response:
        if found is None:
            found = self.db.session(request.path_params["id"])
        if found is None:
            raise HTTPException(404, _("There is no such session."))
        return self.site.page(request, "session_edit.html", edit=found, reactions=REACTIONS,
                              routines=routine_choices(self.site.lang(request)),
                              errors=errors or {}, status=status)

    def intake(self, request: Request) -> Response:
        from ontspan.services.safety import active_rules

        profile = self.db.profile()
        areas = [(a, text(f"area.{a}", self.site.lang(request)).split(" ", 1)[-1])
                 for a in library.catalogue().areas]
        from ontspan.core.plan import DAYS

        plan = self.db.plan()
        rows: list[dict[str, Any]] = [
            {"time": m.time, "days": m.days, "routine": m.routine}
            for m in (plan.moments if plan else ())]
        rows.append({"time": "", "days": DAYS, "routine": ""})  # room for one more moment
        return self.site.page(request, "intake.html", profile=profile, areas=areas,
                              plan_rows=rows, days=DAYS,
                              routines=routine_choices(self.site.lang(request)),
                              first=bool(request.query_params.get("first")),
                              next=safe_next(request.query_params.get("next")),
                              rules=active_rules(profile, self.site.lang(request)),
                              plan=self.db.plan(),
                              saved=request.query_params.get("saved"))

