"""The forms (POST): each checks origin and CSRF token on the event loop, then saves in a
thread so a slow disk or database never holds up other requests."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ontspan.core.errors import OntspanError
from ontspan.core.safety import REACTIONS
from ontspan.store.db import JournalUnavailable
from ontspan.store.journal import Journal
from ontspan.web.pages import Pages
from ontspan.web.security import check_form
from ontspan.web.site import Site, routine_id, safe_next


def _started(value: str) -> datetime:
    """When the player says the session started (ms since the epoch); a missing or
    implausible value (not within the last six hours) is the moment it is saved."""
    now = datetime.now().replace(microsecond=0)
    try:
        started = datetime.fromtimestamp(int(value) / 1000).replace(microsecond=0)
    except (ValueError, OverflowError, OSError):
        return now
    return started if 0 <= (now - started).total_seconds() <= 6 * 3600 else now


def field_errors(exc: Exception, fields: tuple[str, ...], where: str) -> dict[str, str]:
    """A record check's message ("night: bed: ...") beside the field it names."""
    parts = str(exc).removeprefix(f"{where}: ").split(": ")
    for i, part in enumerate(parts):
        name = part.strip().lstrip("-")
        name = {"latency": "latency_min", "awake": "awake_min"}.get(name, name)
        if name in fields:
            return {name: ": ".join(parts[i + 1:]) or str(exc)}
    return {fields[0]: str(exc)}


NIGHT_FIELDS = ("night", "bed", "try", "latency_min", "awakenings", "awake_min", "final", "out",
                "quality", "note")
SESSION_FIELDS = ("started_at", "tension_before", "tension_after", "note", "routine")


