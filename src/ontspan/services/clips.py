"""Single spoken lines as small WAV files, for a player that schedules them itself (the web
player plays a session from its first line at once, without waiting for a whole render)."""

from __future__ import annotations

import io
from typing import Any

from ontspan.audio.phrases import PhraseBank
from ontspan.audio.voices import SAMPLE_RATE


def clip_keys(bank: PhraseBank, cues: Any) -> list[str]:
    """For each cue of a timeline, the key its audio is cached under."""
    return [bank.clip_key(cue.phrase, cue.text) for cue in cues]


def clip_wav(key: str) -> bytes | None:
    """The cached line as 16-bit WAV, or None when there is no such line."""
    import soundfile as sf

    audio = PhraseBank.stored(key)
    if audio is None:
        return None
    out = io.BytesIO()
    sf.write(out, audio, SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return out.getvalue()
