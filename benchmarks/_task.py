"""Run one measured task in this (fresh) process and print its wall time and peak RSS as JSON.

    python benchmarks/_task.py TASK DATASET YEAR

TASK: synth (then a 4th argument, the scale), import, validate, check, score, end_to_end,
end_to_end_duckdb (the DuckDB engine from the CSV folder), end_to_end_store (from a .duckdb
store: DATASET is the store), figures_duckdb / figures_store (only the baselines' core figures,
through the DuckDB engine, from the folder / the store), import_store (DATASET to a 5th
argument, the store), pandas, polars, duckdb (the hand-written SQL baseline). Every task
reports wall seconds, CPU seconds (user + sys, all threads) and peak RSS. ``end_to_end`` loads once,
checks every rule and scores every cluster, then (untimed) writes the core figures the pandas
baseline computes, so the two can be compared.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time
from pathlib import Path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _figures(engine, ds, year: int) -> dict[str, dict[str, int]]:
    import doanmodel as dm

    ctx = engine.context(ds, year)  # what a rule sees: the query layer of the engine's backend
    visit_days = {c: r.visit_days for c, r in ctx.query.quota().items()}
    months = {uid: len(bm.met) for uid, bm in ctx.query.branch_months().items() if bm.met}
    out = {"visit_days": visit_days, "meeting_months": months}
    for name in ("new_members", "party_introductions"):
        values = engine.indicator(ds, name, year)
        for level, key in ((dm.Level.GRASSROOTS, name), (dm.Level.PROVINCE, name + "_province")):
            out[key] = {u: int(v) for u, v in values.items()
                        if v and ds.units[u].latest.level is level}
    return out


def main() -> int:
    task, path, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
    result: dict[str, object] = {"task": task}
    t0 = time.perf_counter()
    if task == "synth":
        from doanmodel import synth

        synth(path, scale=sys.argv[4], year=year, seed=1)
        result["seconds"] = time.perf_counter() - t0
    elif task == "import":
        import doanmodel  # noqa: F401

        result["seconds"] = time.perf_counter() - t0
    elif task in ("validate", "check", "score"):
        from doanmodel.cli._cli import main as cli

        args = {"validate": ["validate", path], "check": ["check", path, "--year", str(year)],
                "score": ["score", path, "--year", str(year)]}[task]
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = cli([*args, "--no-plugins", "--format", "json"])
        result["seconds"] = time.perf_counter() - t0
        result["exit"] = code
        result["output_bytes"] = len(out.getvalue())
    elif task in ("end_to_end", "end_to_end_duckdb", "end_to_end_store"):
        import doanmodel as dm
        from doanmodel.dataset._store import open_dataset

        backend = "python" if task == "end_to_end" else "duckdb"
        ds = dm.load_dataset(path) if backend == "python" else open_dataset(path, "duckdb")
        year = year or ds.meta.year
        t1, c1 = time.perf_counter(), _cpu()
        engine = dm.Engine(load_entry_points=False, backend=backend)
        report = engine.check(ds, year)
        t2, c2 = time.perf_counter(), _cpu()
        board = engine.score(ds, year)
        t3, c3 = time.perf_counter(), _cpu()
        result.update(seconds=t3 - t0, load=t1 - t0, check=t2 - t1, score=t3 - t2,
                      load_cpu=c1, check_cpu=c2 - c1, score_cpu=c3 - c2,
                      findings=len(report.findings), clusters=len(board.clusters))
        result["cpu_seconds"] = _cpu()
        result["max_rss_mb"] = _rss_mb()
        Path(sys.argv[4]).write_text(json.dumps(_figures(engine, ds, year)), encoding="utf-8")
    elif task in ("figures_duckdb", "figures_store"):
        # only the core figures the baselines compute, through the DuckDB engine's query layer:
        # the same work as the hand-written SQL, plus the careful validation of the load
        import doanmodel as dm
        from doanmodel.dataset._store import open_dataset

        ds = open_dataset(path, "duckdb")
        year = year or ds.meta.year
        t1, c1 = time.perf_counter(), _cpu()
        engine = dm.Engine(load_entry_points=False, backend="duckdb")
        figures = _figures(engine, ds, year)
        result.update(seconds=time.perf_counter() - t0, load=t1 - t0,
                      figures=time.perf_counter() - t1, load_cpu=c1, figures_cpu=_cpu() - c1)
        Path(sys.argv[4]).write_text(json.dumps(figures), encoding="utf-8")
    elif task == "import_store":
        from doanmodel.dataset._store import import_dataset

        import_dataset(path, sys.argv[4])
        result["seconds"] = time.perf_counter() - t0
    elif task in ("pandas", "polars", "duckdb"):
        sys.path.insert(0, str(Path(__file__).parent))
        module = __import__(f"{task}_baseline")
        figures = module.figures(path, year)
        result["seconds"] = time.perf_counter() - t0
        result["max_rss_mb"] = _rss_mb()
        Path(sys.argv[4]).write_text(json.dumps(figures), encoding="utf-8")
    else:
        raise SystemExit(f"unknown task {task}")
    result.setdefault("cpu_seconds", _cpu())
    result.setdefault("max_rss_mb", _rss_mb())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
