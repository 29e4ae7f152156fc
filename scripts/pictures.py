"""Remake every picture in the README: `python scripts/pictures.py` (`--all`: every web page
too, at 360 and 1280 px, in each language and theme, to look at).

The practice screen is drawn by the real renderer (ontspan.interfaces.terminal_view) at three
moments of a real Timeline and saved with rich's SVG export, so the pictures stay true to what
`ontspan practice` shows. Add any other README picture here, so one command remakes them all.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.terminal_theme import DEFAULT_TERMINAL_THEME

from ontspan import library
from ontspan.core.timeline import Timeline
from ontspan.interfaces.terminal_view import Moment, View, caption_at
from ontspan.services.sessions import compose

OUT = Path(__file__).resolve().parent.parent / "docs" / "pictures"
WIDTH, HEIGHT = 96, 26


def moments(tl: Timeline) -> dict[str, int]:
    """Breathing (half-way an in-breath), tension and release of the second group."""
    breath = next(c for c in tl.cues if c.kind == "breathe-in")
    tense = [s for s in tl.segments if s.phase == "tense"][1]
    release = [s for s in tl.segments if s.phase == "release"][1]
    after_in = next(c for c in tl.cues if c.start_ms > breath.start_ms)
    return {
        "breathing": (breath.start_ms + after_in.start_ms) // 2,
        "tension": tense.start_ms + 2500,
        "release": (release.feel_start_ms or release.start_ms) + 4000,
    }


def practice_pictures(lang: str = "nl") -> list[Path]:
    # Estimated speech lengths: the same screen as with the voice, without making the voice.
    tl = compose(library.find("standaard"), {"lang": lang}, measure=False).timeline
    say = library.phrases()
    view = View(tl, lambda key: say(key, lang), [])
    made = []
    for name, at in moments(tl).items():
        console = Console(record=True, width=WIDTH, height=HEIGHT, force_terminal=True,
                          color_system="truecolor", file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(view.render(Moment(at, caption_at(tl, at)), WIDTH, HEIGHT))
        path = OUT / f"practice-{name}.svg"
        path.write_text(console.export_svg(title="ontspan practice", theme=DEFAULT_TERMINAL_THEME),
                        encoding="utf-8")
        console.file.close()
        made.append(path)
    return made


def main() -> None:
    # The web pictures need headless Chromium (apt install chromium; pip install -e '.[test]').
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from web_pictures import web_pictures

    OUT.mkdir(parents=True, exist_ok=True)
    made = practice_pictures() + web_pictures(everything="--all" in sys.argv[1:])
    for path in made:
        sys.stdout.write(f"{path.relative_to(OUT.parent.parent)}\n")


if __name__ == "__main__":
    main()
