"""The learning path with synthetic journals: the criterion from real journal records, moving
by hand, the suggested session, the safety profile in every stage, every stage's routine in
every language, the plan's rapid moments and the time per session along the path."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from ontspan import library
from ontspan.core.errors import SourceError
from ontspan.core.path import PathState, parse_path
from ontspan.core.safety import Profile
from ontspan.core.yamlsrc import parse
from ontspan.interfaces.cli import cli
from ontspan.services.sessions import compose
from ontspan.store.journal import Journal, SessionRecord

SHIPPED = library.languages().codes  # every language ontspan ships
PATH = library.learning_path()
STAGE_ROUTINES = sorted({(s.id, r) for s in PATH.stages for r in s.routines})


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def path_json() -> dict[str, object]:
    code, out, err = run("path", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


NOW = datetime.now().replace(microsecond=0)


def on_stage(journal: Journal, stage: str, days_ago: float) -> datetime:
    since = NOW - timedelta(days=days_ago)
    journal.save_path_state(PathState(stage, since))
    return since


def practise(journal: Journal, routine: str, count: int, first_days_ago: float,
             before: int | None = 6, after: int | None = 2, minutes: float = 18,
             state: str = "completed") -> None:
    """`count` sessions spread evenly from `first_days_ago` until an hour ago."""
    span = timedelta(days=first_days_ago) - timedelta(hours=1)
    for i in range(count):
        at = NOW - timedelta(days=first_days_ago) + span * (i / max(1, count - 1))
        journal.add_session(SessionRecord(
            started_at=at.replace(microsecond=0), routine=routine, state=state,
            practiced_ms=int(minutes * 60_000), tension_before=before, tension_after=after,
            source="log"))


# ---- The criterion ---------------------------------------------------------------------

def test_meeting_the_criterion_offers_the_next_stage(journal: Journal) -> None:
    on_stage(journal, "zestien", days_ago=8)
    practise(journal, "volledig", 10, first_days_ago=7.5)
    data = path_json()
    assert data["stage"] == "zestien" and data["next"] == "zeven"
    criterion = data["criterion"]
    assert isinstance(criterion, dict)
    assert criterion["met"] is True
    assert (criterion["sessions"], criterion["days"], criterion["relaxed"]) == (10, 8, 5)
    stages = data["stages"]
    assert isinstance(stages, list)
    assert [s["id"] for s in stages][:3] == ["zestien", "zeven", "vier"]
    assert stages[0]["met"] is True and stages[0]["routines"] == ["volledig"]
    code, out, _ = run("path", "--lang", "nl")
    assert code == 0 and "Je haalt het criterium" in out and "ontspan path --next" in out


@pytest.mark.parametrize(("why", "count", "days", "before", "after", "routine"), [
    ("too few sessions", 9, 8, 6, 2, "volledig"),
    ("less than a week in the stage", 12, 5, 6, 2, "volledig"),
    ("not relaxed enough afterwards", 10, 8, 7, 4, "volledig"),
    ("no clear drop", 10, 8, 3, 2, "volledig"),
    ("no tension scores at all", 10, 8, None, None, "volledig"),
    ("another stage's routine", 10, 8, 6, 2, "zeven"),
])
def test_not_meeting_the_criterion_offers_nothing(
    journal: Journal, why: str, count: int, days: int, before: int | None, after: int | None,
    routine: str,
) -> None:
    on_stage(journal, "zestien", days_ago=days)
    practise(journal, routine, count, first_days_ago=days - 0.5, before=before, after=after)
    data = path_json()
    assert data["next"] is None, why
    assert data["following"] == "zeven"
    code, out, _ = run("path", "--lang", "en")
    assert code == 0
    assert "You meet the criterion" not in out and "After this: stage 2" in out


def test_sessions_before_the_stage_began_do_not_count(journal: Journal) -> None:
    practise(journal, "volledig", 10, first_days_ago=20)
    on_stage(journal, "zestien", days_ago=8)
    assert path_json()["next"] is None


def test_stopped_sessions_do_not_count_but_a_few_tense_days_are_forgiven(
    journal: Journal,
) -> None:
    on_stage(journal, "vier", days_ago=9)
    practise(journal, "vier", 10, first_days_ago=8.5, minutes=6)
    practise(journal, "vier", 2, first_days_ago=0.4, before=7, after=5, minutes=6)
    assert path_json()["next"] == "herinneren", "3 of the last 5 ended relaxed"
    practise(journal, "vier", 1, first_days_ago=0.2, before=7, after=6, minutes=6)
    assert path_json()["next"] is None, "now only 2 of the last 5"
    practise(journal, "vier", 5, first_days_ago=0.1, state="stopped", minutes=2)
    assert path_json()["next"] is None


def test_last_stage_has_no_criterion_and_nothing_next(journal: Journal) -> None:
    on_stage(journal, "toepassen", days_ago=30)
    practise(journal, "snel", 50, first_days_ago=20, minutes=0.5)
    data = path_json()
    assert data["next"] is None and data["following"] is None
    code, out, _ = run("path", "--lang", "nl")
    assert code == 0 and "laatste fase" in out


# ---- Moving by hand ----------------------------------------------------------------------

def test_not_on_the_path_until_started() -> None:
    data = path_json()
    assert data["started"] is False and data["stage"] == "zestien" and data["next"] is None
    code, out, _ = run("path", "--lang", "nl")
    assert code == 0 and "ontspan path --start" in out
    code, out, _ = run("today", "--lang", "nl")
    assert "Leerpad" not in out


def test_moving_by_hand_forward_and_back(journal: Journal) -> None:
    code, out, _ = run("path", "--start", "--lang", "en")
    assert code == 0 and "Now in stage 1: Sixteen muscle groups." in out
    assert run("path", "--set", "herinneren")[0] == 0
    assert path_json()["stage"] == "herinneren"
    assert run("path", "--next")[0] == 0
    assert path_json()["stage"] == "herinneren-tellen"
    assert run("path", "--back")[0] == 0
    assert run("path", "--back")[0] == 0
    assert path_json()["stage"] == "vier"
    assert run("path", "--set", "9")[0] == 0
    assert path_json()["stage"] == "snel"
    state = journal.path_state()
    assert state is not None
    assert [m.stage for m in state.moves] == ["zestien", "herinneren", "herinneren-tellen",
                                              "herinneren", "vier", "snel"]
    assert not any(m.met for m in state.moves), "moved by hand without the criterion"
    run("path", "--set", "10")
    code, out, err = run("path", "--next")
    assert code == 1 and err.strip() == "ontspan: --next: this is the last stage"
    code, out, err = run("path", "--set", "eleven")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "there is no stage 'eleven'" in err
    assert "Traceback" not in out + err
    code, out, err = run("path", "--next", "--back")
    assert code == 1 and "give one of" in err
    assert run("path", "--stop")[0] == 0
    assert journal.path_state() is None


def test_a_move_after_meeting_the_criterion_is_kept_as_such(journal: Journal) -> None:
    on_stage(journal, "zeven", days_ago=10)
    practise(journal, "zeven", 14, first_days_ago=9, minutes=10)
    assert run("path", "--next")[0] == 0
    state = journal.path_state()
    assert state is not None and state.stage == "vier" and state.moves[-1].met


def test_state_round_trips_on_every_backend(journal: Journal) -> None:
    since = on_stage(journal, "signaalwoord", days_ago=3)
    assert journal.path_state() == PathState("signaalwoord", since)
    journal.save_path_state(None)
    assert journal.path_state() is None


# ---- Where it shows: today, practice, web, plan, insight -----------------------------------

def test_today_suggests_the_stage_session(journal: Journal) -> None:
    journal.save_plan(None)
    run("path", "--set", "tellen")
    code, out, _ = run("today", "--lang", "nl")
    assert code == 0
    assert "Leerpad, fase 6: Tellen" in out and "Nu: ontspan practice tellen" in out
    from ontspan.services.sessions import suggested_routine

    # `ontspan practice` without a routine, and the web player, start from this suggestion.
    assert suggested_routine(None, NOW.replace(hour=22), journal.path_state()) == "tellen"


def test_web_today_starts_the_stage_session(journal: Journal) -> None:
    from ontspan.web.app import create_app

    journal.save_path_state(PathState("signaalwoord", NOW))
    journal.save_intake(Profile())  # past the first visit's safety questions
    with TestClient(create_app(journal), base_url="http://127.0.0.1") as client:
        page = client.get("/?lang=en")
    assert page.status_code == 200
    assert "Learning path, stage 7: Cue word" in page.text
    assert "routine=signaalwoord" in page.text


def test_plan_adds_rapid_moments_as_short_reminders(tmp_path: object) -> None:
    from pathlib import Path

    import icalendar

    ics_file = Path(str(tmp_path)) / "plan.ics"
    code, out, err = run("plan", "--daily", "18:00", "--tz", "Europe/Amsterdam", "--lang", "nl")
    assert code == 0, err
    code, out, err = run("plan", "--rapid", "10:00,12:30,15:00", "--ics", str(ics_file),
                         "--lang", "nl")
    assert code == 0, err
    assert "18:00" in out and out.count("Snel ontspannen") == 3, "added, not replacing"
    cal = icalendar.Calendar.from_ical(ics_file.read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    rapid = [e for e in events if "snel" in str(e["summary"]).lower()]
    assert len(events) == 4 and len(rapid) == 3
    for event in rapid:
        assert event["duration"].dt == timedelta(minutes=1)
        assert "rustig" in str(event["description"])
        assert str(event["rrule"].to_ical(), "ascii") == "FREQ=DAILY"
    code, out, err = run("plan", "--rapid", "25:00")
    assert code == 1 and "--rapid: '25:00' is not a time" in err


def test_insight_shows_time_per_session_shrinking_along_the_path(journal: Journal) -> None:
    on_stage(journal, "snel", days_ago=1)
    practise(journal, "volledig", 6, first_days_ago=40, minutes=18)
    practise(journal, "vier", 6, first_days_ago=25, minutes=6)
    practise(journal, "tellen", 4, first_days_ago=12, minutes=3)
    practise(journal, "snel", 8, first_days_ago=0.9, minutes=0.5)
    code, out, err = run("insights", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    start = lines.index("Time per session along the learning path:")
    assert lines[start + 1:start + 5] == [
        "Stage 1, Sixteen muscle groups: 6 times, typically 18 min",
        "Stage 3, Four muscle groups: 6 times, typically 6 min",
        "Stage 6, Counting: 4 times, typically 3 min",
        "Stage 9, Rapid relaxation: 8 times, typically 30 s",
    ]


# ---- Safety and languages in every stage -------------------------------------------------

PAIN = ("shoulders", "neck", "lower-back", "knees")


@pytest.mark.parametrize("lang", SHIPPED)
@pytest.mark.parametrize(("stage", "routine"), STAGE_ROUTINES)
def test_safety_profile_holds_in_every_stage(stage: str, routine: str, lang: str) -> None:
    profile = Profile(pain_areas=PAIN, heart_lung=True, trauma=True)
    found = library.find(routine)
    tl = compose(found, {"lang": lang}, profile, measure=False).timeline
    catalogue = library.catalogue()
    base = {g.id: g for g in catalogue.groups.values()}
    for group in tl.groups:
        areas = set(base[group.id.removesuffix("-right").removesuffix("-left")].areas)
        if areas & set(PAIN):
            assert group.release_only, f"{stage}: {group.id} must stay release-only"
    tensed = {c.group for c in tl.cues if c.kind == "tense"}
    assert not {g.id for g in tl.groups if g.release_only} & tensed
    assert {c.phrase for c in tl.cues if c.kind == "tense"} <= {
        "tense.keep_breathing.gentle", "tense.gentle"}, "gentle, breathing on"
    phrases = {c.phrase for c in tl.cues}
    assert "eyes.closed" not in phrases, f"{stage}: trauma keeps the eyes open"
    if found.eyes == "closed":
        assert "eyes.open" in phrases
    assert "safety.trauma" in phrases, "you decide what you do, in every stage"
    assert tl.duration_ms <= 8 * 60_000 * 1.1, "the trauma cap of 8 minutes holds"
    assert tl.prefs.eyes_open and tl.prefs.max_minutes == 8.0


@pytest.mark.parametrize("lang", SHIPPED)
@pytest.mark.parametrize(("stage", "routine"), STAGE_ROUTINES)
def test_every_stage_routine_compiles_in_every_language(stage: str, routine: str,
                                                        lang: str) -> None:
    tl = compose(library.find(routine), {"lang": lang}, measure=False).timeline
    assert tl.lang == lang and tl.cues and all(c.text.strip() for c in tl.cues)
    assert all("{" not in c.text for c in tl.cues), "no unfilled placeholders"
    low, high = PATH.find(stage).length_s  # type: ignore[union-attr]
    assert low * 1000 * 0.5 <= tl.duration_ms <= high * 1000 * 1.5, (
        f"{routine} lasts {tl.duration_ms / 1000:.0f} s; stage {stage} aims at {low}-{high} s")


def test_stage_texts_exist_in_every_language() -> None:
    for stage in PATH.stages:
        for lang in SHIPPED:
            assert stage.name(lang) and stage.practise(lang)
    assert [s.number for s in PATH.stages] == list(range(1, 11))


@pytest.mark.parametrize(("content", "line", "field"), [
    ("stages:\n  - id: a\n    routines: [nowhere]\n", 3, "stages.0.routines.0"),
    ("criterion: {sessions: many}\nstages: []\n", 1, "criterion.sessions"),
    ("criterion: {relaxed: 6, recent: 5}\nstages: []\n", 1, "criterion.relaxed"),
    ("stages:\n  - id: a\n    routines: [vier]\n    length: [30, 20]\n", 4, "stages.0.length"),
    ("stages:\n  - id: a\n    routines: [vier]\n    speed: 3\n", 4, "stages.0.speed"),
])
def test_bad_path_file_names_line_and_field(content: str, line: int, field: str) -> None:
    with pytest.raises(SourceError) as err:
        parse_path(parse(content, "path.yaml"), {"vier", "snel"}, ("nl", "en"))
    assert (err.value.line, err.value.field) == (line, field)


def test_an_unknown_stage_is_refused_in_dutch(ontspan_home: object) -> None:
    result = CliRunner().invoke(cli, ["--lang", "nl", "path", "--set", "nergens"])
    assert result.exit_code == 1
    assert "er is geen fase 'nergens'; kies uit: 1 zestien" in result.output
