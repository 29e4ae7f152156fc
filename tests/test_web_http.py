"""The web app in-process over ASGI: pages, security, audio with range requests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from starlette.testclient import TestClient


def token(client: TestClient, path: str) -> str:
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_pages_render_with_strict_headers(client: TestClient) -> None:
    for path in ("/", "/practice", "/session?routine=bed", "/journal", "/intake"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "<script>" not in response.text, "no inline scripts"
    assert "Legs" in client.get("/session?routine=bed").text


def test_language_switch(client: TestClient) -> None:
    client.get("/lang/nl?next=/practice")
    assert "Naar de oefening" in client.get("/practice").text
    kept = client.get("/lang/en?next=/journal", follow_redirects=False)
    assert kept.status_code == 303 and kept.headers["location"] == "/journal"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example",
                                    "http:evil.example", "javascript:alert(1)"])
def test_language_switch_never_redirects_to_another_site(client: TestClient, target: str) -> None:
    response = client.get("/lang/en", params={"next": target}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    # Only a path on this site: one slash, then no second slash or backslash (a browser reads
    # "/\\host" as "//host").
    assert location.startswith("/") and location[1:2] not in ("/", "\\"), location


def test_forms_need_the_token_and_the_same_origin(client: TestClient) -> None:
    night = {"night": "2026-03-01", "bed": "23:00", "try": "23:10", "latency_min": "20",
             "awakenings": "0", "awake_min": "0", "final": "07:00", "out": "07:10",
             "quality": "4"}
    assert client.post("/journal/night", data=night).status_code == 403
    csrf = token(client, "/journal")
    evil = client.post("/journal/night", data={**night, "csrf": csrf},
                       headers={"origin": "http://evil.example"})
    assert evil.status_code == 403
    ok = client.post("/journal/night", data={**night, "csrf": csrf}, follow_redirects=False)
    assert ok.status_code == 303
    assert "2026-03-01" in client.get("/journal").text
    bad = client.post("/journal/night", data={**night, "try": "22:00", "csrf": csrf})
    assert bad.status_code == 400 and "before going to bed" in bad.text


def test_other_hosts_are_refused(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_audio_supports_range_requests_and_captions(client: TestClient) -> None:
    full = client.get("/audio.mp3?routine=bed")
    assert full.status_code == 200 and full.headers["content-type"] == "audio/mpeg"
    part = client.get("/audio.mp3?routine=bed", headers={"range": "bytes=100-199"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.content == full.content[100:200]
    vtt = client.get("/audio.vtt?routine=bed")
    assert vtt.text.startswith("WEBVTT")


def test_record_saves_and_applies_the_reaction_rule(client: TestClient) -> None:
    csrf = token(client, "/session?routine=bed")
    response = client.post("/session/record", data={
        "csrf": csrf, "routine": "bed", "options": "{}", "planned_ms": "200000",
        "practiced_ms": "50000", "state": "stopped", "tension_before": "6",
        "tension_after": "4", "reaction": "dizzy"})
    assert response.status_code == 200
    assert "bed — stopped — 6 → 4 (dizzy)" in response.text
    assert "starting with your hands or feet" in client.get("/session?routine=bed").text


def test_intake_form_shows_what_changes(client: TestClient) -> None:
    csrf = token(client, "/intake")
    page = client.post("/intake", data={"csrf": csrf, "pain": "lower-back", "heart_lung": "1"})
    assert page.status_code == 200
    assert "your lower back only relaxed without tensing" in page.text
    assert "shorter tensing (5 seconds)" in page.text
    bad = client.post("/intake", data={"csrf": csrf, "pain": "tail"})
    assert bad.status_code == 400 and "unknown body area &#39;tail&#39;" in bad.text
    page = client.post("/intake", data={"csrf": csrf, "injury": "knees", "pregnant": "1",
                                        "contact_lenses": "1"})
    assert "because you are pregnant" in page.text and "contact lenses" in page.text
    assert "injury or operation" in page.text
    assert 'name="pregnant" type="checkbox" value="1" checked' in page.text


def test_sessions_can_be_added_and_corrected(client: TestClient) -> None:
    csrf = token(client, "/journal")
    added = client.post("/journal/session", data={
        "csrf": csrf, "routine": "bed", "started_at": "2026-03-02T22:40", "completed": "1",
        "tension_before": "8", "tension_after": "5"})
    assert added.status_code == 200 and "2026-03-02 22:40 — bed — completed — 8 → 5" in added.text
    session_id = re.search(r'href="/journal/session/([^"]+)"', added.text).group(1)
    form = client.get(f"/journal/session/{session_id}")
    assert form.status_code == 200 and 'value="8"' in form.text
    fixed = client.post("/journal/session", data={
        "csrf": csrf, "id": session_id, "routine": "bed", "started_at": "2026-03-02T22:40",
        "tension_before": "8", "tension_after": "4", "reaction": "restless"})
    assert "bed — stopped — 8 → 4 (restless)" in fixed.text
    assert fixed.text.count("/journal/session/") == 1, "corrected, not added twice"
    bad = client.post("/journal/session", data={"csrf": csrf, "routine": "bed",
                                                "started_at": "2026-03-02T22:40",
                                                "tension_before": "12"})
    assert bad.status_code == 400 and "12 is not between 0 and 10" in bad.text.split(
        'id="s-tension_before-error"')[1]


def test_weekly_plan_from_the_form(client: TestClient) -> None:
    csrf = token(client, "/intake")
    page = client.post("/plan", data={"csrf": csrf, "daily": "", "weekly": "mon,wed,fri@19:00"})
    assert page.status_code == 200 and 'type="time" value="19:00"' in page.text
    assert client.get("/plan.ics").text.count("BEGIN:VEVENT") == 1


def test_serve_command_binds_locally_and_warns_otherwise() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ontspan", "serve", "--no-browser", "--port",
                             str(port)], env=dict(os.environ), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                    assert response.status == 200
                    assert "script-src 'self'" in response.headers["content-security-policy"]
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out and "warning" not in err
    refused = subprocess.run([sys.executable, "-m", "ontspan", "serve", "--no-browser", "--host",
                              "0.0.0.0"], capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1 and "Use --lan" in refused.stderr
    assert "Traceback" not in refused.stderr


def _start(args: list[str]) -> tuple[subprocess.Popen[str], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ontspan", "serve", "--no-browser", "--port",
                             str(port), *args], env=dict(os.environ), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return proc, port


def _get(opener: urllib.request.OpenerDirector, url: str, host: str | None = None) -> int:
    deadline = time.monotonic() + 20
    while True:
        try:
            request = urllib.request.Request(url, headers={"host": host} if host else {})
            with opener.open(request) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_serve_on_ipv6_loopback() -> None:
    proc, port = _start(["--host", "::1"])
    try:
        assert _get(urllib.request.build_opener(), f"http://[::1]:{port}/") == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"http://[::1]:{port}/" in out


def test_serve_lan_pairs_with_a_one_time_link_and_a_qr_code() -> None:
    import http.cookiejar

    proc, _ = _start(["--lan"])
    try:
        assert proc.stdout is not None
        lines = []
        while not any("/pair?token=" in line for line in lines):
            lines.append(proc.stdout.readline())
        link = re.search(r"(http://\S+/pair\?token=\S+?)\s", lines[-1])
        assert link, lines[-1]
        assert sum("█" in line or "▀" in line for line in lines) > 10, "a QR code"
        base = link.group(1).split("/pair")[0]
        plain = urllib.request.build_opener()
        assert _get(plain, f"{base}/") == 403
        assert _get(plain, f"{base}/", host="evil.example") == 400
        phone = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert _get(phone, link.group(1)) == 200
        assert _get(phone, f"{base}/journal") == 200
        assert _get(plain, link.group(1)) == 403, "the link works once"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "".join(lines).count("/pair?token=") + out.count("/pair?token=") == 2, \
        "a fresh link for the next device"


NIGHT = {"night": "2026-03-01", "bed": "23:00", "try": "23:10", "latency_min": "20",
         "awakenings": "1", "awake_min": "15", "final": "07:00", "out": "07:10", "quality": "4",
         "note": "buren luid"}


def test_last_night_comes_first_prefilled_from_the_night_before(client: TestClient) -> None:
    from datetime import date, timedelta

    page = client.get("/journal").text
    assert page.index('id="night-form"') < page.index('id="sessions"'), "the diary comes first"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert f'name="night" type="date" required value="{yesterday}"' in page
    csrf = token(client, "/journal")
    client.post("/journal/night", data={**NIGHT, "csrf": csrf})
    page = client.get("/journal").text
    assert 'value="23:10"' in page and 'value="07:10"' in page, "times of the night before"
    assert f'value="{yesterday}"' in page
    assert "buren luid" in page.split('id="nights"')[1], "notes are shown"
    assert "1 · very poor" in page and "5 · very good" in page, "quality points have words"


def test_a_wrong_field_is_named_beside_it_and_nothing_typed_is_lost(client: TestClient) -> None:
    csrf = token(client, "/journal")
    bad = client.post("/journal/night", data={**NIGHT, "try": "22:00", "csrf": csrf})
    assert bad.status_code == 400
    assert 'id="try" name="try" type="time" required value="22:00" aria-invalid="true"' in bad.text
    assert 'id="try-error"' in bad.text and "before going to bed" in bad.text
    assert "buren luid" in bad.text and 'value="07:10"' in bad.text
    assert "--" not in bad.text.split('id="try-error"')[1].split("</p>")[0], "no CLI flags"
    client.get("/lang/nl?next=/journal")
    dutch = client.post("/journal/night", data={**NIGHT, "try": "22:00", "csrf": csrf})
    assert "Niet opgeslagen" in dutch.text
    for field, value in (("latency_min", "inf"), ("awakenings", "-3"), ("quality", "9"),
                         ("night", "2099-01-01"), ("awake_min", "1e30")):
        response = client.post("/journal/night", data={**NIGHT, field: value, "csrf": csrf})
        assert response.status_code == 400, field
        assert f'id="{field}-error"' in response.text, field
    assert "2099" not in client.get("/journal").text.split('id="nights"')[1]


def test_nights_and_sessions_can_be_corrected_and_deleted(client: TestClient) -> None:
    csrf = token(client, "/journal")
    client.post("/journal/night", data={**NIGHT, "csrf": csrf})
    form = client.get("/journal?night=2026-03-01").text
    assert 'value="2026-03-01"' in form and 'value="buren luid"' not in form
    assert ">buren luid</textarea>" in form and 'id="quality-4" name="quality" value="4" checked' in form
    client.post("/journal/night/delete", data={"csrf": csrf, "night": "2026-03-01"})
    assert "2026-03-01" not in client.get("/journal").text.split('id="nights"')[1]
    added = client.post("/journal/session", data={
        "csrf": csrf, "routine": "bed", "started_at": "2026-03-02T22:40", "completed": "1",
        "note": "rustig"})
    session_id = re.search(r'href="/journal/session/([^"]+)"', added.text).group(1)
    bad = client.post("/journal/session", data={
        "csrf": csrf, "id": session_id, "routine": "bed", "started_at": "2026-03-02T22:40",
        "tension_before": "12", "note": "rustig"})
    assert bad.status_code == 400 and 'id="s-tension_before-error"' in bad.text
    assert 'value="12"' in bad.text and ">rustig</textarea>" in bad.text
    client.post("/journal/session/delete", data={"csrf": csrf, "id": session_id})
    assert "rustig" not in client.get("/journal").text


def test_the_plan_form_shows_the_saved_plan_and_can_clear_it(client: TestClient) -> None:
    csrf = token(client, "/intake")
    client.post("/plan", data={"csrf": csrf, "time-0": "19:00", "days-0": ["mon", "wed", "fri"],
                               "routine-0": "zeven", "time-1": "22:30",
                               "days-1": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]})
    page = client.get("/intake").text
    assert 'id="time-0" name="time-0" type="time" value="19:00"' in page
    assert 'id="day-0-wed" name="days-0" value="wed" checked' in page
    assert 'id="day-0-tue" name="days-0" value="tue" >' in page
    assert '<option value="zeven" selected>' in page
    assert 'id="time-1" name="time-1" type="time" value="22:30"' in page
    # Saving again without touching anything keeps the Mon/Wed/Fri moment.
    client.post("/plan", data={"csrf": csrf, "time-0": "19:00", "days-0": ["mon", "wed", "fri"],
                               "routine-0": "zeven", "time-1": "22:30", "days-1": ["sun"]})
    assert client.get("/plan.ics").text.count("BEGIN:VEVENT") == 2
    client.post("/plan", data={"csrf": csrf, "clear": "1"})
    assert client.get("/plan.ics").status_code == 404


def test_the_chart_opened_directly_is_not_broken_by_the_policy(client: TestClient) -> None:
    csrf = token(client, "/journal")
    client.post("/journal/night", data={**NIGHT, "csrf": csrf})
    chart = client.get("/insights.svg")
    assert chart.status_code == 200 and "<svg" in chart.text
    policy = chart.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in policy and "script" not in policy
    assert "default-src 'none'" in policy
    assert 'alt="Chart: tension before and after' in client.get("/journal").text
