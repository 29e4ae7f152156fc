"""Practice mode over HTTP: logging in, invites, the therapist's pages, the client's own app,
and every route walked as every wrong person (SQLite here; PostgreSQL when CI gives one)."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

from starlette.testclient import TestClient

from ontspan.core.path import PathState
from ontspan.services import practice
from ontspan.store.accounts import Account, Accounts
from ontspan.store.journal import Journal, SessionRecord
from ontspan.web.app import create_app
from pdf_helpers import html_texts, pdf_text

PASSWORD = "een lang wachtwoord"
NOW = datetime.now()


def browser(accounts: Accounts) -> TestClient:
    return TestClient(create_app(accounts=accounts), base_url="http://127.0.0.1")


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, (path, page.status_code, page.text[:300])
    return match.group(1)


def log_in(client: TestClient, email: str) -> None:
    response = client.post("/login", data={"csrf": csrf(client, "/login"), "email": email,
                                           "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303, response.text


def people(accounts: Accounts) -> dict[str, Account]:
    add = practice.add_account
    anna = add(accounts, "anna@praktijk.nl", "therapist", PASSWORD, None, NOW)
    bert = add(accounts, "bert@praktijk.nl", "therapist", PASSWORD, None, NOW)
    carla = add(accounts, "carla@x.nl", "client", PASSWORD, anna.email, NOW)
    dirk = add(accounts, "dirk@x.nl", "client", PASSWORD, bert.email, NOW)
    return {"anna": anna, "bert": bert, "carla": carla, "dirk": dirk}


def test_login_logout_and_a_wrong_password(accounts: Accounts) -> None:
    people(accounts)
    with browser(accounts) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        assert client.post("/journal/night", data={}).status_code == 401
        wrong = client.post("/login", data={"csrf": csrf(client, "/login"),
                                            "email": "anna@praktijk.nl", "password": "fout!"})
        assert wrong.status_code == 401 and "do not match" in wrong.text
        assert "anna@praktijk.nl" in wrong.text  # what was typed stays
        log_in(client, "anna@praktijk.nl")
        cookie = client.cookies.get("ontspan_login")
        assert cookie and "carla@x.nl" in client.get("/").text
        client.post("/logout", data={"csrf": csrf(client, "/")})
        # The old cookie is dead on the server, not only forgotten by the browser.
        client.cookies.set("ontspan_login", cookie)
        assert client.get("/", follow_redirects=False).status_code == 303


def test_the_therapist_tailors_and_the_client_gets_it(accounts: Accounts) -> None:
    who = people(accounts)
    carla = who["carla"].id
    with browser(accounts) as therapist:
        log_in(therapist, "anna@praktijk.nl")
        page = therapist.get(f"/clients/{carla}")
        assert page.status_code == 200 and "carla@x.nl" in page.text
        token = csrf(therapist, f"/clients/{carla}")
        assert therapist.post(f"/clients/{carla}/intake", data={
            "csrf": token, "pain": "neck", "heart_lung": "1"}).status_code == 200
        assert therapist.post(f"/clients/{carla}/routine", data={
            "csrf": token, "routine": "bed", "minutes": "6", "intensity": "gentle"}
        ).status_code == 200
        assert therapist.post(f"/clients/{carla}/plan", data={
            "csrf": token, "daily": "21:30"}).status_code == 200
        handout = therapist.get(f"/clients/{carla}/handout")
        assert handout.status_code == 200 and "carla@x.nl" in handout.text
        assert "neck" in handout.text.lower() or "nek" in handout.text.lower()
        invite = therapist.post("/invites", data={"csrf": token})
        link = re.search(r'value="(http://127\.0\.0\.1/invite/[^"]+)"', invite.text)
        assert link
    with browser(accounts) as client:
        log_in(client, "carla@x.nl")
        today = client.get("/")
        assert "routine=bed" in today.text and "intensity=gentle" in today.text
        session = client.get("/session?routine=bed&intensity=gentle&minutes=6")
        assert session.status_code == 200
        # The client's intake shows what the therapist entered with them.
        assert "checked" in client.get("/intake").text
        export = client.get("/my/export").json()
        assert export["sessions"] == [] and export["nights"] == []
    audit = [e.action for e in accounts.audit_of(carla)]
    assert "viewed" in audit and "changed" in audit and "exported" in audit
    with browser(accounts) as newcomer:
        path = link.group(1).removeprefix("http://127.0.0.1")
        response = newcomer.post(path, data={"csrf": csrf(newcomer, path), "email": "eva@x.nl",
                                             "password": PASSWORD}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/intake"
        eva = accounts.by_email("eva@x.nl")
        assert eva is not None and eva.therapist_id == who["anna"].id
    with browser(accounts) as late:  # an invite works once
        again = late.post(path, data={"csrf": csrf(late, path), "email": "fay@x.nl",
                                      "password": PASSWORD})
        assert again.status_code == 400 and accounts.by_email("fay@x.nl") is None


def test_a_clients_records_are_their_own(accounts: Accounts) -> None:
    people(accounts)
    night = {"night": "2026-11-20", "bed": "23:00", "try": "23:10", "latency_min": "20",
             "awakenings": "1", "awake_min": "10", "final": "06:50", "out": "07:00",
             "quality": "4"}
    with browser(accounts) as carla:
        log_in(carla, "carla@x.nl")
        saved = carla.post("/journal/night", data={"csrf": csrf(carla, "/journal"), **night})
        assert saved.status_code == 200
        assert "2026" in carla.get("/journal").text
    with browser(accounts) as dirk:
        log_in(dirk, "dirk@x.nl")
        assert "20 nov" not in dirk.get("/journal").text.lower()
        assert dirk.get("/my/export").json()["nights"] == []


def test_every_route_refuses_every_wrong_person(accounts: Accounts) -> None:
    who = people(accounts)
    carla = who["carla"].id
    client_pages = ["/practice", "/journal", "/intake", "/my/export", "/session?routine=bed"]
    carla_pages = [f"/clients/{carla}", f"/clients/{carla}/handout",
                   f"/clients/{carla}/handout.pdf", f"/clients/{carla}/audio.mp3"]
    carla_posts = [f"/clients/{carla}/intake", f"/clients/{carla}/routine",
                   f"/clients/{carla}/plan", f"/clients/{carla}/path",
                   f"/clients/{carla}/handover",
                   f"/clients/{carla}/close"]
    with browser(accounts) as nobody:
        for path in [*client_pages, *carla_pages, "/"]:
            assert nobody.get(path, follow_redirects=False).status_code == 303, path
        for path in [*carla_posts, "/invites", "/my/delete", "/journal/night", "/plan"]:
            assert nobody.post(path, data={}).status_code == 401, path
    for wrong in ("bert@praktijk.nl", "dirk@x.nl", "carla@x.nl"):
        with browser(accounts) as client:
            log_in(client, wrong)
            token = csrf(client, "/" if "praktijk" in wrong else "/journal")
            for path in carla_pages:
                assert client.get(path).status_code == 403, (wrong, path)
            for path in carla_posts:
                assert client.post(path, data={"csrf": token, "email": "bert@praktijk.nl",
                                               "pain": "", "routine": "bed", "daily": "20:00",
                                               "stage": "zeven"}
                                   ).status_code == 403, (wrong, path)
    with browser(accounts) as therapist:  # a therapist's account is not a client's app
        log_in(therapist, "anna@praktijk.nl")
        for path in client_pages:
            assert therapist.get(path).status_code == 403, path
    with browser(accounts) as client:
        log_in(client, "dirk@x.nl")
        assert client.post("/invites", data={"csrf": csrf(client, "/journal")}).status_code == 403
    assert accounts.by_id(carla) is not None and accounts.by_id(carla).closed_at is None  # type: ignore[union-attr]
    assert Journal(accounts.engine, carla).path_state() is None


def test_a_refusal_speaks_the_persons_language(accounts: Accounts) -> None:
    people(accounts)
    with browser(accounts) as nobody:
        nobody.cookies.set("lang", "nl")
        refused = nobody.post("/journal/night", data={})
        assert refused.status_code == 401 and refused.text == "Log eerst in."
    with browser(accounts) as therapist:
        therapist.cookies.set("lang", "de")
        log_in(therapist, "anna@praktijk.nl")
        refused = therapist.get("/journal")
        assert refused.status_code == 403 and "Therapeutenkonto" in refused.text
    with browser(accounts) as client:
        client.cookies.set("lang", "nl")
        log_in(client, "dirk@x.nl")
        refused = client.get("/invites")
        assert refused.status_code == 403 and "je therapeut" in refused.text
        assert client.get("/static/style.css").status_code == 200


def test_the_caseload_writes_numbers_as_the_language_does(accounts: Accounts) -> None:
    who = people(accounts)
    carla = Journal(accounts.engine, who["carla"].id)
    for i in range(5):  # five sessions in two weeks: 2.5 a week
        carla.add_session(SessionRecord(NOW - timedelta(days=i, hours=1), "bed", "completed",
                                        tension_before=7, tension_after=4 - i % 2))
    for lang, per_week, tension in (("nl", "2,5 / 14", "7 → 3,6"), ("de", "2,5 / 14", "7 → 3,6"),
                                    ("en", "2.5 / 14", "7 → 3.6")):
        with browser(accounts) as therapist:
            therapist.cookies.set("lang", lang)
            log_in(therapist, "anna@praktijk.nl")
            for page in ("/", f"/clients/{who['carla'].id}"):
                text = html.unescape(therapist.get(page).text)
                assert per_week in text and tension in text, (lang, page)


def test_the_handout_as_a_pdf_in_the_language_set_for_the_client(accounts: Accounts) -> None:
    who = people(accounts)
    carla = who["carla"].id
    with browser(accounts) as therapist:
        log_in(therapist, "anna@praktijk.nl")
        therapist.get("/lang/nl?next=/")
        token = csrf(therapist, f"/clients/{carla}")
        assert f'href="/clients/{carla}/handout.pdf"' in therapist.get(f"/clients/{carla}").text
        therapist.post(f"/clients/{carla}/intake", data={"csrf": token, "pain": "neck"})
        therapist.post(f"/clients/{carla}/routine", data={"csrf": token, "routine": "vier"})
        pdf = therapist.get(f"/clients/{carla}/handout.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert 'filename="ontspan-vier.pdf"' in pdf.headers["content-disposition"]
        text = pdf_text(pdf.content)
        for words in ("Voor carla@x.nl", "Audiobestand bij deze oefening: ontspan-vier.mp3",
                      "1. Armen en handen", "4. Benen en voeten", "Aangepast voor jou", "één",
                      "huisarts"):
            assert words in text, words
        # The PDF and the print page say the same.
        for piece in html_texts(therapist.get(f"/clients/{carla}/handout").text):
            assert piece in text, piece
        # The language set for the client wins over the therapist's own.
        for lang, words in (("de", ("Für carla@x.nl", "Die Schritte", "Muskelgruppe", "Füße")),
                            ("en", ("For carla@x.nl", "The steps", "Muscle group"))):
            therapist.post(f"/clients/{carla}/routine", data={
                "csrf": token, "routine": "standaard", "lang": lang})
            text = pdf_text(therapist.get(f"/clients/{carla}/handout.pdf").content)
            assert all(w in text for w in words), (lang, text[:400])
        # Every shipped language can be set (German too).
        assert '<option value="de"' in therapist.get(f"/clients/{carla}").text
    assert ("viewed", "handout.pdf") in [(e.action, e.detail) for e in accounts.audit_of(carla)]
    for wrong in ("bert@praktijk.nl", "dirk@x.nl", "carla@x.nl"):
        with browser(accounts) as other:
            log_in(other, wrong)
            refused = other.get(f"/clients/{carla}/handout.pdf")
            assert refused.status_code == 403 and not refused.content.startswith(b"%PDF"), wrong
            assert "Traceback" not in refused.text


def path_cell(page: str, email: str) -> str:
    """The learning-path cell of one client's row on the caseload."""
    row = re.search(rf'<a href="/clients/[^"]+">{re.escape(email)}</a>(.*?)</tr>', page, re.S)
    assert row, email
    cell = re.search(r'<td class="path">(.*?)</td>', row.group(1), re.S)
    assert cell, row.group(1)
    return re.sub(r"<[^>]+>", "", cell.group(1)).strip()


