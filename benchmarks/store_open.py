"""
Time opening a ``.duckdb`` store (the checks of docs/decisions.md, "A store is hostile input"):
in-process ``open_store`` (CPU and wall, best of N), and the CLI ``doanmodel validate STORE``
a user runs.

    python benchmarks/store_open.py STORE.duckdb [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def _best(fn: object, repeat: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()  # type: ignore[operator]
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("store")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    from doanmodel.dataset._store import open_store, split_store

    file, key = split_store(args.store) or (args.store, None)

    def open_once() -> None:
        ds = open_store(file, key)
        from doanmodel.query._duckdb import tables_of

        tables_of(ds).con.close()

    cpu, wall = _best(open_once, args.repeat)
    print(f"open_store       CPU {cpu:6.3f} s  wall {wall:6.3f} s  (best of {args.repeat})")

    def cli() -> None:
        subprocess.run([sys.executable, "-m", "doanmodel", "validate", args.store, "--quiet"],
                       check=True, stdout=subprocess.DEVNULL, env=os.environ)

    t0 = os.times()
    w0 = time.perf_counter()
    for _ in range(args.repeat):
        cli()
    t1 = os.times()
    n = args.repeat
    cpu = (t1.children_user + t1.children_system - t0.children_user - t0.children_system) / n
    print(f"doanmodel validate  CPU {cpu:6.3f} s  wall {(time.perf_counter() - w0) / n:6.3f} s"
          f"  (mean of {n})")


if __name__ == "__main__":
    main()
