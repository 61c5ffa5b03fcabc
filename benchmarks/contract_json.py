"""
What the ``exact`` keys cost the check JSON (issue 20: results read back from their default
JSON). Generates a province-scale dataset, checks it once, then writes the report's contract JSON
(``Report.write_json``, as ``doanmodel check --format json`` streams it) with and without the
findings' ``exact`` keys, best of three, and prints the sizes and CPU times::

    python benchmarks/contract_json.py [--scale province|tiny] [--year 2024]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import doanmodel as dm
from doanmodel._output import report as out


def _best(fn: object, runs: int = 3) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(runs):
        buf = io.StringIO()
        t = time.process_time()
        fn(buf)  # type: ignore[operator]
        best = min(best, time.process_time() - t)
        size = len(buf.getvalue().encode("utf-8"))
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--scale", default="province", choices=["tiny", "province"])
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dm.synth(Path(tmp) / "d", scale=args.scale, year=args.year)
        ds = dm.load_dataset(Path(tmp) / "d")
    report = dm.Engine(load_entry_points=False).check(ds, args.year)
    with_exact = _best(lambda s: report.write_json(s, "vi"))
    keep = out.finding_dict
    out.finding_dict = out._plain  # noqa: SLF001 - the shape without the exact keys
    try:
        without = _best(lambda s: report.write_json(s, "vi"))
    finally:
        out.finding_dict = keep
    print(f"{len(report.findings)} findings")
    for name, (cpu, size) in (("without exact", without), ("with exact", with_exact)):
        print(f"{name:>14}: {size / 1e6:7.2f} MB  {cpu:6.2f} s CPU")
    t = time.process_time()
    back = dm.Report.from_json(report.to_json())
    print(f"{'read back':>14}: {time.process_time() - t:6.2f} s CPU, equal: {back == report}")


if __name__ == "__main__":
    main()
