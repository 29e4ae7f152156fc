"""A printable handout (one self-contained HTML page) from the same Timeline as the audio."""

from __future__ import annotations

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


HOW_PREFIXES = ("method.", "safety.")


def handout_html(timeline: Timeline, client: str | None = None, audio: str | None = None) -> str:
    lang = timeline.lang
    say = library.phrases()

    def t(key: str, **values: object) -> str:
        return escape(say(key, lang).format(**values))

    tension = f"{timeline.prefs.tension_s:g}"
    release = f"{timeline.prefs.release_s:g}"
    rows = []
    for i, group in enumerate(timeline.groups, 1):
        timing = (t("handout.release_only", release=release) if group.release_only
                  else t("handout.tense_feel", tense=tension, release=release))
        if group.rounds > 1:
            timing += " · " + t("handout.rounds", n=group.rounds)
        rows.append(f"<tr><td>{i}. {escape(group.name)}</td><td>{escape(group.instruction)}</td>"
                    f"<td class=num>{timing}</td></tr>")
    parts = [
        f"<!doctype html><html lang={lang}><head><meta charset=utf-8>",
        f"<title>ontspan — {escape(timeline.routine_name)}</title><style>{STYLE}</style></head>",
        f"<body><h1>{escape(timeline.routine_name)}</h1>",
    ]
    meta = [t("handout.length", minutes=round(timeline.duration_ms / 60_000))]
    if client:
        meta.insert(0, t("handout.for", client=client))
    if audio:
        meta.append(t("handout.audio", file=audio))
    parts.append(f"<p class=meta>{'<br>'.join(meta)}</p>")
    # How it works, in the words the recording says (intensity, breathing, safety lines).
    how = " ".join(c.text for c in timeline.cues
                   if c.phrase.startswith(HOW_PREFIXES) and c.phrase != "method.cue")
    parts.append(f"<h2>{t('handout.how_title')}</h2><p>{escape(how)}</p>")
    if timeline.adaptations:
        items = "".join(f"<li>{escape(a.text)}</li>" for a in timeline.adaptations)
        parts.append(f"<h2>{t('handout.adapted_title')}</h2><ul class=adapted>{items}</ul>")
    parts.append(
        f"<h2>{t('handout.steps_title')}</h2><table><thead><tr><th>{t('handout.col_group')}</th>"
        f"<th>{t('handout.col_what')}</th><th>{t('handout.col_time')}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    parts.append(f"<h2>{t('handout.practice_title')}</h2><p>{t('handout.practice')}</p>")
    parts.append(f"<h2>{t('homework.title')}</h2><p>{t('homework')}</p>")
    parts.append(f"<h2>{t('handout.safety_title')}</h2><p>{t('handout.safety')}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