def test_the_learning_path_stage_on_the_caseload_and_the_client_page(accounts: Accounts) -> None:
    who = people(accounts)
    carla = who["carla"].id
    journal = Journal(accounts.engine, carla)
    with browser(accounts) as therapist:
        log_in(therapist, "anna@praktijk.nl")
        therapist.get("/lang/nl?next=/")
        home = therapist.get("/").text
        assert "<th scope=\"col\">Leerpad</th>" in home
        assert path_cell(home, "carla@x.nl") == "nog niet begonnen"
        assert "volgt het leerpad nog niet" in therapist.get(f"/clients/{carla}").text
        token = csrf(therapist, f"/clients/{carla}")
        therapist.post(f"/clients/{carla}/routine", data={
            "csrf": token, "routine": "bed", "minutes": "6", "intensity": "gentle", "lang": "de"})
        moved = therapist.post(f"/clients/{carla}/path", data={"csrf": token, "stage": "zestien"},
                               follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"].endswith("#path")
        assert path_cell(therapist.get("/").text, "carla@x.nl") == "1. Zestien spiergroepen"
        page = therapist.get(f"/clients/{carla}").text
        assert f"Fase 1 van 10: Zestien spiergroepen, sinds {date.today():%Y-%m-%d}" in page
        assert "0 van 10 oefeningen, 0 van 7 dagen, 0 van 3 keer ontspannen" in page
        assert '<option value="zestien" selected>' in page
        assert f'href="/lang/en?next=/clients/{carla}"' in page  # the language switch works here
        # The stage's own session is now the client's, the other choices kept but the length.
        assigned = journal.assignment()
        assert assigned is not None and assigned.routine == "volledig"
        assert dict(assigned.options) == {"intensity": "gentle", "lang": "de"}

        # Ten relaxed sessions over eight days meet the criterion: the next stage is offered.
        since = datetime.now().replace(microsecond=0) - timedelta(days=8)
        journal.save_path_state(PathState("zestien", since))
        for i in range(10):
            journal.add_session(SessionRecord(
                started_at=since + timedelta(hours=2 + 18 * i), routine="volledig",
                state="completed", practiced_ms=15 * 60_000, tension_before=6, tension_after=2,
                source="log"))
        assert path_cell(therapist.get("/").text, "carla@x.nl") == \
            "1. Zestien spiergroepen (klaar voor fase 2)"
        page = therapist.get(f"/clients/{carla}").text
        assert "10 van 10 oefeningen, 7 van 7 dagen, 3 van 3 keer ontspannen" in page
        assert "Het criterium is gehaald; fase 2, Zeven spiergroepen, kan volgen" in page
        for lang, header, cell in (
                ("en", "Learning path", "1. Sixteen muscle groups (ready for stage 2)"),
                ("de", "Lernpfad", "1. Sechzehn Muskelgruppen (bereit für Stufe 2)")):
            therapist.get(f"/lang/{lang}?next=/")
            home = therapist.get("/").text
            assert f"<th scope=\"col\">{header}</th>" in home and \
                path_cell(home, "carla@x.nl") == cell, lang
        therapist.get("/lang/nl?next=/")

        # Moving on by hand, then leaving the path; a stage that does not exist is refused.
        therapist.post(f"/clients/{carla}/path", data={"csrf": token, "stage": "2"})
        assert path_cell(therapist.get("/").text, "carla@x.nl") == "2. Zeven spiergroepen"
        with browser(accounts) as client:  # the client's Today: the stage and its session
            log_in(client, "carla@x.nl")
            client.get("/lang/nl?next=/")
            today = client.get("/").text
            assert "routine=zeven" in today and "Leerpad, fase 2: Zeven spiergroepen" in today
        state = journal.path_state()
        assert state is not None and state.moves[-1].stage == "zeven"
        assert state.moves[-1].met  # the move is kept as made with the criterion met
        wrong = therapist.post(f"/clients/{carla}/path", data={"csrf": token, "stage": "elf"})
        assert wrong.status_code == 400 and "Fase 'elf' bestaat niet" in html.unescape(wrong.text)
        assert "Traceback" not in wrong.text and journal.path_state() == state
        therapist.post(f"/clients/{carla}/path", data={"csrf": token, "stage": ""})
        assert journal.path_state() is None
        assert path_cell(therapist.get("/").text, "carla@x.nl") == "nog niet begonnen"
        assert journal.assignment().routine == "zeven"  # type: ignore[union-attr]
        # The audit log reads in the therapist's language.
        audit = therapist.get(f"/clients/{carla}").text.split('id="audit"')[1]
        assert "gewijzigd (leerpad)" in audit and "bekeken" in audit and "changed" not in audit
    assert ("changed", "path") in [(e.action, e.detail) for e in accounts.audit_of(carla)]
    with browser(accounts) as client:  # off the path: the session stays, the stage goes
        log_in(client, "carla@x.nl")
        today = client.get("/").text
        assert "routine=zeven" in today and 'id="path-stage"' not in today
    with browser(accounts) as other:  # another therapist sees only their own client
        log_in(other, "bert@praktijk.nl")
        home = other.get("/").text
        assert "carla@x.nl" not in home and path_cell(home, "dirk@x.nl") in (
            "not started", "nog niet begonnen", "noch nicht begonnen")


def _wav(seconds: float) -> bytes:
    import io

    import numpy as np
    import soundfile as sf

    rate = 22_050
    t = np.arange(int(rate * seconds)) / rate
    out = io.BytesIO()
    sf.write(out, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), rate, format="WAV")
    return out.getvalue()


