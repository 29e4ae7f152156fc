"""The practice screen read as a person sees it: `ontspan practice` runs in a real pty
(pexpect), a terminal emulator (pyte) keeps the screen, and at the breaths, the instruction,
the tension and the release the phase word, the countdown and the current group must be what
the Timeline (`ontspan show --json`) says for the time the screen itself shows.

Without a terminal the session is a timed transcript, one line per cue as it is said."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from typing import Any

import pexpect
import pyte
import pytest

from ontspan import library
from ontspan.interfaces.terminal_view import SIDE, WIDE
from ontspan.store.journal import Journal

SAY = library.phrases()


def ontspan_json(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "ontspan", *args], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def not_first_run() -> None:
    journal = Journal.open()
    journal.mark_intake_offered()
    journal.engine.dispose()


class Terminal:
    """A pty of `cols` x `rows` running ontspan, and the screen a terminal would show."""

    def __init__(self, args: list[str], cols: int, rows: int, **env_extra: str) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows),
                   **env_extra)
        self.raw = ""
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(sys.executable, ["-m", "ontspan", *args], env=env,
                                   encoding="utf-8", codec_errors="replace",
                                   dimensions=(rows, cols), timeout=60)

    def read(self) -> list[str]:
        try:
            while True:
                chunk = self.child.read_nonblocking(65536, timeout=0.02)
                self.raw += chunk
                self.stream.feed(chunk)
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            pytest.fail("ontspan ended early; it last wrote:\n" + self.raw[-3000:])
        return [line.rstrip() for line in self.screen.display]

    def close(self) -> None:
        self.child.close(force=True)


def expected(timeline: dict[str, Any], t: int) -> tuple[str, str | None, int | None]:
    """(phase, group, seconds left) at t ms, straight from the Timeline's JSON fields."""
    seg = next((s for s in timeline["segments"] if s["start_ms"] <= t < s["end_ms"]),
               timeline["segments"][-1])
    if seg["next_at_ms"] is not None and t >= seg["next_at_ms"]:
        return "instruction", seg["next_group"], -(-(seg["end_ms"] - t) // 1000)
    phase = seg["phase"]
    if phase == "release" and seg["feel_start_ms"] is not None and t >= seg["feel_start_ms"]:
        phase = "feel"
    end = seg["countdown_end_ms"]
    return phase, seg["group"], None if end is None else max(0, -(-(end - t) // 1000))


def breath(timeline: dict[str, Any], t: int) -> tuple[str, float] | None:
    cues = timeline["cues"]
    for i, cue in enumerate(cues):
        end = cues[i + 1]["start_ms"] if i + 1 < len(cues) else timeline["duration_ms"]
        if cue["kind"] in ("breathe-in", "breathe-out") and cue["start_ms"] <= t < end:
            done = (t - cue["start_ms"]) / (end - cue["start_ms"])
            return cue["kind"], done if cue["kind"] == "breathe-in" else 1 - done
    return None


def check_screen(lines: list[str], timeline: dict[str, Any], lang: str,
                 cols: int) -> str | None:
    """The moment this screen shows, checked against the Timeline; None if no frame yet."""
    text = "\n".join(lines)
    shown = re.search(r"(\d+):(\d\d) " + SAY("ui.elapsed", lang).split()[1], text)
    if shown is None:
        return None
    second = int(shown.group(1)) * 60 + int(shown.group(2))
    names = {g["id"]: g["name"] for g in timeline["groups"]}
    words = {p: SAY(f"ui.phase.{p}", lang).upper()
             for p in ("intro", "tense", "release", "feel", "outro")}
    coming = SAY("ui.phase.instruction", lang).split("{")[0].upper()
    row = next(i for i, line in enumerate(lines)
               if line.strip().startswith(coming) or re.split(r"\s{2,}", line.strip())[0] in
               words.values())
    phase_line = lines[row].strip()
    marked = next((re.search(r"▸ (.+?)(?:\s{2,}|$)", line) for line in lines if "▸ " in line),
                  None)
    current = marked.group(1) if marked else None

    def starts(line: str, text: str) -> bool:
        return re.match(re.escape(text) + r"(?:\s{2,}|$)", line.strip()) is not None

    # Every millisecond of the shown second is a candidate; the screen must fit one of them.
    fits = []
    for t in range(second * 1000, second * 1000 + 1000, 10):
        phase, group, left = expected(timeline, t)
        word = (coming + names[group].upper() if phase == "instruction" and group
                else words[phase])
        count = re.match(r"\s+(\d+)(?:\s|$)", phase_line[len(word):])
        ok = (phase_line.startswith(word)
              and (int(count.group(1)) if count else None) == (left or None)
              and (current == names[group] if group else current in (None, *names.values())))
        if ok and group:
            ok = any(starts(line, names[group].upper()) for line in lines)
        b = breath(timeline, t)
        if ok and b is not None:
            kind, fullness = b
            hint = SAY("ui.breathe_in" if kind == "breathe-in" else "ui.breathe_out", lang)
            ok = starts(lines[row + 2], hint)
            width = lines[row + 1].count("━")
            half = (cols - 4 - (SIDE + 2 if cols >= WIDE else 0)) // 2
            ok = ok and abs(width - 2 * (1 + round(fullness * (half - 1)))) <= 2 * 2
            if ok and kind == "breathe-in":
                phase = f"in:{width}"
        if ok:
            fits.append(phase)
    assert fits, f"screen at {second} s disagrees with the Timeline:\n{text}"
    return fits[0]


@pytest.mark.parametrize(("cols", "rows"), [(100, 32), (40, 24)])
def test_the_screen_follows_the_timeline(cols: int, rows: int) -> None:
    not_first_run()
    lang = "nl"
    timeline = ontspan_json("show", "standaard", "--lang", lang, "--json")
    term = Terminal(["practice", "standaard", "--lang", lang, "--preview", "6", "--no-input"],
                    cols, rows)
    seen: dict[str, int] = {}
    breaths_in: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not {"intro", "instruction", "tense", "release", "feel"} <= set(seen):
            assert time.monotonic() < deadline, f"moments seen: {seen}"
            lines = term.read()
            assert all(len(line) <= cols for line in lines)
            moment = check_screen(lines, timeline, lang, cols)
            if moment is not None and moment.startswith("in:"):
                breaths_in.append(int(moment[3:]))
                moment = "intro"
            if moment is not None:
                seen[moment] = seen.get(moment, 0) + 1
        assert len(breaths_in) >= 3 and max(breaths_in) > min(breaths_in), "the guide grows"
        term.child.send("q")
        term.child.expect(pexpect.EOF)
    finally:
        term.close()
    [session] = Journal.open().sessions()
    assert session.state == "stopped"


def test_the_screen_says_it_is_silent_and_survives_no_color() -> None:
    not_first_run()
    term = Terminal(["practice", "bed", "--lang", "nl", "--preview", "4", "--no-input"],
                    40, 20, NO_COLOR="1")
    term.child.expect("voorbeeld op 4×")
    time.sleep(1)
    lines = term.read()
    term.child.send("q")
    term.child.expect(pexpect.EOF)
    raw = term.raw + (term.child.before or "")
    term.close()
    assert any("zonder geluid" in line for line in lines)
    assert "RUSTIG BEGINNEN" in "\n".join(lines)
    assert "\x1b[1m" in raw, "bold still marks what matters"
    assert not re.search(r"\x1b\[(?:[0-9]+;)*(?:3[0-8]|9[0-7])[;m]", raw), "no colours"


def test_transcript_when_neither_input_nor_output_is_a_terminal() -> None:
    not_first_run()
    timeline = ontspan_json("show", "onderweg", "--lang", "nl", "--json")
    start = time.monotonic()
    arrived: list[tuple[float, str]] = []
    with subprocess.Popen([sys.executable, "-m", "ontspan", "practice", "onderweg", "--lang",
                           "nl", "--preview", "25"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        for line in proc.stdout:
            arrived.append((time.monotonic() - start, line.rstrip("\n")))
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    cue_lines = [(when, line) for when, line in arrived if re.match(r"\s*\d+:\d\d  ", line)]
    assert [line for _, line in arrived].index(cue_lines[0][1]) > 0
    assert any("voorbeeld op 25×" in line for _, line in arrived[:3]), "says it is silent"
    # One line per cue, in order, at the cue's time, with its words.
    cues = timeline["cues"]
    assert len(cue_lines) == len(cues)
    for (_, line), cue in zip(cue_lines, cues, strict=True):
        stamp, _, said = line.strip().partition("  ")
        assert stamp == f"{cue['start_ms'] // 60000}:{cue['start_ms'] // 1000 % 60:02d}"
        assert said.endswith(cue["text"])
    # Each line as it happens: the last cue comes well after the first, not all at the end.
    spread = cue_lines[-1][0] - cue_lines[0][0]
    planned = (cues[-1]["start_ms"] - cues[0]["start_ms"]) / 25 / 1000
    assert spread > 0.8 * planned
    # A new phase says so, with its length: the first tension and the first instruction.
    assert any("AANSPANNEN (" in line for _, line in cue_lines)
    assert any("ZO METEEN: " in line for _, line in cue_lines)
    [session] = Journal.open().sessions()
    assert session.state == "completed"


def test_rating_prompts_show_their_scale_and_q_skips() -> None:
    not_first_run()
    child = pexpect.spawn(sys.executable, ["-m", "ontspan", "practice", "onderweg", "--lang",
                                           "nl", "--preview", "20"],
                          env=dict(os.environ, TERM="xterm-256color"), encoding="utf-8",
                          codec_errors="replace", dimensions=(24, 80), timeout=60)
    child.expect(r"van 0 \(helemaal ontspannen\) tot 10 \(heel gespannen\)")
    child.sendline("q!")
    child.expect("Typ een getal van 0 tot 10")
    child.sendline("q")
    child.expect("RUSTIG BEGINNEN")
    child.send("q")
    child.expect("1 duizelig")
    child.sendline("q")
    child.expect("0 helemaal ontspannen, 10 heel gespannen")
    child.sendline("q")
    child.expect("Gestopt")
    child.expect(pexpect.EOF)
    [session] = Journal.open().sessions()
    assert (session.tension_before, session.tension_after, session.reaction) == (None, None, ())
