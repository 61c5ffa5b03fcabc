"""Run one measured task in this (fresh) process and print its wall time and peak RSS as JSON.

    python benchmarks/_task.py TASK DATASET YEAR

TASK: synth (then a 4th argument, the scale), import, validate, check, score, end_to_end,
pandas, polars. ``end_to_end`` loads once,
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


def _figures(engine, ds, year: int) -> dict[str, dict[str, int]]:
    import doanmodel as dm
    from doanmodel._branches import branch_months

    ctx = dm.Context(dataset=ds, period=dm.Period(year), params=engine.parameters(ds),
                     indicators=engine._indicators(ds))
    visit_days = {c: r.visit_days for c, r in ctx.query.quota().items()}
    months = {ds.unit_ids[code]: bin(met).count("1")
              for code, (_, met, _) in branch_months(ctx).items() if met}
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
        from doanmodel._cli import main as cli

        args = {"validate": ["validate", path], "check": ["check", path, "--year", str(year)],
                "score": ["score", path, "--year", str(year)]}[task]
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = cli([*args, "--no-plugins", "--format", "json"])
        result["seconds"] = time.perf_counter() - t0
        result["exit"] = code
        result["output_bytes"] = len(out.getvalue())
    elif task == "end_to_end":
        import doanmodel as dm

        ds = dm.load_dataset(path)
        t1 = time.perf_counter()
        engine = dm.Engine(load_entry_points=False)
        report = engine.check(ds, year)
        t2 = time.perf_counter()
        board = engine.score(ds, year)
        t3 = time.perf_counter()
        result.update(seconds=t3 - t0, load=t1 - t0, check=t2 - t1, score=t3 - t2,
                      findings=len(report.findings), clusters=len(board.clusters))
        result["max_rss_mb"] = _rss_mb()
        Path(sys.argv[4]).write_text(json.dumps(_figures(engine, ds, year)), encoding="utf-8")
    elif task in ("pandas", "polars"):
        sys.path.insert(0, str(Path(__file__).parent))
        module = __import__(f"{task}_baseline")
        figures = module.figures(path, year)
        result["seconds"] = time.perf_counter() - t0
        result["max_rss_mb"] = _rss_mb()
        Path(sys.argv[4]).write_text(json.dumps(figures), encoding="utf-8")
    else:
        raise SystemExit(f"unknown task {task}")
    result.setdefault("max_rss_mb", _rss_mb())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