def test_the_therapists_own_voice_speaks_to_their_clients(accounts: Accounts) -> None:
    from ontspan.services.recordings import voice_for

    who = people(accounts)
    with browser(accounts) as therapist:
        log_in(therapist, "anna@praktijk.nl")
        therapist.get("/lang/nl?next=/voice")
        page = therapist.get("/voice")
        assert page.status_code == 200 and "tense.normal" in page.text
        assert "microphone=(self)" in page.headers["permissions-policy"]
        assert "microphone=()" in therapist.get("/").headers["permissions-policy"]
        token = csrf(therapist, "/voice")
        sent = therapist.post("/voice/nl/tense.normal", data={"csrf": token},
                              files={"audio": ("phrase.wav", _wav(1.2), "audio/wav")})
        assert sent.status_code == 200, sent.text
        assert therapist.get("/voice/nl/tense.normal.wav").content[:4] == b"RIFF"
        for phrase, body, problem in (("tense.normal", b"not a sound", "geen geluidsbestand"),
                                      ("tense.normal", _wav(0.1), "0.3 tot 30"),
                                      ("no.such.line", _wav(1.0), "zegt ontspan nergens")):
            bad = therapist.post(f"/voice/nl/{phrase}", data={"csrf": token},
                                 files={"audio": ("p.wav", body, "audio/wav")})
            assert bad.status_code == 400 and problem in bad.text, (phrase, bad.text)
        assert therapist.get("/voice/nl/..%2Fescape.wav").status_code == 404
    voice = voice_for(who["anna"].id, "nl")
    assert voice is not None and voice.missing(["tense.normal", "release"]) == ["release"]
    assert voice_for(who["bert"].id, "nl") is None
    with browser(accounts) as client:  # a client of Bert's cannot reach Anna's recordings
        log_in(client, "dirk@x.nl")
        assert client.get("/voice/nl/tense.normal.wav").status_code == 403
        assert client.post("/voice/nl/tense.normal", data={}).status_code == 403