class Forms:
    def __init__(self, site: Site, pages: Pages) -> None:
        self.site = site
        self.pages = pages

    @property
    def journal(self) -> Journal:
        return self.site.journal

    async def form(self, request: Request) -> dict[str, str]:
        return check_form(request, await request.form())

    async def record(self, request: Request) -> Response:
        """A session the player just finished or stopped."""
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
            "started_at": _started(form.get("started_at", "")).isoformat(),
            "routine": routine_id(form.get("routine")) or "?",
            "state": "completed" if form.get("state") == "completed" else "stopped",
            "options": form.get("options") or "{}", "planned_ms": form.get("planned_ms") or 0,
            "practiced_ms": practiced, "tension_before": form.get("tension_before", ""),
            "tension_after": form.get("tension_after", ""), "reaction": ",".join(reactions),
            "source": "web",
        })

        def save() -> None:
            self.journal.add_session(record)
            record_reaction(self.journal, reactions)

        await run_in_threadpool(save)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def session_save(self, request: Request) -> Response:
        """A session added or corrected by hand in the journal."""
        from ontspan.services.exchange import parse_session

        form = await self.form(request)

        def save() -> None:
            old = self.journal.session(form["id"]) if form.get("id") else None
            row: dict[str, Any] = {
                "started_at": form.get("started_at", ""),
                "routine": routine_id(form.get("routine")) or "",
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

        try:
            await run_in_threadpool(save)
        except JournalUnavailable:
            raise  # not the form's fault: the error page says what is wrong with the journal
        except OntspanError as exc:
            typed = SimpleNamespace(
                id=form.get("id", ""), routine=form.get("routine", ""),
                started_at=form.get("started_at", ""),
                state="completed" if form.get("completed") else "stopped",
                tension_before=form.get("tension_before") or None,
                tension_after=form.get("tension_after") or None,
                reaction=(form.get("reaction"),) if form.get("reaction") else (),
                note=form.get("note", ""))
            return await run_in_threadpool(self.pages.session_edit, request, typed,
                                           field_errors(exc, SESSION_FIELDS, "session"), 400)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def night(self, request: Request) -> Response:
        from ontspan.services.exchange import parse_night

        form = await self.form(request)
        try:
            answers = parse_night("night", form)
            await run_in_threadpool(self.journal.save_night, answers)
        except JournalUnavailable:
            raise  # not the form's fault: the error page says what is wrong with the journal
        except OntspanError as exc:
            # Back to the form as typed, the problem beside its field.
            values = {k: form.get(k, "") for k in NIGHT_FIELDS}
            return await run_in_threadpool(self.pages.journal, request,
                                           field_errors(exc, NIGHT_FIELDS, "night"), values, 400)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def night_delete(self, request: Request) -> Response:
        form = await self.form(request)
        try:
            night = date.fromisoformat(form.get("night", ""))
        except ValueError:
            raise OntspanError("night: not a date") from None
        await run_in_threadpool(self.journal.remove_night, night)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def session_delete(self, request: Request) -> Response:
        form = await self.form(request)
        await run_in_threadpool(self.journal.remove_session, form.get("id", ""))
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def intake_save(self, request: Request) -> Response:
        from ontspan.core.safety import Profile
        from ontspan.services.safety import parse_areas, save_intake

        form = await self.form(request)
        data = await request.form()

        def ticked(name: str) -> str:
            return ",".join(a for a in data.getlist(name) if isinstance(a, str))

        profile = Profile(parse_areas(ticked("pain")), bool(form.get("heart_lung")),
                          bool(form.get("trauma")), bool(form.get("therapist")), 0,
                          parse_areas(ticked("injury"), "injury"),
                          bool(form.get("pregnant")), bool(form.get("contact_lenses")))
        await run_in_threadpool(save_intake, self.journal, profile, self.site.lang(request))
        target = safe_next(form.get("next"))
        return RedirectResponse(target if target != "/" else "/intake?saved=1", status_code=303)

    async def intake_later(self, request: Request) -> Response:
        """"Later": the questions stay on the Safety page; they are not asked again."""
        form = await self.form(request)
        await run_in_threadpool(self.journal.mark_intake_offered)
        return RedirectResponse(safe_next(form.get("next")), status_code=303)

    async def plan_save(self, request: Request) -> Response:
        """Moments as rows (time, days, routine); "clear" removes the plan."""
        from ontspan.services.planning import build_plan, local_zone

        form = await self.form(request)
        data = await request.form()
        if form.get("clear"):
            await run_in_threadpool(self.journal.save_plan, None)
            return RedirectResponse("/intake?saved=1#plan", status_code=303)
        weekly: list[str] = []
        routines: list[str] = []
        for i in range(8):
            at = form.get(f"time-{i}", "").strip()
            if not at:
                continue
            days = [d for d in data.getlist(f"days-{i}") if isinstance(d, str)]
            if not days:
                raise OntspanError(f"{at}: {self.site.texts('plan.no_days', self.site.lang(request))}")
            weekly.append(f"{','.join(days)}@{at}")
            routines.append(routine_id(form.get(f"routine-{i}")) or "")
        # The older two-field form (and scripts using it): daily times and days@time entries.
        weekly += [w for w in form.get("weekly", "").split() if w]
        daily = form.get("daily", "") or None
        if not weekly and not daily:
            raise OntspanError(self.site.texts("plan.empty", self.site.lang(request)))
        chosen = tuple(routines) if any(routines) and not daily and len(routines) == len(weekly) \
            else ()
        if chosen:  # a moment left on "automatic" gets the routine for its time of day
            from ontspan.core.plan import default_routine

            chosen = tuple(r or default_routine(int(w.split("@")[1][:2]))
                           for r, w in zip(chosen, weekly, strict=True))
        plan = build_plan(daily, tuple(weekly), chosen, local_zone())
        await run_in_threadpool(self.journal.save_plan, plan)
        return RedirectResponse("/intake?saved=1#plan", status_code=303)

    async def set_lang(self, request: Request) -> Response:
        from ontspan import library

        return _preference(request, "lang", tuple(library.languages().codes))

    async def set_theme(self, request: Request) -> Response:
        return _preference(request, "theme", ("light", "dark", "auto"))


def _preference(request: Request, name: str, allowed: tuple[str, ...]) -> Response:
    """A cookie for a display choice, then back where the person was (same site only)."""
    value = request.path_params["value"]
    target = safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    if value in allowed:
        response.set_cookie(name, value, samesite="strict", max_age=400 * 24 * 3600)
    return response
