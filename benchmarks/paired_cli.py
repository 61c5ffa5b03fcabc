"""
The CLI a user runs, from two source trees in turn: CPU (user + sys, all threads), wall and peak
RSS of each command, best and worst of N runs, alternating trees so a busy machine weighs on both.

    git archive BASE src | tar -x -C /tmp/base        # the tree to compare with
    doanmodel synth /tmp/r --scale region --year 2024
    python benchmarks/paired_cli.py /tmp/r --before /tmp/base/src --after src [--repeat 3]

Commands: ``validate``, ``check --format json`` with the Python engine and with the DuckDB
engine (``--no-plugins``), output thrown away.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

COMMANDS = {
    "validate": ["validate", "{path}", "--no-plugins"],
    "check json, Python engine": ["check", "{path}", "--format", "json", "--no-plugins",
                                  "--engine", "python"],
    "check json, DuckDB engine": ["check", "{path}", "--format", "json", "--no-plugins",
                                  "--engine", "duckdb"],
}


def run(src: str, argv: list[str]) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MB) of ``python -m doanmodel argv`` with *src* first on the path
    (``os.wait4``: that child's own resource use)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "doanmodel", *argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": os.path.abspath(src)})
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here
    wall = time.perf_counter() - start
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("path")
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for name, template in COMMANDS.items():
        argv = [a.format(path=args.path) for a in template]
        got: dict[str, list[tuple[float, float, float]]] = {"before": [], "after": []}
        for _ in range(args.repeat):
            for label in ("before", "after"):
                got[label].append(run(getattr(args, label), argv))
        for label, runs in got.items():
            cpus = sorted(r[0] for r in runs)
            walls = sorted(r[1] for r in runs)
            rss = max(r[2] for r in runs)
            print(f"{name:28} {label:6} CPU {cpus[0]:.2f}–{cpus[-1]:.2f} s  "
                  f"wall {walls[0]:.2f}–{walls[-1]:.2f} s  peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
