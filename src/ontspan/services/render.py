"""`ontspan render`: a whole session as an audio file with captions and chapters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ontspan.audio.encode import Tags, format_for, write_audio
from ontspan.audio.mixer import MixSettings, mix, ms_to_samples
from ontspan.audio.voices import SAMPLE_RATE
from ontspan.core.captions import chapters, webvtt
from ontspan.files import check_output, write_text_atomic
from ontspan.services.sessions import Composed


@dataclass(frozen=True)
class RenderResult:
    path: Path
    captions: Path
    duration_ms: int
    phrases_made: int
    phrases_cached: int


def check_target(path: Path) -> None:
    """Fail before any work when the file could never be written."""
    format_for(path)
    check_output(path)


def render(
    session: Composed,
    path: Path,
    settings: MixSettings,
    progress: Callable[[int, int], None] | None = None,
) -> RenderResult:
    check_target(path)
    fmt = format_for(path)
    rate = fmt.sample_rate or SAMPLE_RATE
    settings = replace(settings, sample_rate=rate)
    timeline = session.timeline
    bank = session.bank
    if bank is None:  # a programming error: estimated sessions are for previews only
        raise ValueError("render needs a session timed by its voice (compose with measure)")
    total = ms_to_samples(timeline.duration_ms, rate)
    done = 0

    def on_block(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    tags = Tags(
        title=f"ontspan — {timeline.routine_name}",
        lang=timeline.lang,
        routine=timeline.routine,
        duration_ms=timeline.duration_ms,
        chapters=tuple(chapters(timeline)),
    )
    write_audio(path, mix(timeline, bank.audio, settings), rate, tags, on_block)
    captions = path.with_suffix(".vtt")  # session.mp3 -> session.vtt, as players expect
    write_text_atomic(captions, webvtt(timeline))
    return RenderResult(path, captions, timeline.duration_ms, bank.made, bank.hits)
