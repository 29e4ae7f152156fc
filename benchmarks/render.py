"""Render speed and memory, as ratios (run: .venv/bin/python benchmarks/render.py).

For the 16-group routine (about 23 minutes of audio), to MP3 and Ogg Vorbis:
- seconds of audio per second of work, cold (empty phrase cache) and warm;
- the whole render's time divided by the time the same encoder alone needs for the same
  samples (aim: warm <= 1.2x, cold with the built-in voice <= 1.5x);
and the peak memory of a separate process rendering a 60-minute session (aim: < 200 MB).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def encoder_alone(path: Path, blocks: list[np.ndarray], rate: int) -> float:
    import soundfile as sf

    from ontspan.audio.encode import format_for

    fmt = format_for(path)
    start = time.perf_counter()
    with sf.SoundFile(str(path), "w", samplerate=rate, channels=1, format=fmt.container,
                      subtype=fmt.subtype) as out:
        for block in blocks:
            out.write(block)
    return time.perf_counter() - start


def render_once(ext: str, work: Path) -> tuple[float, float, list[np.ndarray], int]:
    from ontspan import library
    from ontspan.audio.mixer import MixSettings, mix
    from ontspan.services.render import render
    from ontspan.services.sessions import measured_timeline, prefs_for

    routine = library.find("volledig")
    start = time.perf_counter()
    spoken = measured_timeline(routine, prefs_for(routine, {"lang": "nl"}), None)
    result = render(spoken, work / f"session{ext}", MixSettings())
    seconds = time.perf_counter() - start
    blocks = list(mix(spoken.timeline, spoken.bank.audio, MixSettings()))
    return seconds, result.duration_ms / 1000, blocks, 22_050


SIXTY_MINUTES = """
name: Benchmark (60 min)
groups: [hand-forearm@dominant, upper-arm@dominant, hand-forearm@other, upper-arm@other,
  forehead, eyes-nose, cheeks-jaw, neck-throat, chest-shoulders-back, belly, thigh@dominant,
  calf@dominant, foot@dominant, thigh@other, calf@other, foot@other,
  hand-forearm@dominant, upper-arm@dominant, hand-forearm@other, upper-arm@other,
  forehead, eyes-nose, cheeks-jaw, neck-throat, chest-shoulders-back, belly, thigh@dominant,
  calf@dominant, foot@dominant, thigh@other, calf@other, foot@other]
defaults: {rounds: 2, release: 44}
"""


def peak_memory_mb(work: Path) -> tuple[float, float]:
    routine = work / "zestig.yaml"
    routine.write_text(SIXTY_MINUTES)
    target = work / "zestig.ogg"
    code = (
        "import sys\n"
        "from ontspan.interfaces.cli import main\n"
        f"sys.argv = ['ontspan', 'render', {str(routine)!r}, '-q', '-o', {str(target)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        # VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec and would report the parent.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import soundfile as sf

    minutes = sf.info(str(target)).duration / 60
    return int(out.stdout.strip().splitlines()[-1]) / 1024, minutes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["ONTSPAN_HOME"] = str(work / "home")
        print("format  cache  audio/work  render/encoder-alone")
        for ext in (".mp3", ".ogg"):
            for cache in ("cold", "warm"):
                if cache == "cold":
                    import shutil

                    shutil.rmtree(work / "home", ignore_errors=True)
                seconds, audio_s, blocks, rate = render_once(ext, work)
                alone = encoder_alone(work / f"alone{ext}", blocks, rate)
                print(f"{ext:<7} {cache:<6} {audio_s / seconds:9.0f}x  {seconds / alone:8.2f}x")
        rss, minutes = peak_memory_mb(work)
        print(f"peak memory rendering {minutes:.0f} minutes to Ogg: {rss:.0f} MB")


if __name__ == "__main__":
    main()
