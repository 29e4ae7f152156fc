"""Spoken lines, made once and kept on disk by their content (text, voice, settings).

Every line is trimmed to its speech, given short fades (no clicks at joins), brought to the
target loudness and kept below the true-peak ceiling, so a whole session lands at about
-19 LUFS with no peak above -1 dBTP, measured per line instead of over 20 minutes at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ontspan import paths
from ontspan.audio.voices import SAMPLE_RATE, MissingRecordings, RecordedVoice, Voice

if TYPE_CHECKING:
    import numpy as np

TARGET_LUFS = -19.0
PEAK_CEILING_DBTP = -1.5  # a margin under -1 dBTP for encoder overshoot
SILENCE_THRESHOLD = 0.006  # about -45 dBFS
FADE_IN_MS = 5
FADE_OUT_MS = 25
PROCESSING_VERSION = "2"  # bump when the processing below changes: old cache entries retire


def true_peak(audio: np.ndarray) -> float:
    """Peak of the 4x oversampled signal (ITU-R BS.1770 style), linear."""
    if audio.size == 0:
        return 0.0
    import numpy as np
    from scipy.signal import resample_poly

    return float(np.max(np.abs(resample_poly(audio.astype(np.float64), 4, 1))))


def loudness(audio: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    import numpy as np
    import pyloudnorm

    block = int(0.4 * rate)
    if audio.size < block:  # the meter needs one full 400 ms block
        audio = np.concatenate([audio, np.zeros(block - audio.size, dtype=audio.dtype)])
    return float(pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64)))


def process(audio: np.ndarray) -> np.ndarray:
    import numpy as np

    loud = np.nonzero(np.abs(audio) > SILENCE_THRESHOLD)[0]
    if loud.size == 0:
        return np.zeros(0, dtype=np.float32)
    audio = audio[loud[0] : loud[-1] + 1].astype(np.float64)
    fade_in = min(audio.size, SAMPLE_RATE * FADE_IN_MS // 1000)
    fade_out = min(audio.size, SAMPLE_RATE * FADE_OUT_MS // 1000)
    audio[:fade_in] *= np.linspace(0.0, 1.0, fade_in)
    audio[audio.size - fade_out :] *= np.linspace(1.0, 0.0, fade_out)
    lufs = loudness(audio)
    if np.isfinite(lufs):
        audio *= 10 ** ((TARGET_LUFS - lufs) / 20)
    ceiling = 10 ** (PEAK_CEILING_DBTP / 20)
    peak = true_peak(audio)
    if peak > ceiling:
        audio *= ceiling / peak
    return audio.astype(np.float32)


class PhraseBank:
    """Audio of spoken lines for one voice, from memory, then disk, then the voice."""

    def __init__(self, voice: Voice, cache_root: Path | None = None) -> None:
        self.voice = voice
        self.root = (cache_root or paths.cache_dir()) / "phrases"
        self._memory: dict[str, np.ndarray] = {}
        # Samples per line, kept beside the audio so that timing a session needs neither
        # numpy nor the audio itself once every line has been made.
        self._lengths_path = self.root / "lengths.json"
        self._lengths: dict[str, int] | None = None
        self._new_lengths: dict[str, int] = {}
        self.hits = 0
        self.made = 0

    def _key(self, phrase_id: str, text: str) -> str:
        # A recorded phrase is keyed by its file too: recording it again makes it anew.
        voice = self.voice.key
        if isinstance(self.voice, RecordedVoice):
            voice += "\0" + self.voice.source(phrase_id)
        blob = f"{PROCESSING_VERSION}\0{voice}\0{text}".encode()
        return hashlib.sha256(blob).hexdigest()

    def clip_key(self, phrase_id: str, text: str) -> str:
        """The cache name of a line's audio: the web player fetches each line by it."""
        return self._key(phrase_id, text)

    @staticmethod
    def stored(key: str, cache_root: Path | None = None) -> np.ndarray | None:
        """A line's cached audio by its key (None when not made yet or not a key)."""
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            return None
        path = (cache_root or paths.cache_dir()) / "phrases" / key[:2] / f"{key}.npy"
        if not path.exists():
            return None
        import numpy as np  # lazily, like the rest of this module: `show` needs none

        try:
            return np.load(path)
        except (OSError, ValueError):
            return None

    def audio(self, phrase_id: str, text: str) -> np.ndarray:
        key = self._key(phrase_id, text)
        if key in self._memory:
            return self._memory[key]
        import numpy as np

        path = self.root / key[:2] / f"{key}.npy"
        if path.exists():
            try:
                data = np.load(path)
                self.hits += 1
            except (OSError, ValueError):
                data = None  # a damaged entry is simply made again
            if data is not None:
                self._memory[key] = data
                return data
        data = process(self.voice.synth(phrase_id, text))
        self.made += 1
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                np.save(fh, data)
            os.replace(tmp, path)
        except OSError:  # a full disk or a read-only folder: speak anyway, just uncached
            tmp.unlink(missing_ok=True)
        self._memory[key] = data
        return data

    def speech_ms(self, phrase_id: str, text: str) -> int:
        """The length the compiler plans with: whole milliseconds, rounded up."""
        key = self._key(phrase_id, text)
        samples = self._known_lengths().get(key)
        if samples is None:
            samples = int(self.audio(phrase_id, text).size)
            self._new_lengths[key] = samples
        return max(1, -(-samples * 1000 // SAMPLE_RATE))

    def _known_lengths(self) -> dict[str, int]:
        if self._lengths is None:
            try:
                data = json.loads(self._lengths_path.read_text(encoding="utf-8"))
                self._lengths = {k: v for k, v in data.items() if isinstance(v, int)}
            except (OSError, ValueError, AttributeError):
                self._lengths = {}  # none yet, or damaged: lengths are measured again
        return self._lengths

    def save_lengths(self) -> None:
        """Keep the lengths measured in this run (merged with those another process kept)."""
        if not self._new_lengths:
            return
        from ontspan.files import write_text_atomic

        self._lengths = None
        merged = {**self._known_lengths(), **self._new_lengths}
        try:
            write_text_atomic(self._lengths_path, json.dumps(merged, sort_keys=True))
        except OSError:
            return  # a cache that cannot be written only costs time next run
        self._lengths, self._new_lengths = merged, {}

    def check_complete(self, lines: list[tuple[str, str]]) -> None:
        """For recorded voices: report every missing recording at once, not the first only."""
        missing: list[str] = []
        for phrase_id, text in lines:
            try:
                self.audio(phrase_id, text)
            except MissingRecordings as exc:
                missing.extend(p for p in exc.phrase_ids if p not in missing)
        if missing:
            raise MissingRecordings(missing)
