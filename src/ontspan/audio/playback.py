"""Live sound: pulls the session's samples at the clock's position into a playback device.

miniaudio's wheel carries its native engine on Linux, macOS and Windows. Without a sound
device the player runs silent; a test passes its own sink that records what it was given."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from ontspan.audio.mixer import SessionAudio, ms_to_samples

RESYNC_MS = 40  # the sound follows the clock; a larger gap (pause, skip) jumps


class Sink(Protocol):
    def start(self, pull: Callable[[int], np.ndarray]) -> None: ...

    def close(self) -> None: ...


# Where the session is now, in milliseconds, or None while it is paused. Any clock will do:
# playback follows it and never keeps time itself.
Position = Callable[[], int | None]


class LiveAudio:
    def __init__(self, audio: SessionAudio, position: Position) -> None:
        self.audio = audio
        self.position = position
        self.play_pos = 0

    def pull(self, frames: int) -> np.ndarray:
        position_ms = self.position()
        if position_ms is None:
            return np.zeros(frames, dtype=np.float32)
        expected = ms_to_samples(position_ms, self.audio.rate)
        if abs(expected - self.play_pos) > RESYNC_MS * self.audio.rate // 1000:
            self.play_pos = expected
        chunk = self.audio.render(self.play_pos, frames)
        self.play_pos += frames
        if chunk.size < frames:
            chunk = np.concatenate([chunk, np.zeros(frames - chunk.size, dtype=np.float32)])
        return chunk


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """ALSA and friends print to the C stderr when there is no card; keep the screen calm."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class MiniaudioSink:
    def __init__(self, sample_rate: int) -> None:
        import miniaudio

        with _quiet_stderr():
            self.device: Any = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1,
                sample_rate=sample_rate, buffersize_msec=60,
            )

    def start(self, pull: Callable[[int], np.ndarray]) -> None:
        def stream() -> Any:
            frames = yield b""
            while True:
                frames = yield pull(frames).astype(np.float32).tobytes()

        generator = stream()
        next(generator)
        self.device.start(generator)

    def close(self) -> None:
        self.device.close()


def open_sink(sample_rate: int) -> Sink | None:
    """A real playback device, or None when this machine has no sound."""
    if os.environ.get("ONTSPAN_NO_SOUND"):
        return None
    try:
        return MiniaudioSink(sample_rate)
    except Exception:  # no device, no backend: every failure here means 'run silent'
        return None
