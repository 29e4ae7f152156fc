"""Start-up time of everyday commands, as ratios to a bare `python -c pass` measured in the
same run (run: .venv/bin/python benchmarks/startup.py [--runs N]).

Each command runs N times (default 15) in a fresh process, interleaved with the bare
interpreter so that both see the same machine load; the figure is the median of each,
divided. Aims: `ontspan --help` <= 3x, `ontspan show bed` warm <= 10x, `ontspan today` <= 12x.
"Warm" means the data folder, the journal and the phrase cache exist (made by one run first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

AIMS = {"--help": 3.0, "show bed": 10.0, "today": 12.0}


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ONTSPAN_HOME": home, "LANG": "en_GB.UTF-8"}
        env.pop("ONTSPAN_DATABASE_URL", None)
        ontspan = [sys.executable, "-m", "ontspan"]
        # Warm: a journal with a profile and a session, and the voice's phrase cache made.
        for setup in (["intake", "--pain", "neck", "--heart-lung", "no", "--trauma", "no",
                       "--therapist", "no"], ["log", "bed"], ["show", "bed"]):
            subprocess.run(ontspan + setup, env=env, stdout=subprocess.DEVNULL, check=True)
        commands = {name: ontspan + name.split() for name in AIMS}
        times: dict[str, list[float]] = {"python -c pass": [], **{n: [] for n in commands}}
        for _ in range(runs):
            times["python -c pass"].append(timed([sys.executable, "-c", "pass"], env))
            for name, argv in commands.items():
                times[name].append(timed(argv, env))
        base = statistics.median(times["python -c pass"])
        print(f"python -c pass: {base * 1000:.0f} ms (median of {runs})")
        for name in commands:
            median = statistics.median(times[name])
            ratio = median / base
            verdict = "ok" if ratio <= AIMS[name] else "over"
            print(f"ontspan {name:<10} {median * 1000:6.0f} ms  {ratio:5.1f}x  "
                  f"(aim <= {AIMS[name]:g}x: {verdict})")


if __name__ == "__main__":
    main()
