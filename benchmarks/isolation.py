"""What plugin isolation costs (issue 23), at province and region scale.

    python benchmarks/isolation.py [--scales province,region] [--repeat 3]

Prints, for each scale (a synthetic dataset written once under the system temp folder):

- a shared answer handed to a plugin as a read-only view vs a private copy (per call);
- the host fingerprint: taking it, and checking it (done after every in-process plugin call);
- ``check`` and ``score`` with one plugin (5 rules reading the query layer, one scoring method
  used by every cluster) in-process and isolated (each call forked), and the calls made;
- ``Dataset.build`` with and without the loader's checks.

Best of *repeat* runs, wall seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

import doanmodel as dm
from doanmodel.dataset._synth import synth
from doanmodel.engine._integrity import Integrity


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _dataset(scale: str) -> Path:
    out = Path(tempfile.gettempdir()) / f"doanmodel-bench-isolation-{scale}"
    if not (out / "dataset.toml").exists():
        synth(out, scale=scale, seed=1, year=2024)
    return out


def _plugin(ds: dm.Dataset, calls: list[int]) -> types.ModuleType:
    provinces = sorted(uid for uid, u in ds.units.items()
                       if any(v.level is dm.Level.PROVINCE for v in u.versions))

    def reads(ctx: Any) -> list[Any]:
        calls[0] += 1
        len(ctx.query.quota())
        len(ctx.query.branch_months())
        return []

    def flat(c: Any, inputs: Any) -> dict[str, Any]:
        calls[0] += 1
        return dict.fromkeys(inputs, (0, None))

    mod = types.ModuleType("bench_plugin")
    rules = [dm.Rule(id=f"bench.r{i}", title=dm.Text("thử", "test"), source="bench",
                     evaluate=reads) for i in range(5)]
    mod.doanmodel_plugin_info = dm.hookimpl(lambda: {  # type: ignore[attr-defined]
        "name": "bench", "version": "1", "api": dm.PLUGIN_API, "provinces": provinces,
        "end": "2024-12-31", "sources": ["bench"]})
    mod.doanmodel_rules = dm.hookimpl(lambda: rules)  # type: ignore[attr-defined]
    mod.doanmodel_scoring_methods = dm.hookimpl(  # type: ignore[attr-defined]
        lambda: [dm.ScoringMethod(name="flat", score=flat)])
    crit = {"id": "bench", "title": "bench", "source": "bench", "year": 2024, "criterion": [
        {"id": "x", "points": 10, "method": "flat", "indicator": "visit_days"}]}
    mod.doanmodel_criteria_sets = dm.hookimpl(lambda: [crit])  # type: ignore[attr-defined]
    return mod


def run(scale: str, repeat: int) -> None:
    path = _dataset(scale)
    ds = dm.load_dataset(path)
    print(f"\n== {scale}: {len(ds.units):,} units, {len(ds.cadres):,} cadres, "
          f"{len(ds.visits):,} visits, {len(ds.members):,} members, "
          f"{len(ds.clusters_of_year(2024))} clusters")
    ctx = dm.Engine(load_entry_points=False).context(ds, 2024)
    quota = dict(ctx.query.quota())
    n = 200
    view = _best(lambda: [MappingProxyType(quota) for _ in range(n)], repeat) / n
    copy = _best(lambda: [dict(quota) for _ in range(n)], repeat) / n
    print(f"quota() ({len(quota):,} rows) to a plugin: read-only view {view * 1e6:8.2f} µs, "
          f"copy {copy * 1e6:8.2f} µs per call")
    take = _best(Integrity, repeat)
    fp = Integrity()
    check = _best(lambda: [fp.changes() for _ in range(20)], repeat) / 20
    print(f"host fingerprint: take {take * 1e3:.2f} ms, check {check * 1e3:.2f} ms "
          f"({len(fp.modules)} modules, {len(fp.classes)} classes)")
    ds_nocrit = attrs.evolve(ds, criteria=None)
    for label, isolate in (("in-process", False), ("isolated", True)):
        calls = [0]
        engine = dm.Engine(plugins=[_plugin(ds, calls)], load_entry_points=False,
                           isolate=isolate, plugin_timeout=60 if isolate else None)
        t_check = _best(lambda e=engine: e.check(ds, 2024), repeat)
        per_check = calls[0] // repeat if not isolate else "?"
        calls[0] = 0
        t_score = _best(lambda e=engine: e.score(ds_nocrit, 2024), repeat)
        per_score = calls[0] // repeat if not isolate else "?"
        print(f"{label:10}  check {t_check:7.3f} s (plugin calls {per_check})   "
              f"score {t_score:7.3f} s (plugin calls {per_score})")
    meta = ds.meta
    kw = {"cadres": ds.cadres.values(), "positions": ds.positions, "absences": ds.absences,
          "visits": ds.visits, "meetings": ds.meetings, "members": ds.members,
          "indicators": ds.indicators, "targets": ds.targets, "clusters": ds.clusters}
    fast = _best(lambda: dm.Dataset.build(meta, ds.units.values(), validate=False, **kw), 1)
    slow = _best(lambda: dm.Dataset.build(meta, ds.units.values(), **kw), 1)
    print(f"Dataset.build: {fast:.3f} s without checks, {slow:.3f} s with the loader's checks")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="province,region")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    for scale in args.scales.split(","):
        run(scale, args.repeat)


if __name__ == "__main__":
    main()
