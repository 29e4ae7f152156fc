"""The README's pictures of the web app (and a full set to look at), in headless Chromium.

Run through `scripts/pictures.py` (every README picture) or alone:
    .venv/bin/python scripts/web_pictures.py [--out docs/images/web] [--all]

A demo journal in a temporary ONTSPAN_HOME (a few weeks of sessions and nights, a plan, one
safety answer so the "Adapted for you" line shows); every page at 360 px (a phone) and 1280 px,
in Dutch and English, light and dark. Without --all only the pictures the README shows are
written. The player is photographed mid-session (preview speed, during a tension)."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_SHOTS = {"session-360-nl-dark", "session-360-en-light", "journal-1280-en-light"}
PAGES = {"today": "/", "practice": "/practice", "session": "/session?routine=standaard&preview=8",
         "journal": "/journal", "intake": "/intake"}


def demo_journal() -> object:
    from ontspan.core.safety import Profile
    from ontspan.core.sleep import NightAnswers
    from ontspan.services.planning import build_plan, local_zone
    from ontspan.store.journal import Journal, SessionRecord

    journal = Journal.open()
    journal.save_intake(Profile((), heart_lung=True, trauma=False, therapist=False))
    journal.save_plan(build_plan("18:00,22:30", (), (), local_zone()))
    today = date.today()
    for day in range(21, 0, -1):
        evening = today - timedelta(days=day)
        before = 7 - day % 3 if day > 10 else 5 - day % 2
        journal.add_session(SessionRecord(
            started_at=datetime.combine(evening, clock(22, 30)), routine="bed",
            state="completed", planned_ms=240_000, practiced_ms=240_000, tension_before=before,
            tension_after=max(0, before - 3), source="web"))
        journal.save_night(NightAnswers(
            night=evening, bed=clock(23, 0), try_sleep=clock(23, 10),
            latency_min=40 - min(day, 20) if day < 14 else 45, awakenings=1, awake_min=20,
            final=clock(6, 50), out=clock(7, 5), quality=3 if day > 10 else 4))
    return journal


def serve() -> tuple[str, object]:
    import uvicorn

    from ontspan.web.app import create_app

    journal = demo_journal()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(journal), host="127.0.0.1", port=port,  # type: ignore[arg-type]
                                           log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def shoot(base: str, out: Path, everything: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        for width, height in ((360, 740), (1280, 800)):
            for lang in ("nl", "en", "de"):
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  color_scheme=scheme, device_scale_factor=1)
                    context.set_default_timeout(180_000)
                    page = context.new_page()
                    page.goto(f"{base}/lang/{lang}?next=/practice")
                    for name, path in PAGES.items():
                        shot = f"{name}-{width}-{lang}-{scheme}"
                        if not everything and shot not in README_SHOTS:
                            continue
                        page.goto(base + path)
                        if name == "session":
                            page.click("#start-session")
                            page.wait_for_function(
                                "() => document.getElementById('countdown').textContent !== ''"
                                " && document.getElementById('group-name').textContent !== ''")
                            page.click("#pause")  # hold the moment still for the picture
                        target = out / f"{shot}.png"
                        # The README shows what fits a screen; --all shows whole pages.
                        page.screenshot(path=str(target),
                                        full_page=everything and name != "session")
                        made.append(target)
                    context.close()
        browser.close()
    return made


def web_pictures(out: Path = ROOT / "docs" / "images" / "web",
                 everything: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["ONTSPAN_HOME"] = home
        os.environ["LANG"] = "en_GB.UTF-8"
        sys.path.insert(0, str(ROOT / "src"))
        base, server = serve()
        try:
            return shoot(base, out, everything)
        finally:
            server.should_exit = True  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "web")
    parser.add_argument("--all", action="store_true", help="every page, width, language and theme")
    args = parser.parse_args()
    for path in web_pictures(args.out, args.all):
        print(path)


if __name__ == "__main__":
    main()
