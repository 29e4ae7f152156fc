"""Render real files with the real voice, decode them, and measure what a listener gets."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from click.testing import CliRunner

from audio_helpers import onset_ms
from ontspan.audio.phrases import true_peak
from ontspan.interfaces.cli import cli

OPTIONS = ["onderweg", "--lang", "nl", "--minutes", "2.5", "--breathing"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def show_json(*args: str) -> dict:
    code, out, err = invoke("show", *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("ext", [".wav", ".flac", ".ogg", ".opus", ".mp3"])
def test_rendered_file_matches_the_timeline(tmp_path: Path, ext: str) -> None:
    target = tmp_path / f"sessie{ext}"
    code, out, err = invoke("render", *OPTIONS, "-o", str(target))
    assert code == 0, err
    assert "\r" not in out and "━" not in out, "no progress bar on a pipe"
    timeline = show_json(*OPTIONS)
    audio, rate = sf.read(str(target), dtype="float64")
    assert audio.ndim == 1
    # Length equals the Timeline's within 50 ms.
    assert abs(audio.size * 1000 / rate - timeline["duration_ms"]) <= 50
    # Every cue to tense and to let go begins within 20 ms of its segment.
    starts = [s["start_ms"] for s in timeline["segments"] if s["phase"] in ("tense", "release")]
    assert len(starts) >= 4
    for start in starts:
        heard = onset_ms(audio, rate, start)
        assert heard is not None, f"silence where a cue belongs at {start} ms"
        assert abs(heard - start) <= 20, f"cue at {start} ms heard at {heard:.0f} ms"
    # Silence where silence belongs: the quiet feel period after a release.
    release = next(s for s in timeline["segments"] if s["phase"] == "release")
    spoken_end = max(c["end_ms"] for c in timeline["cues"] if c["start_ms"] < release["start_ms"]
                     + 12_000)
    quiet = audio[int((spoken_end + 300) * rate / 1000):int((release["start_ms"] + 10_000)
                                                            * rate / 1000)]
    assert quiet.size == 0 or np.max(np.abs(quiet)) < 0.004
    # Loudness about -19 LUFS, true peak below -1 dBTP.
    lufs = pyloudnorm.Meter(rate).integrated_loudness(audio)
    assert -20.5 <= lufs <= -17.5, lufs
    assert 20 * np.log10(true_peak(audio)) < -1.0


def test_captions_and_chapters(tmp_path: Path) -> None:
    from mutagen.id3 import ID3
    from mutagen.oggvorbis import OggVorbis

    mp3 = tmp_path / "bed.mp3"
    ogg = tmp_path / "bed.ogg"
    for target in (mp3, ogg):
        code, _, err = invoke("render", "bed", "--lang", "en", "-o", str(target))
        assert code == 0, err
    timeline = show_json("bed", "--lang", "en")
    vtt = (tmp_path / "bed.vtt").read_text().split("\n\n")
    assert vtt[0].startswith("WEBVTT")
    blocks = [b for b in vtt[1:] if "-->" in b]
    assert len(blocks) == len(timeline["cues"])

    def ms(stamp: str) -> int:
        h, m, s = stamp.split(":")
        return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)

    for block, cue in zip(blocks, timeline["cues"], strict=True):
        _, times, text = block.split("\n", 2)
        start, end = times.split(" --> ")
        assert (ms(start), ms(end)) == (cue["start_ms"], cue["end_ms"])
        assert text.strip() == cue["text"]

    id3 = ID3(str(mp3))
    chaps = sorted(id3.getall("CHAP"), key=lambda f: f.start_time)
    titles = [f.sub_frames["TIT2"].text[0] for f in chaps]
    assert titles == ["Start", "Legs and feet", "Shoulders", "Face", "Closing"]
    assert id3["TLAN"].text == ["eng"] and id3["TXXX:routine"].text == ["bed"]
    tags = OggVorbis(str(ogg))
    assert tags["CHAPTER002NAME"] == ["Legs and feet"] and tags["CHAPTER001"] == ["00:00:00.000"]
    assert tags["LANGUAGE"] == ["en"] and tags["ROUTINE"] == ["bed"]


def test_background_and_tones_stay_under_the_voice(tmp_path: Path) -> None:
    plain, noisy = tmp_path / "a.flac", tmp_path / "b.flac"
    assert invoke("render", "bed", "-o", str(plain))[0] == 0
    code, _, err = invoke("render", "bed", "-o", str(noisy), "--background", "brown", "--tones",
                          "--background-level", "-20")
    assert code == 0, err
    a, rate = sf.read(str(plain))
    b, _ = sf.read(str(noisy))
    assert a.size == b.size
    noise = b - a
    speech_rms = np.sqrt(np.mean(a[np.abs(a) > 0.004] ** 2))
    # Away from the tones, the background is well below the speech.
    middle = noise[rate * 10 : -rate * 10]
    assert 20 * np.log10(np.sqrt(np.mean(middle**2)) / speech_rms) < -12
    assert np.max(np.abs(noise[: rate * 2])) > 0.01, "a tone at the start"
    assert invoke("render", "bed", "-o", str(noisy), "--background-level", "0")[0] == 1


def test_second_render_uses_the_cache(tmp_path: Path) -> None:
    from ontspan import library
    from ontspan.audio.mixer import MixSettings
    from ontspan.services.render import render
    from ontspan.services.sessions import compose

    routine = library.find("bed")
    first = compose(routine, {"lang": "nl"})
    render(first, tmp_path / "a.wav", MixSettings())
    assert first.bank is not None and first.bank.made > 0
    # Another routine shares lines ("Span aan.", "En laat los.", the face...): reused from disk.
    other = library.find("standaard")
    second = compose(other, {"lang": "nl"})
    result = render(second, tmp_path / "b.wav", MixSettings())
    assert result.phrases_cached >= 5
    again = compose(other, {"lang": "nl"})
    render(again, tmp_path / "c.wav", MixSettings())
    assert again.bank is not None and again.bank.made == 0


def test_bad_targets_fail_clearly(tmp_path: Path) -> None:
    code, _, err = invoke("render", "bed", "-o", str(tmp_path / "x.aac"))
    assert code == 1 and "unknown audio format '.aac'" in err
    code, _, err = invoke("render", "bed", "-o", str(tmp_path / "nope" / "x.mp3"))
    assert code == 1 and "does not exist" in err
    code, _, err = invoke("render", "qigong", "-o", str(tmp_path / "x.mp3"))
    assert code == 1 and "unknown routine 'qigong'" in err
    code, _, err = invoke("render", "bed", "--voice", "nobody", "-o", str(tmp_path / "x.mp3"))
    assert code == 1 and "unknown voice 'nobody'" in err
    assert [p.name for p in tmp_path.iterdir()] == ["home"]


def test_killed_render_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "lang.ogg"
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ontspan", "render", "volledig", "--quiet", "-o", str(target)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".lang.ogg.*.partial")):
        assert proc.poll() is None, "render ended before it was killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not target.exists()
    assert not (tmp_path / "lang.vtt").exists()


def test_a_cached_line_comes_back_as_a_wav_clip_in_a_fresh_process(tmp_path: Path) -> None:
    """The web player fetches each line by its key; the process that serves it may never
    have spoken (or imported numpy) itself."""
    import subprocess
    import sys

    from ontspan.audio.phrases import PhraseBank
    from ontspan.audio.voices import EspeakVoice

    bank = PhraseBank(EspeakVoice("nl"))
    bank.audio("tense.normal", "Span aan.")
    key = bank.clip_key("tense.normal", "Span aan.")
    code = ("import sys; from ontspan.services.clips import clip_wav\n"
            "wav = clip_wav(sys.argv[1]); print(wav[:4] if wav else None)")
    out = subprocess.run([sys.executable, "-c", code, key], capture_output=True, text=True)
    assert out.returncode == 0 and "RIFF" in out.stdout, out.stderr
