"""The forms (POST): each checks origin and CSRF token on the event loop, then saves in a
thread so a slow disk or database never holds up other requests."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ontspan.core.safety import REACTIONS
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


class Forms:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.journal = site.journal

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
            existing = {s.id: s for s in self.journal.sessions()}
            old = existing.get(form.get("id", ""))
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

        await run_in_threadpool(save)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def night(self, request: Request) -> Response:
        from ontspan.services.exchange import parse_night

        form = await self.form(request)
        answers = parse_night("night", form)
        await run_in_threadpool(self.journal.save_night, answers)
        return RedirectResponse("/journal?saved=1", status_code=303)

    async def intake_save(self, request: Request) -> Response:
        from ontspan.core.safety import Profile
        from ontspan.services.safety import parse_areas, save_intake

        form = await self.form(request)
        ticked = [a for a in (await request.form()).getlist("pain") if isinstance(a, str)]
        profile = Profile(parse_areas(",".join(ticked)), bool(form.get("heart_lung")),
                          bool(form.get("trauma")), bool(form.get("therapist")))
        await run_in_threadpool(save_intake, self.journal, profile, self.site.lang(request))
        target = safe_next(form.get("next"))
        return RedirectResponse(target if target != "/" else "/intake?saved=1", status_code=303)

    async def intake_later(self, request: Request) -> Response:
        """"Later": the questions stay on the Safety page; they are not asked again."""
        form = await self.form(request)
        await run_in_threadpool(self.journal.mark_intake_offered)
        return RedirectResponse(safe_next(form.get("next")), status_code=303)

    async def plan_save(self, request: Request) -> Response:
        from ontspan.services.planning import build_plan, local_zone

        form = await self.form(request)
        weekly = tuple(w for w in form.get("weekly", "").split() if w)
        plan = build_plan(form.get("daily", "") or None, weekly, (), local_zone())
        await run_in_threadpool(self.journal.save_plan, plan)
        return RedirectResponse("/intake?saved=1", status_code=303)

    async def set_lang(self, request: Request) -> Response:
        return _preference(request, "lang", ("nl", "en"))

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
