"""
The speed targets of issue 21 through the CLI a user runs, each paired with its baseline in the
same run: CPU (user + sys, all threads), wall and peak RSS of every process, best and worst of N
alternations (A B A B ...), and the load average before and after.

    doanmodel synth /tmp/nat --scale national --year 2024      # once, ~1 GB, minutes
    doanmodel synth /tmp/prov --scale province --year 2024
    python benchmarks/national_intake.py /tmp/nat --year 2024 [--province /tmp/prov] [--repeat 1]

Pairs (doanmodel | yardstick):
- ``validate`` of the folder (goal ≤ 10 s CPU) | none
- ``check --format json``, DuckDB engine | the same, Python engine (DuckDB never slower)
- ``import`` into a new store | ``pandas_baseline.py`` (CPU ≤ pandas)
- ``check`` + ``score --format json`` from the store (two processes, CPU summed) |
  ``duckdb_baseline.py``, the hand-written SQL (CPU ≤ 1.5 ×)
- at province scale: ``validate``, ``check``, ``score`` (each < 1 s) and ``import doanmodel``
  (≤ 100 ms, minus a bare Python start)
Output thrown away; ``--src`` puts a source tree first on the path (default: the installed one).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
Run = tuple[float, float, float]  # CPU s, wall s, peak RSS MB


def run(argv: list[str], src: str | None) -> Run:
    """(CPU s, wall s, peak RSS MB) of ``python argv`` (``os.wait4``: that child's own use)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.path.abspath(src)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: findings reported
        print(f"  ! exit {proc.returncode}: {' '.join(argv)}", file=sys.stderr)
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024  # Linux: KiB


def total(runs: list[Run]) -> Run:
    return sum(r[0] for r in runs), sum(r[1] for r in runs), max(r[2] for r in runs)


def cli(*args: str) -> list[str]:
    return ["-m", "doanmodel", *args, "--no-plugins"]


def span(v: list[float]) -> str:
    return f"{v[0]:.2f}" if len(v) == 1 else f"{v[0]:.2f}–{v[-1]:.2f}"


def fmt(label: str, runs: list[Run]) -> str:
    cpu = sorted(r[0] for r in runs)
    wall = sorted(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    return f"| {label} | {span(cpu)} s | {span(wall)} s | {rss:.0f} MB |"


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    p.add_argument("national", type=Path)
    p.add_argument("--year", type=int, default=2024)
    p.add_argument("--province", type=Path)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--src", help="a source tree to put first on PYTHONPATH")
    p.add_argument("--only", nargs="*", help="run only these pairs (by number, 1-4)")
    args = p.parse_args()
    nat, year, src = str(args.national), str(args.year), args.src
    only = set(args.only or ["1", "2", "3", "4"])
    print(f"load average before: {load()}")
    print("| command | CPU | wall | peak RSS |\n|---|---|---|---|")
    tmp = tempfile.mkdtemp(prefix="intake-bench-")
    store = os.path.join(tmp, "nat.duckdb")
    pairs: list[tuple[str, str, list[list[str]], list[list[str]] | None]] = [
        ("1", "`validate` folder", [cli("validate", nat)], None),
        ("2", "`check --format json`, DuckDB engine, folder",
         [cli("check", nat, "--format", "json", "--engine", "duckdb")],
         [cli("check", nat, "--format", "json", "--engine", "python")]),
        ("3", "`import` folder → new store",
         [cli("import", nat, store)],
         [[str(HERE / "pandas_baseline.py"), nat, year]]),
        ("4", "`check` + `score --format json` from the store",
         [cli("check", store, "--format", "json", "--engine", "duckdb"),
          cli("score", store, "--format", "json", "--engine", "duckdb")],
         [[str(HERE / "duckdb_baseline.py"), nat, year]]),
    ]
    yardsticks = {"2": "the same, Python engine", "3": "pandas baseline",
                  "4": "hand-written DuckDB SQL baseline"}
    if "4" in only and "3" not in only:
        run(cli("import", nat, store), src)
    for key, label, a, b in pairs:
        if key not in only:
            continue
        got_a: list[Run] = []
        got_b: list[Run] = []
        for _ in range(args.repeat):
            if key == "3" and os.path.exists(store):
                os.remove(store)
            got_a.append(total([run(cmd, src) for cmd in a]))
            if b is not None:
                got_b.append(total([run(cmd, src) for cmd in b]))
        print(fmt(label, got_a), flush=True)
        if got_b:
            print(fmt(yardsticks[key], got_b), flush=True)
            ratios = sorted(x[0] / y[0] for x, y in zip(got_a, got_b))
            print(f"|  ratio of CPU, pair by pair | {ratios[0]:.2f}–{ratios[-1]:.2f} × | | |",
                  flush=True)
    if args.province:
        prov = str(args.province)
        for label, cmd in (("province `validate`", cli("validate", prov)),
                           ("province `check --format json`",
                            cli("check", prov, "--format", "json")),
                           ("province `score --format json`",
                            cli("score", prov, "--format", "json"))):
            print(fmt(label, [run(cmd, src) for _ in range(max(3, args.repeat))]), flush=True)
    bare = min(run(["-c", "pass"], src)[1] for _ in range(5))
    imp = min(run(["-c", "import doanmodel"], src)[1] for _ in range(5))
    print(f"| `import doanmodel` (minus {bare * 1000:.0f} ms bare start) | | "
          f"{(imp - bare) * 1000:.0f} ms | |")
    print(f"load average after: {load()}")
    subprocess.run(["rm", "-rf", tmp], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
