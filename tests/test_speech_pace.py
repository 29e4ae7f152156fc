"""Relaxation speech is slow: about 110-125 words a minute, with real pauses between
sentences. Measured in a rendered WAV with the built-in voice, as a listener gets it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from audio_helpers import THRESHOLD
from ontspan.interfaces.cli import cli


def silences_ms(audio: np.ndarray, rate: int, min_ms: int = 150) -> list[int]:
    """Lengths of the quiet stretches inside a piece of speech (10 ms frames)."""
    frame = rate // 100
    loud = [np.abs(audio[i:i + frame]).max() > THRESHOLD for i in range(0, audio.size - frame, frame)]
    runs, run = [], 0
    for is_loud in loud:
        if is_loud:
            if run * 10 >= min_ms:
                runs.append(run * 10)
            run = 0
        else:
            run += 1
    return runs


@pytest.mark.parametrize("lang", ["nl", "en", "de"])
def test_words_per_minute_and_pauses_in_rendered_audio(tmp_path: Path, lang: str) -> None:
    wav = tmp_path / "sessie.wav"
    args = ["standaard", "--lang", lang, "--minutes", "3"]
    result = CliRunner().invoke(cli, ["render", *args, "-o", str(wav)])
    assert result.exit_code == 0, result.stderr
    timeline = json.loads(CliRunner().invoke(cli, ["show", *args, "--json"]).stdout)
    audio, rate = sf.read(str(wav), dtype="float64")
    words = 0
    voiced_ms = 0
    sentence_pauses: list[int] = []
    for cue in timeline["cues"]:
        part = audio[int(cue["start_ms"] * rate / 1000):int(cue["end_ms"] * rate / 1000)]
        loud = np.flatnonzero(np.abs(part) > THRESHOLD)
        assert loud.size, f"nothing heard for {cue['text']!r}"
        voiced_ms += (loud[-1] - loud[0]) * 1000 / rate  # from first to last sound
        words += len(cue["text"].split())
        if cue["text"].rstrip(".").count(". ") >= 1:  # two sentences or more
            sentence_pauses.append(max(silences_ms(part[loud[0]:loud[-1]], rate)))
    wpm = words / (voiced_ms / 60_000)
    assert 105 <= wpm <= 128, f"{wpm:.0f} words per minute"
    assert sentence_pauses and min(sentence_pauses) >= 600, sentence_pauses
