"""Writes blocks of samples to WAV, FLAC, Ogg Vorbis, Opus or MP3, then tags and chapters.

The file appears only when complete: it is written beside the target under a temporary name
and renamed at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ontspan.core.captions import Chapter, vtt_time
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _
from ontspan.files import atomic_path, nearly_full


@dataclass(frozen=True)
class Format:
    container: str
    subtype: str
    sample_rate: int | None = None  # None: the voice's rate


FORMATS = {
    ".wav": Format("WAV", "PCM_16"),
    ".flac": Format("FLAC", "PCM_16"),
    ".ogg": Format("OGG", "VORBIS"),
    ".opus": Format("OGG", "OPUS", 48_000),  # Opus takes 8/12/16/24/48 kHz only
    ".mp3": Format("MP3", "MPEG_LAYER_III"),
}


def format_for(path: Path) -> Format:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OntspanError(_("{path}: unknown audio format {suffix}; use one of {formats}",
                             path=path, suffix=repr(path.suffix or "-"),
                             formats=", ".join(FORMATS)))
    return fmt


@dataclass(frozen=True)
class Tags:
    title: str
    lang: str
    routine: str
    duration_ms: int
    chapters: tuple[Chapter, ...]


# ID3's language tag (ISO 639-2); "und" (undetermined) for a language not listed here.
ISO639_2 = {"nl": "nld", "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita"}


def write_audio(
    path: Path,
    blocks: Iterable[np.ndarray],
    sample_rate: int,
    tags: Tags,
    on_block: Callable[[int], None] | None = None,
) -> None:
    import soundfile as sf
    from mutagen import MutagenError

    fmt = format_for(path)
    with atomic_path(path) as tmp:
        try:
            with sf.SoundFile(str(tmp), "w", samplerate=sample_rate, channels=1,
                              format=fmt.container, subtype=fmt.subtype) as out:
                for block in blocks:
                    out.write(block)
                    if on_block is not None:
                        on_block(block.size)
            _tag(tmp, path.suffix.lower(), tags)
        except (sf.SoundFileError, MutagenError):
            raise _write_failed(path) from None


def _write_failed(path: Path) -> OSError:
    """libsndfile and mutagen say only "System error": name the file, and a full disk as such,
    so the person reads one line about what they asked for."""
    import errno
    import os

    code = errno.ENOSPC if nearly_full(path.parent) else errno.EIO
    return OSError(code, os.strerror(code), str(path))


def _tag(tmp: Path, ext: str, tags: Tags) -> None:
    if ext in (".mp3", ".wav"):
        _tag_id3(tmp, ext, tags)
    else:
        _tag_vorbis(tmp, ext, tags)


def _tag_id3(tmp: Path, ext: str, tags: Tags) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, TLAN, TLEN, TXXX, CTOCFlags

    if ext == ".wav":
        from mutagen.wave import WAVE

        wave = WAVE(str(tmp))
        wave.add_tags()
        id3 = wave.tags
    else:
        id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TLAN(encoding=3, text=[ISO639_2.get(tags.lang, "und")]))
    id3.add(TLEN(encoding=3, text=[str(tags.duration_ms)]))
    id3.add(TXXX(encoding=3, desc="routine", text=[tags.routine]))
    ids = [f"ch{i}" for i in range(len(tags.chapters))]
    id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                 child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=[tags.title])]))
    for element_id, chapter in zip(ids, tags.chapters, strict=True):
        id3.add(CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                     sub_frames=[TIT2(encoding=3, text=[chapter.title])]))
    if ext == ".wav":
        wave.save()
    else:
        id3.save(str(tmp), v2_version=4)


def _tag_vorbis(tmp: Path, ext: str, tags: Tags) -> None:
    if ext == ".flac":
        from mutagen.flac import FLAC as Opener
    elif ext == ".opus":
        from mutagen.oggopus import OggOpus as Opener
    else:
        from mutagen.oggvorbis import OggVorbis as Opener
    audio = Opener(str(tmp))
    audio["TITLE"] = tags.title
    audio["LANGUAGE"] = tags.lang
    audio["ROUTINE"] = tags.routine
    audio["LENGTH"] = str(tags.duration_ms)
    for i, chapter in enumerate(tags.chapters, 1):
        audio[f"CHAPTER{i:03d}"] = vtt_time(chapter.start_ms)
        audio[f"CHAPTER{i:03d}NAME"] = chapter.title
    audio.save()
