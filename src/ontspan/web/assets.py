"""Files the player and the journal fetch: the session as audio and captions, the chart, the
calendar file. Rendering is slow and blocking, so it runs in a thread, and each (session,
format) is rendered once even when several requests for it arrive together."""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ontspan import paths
from ontspan.core.i18n import _
from ontspan.store.journal import Journal
from ontspan.web.security import IMAGE_CSP
from ontspan.web.site import Site


class Renders:
    """The render cache: one file per (timeline, format), made once under a per-file lock."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self.made = 0  # renders actually done (the cache hits are not counted)

    def _lock(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def file(self, spoken: Any, ext: str) -> Path:
        from ontspan.audio.mixer import MixSettings
        from ontspan.services.render import render

        key = hashlib.sha256(json.dumps(spoken.timeline.to_dict(), sort_keys=True).encode())
        folder = paths.cache_dir() / "renders"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{key.hexdigest()[:24]}.{ext}"
        with self._lock(target.name):
            if not target.exists() or not target.with_suffix(".vtt").exists():
                render(spoken, target, MixSettings())
                self.made += 1
        return target


class Assets:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.renders = Renders()

    @property
    def journal(self) -> Journal:
        return self.site.journal

    async def audio(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("mp3", "ogg", "vtt"):
            raise HTTPException(404, _("unknown format"))

        def make() -> tuple[Any, Path]:
            plan, spoken = self.site.spoken(request)
            return plan, self.renders.file(spoken, "mp3" if fmt == "vtt" else fmt)

        plan, target = await run_in_threadpool(make)
        name = f"ontspan-{plan.routine.id}.{fmt}"
        if fmt == "vtt":
            return FileResponse(target.with_suffix(".vtt"), media_type="text/vtt", filename=name)
        media = "audio/mpeg" if fmt == "mp3" else "audio/ogg"
        disposition = "attachment" if request.query_params.get("download") else "inline"
        return FileResponse(target, media_type=media, filename=name,
                            content_disposition_type=disposition)

    def clip(self, request: Request) -> Response:
        """One spoken line; its name is its content's hash, so it never changes."""
        from ontspan.services.clips import clip_wav

        body = clip_wav(request.path_params["key"])
        if body is None:
            raise HTTPException(404, "no such clip")
        return Response(body, media_type="audio/wav",
                        headers={"cache-control": "public, max-age=31536000, immutable"})

    async def manifest(self, request: Request) -> Response:
        """The web app manifest: installable on a phone's home screen, in the page's language."""
        from ontspan.web.site import web_text

        lang = self.site.lang(request)
        icons = [{"src": f"/static/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
                 for n in (192, 512)]
        icons.append({"src": "/static/icon-maskable.png", "sizes": "512x512",
                      "type": "image/png", "purpose": "maskable"})
        body = {"name": "ontspan", "short_name": "ontspan", "lang": lang,
                "description": web_text("app.description", lang), "start_url": "/",
                "scope": "/", "display": "standalone", "background_color": "#111815",
                "theme_color": "#2f6b4f", "icons": icons}
        return Response(json.dumps(body, ensure_ascii=False),
                        media_type="application/manifest+json")

    def insights_svg(self, request: Request) -> Response:
        from ontspan.services.insights import build_insight, plot

        ins = build_insight(self.journal, date.today())
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "chart.svg"
            plot(ins, self.journal, target, self.site.lang(request))
            return Response(target.read_bytes(), media_type="image/svg+xml",
                            headers={"content-security-policy": IMAGE_CSP,
                                     "cache-control": "no-cache"})

    def plan_ics(self, request: Request) -> Response:
        from ontspan.services.planning import ics

        plan = self.journal.plan()
        if not plan:
            raise HTTPException(404, _("No plan yet."))
        body = ics(plan, self.site.lang(request), datetime.now().astimezone())
        return Response(body, media_type="text/calendar",
                        headers={"content-disposition": 'attachment; filename="ontspan.ics"'})
