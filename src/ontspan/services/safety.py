"""The safety profile in use: reading answers, saving them, counting reactions.

Services decide and return; the interfaces ask the questions and tell the person (see
interfaces/cli_safety.py and the web app's intake page)."""

from __future__ import annotations

from datetime import datetime

from ontspan import library
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import lang as i18n_lang
from ontspan.core.safety import WARNING_REACTIONS, Profile, RuleResult, rules
from ontspan.store.journal import Journal

NO_AREAS = ("", "none", "geen", "nee", "no", "n", "keine", "nein", "-")


def parse_areas(value: str, option: str = "--pain") -> tuple[str, ...]:
    """Body areas by their id or by a name or synonym in any language we speak (rug, Nacken)."""
    from ontspan.core.i18n import _, join
    from ontspan.core.reading import fold

    if fold(value) in NO_AREAS:
        return ()
    words = library.area_words()
    found: list[str] = []
    for raw in value.replace(";", ",").replace(" en ", ",").replace(" und ", ",").split(","):
        if not raw.strip():
            continue
        area = words.get(fold(raw))
        if area is None:
            names = library.area_names(i18n_lang())
            message = _("--pain: unknown body area {name}; for example: {known}",
                        name=repr(raw.strip()), known=join(names))
            raise OntspanError(message.replace("--pain", option, 1))
        if area not in found:
            found.append(area)
    return tuple(found)


def save_intake(journal: Journal, profile: Profile, lang: str) -> list[RuleResult]:
    """Keeps the answers; returns the rules they switch on, for the interface to show."""
    journal.save_intake(profile)
    return active_rules(journal.profile() or profile, lang)


def client_profile(pain: str | None = None, heart_lung: bool = False, trauma: bool = False,
                   injury: str | None = None, pregnant: bool = False,
                   contact_lenses: bool = False) -> Profile | None:
    """A client's answers given for one handout (never this computer's own profile); None
    when nothing was given. Made with a therapist, so no advice to find one."""
    profile = Profile(parse_areas(pain or ""), heart_lung, trauma, True, 0,
                      parse_areas(injury or "", "--injury"), pregnant, contact_lenses)
    return None if profile == Profile(therapist=True) else profile


def active_rules(profile: Profile | None, lang: str) -> list[RuleResult]:
    return rules(profile, library.phrases(), lang) if profile else []


def record_reaction(journal: Journal, reaction: tuple[str, ...],
                    at: datetime | None = None) -> bool:
    """A session that left someone dizzy, nauseous or restless makes the next one gentler.
    True when this reaction counted."""
    if not set(reaction) & set(WARNING_REACTIONS):
        return False
    journal.count_reaction(at or datetime.now())
    return True
