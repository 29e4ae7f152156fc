"""A printable handout from the same Timeline as the audio: its words once, as an HTML page
(open and print) and as a PDF (services/handout_pdf.py), so the two always agree."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ontspan import library
from ontspan.core.timeline import Timeline

STYLE = """
body { font: 12pt/1.5 Georgia, serif; max-width: 42em; margin: 2em auto; color: #222; }
h1 { font-size: 20pt; margin-bottom: 0; } h2 { font-size: 14pt; margin-top: 1.4em; }
.meta { color: #555; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35em .5em; border-bottom: 1px solid #ccc; }
td.num { white-space: nowrap; } .adapted { background: #fff7e0; padding: .5em 1em; }
@media print { body { margin: 0; } }
"""


# The cues whose words say how it works (intensity, breathing, safety lines), so the
# handout says what the recording says.
HOW_PREFIXES = ("method.", "safety.")


@dataclass(frozen=True)
class Step:
    group: str  # numbered: "1. Legs"
    what: str
    time: str


@dataclass(frozen=True)
class HandoutText:
    """Every word of a handout, in the session's language, as plain text (not markup)."""

    lang: str
    title: str
    meta: tuple[str, ...]
    how_title: str
    how: str
    adapted_title: str
    adapted: tuple[str, ...]
    steps_title: str
    columns: tuple[str, str, str]
    steps: tuple[Step, ...]
    practice_title: str
    practice: str
    homework_title: str
    homework: str
    safety_title: str
    safety: str


def handout_text(timeline: Timeline, client: str | None = None,
                 audio: str | None = None) -> HandoutText:
    lang = timeline.lang
    say = library.phrases()

    def t(key: str, **values: object) -> str:
        return say(key, lang).format(**values)

    tension = f"{timeline.prefs.tension_s:g}"
    release = f"{timeline.prefs.release_s:g}"
    steps = []
    for i, group in enumerate(timeline.groups, 1):
        timing = (t("handout.release_only", release=release) if group.release_only
                  else t("handout.tense_feel", tense=tension, release=release))
        if group.rounds > 1:
            timing += " · " + t("handout.rounds", n=group.rounds)
        steps.append(Step(f"{i}. {group.name}", group.instruction, timing))
    # How it works in the words the recording says (intensity, breathing, safety lines).
    how = " ".join(c.text for c in timeline.cues
                   if c.phrase.startswith(HOW_PREFIXES) and c.phrase != "method.cue")
    practice = t("handout.practice")
    stage = library.learning_path().stage_of(timeline.routine)
    if stage is not None:  # a stage of the learning path says how often and how long
        practice = stage.practise(lang)
    if all(group.release_only for group in timeline.groups):
        # Nothing is tensed (letting go only, or a later stage of the path): the general
        # "tense, hold, let go" would tell the person to do what this session avoids.
        how = _summary(timeline.routine, lang) or how
    meta = [t("handout.length", minutes=round(timeline.duration_ms / 60_000))]
    if client:
        meta.insert(0, t("handout.for", client=client))
    if audio:
        meta.append(t("handout.audio", file=audio))
    return HandoutText(
        lang=lang, title=timeline.routine_name, meta=tuple(meta),
        how_title=t("handout.how_title"), how=how,
        adapted_title=t("handout.adapted_title"),
        adapted=tuple(a.text for a in timeline.adaptations),
        steps_title=t("handout.steps_title"),
        columns=(t("handout.col_group"), t("handout.col_what"), t("handout.col_time")),
        steps=tuple(steps),
        practice_title=t("handout.practice_title"), practice=practice,
        homework_title=t("homework.title"), homework=t("homework"),
        safety_title=t("handout.safety_title"), safety=t("handout.safety"),
    )


def _summary(routine: str, lang: str) -> str | None:
    from ontspan.core.errors import OntspanError

    try:
        return library.find(routine).summary(lang)
    except OntspanError:  # a routine file moved since: keep the general words
        return None


def handout_html(timeline: Timeline, client: str | None = None, audio: str | None = None) -> str:
    h = handout_text(timeline, client, audio)
    e = escape
    rows = "".join(f"<tr><td>{e(s.group)}</td><td>{e(s.what)}</td><td class=num>{e(s.time)}</td></tr>"
                   for s in h.steps)
    parts = [
        f"<!doctype html><html lang={h.lang}><head><meta charset=utf-8>",
        f"<title>ontspan — {e(h.title)}</title><style>{STYLE}</style></head>",
        f"<body><h1>{e(h.title)}</h1>",
        f"<p class=meta>{'<br>'.join(e(m) for m in h.meta)}</p>",
        f"<h2>{e(h.how_title)}</h2><p>{e(h.how)}</p>",
    ]
    if h.adapted:
        items = "".join(f"<li>{e(a)}</li>" for a in h.adapted)
        parts.append(f"<h2>{e(h.adapted_title)}</h2><ul class=adapted>{items}</ul>")
    head = "".join(f"<th>{e(c)}</th>" for c in h.columns)
    if h.steps:  # the later stages of the path have no muscle groups to list
        parts.append(f"<h2>{e(h.steps_title)}</h2><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    parts.append(f"<h2>{e(h.practice_title)}</h2><p>{e(h.practice)}</p>")
    parts.append(f"<h2>{e(h.homework_title)}</h2><p>{e(h.homework)}</p>")
    parts.append(f"<h2>{e(h.safety_title)}</h2><p>{e(h.safety)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
