"""
Reading a 100k-row sheet: python-calamine against openpyxl read-only mode.

Writes ``benchmarks/out/members-100k.xlsx`` once (a members sheet: ids, branch ids, real dates
and text dates), then reads every cell of it with each library in a fresh process, the way the
dataset loader does (each cell turned into text), and reports wall time, CPU seconds and peak RSS.

    python benchmarks/excel_read.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def make(path: Path, rows: int) -> None:
    """A members sheet of *rows* rows, as an office produces it (dates as real dates)."""
    from openpyxl import Workbook  # noqa: PLC0415

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("members")
    ws.append(["id", "branch_id", "birth_date", "joined_on", "left_on", "left_reason"])
    base = dt.date(1995, 1, 1)
    for i in range(rows):
        ws.append([f"M{i:07d}", f"CD{i % 1500:04d}", base + dt.timedelta(days=i % 4000),
                   base + dt.timedelta(days=5000 + i % 3000),
                   None if i % 7 else f"{(i % 28) + 1:02d}/06/2024",
                   None if i % 7 else "age"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_calamine(path: Path) -> int:
    """Every cell as text through python-calamine."""
    from python_calamine import CalamineWorkbook  # noqa: PLC0415

    wb = CalamineWorkbook.from_path(str(path))
    sheet = wb.get_sheet_by_name("members")
    n = 0
    for row in sheet.iter_rows():
        n += len([_text(c) if c != "" else "" for c in row])
    return n


def read_openpyxl(path: Path) -> int:
    """Every cell as text through openpyxl in read-only mode."""
    from openpyxl import load_workbook  # noqa: PLC0415

    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb["members"]
    n = 0
    for row in ws.iter_rows(values_only=True):
        n += len([_text(c) for c in row])
    wb.close()
    return n


def _child(lib: str, path: Path) -> None:
    start = time.perf_counter()
    cpu0 = time.process_time()
    cells = {"calamine": read_calamine, "openpyxl": read_openpyxl}[lib](path)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"lib": lib, "wall": wall, "cpu": cpu, "rss_mb": rss, "cells": cells}))


def main() -> None:
    """Run both readers in fresh processes and print the best of *repeat* runs."""
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--child", choices=["calamine", "openpyxl"])
    p.add_argument("--path")
    a = p.parse_args()
    if a.child:
        _child(a.child, Path(a.path))
        return
    path = OUT / f"members-{a.rows // 1000}k.xlsx"
    if not path.exists():
        make(path, a.rows)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, {a.rows} rows")
    for lib in ("calamine", "openpyxl"):
        runs = [json.loads(subprocess.run(
            [sys.executable, __file__, "--child", lib, "--path", str(path)],
            check=True, capture_output=True, text=True).stdout) for _ in range(a.repeat)]
        best = min(runs, key=lambda r: r["wall"])
        print(f"{lib:9s} wall {best['wall']:.2f} s  cpu {best['cpu']:.2f} s  "
              f"peak RSS {best['rss_mb']:.0f} MB  ({best['cells']} cells)")


if __name__ == "__main__":
    main()
