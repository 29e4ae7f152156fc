"""Lays the spoken lines on the Timeline's clock, block by block, with optional tones and a
quiet background. Never holds the whole session: memory stays flat for any length."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ontspan.audio.voices import SAMPLE_RATE, resample
from ontspan.core.timeline import Timeline

BLOCK_SECONDS = 4  # also keeps each Ogg Vorbis write small (libsndfile crashes on huge ones)
TONE_SECONDS = 2.0
TONE_LEVEL_DBFS = -24.0
BACKGROUND_DEFAULT_DB = -26.0  # relative to the speech loudness (-19 LUFS)
BACKGROUND_RANGE_DB = (-50.0, -14.0)  # louder would start to compete with the voice
BACKGROUND_FADE_S = (3.0, 5.0)

PhraseAudio = Callable[[str, str], np.ndarray]


@dataclass(frozen=True)
class MixSettings:
    sample_rate: int = SAMPLE_RATE
    tones: bool = False
    background: str = "none"  # none | pink | brown
    background_level_db: float = BACKGROUND_DEFAULT_DB


def ms_to_samples(ms: int, rate: int) -> int:
    return round(ms * rate / 1000)


def tone(rate: int) -> np.ndarray:
    """A soft bell: two partials, a quick attack and a long decay."""
    t = np.arange(int(TONE_SECONDS * rate)) / rate
    wave = np.sin(2 * np.pi * 528 * t) + 0.3 * np.sin(2 * np.pi * 792 * t)
    envelope = np.minimum(1.0, t / 0.015) * np.exp(-t / 0.5)
    peak = 10 ** (TONE_LEVEL_DBFS / 20)
    out = wave * envelope
    return (out / np.max(np.abs(out)) * peak).astype(np.float32)


class _Noise:
    """Pink or brown noise with filter state carried across blocks (no seams)."""

    PINK = ([0.049922035, -0.095993537, 0.050612699, -0.004408786],
            [1.0, -2.494956002, 2.017265875, -0.522189400])
    BROWN = ([1.0], [1.0, -0.995])

    def __init__(self, colour: str, rms: float, seed: int = 7) -> None:
        from scipy.signal import lfilter, lfilter_zi

        self.b, self.a = self.PINK if colour == "pink" else self.BROWN
        impulse = lfilter(self.b, self.a, np.r_[1.0, np.zeros(1 << 16)])
        self.gain = rms / float(np.sqrt(np.sum(impulse**2)))
        self.zi = lfilter_zi(self.b, self.a) * 0.0
        self.rng = np.random.default_rng(seed)

    def block(self, n: int) -> np.ndarray:
        from scipy.signal import lfilter

        white = self.rng.standard_normal(n)
        out, self.zi = lfilter(self.b, self.a, white, zi=self.zi)
        return np.asarray(out * self.gain)


class SessionAudio:
    """The session's samples for any range, so a live player can pause, rewind and skip."""

    def __init__(self, timeline: Timeline, phrase_audio: PhraseAudio, settings: MixSettings):
        rate = self.rate = settings.sample_rate
        self.total = ms_to_samples(timeline.duration_ms, rate)
        placed: list[tuple[int, np.ndarray]] = []
        memo: dict[str, np.ndarray] = {}
        for cue in timeline.cues:
            key = cue.phrase + "\0" + cue.text
            if key not in memo:
                memo[key] = resample(phrase_audio(cue.phrase, cue.text), SAMPLE_RATE, rate)
            placed.append((ms_to_samples(cue.start_ms, rate), memo[key]))
        if settings.tones:
            bell = tone(rate)
            placed.append((0, bell))
            placed.append((max(0, self.total - bell.size), bell))
            placed.sort(key=lambda item: item[0])
        self.placed = placed
        self.starts = np.array([at for at, _ in placed], dtype=np.int64)
        self.longest = max((a.size for _, a in placed), default=0)
        self.noise = None
        if settings.background != "none":
            low, high = BACKGROUND_RANGE_DB
            level = min(max(settings.background_level_db, low), high)
            self.noise = _Noise(settings.background, 10 ** ((-19.0 + level) / 20))
        self.fade_in, self.fade_out = (int(sec * rate) for sec in BACKGROUND_FADE_S)

    def render(self, start: int, n: int) -> np.ndarray:
        n = max(0, min(n, self.total - start))
        out = np.zeros(n, dtype=np.float64)
        if self.noise is not None and n:
            idx = np.arange(start, start + n)
            env = np.minimum(1.0, np.minimum(idx / self.fade_in, (self.total - idx) / self.fade_out))
            out += self.noise.block(n) * env
        # Only sounds that start before the range ends and could still be playing.
        first = int(np.searchsorted(self.starts, start - self.longest, side="left"))
        last = int(np.searchsorted(self.starts, start + n, side="left"))
        for at, audio in self.placed[first:last]:
            lo, hi = max(at, start), min(at + audio.size, start + n)
            if lo < hi:
                out[lo - start : hi - start] += audio[lo - at : hi - at]
        return np.clip(out, -1.0, 1.0).astype(np.float32)


def mix(
    timeline: Timeline, phrase_audio: PhraseAudio, settings: MixSettings
) -> Iterator[np.ndarray]:
    session = SessionAudio(timeline, phrase_audio, settings)
    block = BLOCK_SECONDS * session.rate
    for start in range(0, session.total, block):
        yield session.render(start, block)
