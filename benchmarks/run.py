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
import importlib.util
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
    for key in sorted(k for k in set(a) | set(b) if not k.startswith("_")):
        x, y = a.get(key, {}), b.get(key, {})
        bad = [k for k in set(x) | set(y) if x.get(k, 0) != y.get(k, 0)]
        if bad:
            diffs.append(f"{key}: {len(bad)} differ, e.g. {sorted(bad)[:3]}")
    return diffs


def _line(label: str, r: dict) -> str:
    return (f"{label}: {r.get('seconds', 0):.2f} s wall, {r.get('cpu_seconds', 0):.2f} s CPU, "
            f"{r.get('max_rss_mb', 0):.0f} MB")


def scale(name: str, year: int, out: Path) -> dict:
    path = out / f"{name}-{year}"
    results: dict = {"scale": name, "year": year}
    if not path.exists():
        results["synth"] = s = task("synth", path, year, name)  # type: ignore[arg-type]
        print(f"{name} synth: {s.get('seconds', 0):.2f} s, {s.get('max_rss_mb', 0):.0f} MB",
              flush=True)
    for t in ("validate", "check", "score"):
        results[t] = task(t, path, year)
        print(_line(f"{name} {t}", results[t]), flush=True)
    mine: dict = {}
    store = out / f"{name}-{year}.duckdb"
    if store.exists():
        store.unlink()
    runs = [("end_to_end", path), ("end_to_end_duckdb", path), ("import_store", path),
            ("end_to_end_store", store), ("figures_duckdb", path), ("figures_store", store)]
    for t, where in runs:
        extra = store if t == "import_store" else out / f"{name}-{year}-{t}-figures.json"
        e = results[t] = task(t, where, year, extra)
        if "error" in e:
            print(f"{name} {t}: failed {e['error']}", flush=True)
            continue
        print(_line(f"{name} {t}", e) + (
            f" (load {e.get('load', 0):.2f}, check {e.get('check', 0):.2f}, score "
            f"{e.get('score', 0):.2f} s wall)" if "check" in e else ""), flush=True)
        if t == "end_to_end":
            mine = json.loads(Path(extra).read_text())
        if "figures" in e:
            print(f"  (load {e['load']:.2f}, figures {e['figures']:.2f} s wall)", flush=True)
        if t != "end_to_end" and ("load" in e):
            diffs = compare(mine, json.loads(Path(extra).read_text()))
            e["figures_equal"] = not diffs
            print(f"  figures equal to the Python engine's: {not diffs} {diffs[:2]}")
    ref = results["end_to_end_duckdb"]
    for base in ("pandas", "polars", "duckdb"):
        # find, not import: an import here would grow this process, and a child's peak RSS
        # starts from its parent's (Linux keeps ru_maxrss across fork and exec)
        if importlib.util.find_spec(base) is None:
            results[base] = {"skipped": f"{base} is not installed"}
            continue
        theirs_path = out / f"{name}-{year}-{base}-figures.json"
        r = results[base] = task(base, path, year, theirs_path)
        if "error" in r:
            print(f"{name} {base}: failed {r['error']}")
            continue
        r["figures_equal"] = not (diffs := compare(mine, json.loads(theirs_path.read_text())))
        r["differences"] = diffs
        for engine in ("end_to_end", "end_to_end_duckdb", "end_to_end_store", "figures_duckdb",
                       "figures_store"):
            if "cpu_seconds" in results[engine]:
                r[f"cpu_ratio_{engine}"] = results[engine]["cpu_seconds"] / r["cpu_seconds"]
        print(_line(f"{name} {base}", r) + f"; figures equal: {r['figures_equal']}; CPU ratio "
              f"python engine/{base} = {r.get('cpu_ratio_end_to_end', 0):.2f}, duckdb engine/"
              f"{base} = {r.get('cpu_ratio_end_to_end_duckdb', 0):.2f}, same figures by the "
              f"duckdb engine from the store/{base} = {r.get('cpu_ratio_figures_store', 0):.2f}",
              flush=True)
    del ref
    return results


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", choices=["tiny", "province", "region", "national", "both", "all"],
                   default="both", help="both: province and national; all: the four, for the "
                   "growth figures")
    p.add_argument("--year", type=int, default=2025)
    p.add_argument("--out", type=Path, default=HERE / "out")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"startup": startup()}
    s = report["startup"]
    print(f"import doanmodel: {s['import_doanmodel'] * 1000:.0f} ms; doanmodel --help: "
          f"{s['cli_help'] * 1000:.0f} ms (after {s['python_start'] * 1000:.0f} ms of Python)",
          flush=True)
    scales = {"both": ["province", "national"],
              "all": ["tiny", "province", "region", "national"]}.get(args.scale, [args.scale])
    report["scales"] = [scale(name, args.year, args.out) for name in scales]
    (args.out / "results.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"results: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
