"""The player in headless Chromium: instant start, calm fixed controls, skip, offline replay,
dark mode, the first-visit safety questions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from browser_helpers import serving
from test_web_browser import CHROMIUM, SHOTS, serious_violations


def _serve(offered: bool) -> Iterator[tuple[str, Any]]:
    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    journal = Journal.open()
    if offered:
        journal.mark_intake_offered()
    app = create_app(journal)
    with serving(app) as url:
        yield url, app
    journal.engine.dispose()


@pytest.fixture
def server() -> Iterator[tuple[str, Any]]:
    yield from _serve(offered=True)


@pytest.fixture
def new_server() -> Iterator[tuple[str, Any]]:
    yield from _serve(offered=False)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def phone(browser: Browser, **extra: Any) -> Page:
    context = browser.new_context(viewport={"width": 360, "height": 740}, **extra)
    context.set_default_timeout(120_000)  # a cold page speaks every line first (slow CI)
    return context.new_page()


def test_first_sound_within_a_second_of_start_on_a_cold_cache(
        server: tuple[str, Any], browser: Browser) -> None:
    base, app = server
    page = phone(browser)
    page.goto(f"{base}/session?routine=volledig&sound=1")
    page.click("#start-session")
    page.wait_for_function("() => document.getElementById('player').dataset.firstSoundMs")
    first = float(page.eval_on_selector("#player", "e => e.dataset.firstSoundMs"))
    assert page.eval_on_selector("#player", "e => e.dataset.clock") == "audio"
    assert first <= 1000, f"first sound {first} ms after Start"
    assert app.state.assets.renders.made == 0, "no whole-session render was waited for"
    time.sleep(2.5)
    assert page.inner_text("#caption").strip(), "the first line is shown as it is spoken"


def test_controls_never_move_and_a_group_can_be_skipped(
        server: tuple[str, Any], browser: Browser) -> None:
    base, _ = server
    page = phone(browser)
    page.goto(f"{base}/session?routine=standaard&preview=10")
    start = page.locator("#start-session").bounding_box()
    assert start and start["y"] + start["height"] <= 740, "Start is on screen without scrolling"
    page.click("#start-session")
    spots: set[tuple[int, int]] = set()

    def current_group(differs_from: str | None) -> str:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            box = page.locator("#pause").bounding_box()
            assert box and box["y"] + box["height"] <= 740, "the controls stay on screen"
            spots.add((round(box["x"]), round(box["y"])))
            current = page.locator("#groups li[aria-current=step]")
            group = current.get_attribute("data-group") if current.count() else None
            if group and group != differs_from:
                return group
            time.sleep(0.1)
        raise AssertionError("no next group")

    page.click("#skip")  # "you may skip any part": from the introduction to the first group
    first = current_group(None)
    page.click("#skip")
    second = current_group(first)
    assert [first, second] == ["feet-lower-legs", "thighs-buttocks"] or first != second
    assert len(spots) == 1, f"the pause button moved: {spots}"
    assert page.locator("#elapsed").inner_text() != "0:00"
    assert page.locator("#remaining").inner_text().startswith("−")
    assert serious_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "player-360.png"))


def test_a_session_opened_once_plays_again_offline(
        server: tuple[str, Any], browser: Browser) -> None:
    base, _ = server
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.set_default_timeout(20_000)
    page = context.new_page()
    url = f"{base}/session?routine=bed&sound=1"
    page.goto(url)
    clips = page.evaluate("new Set(JSON.parse(document.getElementById('timeline').textContent)"
                          ".clips).size")
    page.wait_for_function(
        "n => caches.open('ontspan-v1').then(c => c.keys()).then(k => "
        "k.filter(r => r.url.includes('/clip/')).length >= n)", arg=clips)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => caches.open('ontspan-v1').then(c => c.match(location.href))"
                           ".then(hit => !!hit)")
    context.set_offline(True)
    page.goto(url)  # airplane mode: the page, its Timeline and every line come from the cache
    page.click("#start-session")
    page.wait_for_function("() => document.getElementById('player').dataset.firstSoundMs")
    assert page.eval_on_selector("#player", "e => e.dataset.clock") == "audio"
    time.sleep(3)
    assert page.inner_text("#caption").strip()
    context.close()


def test_dark_mode_follows_the_system_and_the_switch(
        server: tuple[str, Any], browser: Browser) -> None:
    base, _ = server
    page = phone(browser, color_scheme="dark")
    page.goto(f"{base}/practice")
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(17, 24, 21)"
    assert serious_violations(page) == []
    page.click("header .to-light")
    assert page.evaluate(background) == "rgb(246, 244, 239)"
    assert page.url.endswith("/practice")
    page.click("header .to-dark")
    assert page.evaluate(background) == "rgb(17, 24, 21)"


def test_first_visit_asks_the_safety_questions(
        new_server: tuple[str, Any], browser: Browser) -> None:
    base, _ = new_server
    page = phone(browser)
    page.goto(f"{base}/session?routine=bed")
    assert "/intake?first=1" in page.url
    assert "A few short questions" in page.inner_text("main")
    page.check("#heart_lung")
    page.click("text=Save answers")
    page.wait_for_url("**/session?routine=bed")
    page.click("summary")  # "Adapted for you — why?" opens
    assert "never hold your breath" in page.inner_text(".adapted").lower() or \
        "breath" in page.inner_text(".adapted").lower()
    page.goto(f"{base}/")
    assert "/intake" not in page.url, "asked once"


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_any_impact_and_focus_always_visible(
        server: tuple[str, Any], browser: Browser, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, _ = server
    page = phone(browser, color_scheme=scheme)
    for lang in ("nl", "en"):
        page.goto(f"{base}/lang/{lang}?next=/")
        for path in ("/", "/practice", "/session?routine=bed&preview=20", "/journal", "/intake"):
            page.goto(base + path)
            if path.startswith("/session"):
                page.click("#start-session")
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                               "resultTypes": ["violations"]})
            found = [(v["id"], v["nodes"][0]["target"]) for v in results.response["violations"]]
            assert found == [], f"{lang} {scheme} {path}: {found}"
            # Every stop of the keyboard shows where it is (WCAG 2.4.7).
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            for _ in range(8):
                page.keyboard.press("Tab")
                style = page.evaluate(
                    "() => { const s = getComputedStyle(document.activeElement);"
                    " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }")
                if style[0] == "BODY":
                    break
                assert style[1] != "none" and style[2] != "0px", f"{path}: {style}"
