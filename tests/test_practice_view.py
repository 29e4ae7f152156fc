"""The practice screen drawn at every second of a session: same size, nothing moves."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from rich.console import Console

from ontspan import library
from ontspan.interfaces.terminal_view import Moment, View, caption_at
from ontspan.services.sessions import compose

ROOT = Path(__file__).resolve().parent.parent


def draw(view: View, at: int, caption: str, width: int, height: int) -> list[str]:
    console = Console(width=width, height=height, color_system=None, force_terminal=True)
    with console.capture() as capture:
        console.print(view.render(Moment(at, caption), width, height), end="")
    return capture.get().splitlines()


@pytest.mark.parametrize(("width", "height"), [(40, 24), (60, 20), (100, 30), (30, 12), (100, 12)])
def test_every_second_fits_and_keeps_its_places(width: int, height: int) -> None:
    tl = compose(library.find("standaard"), {"lang": "nl", "rounds": 2},
                 measure=False).timeline
    say = library.phrases()
    view = View(tl, lambda key: say(key, "nl"), ["Korter, omdat je pijn aangaf."],
                say("ui.silent.short", "nl"))
    footer_rows, phase_rows = set(), set()
    for at in range(0, tl.duration_ms + 1, 1000):
        lines = draw(view, at, caption_at(tl, at), width, height)
        assert len(lines) == height
        assert all(len(line) <= width for line in lines)
        footer_rows.add(next(i for i, line in enumerate(lines) if "gedaan · nog" in line))
        phase = view.phase_word(tl.segment_at(at), at)[:8]
        phase_rows.add(next(i for i, line in enumerate(lines) if line.strip().startswith(phase)))
    assert len(footer_rows) == 1 and len(phase_rows) == 1, "nothing jumps"


def test_the_pictures_script_draws_the_three_moments(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "pictures.py"))
    monkeypatch.setitem(script["practice_pictures"].__globals__, "OUT", tmp_path)
    made = script["practice_pictures"]()
    assert [p.name for p in made] == ["practice-breathing.svg", "practice-tension.svg",
                                      "practice-release.svg"]
    texts = [p.read_text(encoding="utf-8").replace("&#160;", " ") for p in made]
    assert "adem" in texts[0] and "AANSPANNEN" in texts[1] and "VOELEN" in texts[2]


def test_without_sound_a_bell_rings_at_each_tension_and_release() -> None:
    import io

    from ontspan.interfaces.terminal_player import run
    from ontspan.services.player import Session, SessionClock

    tl = compose(library.find("bed"), {"lang": "nl"}, measure=False).timeline
    now = [0.0]
    session = Session(tl, SessionClock(lambda: now[0]))
    say = library.phrases()
    view = View(tl, lambda key: say(key, "nl"), [], say("ui.silent.short", "nl"))
    out = io.StringIO()
    console = Console(file=out, width=60, height=20, force_terminal=True, color_system=None)

    def sleep(seconds: float) -> None:
        now[0] += 0.25  # a quarter second of session per frame

    outcome = run(session, view, console, bell=True, keys=lambda: "", sleep=sleep)
    assert outcome.completed
    moments = [s for s in tl.segments if s.phase in ("tense", "release")]
    assert out.getvalue().count("\a") == len(moments)
    assert "zonder geluid — volg de tekst" in out.getvalue()
