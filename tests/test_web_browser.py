"""The web app in a real headless Chromium (Debian's), driven by Playwright, checked by axe."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, SHOTS, need_chromium, serving

need_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

__all__ = ["CHROMIUM", "SHOTS"]  # the player's tests take them from here


@pytest.fixture
def server() -> Iterator[str]:
    from ontspan.store.journal import Journal
    from ontspan.web.app import create_app

    journal = Journal.open()
    journal.mark_intake_offered()  # the first-visit questions have their own test
    with serving(create_app(journal)) as url:
        yield url
    journal.engine.dispose()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 360, "height": 780},
                                      accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_bed_session_from_today_lights_up_groups_then_stop_and_check(
        server: str, page: Page) -> None:
    page.goto(f"{server}/intake")
    page.fill("#time-0", "00:00")  # a plan whose moment is bed, whatever the time of the test
    page.click("text=Save plan")
    page.goto(f"{server}/practice?routine=bed")
    page.goto(f"{server}/?preview=20")
    start = page.locator("#start")
    href = start.get_attribute("href") or ""
    assert "preview=20" in href
    if "routine=bed" not in href:  # the suggestion follows the clock; this test wants bed
        page.goto(f"{server}/session?routine=bed&preview=20")
    else:
        start.click()
    page.select_option("#tension-before", "7")
    page.click("#start-session")
    seen: list[str] = []
    phases: set[str] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not seen or seen[-1] != "face"):
        phases.add(page.inner_text("#phase"))
        current = page.locator("#groups li[aria-current=step]")
        if current.count():
            group = current.get_attribute("data-group") or ""
            if not seen or seen[-1] != group:
                seen.append(group)
                assert page.locator("#body .active").count() >= 1, "the body outline lights up"
        time.sleep(0.05)
    assert seen == ["legs", "shoulders", "face"]
    # While the voice explains the next group, the phase says so (from the Timeline).
    assert {"coming up: legs and feet", "coming up: shoulders"} <= {p.lower() for p in phases}, phases
    page.screenshot(path=str(SHOTS / "session-360.png"), full_page=True)
    page.click("#stop")
    assert page.evaluate("document.activeElement.id") == "tension-after"
    page.select_option("#tension-after", "4")
    page.check("#r-dizzy")
    page.click("text=Save in my journal")
    page.wait_for_url("**/journal?saved=1")
    assert "bed — stopped — 7 → 4 (dizzy)" in page.inner_text("#sessions")


def test_a_diary_night_changes_the_insight(server: str, page: Page) -> None:
    page.goto(f"{server}/journal")
    before = page.inner_text("#insight")
    page.fill("#night", "2026-03-01")
    page.fill("#bed", "23:00")
    page.fill("#try", "23:15")
    page.fill("#latency_min", "25")
    page.fill("#final", "06:45")
    page.fill("#out", "07:00")
    page.check("#quality-3")
    page.click("text=Save night")
    page.wait_for_url("**/journal?saved=1")
    after = page.inner_text("#insight")
    assert after != before and "Sleep before practice (1 night)" in after
    assert "2026-03-01" in page.inner_text("#nights")


def test_download_audio_and_captions(server: str, page: Page, tmp_path: Path) -> None:
    import soundfile as sf

    page.goto(f"{server}/session?routine=onderweg&minutes=3")
    with page.expect_download() as mp3:
        page.click("text=Download as an audio file (MP3)")
    target = tmp_path / mp3.value.suggested_filename
    mp3.value.save_as(target)
    assert target.name == "ontspan-onderweg.mp3" and sf.info(str(target)).duration > 120
    with page.expect_download() as vtt:
        page.click("text=Captions (VTT)")
    captions = tmp_path / "c.vtt"
    vtt.value.save_as(captions)
    assert captions.read_text().startswith("WEBVTT")


def test_keyboard_only_practice(server: str, page: Page) -> None:
    page.goto(f"{server}/practice")
    page.keyboard.press("Tab")  # skip link
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
        if focused[-1] == "routine":
            break
    assert focused[-1] == "routine"
    page.keyboard.press("End")  # the last routine in the list
    value = page.eval_on_selector("#routine", "e => e.value")
    assert value
    page.focus("#sound")
    page.keyboard.press("Space")  # no sound
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/session?**")
    page.focus("#tension-before")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "start-session"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "pause"
    page.keyboard.press("Space")
    assert page.inner_text("#pause") == "Continue"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # stop
    assert page.evaluate("document.activeElement.id") == "tension-after"


def test_every_page_is_accessible_and_fits_a_phone(server: str, page: Page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("today", "/"), ("practice", "/practice"),
                       ("session", "/session?routine=bed&preview=20"), ("journal", "/journal"),
                       ("intake", "/intake")):
        page.goto(server + path)
        assert serious_violations(page) == [], name
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} scrolls sideways on a phone ({width}px)"
        page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
    page.goto(server + "/lang/nl?next=/practice")
    assert "Naar de oefening" in page.content()
