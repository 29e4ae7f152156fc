"""Each safety rule on a real routine: what is left out, what wording and timing change."""

from __future__ import annotations

import json
from datetime import datetime

from click.testing import CliRunner

from ontspan.interfaces.cli import cli
from ontspan.store.journal import Journal


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def show(*args: str) -> dict:
    code, out, err = invoke("show", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def intake(pain: str = "none", heart: str = "no", trauma: str = "no", therapist: str = "no",
           lang: str = "en") -> str:
    code, out, err = invoke("intake", "--pain", pain, "--heart-lung", heart, "--trauma", trauma,
                            "--therapist", therapist, "--lang", lang)
    assert code == 0, err
    return out


def test_no_profile_changes_nothing() -> None:
    assert show("standaard", "--lang", "en")["adaptations"] == []
    intake()
    data = show("standaard", "--lang", "en")
    assert data["adaptations"] == [] and data["prefs"]["intensity"] == "normal"


def test_pain_makes_it_gentle_and_relaxes_the_named_areas_without_tensing() -> None:
    out = intake(pain="lower-back")
    assert "physiotherapist" in out
    data = show("standaard", "--lang", "en")
    belly = next(g for g in data["groups"] if g["id"] == "belly")
    assert belly["release_only"], "the belly group involves the lower back"
    assert not any(s["group"] == "belly" and s["phase"] == "tense" for s in data["segments"])
    assert {c["text"] for c in data["cues"] if c["kind"] == "tense"} == {"Now, tighten lightly."}
    assert any("Only tighten what feels fine" in c["text"] for c in data["cues"])
    assert data["adaptations"][0]["rule"] == "pain"
    assert "your lower back" in data["adaptations"][0]["text"]
    code, out, _ = invoke("show", "standaard", "--lang", "en")
    assert code == 0 and "! Gentler tensing" in out


def test_heart_lung_keeps_the_breath_going_and_tenses_shorter() -> None:
    intake(heart="yes")
    data = show("standaard", "--lang", "en", "--breathing")
    tense = [s for s in data["segments"] if s["phase"] == "tense"]
    assert all(s["end_ms"] - s["start_ms"] == 5000 for s in tense)
    texts = [c["text"] for c in data["cues"]]
    assert not [t for t in texts if "breathe in" in t.lower() and "Now" in t], "no gulping"
    assert "Now, tighten lightly and keep breathing." in texts
    assert "Keep breathing calmly while you tighten. Never hold your breath." in texts


def test_trauma_eyes_open_skippable_shorter_with_a_therapist() -> None:
    out = intake(trauma="yes")
    assert "together with a therapist" in out
    data = show("volledig", "--lang", "nl")
    assert data["duration_ms"] <= 8 * 60_000 * 1.1
    texts = " ".join(c["text"] for c in data["cues"])
    assert "Je ogen mogen open blijven" in texts and "sluiten" not in texts
    assert "sla je het gewoon over" in texts
    assert data["adaptations"][0]["rule"] == "trauma"


def test_reactions_make_the_next_session_shorter_gentler_and_start_with_hands_or_feet() -> None:
    journal = Journal.open()
    journal.count_reaction(datetime(2026, 11, 1, 21, 0))
    data = show("standaard", "--lang", "en")
    assert data["groups"][0]["id"] in ("hands-forearms", "feet-lower-legs")
    assert data["duration_ms"] <= 6 * 60_000 * 1.1
    assert data["prefs"]["intensity"] == "gentle"
    upper = show("onderweg", "--lang", "en")
    assert upper["groups"][0]["id"] == "hands-forearms"
    journal.count_reaction(datetime(2026, 11, 2, 21, 0))
    code, out, _ = invoke("intake", "--show", "--lang", "en")
    assert code == 0 and "talk it over with your GP, psychologist or physiotherapist" in out
    journal.engine.dispose()


def test_explicit_options_override_the_rules() -> None:
    intake(pain="neck")
    data = show("standaard", "--lang", "en", "--intensity", "normal")
    assert data["prefs"]["intensity"] == "normal"
    assert data["adaptations"][0]["rule"] == "pain", "the areas are still relaxed only"
    assert show("standaard", "--lang", "en", "--no-safety")["adaptations"] == []


def test_intake_show_reset_and_bad_answers() -> None:
    intake(pain="knieën,nek", lang="nl")
    code, out, _ = invoke("intake", "--show", "--lang", "nl")
    assert code == 0 and "Pijn of gewrichtsklachten: knieën en nek" in out
    code, _, err = invoke("intake", "--pain", "ellbow", "--heart-lung", "no", "--trauma", "no",
                          "--therapist", "no")
    assert code == 1 and "--pain: unknown body area 'ellbow'" in err
    code, _, err = invoke("intake", "--pain", "none")
    assert code == 1 and "--heart-lung: missing" in err
    assert invoke("intake", "--reset")[0] == 0
    code, out, _ = invoke("intake", "--show")
    assert "Not answered yet" in out


def test_a_reaction_from_log_counts_like_one_from_practice() -> None:
    code, out, err = invoke("log", "standaard", "--reaction", "dizzy", "--minutes", "8")
    assert code == 0, err
    code, out, _ = invoke("intake", "--show", "--lang", "en")
    assert "dizzy, nauseous or restless: 1" in out
    data = show("standaard", "--lang", "en")
    assert [a["rule"] for a in data["adaptations"]] == ["reaction"]
    assert data["prefs"]["intensity"] == "gentle"
    assert invoke("log", "standaard", "--reaction", "other")[0] == 0
    code, out, _ = invoke("intake", "--show", "--lang", "en")
    assert "dizzy, nauseous or restless: 1" in out, "only dizzy, nauseous or restless count"


def test_injury_pregnancy_and_contact_lenses_change_the_session_with_reasons() -> None:
    code, out, err = invoke("intake", "--pain", "none", "--heart-lung", "no", "--trauma", "no",
                            "--therapist", "no", "--injury", "knees", "--pregnant", "yes",
                            "--contact-lenses", "yes", "--lang", "nl")
    assert code == 0, err
    assert "zwanger" in out and "contactlenzen" in out and "blessure of operatie" in out
    assert "verloskundige" in out
    data = show("standaard", "--lang", "nl")
    groups = {g["id"]: g for g in data["groups"]}
    assert groups["belly"]["release_only"], "no abdominal tensing while pregnant"
    assert groups["feet-lower-legs"]["release_only"], "the injured knees are not tensed"
    assert not groups["face"]["release_only"]
    assert "zachtjes" in groups["face"]["instruction"] and "knijp" not in groups["face"]["instruction"]
    assert {a["rule"] for a in data["adaptations"]} == {"injury", "pregnancy", "lenses"}
    code, out, _ = invoke("intake", "--show")
    assert "Pregnant: yes" in out and "Contact lenses: yes" in out and "knees" in out
