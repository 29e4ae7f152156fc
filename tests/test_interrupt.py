"""Ctrl-C anywhere: exit status 130 and one word in the person's language, not click's
"Aborted!" or a KeyboardInterrupt traceback. Real terminals (pexpect) and real signals."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from ontspan.store.journal import Journal

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def default_sigint() -> None:
    """A test run in the background (CI, nohup) ignores SIGINT; a person's terminal does not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(*args: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color")
    return pexpect.spawn(sys.executable, ["-m", "ontspan", *args], env=env, encoding="utf-8",
                         timeout=60, dimensions=(40, 100), preexec_fn=default_sigint)


def interrupted(child: pexpect.spawn) -> str:
    """Everything the child printed after Ctrl-C; asserts status 130."""
    # A person presses Ctrl-C while the prompt waits. Right at the prompt, CPython can miss a
    # signal that lands between writing the prompt and starting to read (until the next key).
    time.sleep(0.5)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, (child.exitstatus, child.signalstatus, child.before)
    after = ANSI.sub("", child.before)
    assert "Traceback" not in after and "Aborted" not in after and "KeyboardInterrupt" not in after
    return after


def test_ctrl_c_in_the_sleep_diary_questions() -> None:
    child = spawn("sleep", "--date", "2026-03-28", "--lang", "en")
    child.expect("get into bed")
    assert "Interrupted." in interrupted(child)
    assert Journal.open().nights() == []


def test_ctrl_c_speaks_dutch_to_a_dutch_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    child = spawn("sleep", "--date", "2026-03-28")
    child.expect("naar bed")
    assert "Onderbroken." in interrupted(child)


def test_ctrl_c_at_a_practice_question() -> None:
    child = spawn("practice", "bed", "--preview", "20", "--lang", "en", "--no-safety")
    child.expect("serious pain")  # the first-run safety questions
    assert "Interrupted." in interrupted(child)


def test_ctrl_c_stops_the_web_app(ontspan_home: Path) -> None:
    server = subprocess.Popen([sys.executable, "-m", "ontspan", "serve", "--no-browser"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ), preexec_fn=default_sigint)
    try:
        assert server.stdout is not None
        assert "ontspan is at http://127.0.0.1:" in server.stdout.readline()
        time.sleep(1.0)  # uvicorn installs its signal handlers while it starts
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 130, err
    assert err.strip() == "Interrupted."


def test_ctrl_c_while_rendering_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    render = subprocess.Popen([sys.executable, "-m", "ontspan", "render", "volledig", "-q",
                               "-o", str(out / "volledig.ogg")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ), preexec_fn=default_sigint)
    try:
        deadline = time.monotonic() + 120
        while not _writing(out) and time.monotonic() < deadline and render.poll() is None:
            time.sleep(0.05)  # until half the audio is written
        render.send_signal(signal.SIGINT)
        _out, err = render.communicate(timeout=120)
    finally:
        if render.poll() is None:
            render.kill()
    assert render.returncode == 130, err
    assert err.strip() == "Interrupted."
    assert list(out.iterdir()) == [], "neither a .partial nor a half file"


def _writing(folder: Path) -> bool:
    for path in folder.iterdir():
        try:
            if path.stat().st_size > 0:
                return True
        except FileNotFoundError:  # the write-check's probe, gone again
            pass
    return False
