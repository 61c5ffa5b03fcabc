"""
How many pages the result workbooks print on: each example output is written with the CLI,
converted to PDF by LibreOffice (``soffice --headless --convert-to pdf``) and its pages counted
with ``pdfinfo`` (poppler). Needs LibreOffice and poppler-utils; skips (exit 0, a message)
without them.

    python benchmarks/print_pages.py [--png DIR]    # --png: also render every page at 60 dpi

The 4-cluster example scoreboard should print on at most one page per cluster plus a summary
page for those sheets (docs/excel.md, "Printing").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"
RUNS = {
    "score cum-thi-dua-2023 (4 clusters)": ["score", str(EX / "cum-thi-dua-2023")],
    "score cum-thi-dua-2023 --cluster cum-1": ["score", str(EX / "cum-thi-dua-2023"),
                                               "--cluster", "cum-1"],
    "check tra-vinh-2019": ["check", str(EX / "tra-vinh-2019")],
    "rating xep-loai-2024": ["rating", str(EX / "xep-loai-2024")],
    "census can-bo-2021": ["census", str(EX / "can-bo-2021"), "--as-of", "15/11/2021"],
    "sensitivity cum-thi-dua-2023": ["sensitivity", str(EX / "cum-thi-dua-2023"), "--draws",
                                     "200"],
    "programme kiem-tra-2023": ["programme", str(EX / "kiem-tra-2023"), "--as-of",
                                "31/12/2024"],
}


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    m = re.search(r"^Pages:\s+(\d+)", out.stdout, re.MULTILINE)
    return int(m.group(1)) if m else 0


def _sheet_pages(xlsx: Path, tmp: Path) -> dict[str, int]:
    """Pages per sheet: each sheet alone in a copy of the workbook, rendered."""
    import openpyxl  # noqa: PLC0415

    names = openpyxl.load_workbook(xlsx).sheetnames
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        wb = openpyxl.load_workbook(xlsx)
        for other in names:
            if other != name:
                wb.remove(wb[other])
        one = tmp / f"sheet{i}.xlsx"
        wb.save(one)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp),
                        str(one)], capture_output=True, check=True)
        out[name] = _pages(one.with_suffix(".pdf"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--png", type=Path, help="render every page as PNG into this folder")
    parser.add_argument("--per-sheet", action="store_true", help="also count pages per sheet")
    args = parser.parse_args()
    if not (shutil.which("soffice") and shutil.which("pdfinfo")):
        print("skipped: needs LibreOffice (soffice) and poppler-utils (pdfinfo)")
        return 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for k, (label, argv) in enumerate(RUNS.items()):
            xlsx = tmp / f"out{k}.xlsx"
            subprocess.run([sys.executable, "-m", "doanmodel", *argv, "--xlsx", str(xlsx),
                            "--quiet"], env=env, capture_output=True, check=False)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                            str(tmp), str(xlsx)], capture_output=True, check=True)
            pdf = xlsx.with_suffix(".pdf")
            print(f"{label}: {_pages(pdf)} pages")
            if args.per_sheet:
                (tmp / f"s{k}").mkdir()
                for name, n in _sheet_pages(xlsx, tmp / f"s{k}").items():
                    print(f"    {name}: {n}")
            if args.png:
                args.png.mkdir(parents=True, exist_ok=True)
                subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf),
                                str(args.png / f"out{k}")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
