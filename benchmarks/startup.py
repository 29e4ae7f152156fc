"""Start-up time of everyday commands, as ratios to a bare `python -c pass` measured in the
same run (run: .venv/bin/python benchmarks/startup.py [--runs N]).

Each command runs N times (default 15) in a fresh process, interleaved with the bare
interpreter so that both see the same machine load; the figure is the median of each,
divided, for wall-clock time and for CPU time (user + system: steadier on a shared machine,
where waiting for a core inflates wall-clock time). Aims: `ontspan --help` <= 3x,
`ontspan show bed` warm <= 10x, `ontspan today` <= 12x. "Warm": the data folder, the
journal and the phrase cache exist (made by one run first).
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


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one run in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode})")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ONTSPAN_HOME": home, "LANG": "en_GB.UTF-8"}
        env.pop("ONTSPAN_DATABASE_URL", None)
        # As installed for a person: bytecode is cached (the warm-up runs write it).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        ontspan = [sys.executable, "-m", "ontspan"]
        # Warm: a journal with a profile and a session, and the voice's phrase cache made.
        for setup in (["intake", "--pain", "neck", "--heart-lung", "no", "--trauma", "no",
                       "--therapist", "no"], ["log", "bed"], ["show", "bed"]):
            subprocess.run(ontspan + setup, env=env, stdout=subprocess.DEVNULL, check=True)
        commands = {name: ontspan + name.split() for name in AIMS}
        for argv in commands.values():
            timed(argv, env)
        names = ["python -c pass", *commands]
        wall: dict[str, list[float]] = {n: [] for n in names}
        cpu: dict[str, list[float]] = {n: [] for n in names}
        for _ in range(runs):
            for name in names:
                argv = [sys.executable, "-c", "pass"] if name == "python -c pass" else commands[name]
                w, c = timed(argv, env)
                wall[name].append(w)
                cpu[name].append(c)
        base_wall = statistics.median(wall["python -c pass"])
        base_cpu = statistics.median(cpu["python -c pass"])
        print(f"python -c pass: {base_wall * 1000:.0f} ms wall, {base_cpu * 1000:.0f} ms CPU "
              f"(medians of {runs} runs)")
        print(f"{'command':<18} {'wall':>8} {'ratio':>6} {'CPU':>8} {'ratio':>6}  aim")
        for name in commands:
            w, c = statistics.median(wall[name]), statistics.median(cpu[name])
            print(f"ontspan {name:<10} {w * 1000:6.0f}ms {w / base_wall:5.1f}x {c * 1000:6.0f}ms "
                  f"{c / base_cpu:5.1f}x  <= {AIMS[name]:g}x")

if __name__ == "__main__":
    main()
