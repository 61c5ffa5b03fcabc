"""Benchmarks: doanmodel at province and national scale, against a pandas (and polars) notebook.

    python benchmarks/run.py                       # both scales (national: ~1 GB on disk)
    python benchmarks/run.py --scale province      # quick

Writes the data once under benchmarks/out/ (``doanmodel synth``), then runs each task in a fresh
process and reports wall time and peak RSS: import of doanmodel and of the CLI, validate, check
(all built-in rules), score (all clusters), check + score end to end (one load), and the
baselines. It checks that the baselines' figures equal doanmodel's. A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def task(name: str, path: Path, year: int, extra: Path | str | None = None) -> dict:
    cmd = [sys.executable, str(HERE / "_task.py"), name, str(path), str(year)]
    if extra is not None:
        cmd.append(str(extra))
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        return {"task": name, "error": out.stderr.strip().splitlines()[-1:]}
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


def startup() -> dict:
    """Interpreter start, `import doanmodel`, and `doanmodel --help`, best of five."""
    def best(cmd: list[str]) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        return min(times)

    bare = best([sys.executable, "-c", "pass"])
    imp = best([sys.executable, "-c", "import doanmodel"])
    cli = best([sys.executable, "-m", "doanmodel", "--help"])
    return {"python_start": bare, "import_doanmodel": imp - bare, "cli_help": cli - bare}


def compare(a: dict, b: dict) -> list[str]:
    diffs = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key, {}), b.get(key, {})
        bad = [k for k in set(x) | set(y) if x.get(k, 0) != y.get(k, 0)]
        if bad:
            diffs.append(f"{key}: {len(bad)} differ, e.g. {sorted(bad)[:3]}")
    return diffs


def scale(name: str, year: int, out: Path) -> dict:
    path = out / f"{name}-{year}"
    results: dict = {"scale": name, "year": year}
    if not path.exists():
        results["synth"] = s = task("synth", path, year, name)  # type: ignore[arg-type]
        print(f"{name} synth: {s.get('seconds', 0):.2f} s, {s.get('max_rss_mb', 0):.0f} MB",
              flush=True)
    for t in ("validate", "check", "score"):
        results[t] = task(t, path, year)
        print(f"{name} {t}: {results[t].get('seconds', 0):.2f} s, "
              f"{results[t].get('max_rss_mb', 0):.0f} MB", flush=True)
    ours = out / f"{name}-doanmodel-figures.json"
    results["end_to_end"] = task("end_to_end", path, year, ours)
    e = results["end_to_end"]
    print(f"{name} check+score end to end: {e.get('seconds', 0):.2f} s (load {e.get('load', 0):.2f},"
          f" check {e.get('check', 0):.2f}, score {e.get('score', 0):.2f}), "
          f"{e.get('max_rss_mb', 0):.0f} MB", flush=True)
    mine = json.loads(ours.read_text())
    for base in ("pandas", "polars"):
        try:
            __import__(base)
        except ImportError:
            results[base] = {"skipped": f"{base} is not installed"}
            continue
        theirs_path = out / f"{name}-{base}-figures.json"
        r = results[base] = task(base, path, year, theirs_path)
        if "error" in r:
            print(f"{name} {base}: failed {r['error']}")
            continue
        r["figures_equal"] = not (diffs := compare(mine, json.loads(theirs_path.read_text())))
        r["differences"] = diffs
        r["ratio_doanmodel_over_baseline"] = e["seconds"] / r["seconds"]
        print(f"{name} {base}: {r['seconds']:.2f} s, {r['max_rss_mb']:.0f} MB; figures equal: "
              f"{r['figures_equal']}; ratio doanmodel/{base} = "
              f"{r['ratio_doanmodel_over_baseline']:.2f}", flush=True)
    return results


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", choices=["province", "national", "both"], default="both")
    p.add_argument("--year", type=int, default=2024)
    p.add_argument("--out", type=Path, default=HERE / "out")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"startup": startup()}
    s = report["startup"]
    print(f"import doanmodel: {s['import_doanmodel'] * 1000:.0f} ms; doanmodel --help: "
          f"{s['cli_help'] * 1000:.0f} ms (after {s['python_start'] * 1000:.0f} ms of Python)",
          flush=True)
    scales = ["province", "national"] if args.scale == "both" else [args.scale]
    report["scales"] = [scale(name, args.year, args.out) for name in scales]
    (args.out / "results.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"results: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
