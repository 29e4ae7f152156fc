"""Practice mode in headless Chromium on a 360 px phone: a client logs in, finds what the
therapist set up, starts it, and writes last night in the sleep diary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from browser_helpers import CHROMIUM, SHOTS, need_chromium, serving

need_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from ontspan.core.plan import Assignment  # noqa: E402
from ontspan.services import practice  # noqa: E402
from ontspan.store.accounts import Accounts  # noqa: E402
from ontspan.store.db import open_engine  # noqa: E402
from ontspan.store.journal import Journal  # noqa: E402

PASSWORD = "een lang wachtwoord"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Accounts]]:
    from ontspan.web.app import create_app
    from pg_helpers import PG_URL, reset_postgres

    if PG_URL:  # a practice runs on PostgreSQL: so does this test wherever there is one
        reset_postgres(PG_URL)
        monkeypatch.setenv("ONTSPAN_DATABASE_URL", PG_URL)
    accounts = Accounts(open_engine())
    with serving(create_app(accounts=accounts)) as url:
        yield url, accounts
    accounts.engine.dispose()


def test_a_client_on_a_phone_practises_what_was_set_and_keeps_the_diary(
        server: tuple[str, Accounts]) -> None:
    url, accounts = server
    now = datetime.now()
    practice.add_account(accounts, "anna@praktijk.nl", "therapist", PASSWORD, None, now)
    carla = practice.add_account(accounts, "carla@x.nl", "client", PASSWORD,
                                 "anna@praktijk.nl", now)
    Journal(accounts.engine, carla.id).save_assignment(
        Assignment("onderweg", (("intensity", "gentle"), ("lang", "nl"))))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 360, "height": 740},
                                      locale="nl-NL")
        page = context.new_page()
        page.goto(url)
        assert page.url.endswith("/login")
        page.fill("#email", "carla@x.nl")
        page.fill("#password", PASSWORD)
        page.locator("button[type=submit]").last.click()
        page.wait_for_url(f"{url}/")
        start = page.locator("#start")
        href = start.get_attribute("href") or ""
        assert "routine=onderweg" in href and "intensity=gentle" in href
        page.screenshot(path=str(SHOTS / "practice-client-today-360.png"), full_page=True)
        serious = [v["id"] for v in Axe().run(page).response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
        page.goto(f"{url}{href}&preview=40")
        assert page.locator("#group-name, .group-name, h1").count() > 0
        page.goto(f"{url}/journal")
        night = (date.today() - timedelta(days=1)).isoformat()
        page.fill("#night", night)
        for field, value in (("#bed", "23:00"), ("#try", "23:15"), ("#final", "06:45"),
                             ("#out", "07:00")):
            page.fill(field, value)
        page.fill("#latency_min", "25")
        page.check("#quality-4")
        page.locator("form[action='/journal/night'] button[type=submit]").click()
        page.wait_for_load_state()
        page.screenshot(path=str(SHOTS / "practice-client-journal-360.png"), full_page=True)
        context.close()
        browser.close()
    nights = Journal(accounts.engine, carla.id).nights()
    assert [n.answers.night.isoformat() for n in nights] == [night]
    assert Journal(accounts.engine, "").nights() == []  # nobody else's journal got it


def test_a_therapist_records_a_phrase_in_the_browser(server: tuple[str, Accounts]) -> None:
    from ontspan.services.recordings import folder

    url, accounts = server
    anna = practice.add_account(accounts, "anna@praktijk.nl", "therapist", PASSWORD, None,
                                datetime.now())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            # A test tone for a microphone, and permission without a dialog.
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["microphone"], origin=url)
        page = context.new_page()
        page.goto(f"{url}/login")
        page.fill("#email", "anna@praktijk.nl")
        page.fill("#password", PASSWORD)
        page.locator("button[type=submit]").last.click()
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/lang/nl?next=/voice")
        first = page.locator("#phrases li").first
        phrase = first.get_attribute("data-phrase")
        first.locator("button.record").click()
        page.wait_for_timeout(1500)
        first.locator("button.record").click()
        first.locator("audio").wait_for(timeout=10_000)
        assert first.locator(".problem").text_content() == ""
        page.screenshot(path=str(SHOTS / "practice-voice-1280.png"))
        context.close()
        browser.close()
    recorded = folder(anna.id, "nl") / f"{phrase}.wav"
    assert recorded.exists() and recorded.stat().st_size > 20_000  # about a second of sound


def test_the_therapists_pages_fit_a_phone_in_every_language(
        server: tuple[str, Accounts]) -> None:
    url, accounts = server
    practice.add_account(accounts, "anna@praktijk.nl", "therapist", PASSWORD, None,
                         datetime.now())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        for lang in ("nl", "en", "de"):
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(f"{url}/lang/{lang}?next=/login")
            page.fill("#email", "anna@praktijk.nl")
            page.fill("#password", PASSWORD)
            page.locator("button[type=submit]").last.click()
            page.wait_for_url(f"{url}/")
            # The menu wraps rather than pushing the page sideways (German words are long).
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, lang
            page.close()
        browser.close()
