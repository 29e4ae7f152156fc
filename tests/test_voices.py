"""The three kinds of voice: built in, Piper, and a person's own recordings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf
from click.testing import CliRunner

from audio_helpers import onset_ms
from ontspan.audio.voices import EspeakVoice
from ontspan.interfaces.cli import cli


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_voices_lists_what_is_there() -> None:
    code, out, _ = invoke("voices")
    assert code == 0
    assert "espeak       nl" in out and "espeak       en" in out
    assert "joe" in out and "Piper" in out


def test_espeak_speaks_dutch_and_english() -> None:
    for lang, text in (("nl", "Span je schouders aan."), ("en", "Tighten your shoulders.")):
        audio = EspeakVoice(lang).synth("x", text)
        seconds = audio.size / 22_050
        assert 1.0 < seconds < 4.0
        assert np.max(np.abs(audio)) > 0.1


def test_piper_voice_renders_with_exact_timing(tmp_path: Path) -> None:
    target = tmp_path / "joe.wav"
    opts = ["bed", "--lang", "en", "--voice", "joe"]
    code, _, err = invoke("render", *opts, "-o", str(target))
    assert code == 0, err
    code, out, err = invoke("show", *opts, "--json")
    assert code == 0, err
    timeline = json.loads(out)
    estimated = json.loads(invoke("show", "bed", "--lang", "en", "--json")[1])
    assert timeline["duration_ms"] != estimated["duration_ms"], "timed by Joe's own voice"
    audio, rate = sf.read(str(target))
    assert abs(audio.size * 1000 / rate - timeline["duration_ms"]) <= 50
    for seg in timeline["segments"]:
        if seg["phase"] in ("tense", "release"):
            heard = onset_ms(audio, rate, seg["start_ms"])
            assert heard is not None and abs(heard - seg["start_ms"]) <= 20


def test_own_recordings_replace_the_voice_line_by_line(tmp_path: Path) -> None:
    folder = tmp_path / "opnames"
    folder.mkdir()
    code, out, _ = invoke("voices", "record-list", "bed", "--lang", "nl")
    assert code == 0
    lines = [line.split("\t", 1) for line in out.splitlines()]
    assert ["tense.normal.wav", "Nu, span maar aan."] in lines
    # Record all but two lines (here: with eSpeak at a different pitch, standing in for a person).
    voice = EspeakVoice("nl", pitch=20)
    for filename, text in lines[2:]:
        sf.write(str(folder / filename), voice.synth("x", text), 22_050)
    code, _, err = invoke("render", "bed", "--lang", "nl", "--voice", str(folder),
                          "-o", str(tmp_path / "eigen.mp3"))
    assert code == 1
    first, second = (name.removesuffix(".wav") for name, _ in lines[:2])
    assert f"2 recording(s) missing: {first}, {second}" in err, err
    code, out, _ = invoke("voices", "record-list", "bed", "--lang", "nl", "--folder", str(folder))
    assert [line.split("\t")[0] for line in out.splitlines()] == [f"{first}.wav", f"{second}.wav"]
    for filename, text in lines[:2]:
        sf.write(str(folder / filename), voice.synth("x", text), 22_050)
    code, out, err = invoke("voices", "add", "therapeut", str(folder), "--lang", "nl")
    assert code == 0, err
    code, _, err = invoke("render", "bed", "--voice", "therapeut", "-o", str(tmp_path / "e.mp3"))
    assert code == 0, err
    assert (tmp_path / "e.mp3").stat().st_size > 100_000


def test_download_says_what_it_does_and_fails_clearly_offline() -> None:
    code, _out, err = invoke("voices", "download", "nl_NL-mls-medium")
    assert code == 1
    assert "Downloading Piper voice nl_NL-mls-medium from huggingface.co" in err
    assert "could not download" in err and "ontspan voices add" in err
