"""Safety rules in combination: every mix of answers gets what each answer asks for, the
strictest limit wins, and the order of the rules does not matter."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ontspan import library
from ontspan.core.compiler import compile_timeline
from ontspan.core.prefs import resolve
from ontspan.core.safety import (
    AFTER_REACTION_MINUTES,
    SAFE_START_AREAS,
    TRAUMA_START_MINUTES,
    Profile,
    RuleResult,
    apply,
    rules,
)

PHRASES = library.phrases()

profiles = st.builds(
    Profile,
    pain_areas=st.sampled_from([(), ("neck",), ("lower-back", "knees")]),
    heart_lung=st.booleans(),
    trauma=st.booleans(),
    therapist=st.booleans(),
    reactions=st.integers(0, 3),
)


@given(profiles, st.sampled_from(["nl", "en"]))
def test_every_answer_gets_its_change_in_any_combination(profile: Profile, lang: str) -> None:
    results = rules(profile, PHRASES, lang)
    changes, active = apply(results, {})
    gentle = bool(profile.pain_areas) or profile.heart_lung or profile.reactions >= 1
    assert (changes.get("intensity") == "gentle") == gentle
    assert changes.get("release_only_areas", frozenset()) == frozenset(profile.pain_areas)
    assert changes.get("keep_breathing", False) == profile.heart_lung
    assert changes.get("tension") == (5.0 if profile.heart_lung else None)
    assert changes.get("eyes_open", False) == profile.trauma
    assert changes.get("trauma_note", False) == profile.trauma
    assert changes.get("pain_note", False) == bool(profile.pain_areas)
    assert changes.get("breathing") == (False if profile.heart_lung else None)
    assert changes.get("start_with") == (SAFE_START_AREAS if profile.reactions else None)
    caps = [TRAUMA_START_MINUTES] * profile.trauma + [AFTER_REACTION_MINUTES] * (profile.reactions > 0)
    assert changes.get("max_minutes") == (min(caps) if caps else None), "the strictest cap wins"
    expected = [name for name, on in (("pain", profile.pain_areas), ("heart-lung", profile.heart_lung),
                                      ("trauma", profile.trauma), ("reaction", profile.reactions))
                if on]
    assert [r.rule for r in active] == expected
    advice = {r.rule for r in active if r.advice}
    assert ("trauma" in advice) == (profile.trauma and not profile.therapist)
    assert ("reaction" in advice) == (profile.reactions >= 2)
    assert ("pain" in advice) == bool(profile.pain_areas)
    assert ("heart-lung" in advice) == profile.heart_lung
    assert [r.rule for r in active if r.always] == (["reaction"] if profile.reactions >= 2 else [])
    assert all(r.text for r in active), "every change says why"
    # The rules are a set, not a sequence: any order merges to the same changes.
    assert apply(list(reversed(results)), {})[0] == changes


def test_trauma_and_a_reaction_give_the_shorter_session() -> None:
    """The trauma cap (8 minutes) and the reaction cap (6) together: 6, whichever comes first."""
    routine = library.find("volledig")
    results = rules(Profile(trauma=True, reactions=1), PHRASES, "en")
    for order in (results, list(reversed(results))):
        changes, _ = apply(order, {})
        prefs = resolve(routine.defaults, changes, {"lang": "en"})
        tl = compile_timeline(routine, prefs, library.catalogue(), PHRASES)
        assert tl.duration_ms <= AFTER_REACTION_MINUTES * 60_000 * 1.1
        first = library.catalogue()[tl.groups[0].id.removesuffix("-right").removesuffix("-left")]
        assert set(first.areas) & set(SAFE_START_AREAS)


def rule(name: str, **changes: Any) -> RuleResult:
    return RuleResult(name, changes, name)


def test_limits_from_several_rules_take_the_strictest_and_areas_add_up() -> None:
    results = [rule("a", tension=5.0, max_minutes=8.0, release_only_areas=frozenset({"neck"})),
               rule("b", tension=4.0, max_minutes=10.0, release_only_areas=frozenset({"knees"})),
               rule("c", tension=6.0, max_minutes=6.0)]
    for order in (results, results[::-1], results[1:] + results[:1]):
        changes, active = apply(order, {})
        assert changes["tension"] == 4.0 and changes["max_minutes"] == 6.0
        assert changes["release_only_areas"] == {"neck", "knees"}
        assert len(active) == 3


def test_what_the_person_sets_wins_and_a_rule_left_with_nothing_is_not_shown() -> None:
    results = rules(Profile(pain_areas=("neck",), heart_lung=True, reactions=1), PHRASES, "en")
    explicit = {"intensity": "normal", "tension": 7.0, "max_minutes": None}
    changes, active = apply(results, explicit)
    assert "intensity" not in changes and "tension" not in changes
    assert changes["keep_breathing"] is True and changes["max_minutes"] == AFTER_REACTION_MINUTES
    overridden = RuleResult("x", {"intensity": "gentle"}, "x")
    kept = RuleResult("y", {"intensity": "gentle"}, "y", advice="see your GP", always=True)
    _, active = apply([overridden, kept], {"intensity": "normal"})
    assert [r.rule for r in active] == ["y"], "advice that must stand is kept, the rest dropped"


def test_pain_sentence_names_every_area_in_the_persons_language() -> None:
    def sentence(lang: str, *areas: str) -> str:
        return rules(Profile(pain_areas=areas), PHRASES, lang)[0].text

    assert "je nek, je knieën en je onderrug" in sentence("nl", "neck", "knees", "lower-back")
    assert "je nek en je knieën alleen" in sentence("nl", "neck", "knees")
    assert "bij je nek alleen" in sentence("nl", "neck")
    assert "your neck, your knees, and your lower back only" in sentence(
        "en", "neck", "knees", "lower-back")
    assert "your neck and your knees only" in sentence("en", "neck", "knees")
    assert "and your neck only relaxed" in sentence("en", "neck")
    advice = rules(Profile(pain_areas=("neck",)), PHRASES, "en")[0].advice
    assert "physiotherapist" in advice


def test_the_limits_are_named_in_minutes() -> None:
    texts = {r.rule: r.text for r in rules(Profile(trauma=True, reactions=1), PHRASES, "en")}
    assert "at most 8 minutes" in texts["trauma"]
    assert "at most 6 minutes" in texts["reaction"]


def test_the_stored_answers_come_back_as_given() -> None:
    profile = Profile(pain_areas=("neck", "knees"), heart_lung=True, trauma=True, therapist=True)
    assert Profile.from_dict(profile.to_dict()) == profile
    assert Profile.from_dict(profile.to_dict(), reactions=2).reactions == 2
    assert Profile.from_dict({}) == Profile()
    assert profile.to_dict() == {"pain_areas": ["neck", "knees"], "heart_lung": True,
                                 "trauma": True, "therapist": True, "injury_areas": [],
                                 "pregnant": False, "contact_lenses": False}
    full = Profile(injury_areas=("knees",), pregnant=True, contact_lenses=True)
    assert Profile.from_dict(full.to_dict()) == full
