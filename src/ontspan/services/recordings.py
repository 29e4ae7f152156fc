"""A therapist's own voice: one recording per phrase, per language, kept on the server's disk
(shared by every worker). Sessions of that therapist's clients are spoken with it; a phrase not
recorded yet is spoken by the built-in voice, and the list says which those are."""

from __future__ import annotations

import io
from pathlib import Path

from ontspan import library, paths
from ontspan.audio.voices import EspeakVoice, RecordedVoice
from ontspan.files import atomic_path
from ontspan.services.practice import PracticeError

MAX_BYTES = 8 * 1024 * 1024
MIN_SECONDS, MAX_SECONDS = 0.3, 30.0


def folder(therapist_id: str, lang: str) -> Path:
    return paths.data_dir() / "recordings" / therapist_id / lang


def phrases_to_record(lang: str) -> list[tuple[str, str]]:
    """Every line the built-in routines say in `lang`, in the order they are first said."""
    from ontspan.services.sessions import compose

    seen: dict[str, str] = {}
    for routine in library.all_routines().routines:
        if not routine.builtin:
            continue
        for options in ({"lang": lang}, {"lang": lang, "intensity": "gentle"},
                        {"lang": lang, "ending": "night"}):
            for cue in compose(routine, options, measure=False).timeline.cues:
                seen.setdefault(cue.phrase, cue.text)
    return list(seen.items())


def voice_for(therapist_id: str, lang: str) -> RecordedVoice | None:
    """The therapist's voice with the built-in one filling the gaps; None before the first
    recording."""
    where = folder(therapist_id, lang)
    if not where.is_dir() or not any(where.iterdir()):
        return None
    return RecordedVoice(where, lang, fallback=EspeakVoice(lang))


def save(therapist_id: str, lang: str, phrase_id: str, data: bytes) -> None:
    """Keeps one recording (WAV from the browser) after checking it is one."""
    import soundfile as sf

    if phrase_id not in dict(phrases_to_record(lang)):
        raise PracticeError("practice.voice.unknown", phrase=phrase_id)
    if len(data) > MAX_BYTES:
        raise PracticeError("practice.voice.too_large", phrase=phrase_id)
    try:
        info = sf.info(io.BytesIO(data))
    except (RuntimeError, sf.LibsndfileError):
        raise PracticeError("practice.voice.unreadable", phrase=phrase_id) from None
    if not MIN_SECONDS <= info.duration <= MAX_SECONDS:
        raise PracticeError("practice.voice.length", phrase=phrase_id, low=MIN_SECONDS,
                            high=MAX_SECONDS)
    where = folder(therapist_id, lang)
    where.mkdir(parents=True, exist_ok=True)
    with atomic_path(where / f"{phrase_id}.wav") as tmp:
        tmp.write_bytes(data)
