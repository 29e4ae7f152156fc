"""`ontspan practice` in a real terminal (a pty driven by pexpect), as a person uses it."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect

from ontspan.core.safety import Profile
from ontspan.store.journal import Journal

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(*args: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="40")
    child = pexpect.spawn(sys.executable, ["-m", "ontspan", "practice", *args], env=env,
                          encoding="utf-8", codec_errors="replace", timeout=60,
                          dimensions=(40, 100))
    return child


def test_a_whole_session_then_a_stopped_one(ontspan_home: Path) -> None:
    child = spawn("bed", "--preview", "20", "--lang", "en")
    # First run: the safety questions.
    child.expect("serious pain")
    child.sendline("")
    child.expect("heart or lung")
    child.sendline("n")
    child.expect("trauma")
    child.sendline("n")
    child.expect("injury or an operation")
    child.sendline("")
    child.expect("pregnant")
    child.sendline("n")
    child.expect("contact lenses")
    child.sendline("n")
    child.expect("therapist")
    child.sendline("n")
    child.expect("How tense do you feel")
    child.sendline("7")
    child.expect("Preview at 20")
    child.expect("And now, from 0 to 10", timeout=90)
    screen = ANSI.sub("", child.before)
    child.sendline("3")
    child.expect("dizzy, nauseous or more restless")
    child.sendline("")
    child.expect("Saved in your journal")
    child.expect(pexpect.EOF)
    positions = [screen.find(name) for name in ("Legs", "Shoulders", "Face")]
    assert -1 not in positions and positions == sorted(positions), "groups shown in order"
    # At 20 times speed "let go" shows for a frame or two before the feeling: either counts.
    assert "TENSE" in screen and ("LET GO" in screen or "FEEL" in screen)

    # Second run: pause, resume, skip a group, stop with q, answer the check.
    child = spawn("standaard", "--preview", "10", "--lang", "en")
    child.expect("How tense do you feel")
    child.sendline("6")
    child.expect("Feet and lower legs", timeout=30)
    child.send(" ")
    child.expect("Paused")
    time.sleep(0.5)
    child.send(" ")
    child.expect("TENSE")
    child.send("s")
    child.expect("Thighs and buttocks")
    child.send("q")
    child.expect("Was anything wrong")
    child.sendline("1")
    child.expect("And now, from 0 to 10")
    child.sendline("5")
    child.expect("shorter")  # the advice after feeling dizzy
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    journal = Journal.open()
    first, second = journal.sessions()
    assert (first.routine, first.state, first.tension_before, first.tension_after) == \
        ("bed", "completed", 7, 3)
    assert first.reaction == ()
    assert (second.routine, second.state, second.tension_before, second.tension_after) == \
        ("standaard", "stopped", 6, 5)
    assert second.reaction == ("dizzy",)
    assert second.note == "skipped: Feet and lower legs", "the note names the group as the person saw it"
    assert journal.profile() == Profile(reactions=1)  # answered "no" to every question
    journal.engine.dispose()


def test_sleep_diary_asks_in_a_terminal(ontspan_home: Path) -> None:
    env = dict(os.environ, TERM="dumb")
    child = pexpect.spawn(sys.executable, ["-m", "ontspan", "sleep", "--date", "2026-03-28",
                                           "--lang", "nl"], env=env, encoding="utf-8", timeout=30)
    for prompt, answer in (("naar bed", "23:30"), ("probeerde je te slapen", "23:45"),
                           ("minuten duurde", "20"), ("Hoe vaak werd je wakker", "1"),
                           ("in totaal wakker", "15"), ("voor het laatst wakker", "06:40"),
                           ("stond je op", "07:05"), ("Hoe was je slaap", "4")):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("efficiëntie")
    child.expect(pexpect.EOF)
    journal = Journal.open()
    [night] = journal.nights()
    assert night.tib_min == 455 and night.tst_min == 415 - 20 - 15
    journal.engine.dispose()


def test_ctrl_c_stops_like_q_and_the_session_is_kept(ontspan_home: Path) -> None:
    from ontspan.store.journal import Journal as J

    j = J.open()
    j.mark_intake_offered()  # not the first run: no safety questions this time
    j.engine.dispose()
    child = spawn("onderweg", "--preview", "10", "--lang", "nl")
    child.expect("Hoe gespannen voel je je nu")
    child.sendline("")
    child.expect("Handen en onderarmen", timeout=30)
    child.sendintr()
    child.expect("Was er iets")
    child.sendline("")
    child.expect("En nu, van 0 tot 10")
    child.sendline("2")
    child.expect("Gestopt")
    child.expect(pexpect.EOF)
    journal = Journal.open()
    [session] = journal.sessions()
    assert (session.state, session.tension_before, session.tension_after, session.reaction) == \
        ("stopped", None, 2, ())
    journal.engine.dispose()
