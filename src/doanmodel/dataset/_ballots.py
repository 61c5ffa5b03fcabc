"""
``ballots.csv``: the emulation council's secret ballots on awards, read with every problem named
by file, line and column (docs/scoring.md, "Council ballots").

Columns: ``cluster_id, year, unit_id, award, votes_for, voters`` (required), ``on, note``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..model._ballot import Ballot
from ..model._dates import parse_date
from ..model._i18n import nfc
from ._csvio import Problems
from ._guards import regular_file_problem

__all__ = ["BALLOT_COLUMNS", "load_ballots"]

BALLOT_COLUMNS = ("cluster_id", "year", "unit_id", "award", "votes_for", "voters", "on", "note")
_REQUIRED = BALLOT_COLUMNS[:6]
NAME = "ballots.csv"


def load_ballots(path: str | Path) -> tuple[Ballot, ...] | None:
    """The ballots of the dataset folder at *path*; ``None`` when it has no ``ballots.csv``.

    Raises:
        DatasetError: every problem of the file, by line and column.
    """
    root = Path(path)
    if not root.is_dir() or not (root / NAME).exists():
        return None
    problems = Problems()
    why = regular_file_problem(root, NAME)
    if why is not None:
        problems.add(NAME, 0, "-", *why)
        problems.raise_if_any()
    out: list[Ballot] = []
    seen: set[tuple[str, int, str, str]] = set()
    with open(root / NAME, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [nfc(h.strip()) for h in next(reader, [])]
        for col in header:
            if col not in BALLOT_COLUMNS and not col.startswith("x_"):
                problems.add(NAME, 1, col, "cột không được biết; các cột: "
                             + ", ".join(BALLOT_COLUMNS),
                             "unknown column; columns: " + ", ".join(BALLOT_COLUMNS))
        for col in _REQUIRED:
            if col not in header:
                problems.add(NAME, 1, col, "thiếu cột bắt buộc", "required column is missing")
        if problems:
            problems.raise_if_any()
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            cells = dict(zip(header, (nfc(c.strip()) for c in row)))
            ballot = _row(cells, line, problems)
            if ballot is None:
                continue
            key = (ballot.cluster_id, ballot.year, ballot.unit_id, ballot.award)
            if key in seen:
                problems.add(NAME, line, "award", "phiếu bầu bị lặp (cụm, năm, đơn vị, danh hiệu)",
                             "duplicate ballot (cluster, year, unit, award)")
                continue
            seen.add(key)
            out.append(ballot)
    problems.raise_if_any()
    return tuple(out)


def _count(cells: dict[str, str], col: str, line: int, problems: Problems) -> int | None:
    raw = cells.get(col, "")
    if not raw:
        problems.add(NAME, line, col, "thiếu giá trị bắt buộc", "a required value is missing")
        return None
    if not raw.isdigit():
        problems.add(NAME, line, col, f"phải là số nguyên ≥ 0, không phải {raw!r}",
                     f"must be a whole number ≥ 0, not {raw!r}")
        return None
    return int(raw)


def _row(cells: dict[str, str], line: int, problems: Problems) -> Ballot | None:
    ok = True
    for col in ("cluster_id", "unit_id", "award"):
        if not cells.get(col):
            problems.add(NAME, line, col, "thiếu giá trị bắt buộc", "a required value is missing")
            ok = False
    year, votes, voters = (_count(cells, c, line, problems) for c in ("year", "votes_for",
                                                                        "voters"))
    on = None
    if cells.get("on"):
        try:
            on = parse_date(cells["on"])
        except ValueError:
            problems.add(NAME, line, "on", f"ngày không hợp lệ {cells['on']!r}",
                         f"invalid date {cells['on']!r}")
            ok = False
    if votes is not None and voters is not None and votes > voters:
        problems.add(NAME, line, "votes_for", f"số phiếu đồng ý {votes} lớn hơn số người bỏ "
                     f"phiếu {voters}", f"{votes} votes for, more than the {voters} voters")
        ok = False
    if not ok or year is None or votes is None or voters is None:
        return None
    return Ballot(cluster_id=cells["cluster_id"], year=year, unit_id=cells["unit_id"],
                  award=cells["award"], votes_for=votes, voters=voters, on=on,
                  note=cells.get("note") or None, line=line)
