"""Benchmark: ``Engine.sensitivity`` on 1,000 units × 1,000 draws (goal: under 5 s).

    python benchmarks/sensitivity.py                 # 1,000 units in 100 clusters of 10
    python benchmarks/sensitivity.py --cluster-size 1000 --draws 1000 --value-spread 0.1

Builds the board in memory (a province, 1,000 upper-grassroots units with reported values for
12 criteria of every method, a capped bonus and a penalty), scores it once, then times the
Monte Carlo alone and end to end. Reports wall time, CPU seconds and peak RSS. A script, not a
test.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from decimal import Decimal

import doanmodel as dm

YEAR = 2024
CRITERIA = [
    {"id": "c.ratio1", "points": 60, "method": "ratio", "indicator": "a", "target": "targets"},
    {"id": "c.ratio2", "points": 40, "method": "ratio", "indicator": "b", "target": 50,
     "cap": 1.2},
    {"id": "c.thr1", "points": 30, "method": "threshold", "indicator": "c", "min": 60},
    {"id": "c.thr2", "points": 20, "method": "threshold", "indicator": "d", "min": 0.8},
    {"id": "c.steps1", "points": 30, "method": "steps", "indicator": "e",
     "steps": [{"max": 0, "points": 30}, {"max": 2, "points": 20}, {"points": 0}]},
    {"id": "c.steps2", "points": 20, "method": "steps", "indicator": "f",
     "steps": [{"min": 100, "points": 20}, {"min": 50, "points": 10}, {"points": 0}]},
    {"id": "c.count1", "points": 40, "method": "count", "indicator": "g", "points_each": 2},
    {"id": "c.count2", "points": 30, "method": "count", "indicator": "h", "points_each": 0.5},
    {"id": "c.bool1", "points": 20, "method": "boolean", "indicator": "i"},
    {"id": "c.rank1", "points": 30, "method": "rank", "indicator": "j",
     "points_by_rank": [30, 20, 10]},
    {"id": "b.bonus1", "points": 25, "method": "count", "indicator": "k", "points_each": 5,
     "bonus": True},
    {"id": "b.bonus2", "points": 20, "method": "boolean", "indicator": "m", "bonus": True},
]


def build(units: int, cluster_size: int, seed: int) -> tuple[dm.Dataset, dm.CriteriaSet]:
    rnd = random.Random(seed)
    prov = dm.Unit(id="P", versions=(dm.UnitVersion(id="P", name="Tỉnh đoàn",
                                                    level=dm.Level.PROVINCE),))
    ids = [f"U{n:04d}" for n in range(units)]
    rows = [prov] + [dm.Unit(id=u, versions=(dm.UnitVersion(
        id=u, name=f"Đơn vị {u}", level=dm.Level.UPPER_GRASSROOTS, parent_id="P"),))
        for u in ids]
    per = dm.Period(YEAR)
    draw = {"a": lambda: rnd.randint(50, 400), "b": lambda: rnd.randint(10, 80),
            "c": lambda: rnd.randint(30, 100), "d": lambda: round(rnd.random(), 2),
            "e": lambda: rnd.randint(0, 4), "f": lambda: rnd.randint(20, 150),
            "g": lambda: rnd.randint(0, 25), "h": lambda: rnd.randint(0, 80),
            "i": lambda: rnd.randint(0, 1), "j": lambda: rnd.randint(0, 100),
            "k": lambda: rnd.randint(0, 6), "m": lambda: rnd.randint(0, 1),
            "late": lambda: rnd.randint(0, 3)}
    inds = [dm.Indicator(unit_id=u, period=per, indicator=k, value=Decimal(str(f())))
            for u in ids for k, f in draw.items()]
    tgs = [dm.Target(unit_id=u, period=per, indicator="a", value=Decimal(rnd.randint(100, 300)))
           for u in ids]
    clusters = [dm.Cluster(id=f"cum-{n // cluster_size + 1}", name=f"Cụm {n // cluster_size + 1}",
                           year=YEAR, members=tuple(ids[n:n + cluster_size]))
                for n in range(0, units, cluster_size)]
    ds = dm.Dataset.build(dm.DatasetMeta(name="bench", root="P", year=YEAR), rows,
                          indicators=inds, targets=tgs, clusters=clusters)
    cs = dm.parse_criteria({"id": "bench", "title": "Benchmark set", "year": YEAR,
                            "source": "benchmarks/sensitivity.py", "bonus_cap": 40,
                            "criterion": CRITERIA,
                            "penalty": [{"id": "p.late", "points_each": 2, "indicator": "late",
                                         "max": 10}],
                            "award": [{"rank": 1, "title": "Cờ thi đua"},
                                      {"rank": 2, "title": "Bằng khen"}]})
    return ds, cs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--cluster-size", type=int, default=10)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--value-spread", type=float, default=0.1)
    p.add_argument("--dirichlet", type=float)
    args = p.parse_args(argv)
    ds, cs = build(args.units, args.cluster_size, seed=1)
    engine = dm.Engine(load_entry_points=False)
    w0, c0 = time.perf_counter(), time.process_time()
    engine.score(ds, YEAR, criteria=cs)
    w1, c1 = time.perf_counter(), time.process_time()
    result = engine.sensitivity(ds, YEAR, criteria=cs, draws=args.draws, seed=1,
                                value_spread=args.value_spread, dirichlet=args.dirichlet)
    w2, c2 = time.perf_counter(), time.process_time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"units {args.units}, clusters of {args.cluster_size}, draws {args.draws}, "
          f"value spread {args.value_spread}, "
          + (f"Dirichlet K={args.dirichlet}" if args.dirichlet else "weights ±10%"))
    print(f"one score (engine):          wall {w1 - w0:6.2f} s   CPU {c1 - c0:6.2f} s")
    print(f"sensitivity (score + draws): wall {w2 - w1:6.2f} s   CPU {c2 - c1:6.2f} s   "
          f"{'✓' if w2 - w1 < 5 else '✗'} < 5 s")
    print(f"peak RSS: {rss:.0f} MB; units with a rank interval wider than one place: "
          f"{sum(1 for u in result.units if u.high > u.low)}")
    return 0 if w2 - w1 < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
