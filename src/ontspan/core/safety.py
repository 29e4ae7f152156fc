"""Safety rules: how a person's answers change every session, and why. Pure and readable.

Each rule returns the preference changes it makes and the sentence that tells the person
which rule changed what. Explicit options the person gives still win (see services.sessions.plan_session)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ontspan.core.catalogue import Phrases
from ontspan.core.i18n import join

# What a person can report after a session; the first three make the next session gentler.
REACTIONS = ("dizzy", "nauseous", "restless", "pain", "other")
WARNING_REACTIONS = REACTIONS[:3]
TRAUMA_START_MINUTES = 8.0  # shorter sessions to start with
AFTER_REACTION_MINUTES = 6.0
SAFE_START_AREAS = ("hands", "feet")  # areas that usually feel safe, from the reference text
PREGNANCY_AREAS = ("belly",)  # no abdominal tensing while pregnant


@dataclass(frozen=True)
class Profile:
    pain_areas: tuple[str, ...] = ()
    heart_lung: bool = False
    trauma: bool = False
    therapist: bool = False
    reactions: int = 0  # sessions that ended dizzy, nauseous or more restless
    injury_areas: tuple[str, ...] = ()  # a recent injury or operation
    pregnant: bool = False
    contact_lenses: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"pain_areas": list(self.pain_areas), "heart_lung": self.heart_lung,
                "trauma": self.trauma, "therapist": self.therapist,
                "injury_areas": list(self.injury_areas), "pregnant": self.pregnant,
                "contact_lenses": self.contact_lenses}

    @classmethod
    def from_dict(cls, data: dict[str, Any], reactions: int = 0) -> Profile:
        return cls(tuple(data.get("pain_areas", ())), bool(data.get("heart_lung")),
                   bool(data.get("trauma")), bool(data.get("therapist")), reactions,
                   tuple(data.get("injury_areas", ())), bool(data.get("pregnant")),
                   bool(data.get("contact_lenses")))


@dataclass(frozen=True)
class RuleResult:
    rule: str
    changes: dict[str, Any]
    text: str
    advice: str = ""  # shown before the session, names a professional
    always: bool = False  # advice that stands even when every change is overridden


def rules(profile: Profile, phrases: Phrases, lang: str) -> list[RuleResult]:
    def t(key: str, **values: object) -> str:
        return phrases(key, lang).format(**values)

    def area_list(found: tuple[str, ...]) -> str:
        return join([t(f"area.{a}") for a in found], lang)  # 'a, b en c', 'a, b und c' (Babel)

    out: list[RuleResult] = []
    if profile.pain_areas:
        areas = area_list(profile.pain_areas)
        out.append(RuleResult(
            "pain",
            {"intensity": "gentle", "release_only_areas": frozenset(profile.pain_areas),
             "pain_note": True},
            t("rule.pain", areas=areas),
            t("advice.pain_profile"),
        ))
    if profile.injury_areas:
        out.append(RuleResult(
            "injury",
            {"release_only_areas": frozenset(profile.injury_areas)},
            t("rule.injury", areas=area_list(profile.injury_areas)),
            t("advice.injury"),
        ))
    if profile.pregnant:
        out.append(RuleResult(
            "pregnancy",
            {"release_only_areas": frozenset(PREGNANCY_AREAS)},
            t("rule.pregnancy"),
            t("advice.pregnancy"),
        ))
    if profile.contact_lenses:
        out.append(RuleResult("lenses", {"gentle_areas": frozenset({"eyes"})}, t("rule.lenses")))
    if profile.heart_lung:
        out.append(RuleResult(
            "heart-lung",
            {"intensity": "gentle", "keep_breathing": True, "tension": 5.0, "breathing": False},
            t("rule.heart_lung"),
            t("advice.heart_lung"),
        ))
    if profile.trauma:
        out.append(RuleResult(
            "trauma",
            {"eyes_open": True, "trauma_note": True, "max_minutes": TRAUMA_START_MINUTES},
            t("rule.trauma", minutes=f"{TRAUMA_START_MINUTES:g}"),
            "" if profile.therapist else t("advice.trauma"),
        ))
    if profile.reactions >= 1:
        out.append(RuleResult(
            "reaction",
            {"intensity": "gentle", "max_minutes": AFTER_REACTION_MINUTES,
             "start_with": SAFE_START_AREAS},
            t("rule.reaction", minutes=f"{AFTER_REACTION_MINUTES:g}"),
            t("advice.reaction_again") if profile.reactions >= 2 else "",
            always=profile.reactions >= 2,
        ))
    return out


def apply(results: list[RuleResult], explicit: dict[str, Any]) -> tuple[dict[str, Any], list[RuleResult]]:
    """Merge the rules' changes, leaving out what the person set explicitly.

    Returns the changes and the rules that still change something (for the notes)."""
    changes: dict[str, Any] = {}
    active: list[RuleResult] = []
    for result in results:
        own = {k: v for k, v in result.changes.items() if explicit.get(k) is None}
        if not own and not result.always:
            continue
        for key, value in own.items():
            if (key == "tension" and key in changes) or (key == "max_minutes" and key in changes):
                value = min(value, changes[key])
            elif key in ("release_only_areas", "gentle_areas") and key in changes:
                value = changes[key] | value
            changes[key] = value
        active.append(result)
    return changes, active
