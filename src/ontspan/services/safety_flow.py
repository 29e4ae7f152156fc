"""Where the safety profile meets a session: the suggested routine, the adapted preferences,
the first-run questions, and what a reaction changes next time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click

from ontspan import library
from ontspan.core.errors import OntspanError
from ontspan.core.prefs import Adaptation, Prefs
from ontspan.core.routines import Routine
from ontspan.core.safety import WARNING_REACTIONS, Profile, apply, rules
from ontspan.store.journal import Journal


@dataclass(frozen=True)
class Plan:
    routine: Routine
    prefs: Prefs
    advice: tuple[str, ...]


def load_profile(journal: Journal) -> Profile | None:
    data = journal.get("intake")
    reactions = int((journal.get("reactions") or {}).get("count", 0))
    if data is None:
        return Profile(reactions=reactions) if reactions else None
    return Profile.from_dict(data, reactions)


def suggested_routine(journal: Journal, now: datetime | None = None) -> str:
    """The plan's routine for the moment nearest now; otherwise bed in the evening."""
    from ontspan.services.planning import routine_for_now

    return routine_for_now(journal.get("plan"), now or datetime.now())


def plan_session(journal: Journal, routine_name: str | None, options: dict[str, Any],
                 use_safety: bool = True) -> Plan:
    from dataclasses import replace

    from ontspan.services.sessions import prefs_for

    routine = library.find(routine_name or suggested_routine(journal))
    lang = prefs_for(routine, options).lang
    profile = load_profile(journal) if use_safety else None
    if profile is None:
        return Plan(routine, prefs_for(routine, options), ())
    changes, active = apply(rules(profile, library.phrases(), lang), options)
    prefs = prefs_for(routine, options, safety=changes)
    prefs = replace(prefs, adaptations=tuple(Adaptation(r.rule, r.text) for r in active))
    return Plan(routine, prefs, tuple(r.advice for r in active if r.advice))


def first_run_check(journal: Journal, lang: str, console: Any) -> None:
    """On the first practice: the intake questions (skippable), once."""
    if journal.get("intake") is not None or journal.get("intake_offered"):
        return
    journal.put("intake_offered", True)
    run_intake(journal, lang)


def _yes(text: str, lang: str) -> bool:
    yes = {"j", "ja", "y", "yes"}
    no = {"n", "nee", "no", ""}
    while True:
        answer = click.prompt(text, default="", show_default=False).strip().lower()
        if answer in yes:
            return True
        if answer in no:
            return False


def parse_areas(value: str) -> tuple[str, ...]:
    """Area names from the catalogue; Dutch names are understood too."""
    if value.strip().lower() in ("", "none", "geen", "nee", "no", "n"):
        return ()
    known = library.catalogue().areas
    dutch = {library.phrases()(f"area.{a}", "nl").removeprefix("je "): a for a in known}
    found: list[str] = []
    for raw in value.replace(";", ",").split(","):
        name = raw.strip().lower()
        area = name if name in known else dutch.get(name)
        if area is None:
            raise OntspanError(f"--pain: unknown area {name!r}; choose from "
                               f"{', '.join(sorted(known))}")
        if area not in found:
            found.append(area)
    return tuple(found)


def run_intake(journal: Journal, lang: str) -> Profile:
    say = library.phrases()
    click.echo(say("intake.intro", lang))
    while True:
        try:
            areas = parse_areas(click.prompt(say("intake.pain", lang), default="",
                                             show_default=False))
            break
        except OntspanError as exc:
            click.echo(str(exc).removeprefix("--pain: "))
    profile = Profile(areas, _yes(say("intake.heart_lung", lang), lang),
                      _yes(say("intake.trauma", lang), lang),
                      _yes(say("intake.therapist", lang), lang))
    save_profile(journal, profile, lang)
    return profile


def save_profile(journal: Journal, profile: Profile, lang: str) -> None:
    journal.put("intake", profile.to_dict())
    say = library.phrases()
    active = rules(profile, say, lang)
    click.echo(say("intake.saved" if active else "intake.none", lang))
    for result in active:
        click.echo(f"- {result.text}")
        if result.advice:
            click.echo(f"  {result.advice}")


def record_reaction(journal: Journal, reaction: tuple[str, ...]) -> None:
    """A session that left someone dizzy, nauseous or restless makes the next one gentler."""
    if not set(reaction) & set(WARNING_REACTIONS):
        return
    state = journal.get("reactions") or {"count": 0}
    journal.put("reactions", {"count": int(state["count"]) + 1,
                              "last": datetime.now().isoformat(timespec="seconds")})
