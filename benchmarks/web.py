"""The web app under load, as ratios (run: .venv/bin/python benchmarks/web.py [--first-sound]).

- blocking ratio: the p95 time of `GET /` while a cold 23-minute session (`volledig`: every
  line spoken, then the MP3 encoded) renders, divided by the p95 of `GET /` when idle
  (aim <= 2x: the render runs beside the event loop, not on it);
- first sound: milliseconds from pressing Start on `volledig` (no rendered audio yet) to the
  first line playing, in headless Chromium (aim <= 1000 ms).

The server runs in its own process with an empty ONTSPAN_HOME, as a person's would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path


def start_server(home: Path) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ONTSPAN_HOME": str(home), "LANG": "en_GB.UTF-8"}
    proc = subprocess.Popen([sys.executable, "-m", "ontspan", "serve", "--no-browser",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/").read()
            return proc, base
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def timed_get(url: str) -> float:
    start = time.perf_counter()
    urllib.request.urlopen(url).read()
    return time.perf_counter() - start


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def blocking_ratio(base: str) -> tuple[float, float, float, float]:
    for _ in range(5):
        timed_get(base + "/")  # warm up templates and the database
    idle = [timed_get(base + "/") for _ in range(60)]
    rendered: list[float] = []

    def render() -> None:
        rendered.append(timed_get(base + "/audio.mp3?routine=volledig"))

    thread = threading.Thread(target=render)
    thread.start()
    busy: list[float] = []
    while thread.is_alive():
        busy.append(timed_get(base + "/"))
        time.sleep(0.05)
    thread.join()
    return p95(idle), p95(busy), rendered[0], len(busy)


def first_sound_ms(base: str) -> float | None:
    """Start pressed on a session with no rendered audio: time until the first line plays."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        page = browser.new_page()
        page.set_default_timeout(300_000)  # opening the page speaks every line once, cold
        page.goto(base + "/session?routine=volledig&sound=1")
        if "/intake" in page.url:  # a first visit: the safety questions, answered "later"
            page.click("form[action='/intake/later'] button")
            page.wait_for_url("**/session?**")
        page.click("#start-session")
        page.wait_for_function("() => document.getElementById('player').dataset.firstSoundMs")
        value = float(page.eval_on_selector("#player", "e => e.dataset.firstSoundMs"))
        browser.close()
        return value


def main() -> None:
    only_first_sound = "--first-sound" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        if not only_first_sound:
            proc, base = start_server(Path(tmp) / "a")
            try:
                idle, busy, render_s, n = blocking_ratio(base)
            finally:
                proc.terminate()
                proc.wait()
            print(f"GET / p95 idle {idle * 1000:.1f} ms; during a cold volledig render "
                  f"({render_s:.1f} s, {n} requests) {busy * 1000:.1f} ms: "
                  f"blocking ratio {busy / idle:.2f}x (aim <= 2x)")
        proc, base = start_server(Path(tmp) / "b")
        try:
            # Opening the page speaks every line once (the timeline needs their lengths);
            # nothing is rendered to MP3 before Start.
            first = first_sound_ms(base)
        finally:
            proc.terminate()
            proc.wait()
        if first is not None:
            print(f"first sound after Start on volledig, no rendered audio: {first:.0f} ms "
                  "(aim <= 1000 ms)")


if __name__ == "__main__":
    main()
