"""Script lint: every routine, in nl, en and de, under every safety profile and option, is read
for the faults a clinician would not sign: a breath-hold, a deep breath in (or any breath in
while the profile says keep breathing), breathing in while the belly is pulled in, a strong
or maximal word in gentle mode, eyes closing when they stay open, a seated session told to
lie down, a night ending that asks to compare."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest

from ontspan import library
from ontspan.core.compiler import compile_timeline
from ontspan.core.prefs import Prefs, resolve
from ontspan.core.routines import GroupRef, Routine
from ontspan.core.safety import Profile, apply, rules
from ontspan.core.timeline import Timeline

CAT = library.catalogue()
LANGS = ["nl", "en", "de"]
PHRASES = library.phrases()

HOLD = {
    "nl": re.compile(r"\bvasthouden\b|\bhoud (je |de )?adem\b(?! (nooit|niet))|\badem inhouden"),
    "en": re.compile(r"\bhold it\b|(?<!never )(?<!not )\bhold (your|the) breath"),
    "de": re.compile(r"\bspannung halten\b|\bhalten\.|\bluft anhalten|\batem anhalten"
                     r"|\bhalten sie (den atem|die luft)\b(?! nie)"),
}
DEEP = {"nl": re.compile(r"\bdiep in\b|\badem diep\b"),
        "en": re.compile(r"\bdeep breath|\bbreathe in deeply"),
        "de": re.compile(r"\btief ein|\batmen sie tief\b")}
INHALE = {"nl": re.compile(r"\badem (rustig )?in\b"), "en": re.compile(r"\bbreathe in\b"),
          "de": re.compile(r"\beinatmen\b|\batmen sie (ruhig )?ein\b")}
STRONG = {
    "nl": re.compile(r"\bstevig|\bstrak|\bhard\b|\bklem|zo (hoog|ver|hard) (mogelijk|als)"),
    "en": re.compile(r"\bfirm|\btight\b|\btightly\b|\bhard\b|\bclench|as (high|far|hard) as"),
    "de": re.compile(r"\bkräftig|\bfest\b|\bstark|\bstraff|\bkneif|\bbeiß"
                     r"|so (hoch|weit|fest|stark) (wie|als) möglich"),
}
MAXIMAL = {"nl": re.compile(r"zo (hoog|ver|hard) mogelijk|\bmaximaal"),
           "en": re.compile(r"as (high|far|hard) as (they|it) (go|can)|\bmaximum"),
           "de": re.compile(r"so (hoch|weit|fest|stark) (wie|als) möglich|\bmaximal"
                            r"|(?<!nicht )mit aller kraft")}
EYES_CLOSE = {
    "nl": re.compile(r"\bogen\b[^.]*\bdicht\b|\bsluit je ogen|\bogen sluiten|\boogleden[^.]*op elkaar"),
    "en": re.compile(r"\beyes\b[^.]*\bshut\b|\bclose your eyes|\beyelids together"),
    "de": re.compile(r"\baugen\b[^.]*\b(zu|schließen)\b|\baugenlider[^.]*aufeinander"),
}
LIE = {"nl": re.compile(r"\blig\b|\bliggen\b|\bligt\b|\bbed\b|\bkussen|\bmatras"),
       "en": re.compile(r"\blie\b|\blying\b|\bbed\b|\bpillow"),
       "de": re.compile(r"\blieg|\blegen sie sich\b|\bbett\b|\bkissen|\bmatratze")}
COMPARE = {"nl": re.compile(r"vergeleken met|\bverschil met het begin"),
           "en": re.compile(r"compared (with|to)"),
           "de": re.compile(r"verglichen mit|im vergleich (zu|mit)|\bunterschied zum (anfang|beginn)")}

FLAGS = {
    "pain": {"pain_areas": ("lower-back", "neck")},
    "heart_lung": {"heart_lung": True},
    "trauma": {"trauma": True},
    "reaction": {"reactions": 1},
    "injury": {"injury_areas": ("knees",)},
    "pregnant": {"pregnant": True},
    "lenses": {"contact_lenses": True},
}
OPTIONS = [
    {"breathing": b, "intensity": i, "ending": e}
    for b in (False, True) for i in ("normal", "gentle") for e in ("day", "night")
]


def every_group(posture: str) -> Routine:
    """A routine with every group of the catalogue, to lint groups no built-in uses."""
    refs = tuple(GroupRef(g.id, "dominant" if g.sided else None) for g in CAT.groups.values())
    return replace(library.find("standaard"), id=f"all-{posture}", groups=refs, posture=posture,
                   shorter=None, longer=None)


ROUTINES = [library.find(n) for n in library.BUILTIN_ORDER] + [
    every_group("sitting")]


def faults(tl: Timeline, routine: Routine, prefs: Prefs) -> list[str]:
    lang = tl.lang
    found: list[str] = []
    groups = {s.group: s for s in tl.segments}
    tense_segments = [s for s in tl.segments if s.phase == "tense"]

    def in_tension(at: int) -> str | None:
        seg = next((s for s in tense_segments if s.start_ms <= at < s.end_ms), None)
        return seg.group if seg else None

    eyes_stay_open = prefs.eyes_open or routine.eyes == "open"
    for cue in tl.cues:
        text = cue.text.lower()
        where = f"{cue.phrase}: {cue.text!r}"
        if HOLD[lang].search(text):
            found.append(f"breath-hold: {where}")
        if DEEP[lang].search(text):
            found.append(f"deep breath in: {where}")
        if prefs.keep_breathing and cue.kind != "breathe-in" and INHALE[lang].search(text):
            found.append(f"breathing in while keep-breathing: {where}")
        group = in_tension(cue.start_ms)
        if group is not None and INHALE[lang].search(text):
            base = group.removesuffix("-right").removesuffix("-left")
            if "belly" in CAT[base].areas:
                found.append(f"breathing in while the belly is pulled in: {where}")
        if MAXIMAL[lang].search(text):
            found.append(f"maximal tension: {where}")
        if prefs.intensity == "gentle" and STRONG[lang].search(text):
            found.append(f"strong word in gentle mode: {where}")
        if eyes_stay_open and EYES_CLOSE[lang].search(text):
            found.append(f"eyes closing while they stay open: {where}")
        if routine.posture == "sitting" and LIE[lang].search(text):
            found.append(f"seated session told to lie: {where}")
        if prefs.ending == "night" and cue.kind == "outro" and COMPARE[lang].search(text):
            found.append(f"night ending compares: {where}")
    assert groups  # the session has segments at all
    return found


def session_prefs(routine: Routine, profile: Profile, options: dict[str, object],
                  lang: str) -> Prefs:
    """As a session is planned: routine defaults, then the safety rules, then the options."""
    changes, _ = apply(rules(profile, PHRASES, lang), options)
    # The safety caps change only the length; every shorter set is linted as a routine.
    changes.pop("max_minutes", None)
    return resolve(routine.defaults, changes, {**options, "lang": lang})


def test_lint_catches_the_faults_it_names() -> None:
    """The lint itself bites: the old texts fail it."""
    assert HOLD["nl"].search("vasthouden.") and HOLD["en"].search("hold it.")
    assert not HOLD["nl"].search("houd je adem nooit vast.")
    assert not HOLD["en"].search("never hold your breath.")
    assert DEEP["nl"].search("adem diep in, trek je schouderbladen naar elkaar toe")
    assert STRONG["nl"].search("knijp je ogen stevig dicht")
    assert MAXIMAL["nl"].search("trek je wenkbrauwen zo hoog mogelijk op")
    assert EYES_CLOSE["nl"].search("knijp je ogen zachtjes dicht")
    assert LIE["nl"].search("blijf liggen zoals je ligt")
    assert INHALE["nl"].search("adem in en span aan.")
    assert HOLD["de"].search("spannung halten.")
    assert not HOLD["de"].search("halten sie nie den atem an.")
    assert DEEP["de"].search("atmen sie tief ein und ziehen sie die schulterblätter zusammen")
    assert STRONG["de"].search("sie kneifen die augen zu") and STRONG["de"].search("kräftig an")
    assert MAXIMAL["de"].search("so hoch wie möglich")
    assert not MAXIMAL["de"].search("deutlich, aber nicht mit aller kraft")
    assert EYES_CLOSE["de"].search("sie kneifen die augen sanft zu")
    assert not EYES_CLOSE["de"].search("ihre augen bleiben offen.")
    assert LIE["de"].search("dort ruhen, wo sie liegen")
    assert INHALE["de"].search("jetzt, atmen sie ein und spannen sie an.")
    assert COMPARE["de"].search("verglichen mit dem anfang")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("routine", ROUTINES, ids=lambda r: r.id)
def test_every_routine_profile_and_option_reads_safely(routine: Routine, lang: str) -> None:
    seen: set[Prefs] = set()  # sessions already read
    problems: list[str] = []
    for n in range(len(FLAGS) + 1):
        for combo in itertools.combinations(FLAGS, n):
            fields: dict[str, object] = {}
            for flag in combo:
                fields.update(FLAGS[flag])
            profile = Profile(**fields)  # type: ignore[arg-type]
            for options in OPTIONS:
                prefs = session_prefs(routine, profile, options, lang)
                # What changes words (not only timing or order); the same words from
                # another profile were read already. Round two adds no new kind of line.
                key = replace(prefs, adaptations=(), start_with=(), tension_s=6.0,
                                  rounds=1)
                if key in seen:
                    continue
                seen.add(key)
                prefs = key
                tl = compile_timeline(routine, prefs, CAT, PHRASES,
                                      routines=library.builtin_or_none)
                problems += [f"{'+'.join(combo) or 'none'} {options}: {f}"
                             for f in faults(tl, routine, prefs)]
    assert not problems, "\n".join(sorted(set(problems))[:40])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("minutes", [3, 45])
@pytest.mark.parametrize("name", ["standaard", "volledig", "bed", "onderweg", "loslaten"])
def test_fitted_sessions_read_safely(name: str, minutes: int, lang: str) -> None:
    """Shortened and lengthened sessions (other sets, closing review) under the strictest
    profile."""
    routine = library.find(name)
    profile = Profile(pain_areas=("neck",), heart_lung=True, trauma=True, pregnant=True,
                      contact_lenses=True)
    for options in OPTIONS:
        prefs = session_prefs(routine, profile, {**options, "minutes": minutes}, lang)
        tl = compile_timeline(routine, prefs, CAT, PHRASES, routines=library.builtin_or_none)
        assert not faults(tl, routine, prefs), faults(tl, routine, prefs)
