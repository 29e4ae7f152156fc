"""The live player's clock, keys and sound, driven by a fake clock and a fake sound device."""

from __future__ import annotations

import numpy as np

from audio_helpers import onset_ms
from ontspan import library
from ontspan.audio.mixer import MixSettings, SessionAudio
from ontspan.audio.playback import LiveAudio
from ontspan.services.player import Session, SessionClock
from ontspan.services.sessions import compose


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_twenty_minutes_without_drift() -> None:
    routine = library.find("volledig")
    timeline = compose(routine, {"lang": "nl", "rounds": 2, "release": 30}, measure=False).timeline
    assert timeline.duration_ms > 20 * 60_000
    now = FakeClock()
    session = Session(timeline, SessionClock(now))
    rng = np.random.default_rng(1)
    fired: list[tuple[int, int]] = []
    done_at = None
    while done_at is None:
        now.t += float(rng.uniform(0.01, 0.09))  # an uneven loop, as on a busy machine
        for event in session.tick():
            if event.kind == "cue" and event.cue is not None:
                fired.append((event.cue.start_ms, session.clock.position_ms()))
            if event.kind == "done":
                done_at = session.clock.position_ms()
    assert len(fired) == len(timeline.cues)
    assert all(0 <= late < 100 for planned, at in fired for late in [at - planned])
    assert abs((now.t - 1000.0) * 1000 - timeline.duration_ms) < 100
    assert done_at - timeline.duration_ms < 100


def test_pause_stops_time_and_resume_repeats_the_line() -> None:
    timeline = compose(library.find("bed"), {"lang": "en"}, measure=False).timeline
    now = FakeClock()
    session = Session(timeline, SessionClock(now))
    instruction = next(c for c in timeline.cues if c.kind == "instruction")
    now.t += (instruction.start_ms + 500) / 1000
    session.tick()
    session.pause()
    paused_at = session.clock.position_ms()
    now.t += 60
    assert session.clock.position_ms() == paused_at
    session.resume()
    assert session.clock.position_ms() == instruction.start_ms
    events = session.tick()
    assert events and events[0].cue == instruction


def test_skip_goes_to_the_next_group() -> None:
    timeline = compose(library.find("bed"), {"lang": "en"}, measure=False).timeline
    now = FakeClock()
    session = Session(timeline, SessionClock(now))
    tense = next(s for s in timeline.segments if s.phase == "tense")
    now.t += (tense.start_ms + 1000) / 1000
    session.tick()
    session.skip_group()
    events = session.tick()
    cue = next(e.cue for e in events if e.cue is not None)
    assert cue.kind == "instruction" and cue.group == "shoulders"
    assert session.skipped == ["legs"]


class FakeSink:
    """Stands in for the sound card: pulls blocks as a device would, records what it got."""

    def __init__(self, now: FakeClock, rate: int, frames: int = 441) -> None:
        self.now, self.rate, self.frames = now, rate, frames
        self.received: list[np.ndarray] = []

    def start(self, pull) -> None:  # type: ignore[no-untyped-def]
        self.pull = pull

    def run(self, seconds: float) -> None:
        for _ in range(int(seconds * self.rate / self.frames)):
            self.received.append(self.pull(self.frames))
            self.now.t += self.frames / self.rate

    def close(self) -> None:
        pass


def test_sound_follows_the_clock_and_pauses() -> None:
    routine = library.find("bed")
    spoken = compose(routine, {"lang": "nl"})
    timeline = spoken.timeline
    now = FakeClock()
    clock = SessionClock(now)
    sink = FakeSink(now, 22_050)
    assert spoken.bank is not None
    audio = SessionAudio(timeline, spoken.bank.audio, MixSettings())
    sink.start(LiveAudio(audio, clock.playing_position_ms).pull)
    tense = [s for s in timeline.segments if s.phase in ("tense", "release")][:2]
    sink.run(tense[-1].start_ms / 1000 + 2)
    played = np.concatenate(sink.received)
    for seg in tense:
        heard = onset_ms(played, 22_050, seg.start_ms)
        assert heard is not None and abs(heard - seg.start_ms) <= 25
    clock.pause()
    before = len(sink.received)
    sink.run(3)
    assert np.max(np.abs(np.concatenate(sink.received[before:]))) == 0.0, "silent while paused"
