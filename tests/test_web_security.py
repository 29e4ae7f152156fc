"""The web app as a security reviewer tries it: each case here was an open door before its fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ontspan.store.journal import Journal
from ontspan.web.app import create_app
from ontspan.web.security import Pairing


@pytest.mark.parametrize("path", ["/session", "/audio.mp3", "/audio.vtt", "/practice"])
@pytest.mark.parametrize("routine", ["/etc/passwd", "/dev/zero", "../../etc/passwd",
                                     "x.yaml", "nonexistent"])
def test_only_routine_names_from_the_library(client: TestClient, path: str, routine: str) -> None:
    # /dev/zero used to be read until memory ran out; /etc/passwd told which files exist.
    response = client.get(path, params={"routine": routine})
    if path == "/practice":  # the picker just preselects nothing it does not know
        assert response.status_code == 200 and routine not in response.text
        return
    assert response.status_code == 404
    assert "passwd" not in response.text and "line" not in response.text


def test_a_posted_routine_must_be_known_too(client: TestClient) -> None:
    page = client.get("/session?routine=bed")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    response = client.post("/session/record", data={
        "csrf": csrf.group(1), "routine": "/etc/passwd", "options": "{}", "planned_ms": "1000",
        "practiced_ms": "10", "state": "stopped"})
    assert response.status_code == 404


def test_own_routine_names_are_welcome(client: TestClient, ontspan_home: Path) -> None:
    (ontspan_home / "routines").mkdir()
    (ontspan_home / "routines" / "mijn.yaml").write_text(
        "name: {nl: Mijn, en: Mine}\ngroups: [legs, face]\n", encoding="utf-8")
    assert client.get("/session?routine=mijn").status_code == 200


def test_json_in_a_script_cannot_end_the_script(client: TestClient, ontspan_home: Path) -> None:
    evil = '</script><meta http-equiv=refresh content="0;url=https://evil.example/">&'
    (ontspan_home / "routines").mkdir()
    (ontspan_home / "routines" / "evil.yaml").write_text(
        f"name: {{nl: {json.dumps(evil)}, en: {json.dumps(evil)}}}\ngroups: [legs]\n",
        encoding="utf-8")
    page = client.get("/session?routine=evil")
    assert page.status_code == 200
    assert "<meta http-equiv=refresh" not in page.text
    script = re.search(r'<script id="timeline" type="application/json">(.*?)</script>', page.text,
                       re.S)
    assert script and json.loads(script.group(1))["routine_name"] == evil


def test_security_headers_on_every_response_errors_included(client: TestClient) -> None:
    responses = [client.get("/"), client.get("/nope"), client.get("/static/style.css"),
                 client.get("/", headers={"host": "evil.example"}),
                 client.post("/journal/night", data={}), client.get("/favicon.ico")]
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 404, 200, 400, 403, 200]
    for response in responses:
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        assert "geolocation=()" in response.headers["permissions-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
    assert responses[-1].headers["content-type"].startswith("image/")


def test_a_crash_is_a_page_with_headers_not_a_traceback(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, type(create_app(Journal.open())))

    def boom(*_args: object) -> None:
        raise RuntimeError("secret internals")

    client.app.state.web.journal.recent_sessions = boom  # type: ignore[attr-defined]
    with TestClient(client.app, base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as c:
        response = c.get("/journal")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_favicon_is_linked(client: TestClient) -> None:
    assert 'rel="icon"' in client.get("/").text


def test_ipv6_loopback_host_is_accepted() -> None:
    journal = Journal.open()
    with TestClient(create_app(journal), base_url="http://[::1]:8123") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "[::2]:8123"}).status_code == 400
    journal.engine.dispose()


def test_host_check_is_never_a_wildcard() -> None:
    with pytest.raises(ValueError):
        create_app(Journal.open(), allowed_hosts=["*"])


def test_lan_mode_needs_the_pairing_cookie() -> None:
    journal = Journal.open()
    links: list[str] = []
    pairing = Pairing(base="http://192.0.2.2:8123", on_paired=links.append)
    app = create_app(journal, allowed_hosts=["192.0.2.2"], pairing=pairing)
    first = pairing.link
    with TestClient(app, base_url="http://192.0.2.2:8123") as phone:
        assert phone.get("/").status_code == 403
        assert phone.get("/static/style.css").status_code == 403
        assert phone.get("/pair?token=wrong").status_code == 403
        assert phone.get(first.removeprefix("http://192.0.2.2:8123"),
                         follow_redirects=False).status_code == 303
        assert phone.get("/").status_code == 200
        cookie = phone.cookies.get("device")
        assert cookie
    with TestClient(app, base_url="http://192.0.2.2:8123") as other:
        # The link worked once; a second device needs the new link the terminal shows.
        assert other.get(first.removeprefix("http://192.0.2.2:8123")).status_code == 403
        assert links and links[-1] != first and links[-1] == pairing.link
        assert other.get(links[-1].removeprefix("http://192.0.2.2:8123")).status_code == 200
    with TestClient(app, base_url="http://evil.example:8123") as rebinding:
        # DNS rebinding: the attacker's name points at this address; the Host check refuses it.
        rebinding.cookies.set("device", cookie)
        assert rebinding.get("/").status_code == 400
    journal.engine.dispose()
