"""The loader's fast paths (plain lines split into columns, chunks taken column by column) give
what the careful row-by-row path gives: the same tables, the same problems at the same lines."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.dataset import _bigfiles
from doanmodel.dataset._csvio import Problems, _open_table, _Table
from doanmodel.dataset._fastcsv import column_chunks, numbered, plain_columns

HEADER = ("id,branch_id,birth_date,joined_on,left_on,left_reason,party_introduced_on,"
          "party_admitted_on")
WIDTH = 8


# ---------------------------------------------------------------------------- the CSV reader
def _csv_rows(t: _Table, problems: Problems, size: int) -> list[Any]:
    """What the csv module's chunks give: (plain, [(line, cells)…]) per chunk."""
    return [(plain, [(line, tuple(row)) for line, row in
                     (t.numbered(chunk) if plain else chunk)])
            for plain, chunk in t.chunks(problems, size)]


def _split_rows(t: _Table, problems: Problems, size: int) -> list[Any]:
    """What column_chunks gives, in the same form."""
    return [(plain, [(line, tuple(row)) for line, row in numbered(t, plain, chunk)])
            for plain, chunk in column_chunks(t, problems, size)]


def _read(data: bytes, size: int, how: Any) -> tuple[list[Any], list[Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "members.csv").write_bytes(data)
        problems = Problems()
        t = _open_table(Path(tmp), "members.csv", problems)
        rows = []
        if t is not None:
            with t.handle:
                rows = how(t, problems, size)
        return rows, problems.items


_CELLS = st.sampled_from(["", "a", "HN-1", "2024-01-02", " x ", "é", "e\u0301", '"q"',
                          '"a,b"', '"l1\nl2"', '"l1\r\nl2"', 'x"y', '""', "\r", "\0", "a\tb",
                          " ", "\u2028", "\x85"])
_ENDS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", ""])


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """A members.csv whose rows are mostly plain, with odd lines, cells and bytes here and
    there."""
    lines = []
    for _ in range(draw(st.integers(0, 14))):
        width = draw(st.sampled_from([WIDTH] * 6 + [0, 1, 7, 9]))
        cells = [draw(st.sampled_from(["a", "", "2024-01-02"])) for _ in range(width)]
        if cells and draw(st.booleans()):
            cells[draw(st.integers(0, len(cells) - 1))] = draw(_CELLS)
        lines.append(",".join(cells) + draw(_ENDS))
    text = HEADER + "\n" + "".join(lines)
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:  # a byte that is not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff" + data[at:]
    return data


@given(csv_bytes(), st.integers(1, 5))
@example(f"{HEADER}\n{'a,' * 7}a\n\n{'a,' * 7}a\n".encode(), 1)
@example(f"{HEADER}\n{'a,' * 7}a\r\n{'a,' * 7}a".encode(), 2)
@example(f'{HEADER}\n{"a," * 7}"x\ny"\n{"a," * 7}a\n{"a," * 7}a\n'.encode(), 2)
@example(f"{HEADER}\n{'a,' * 6}a\n{'a,' * 8}a\n".encode(), 4)
@example(f"{HEADER}\n{'a,' * 7}a\n".encode() + b"\xff\n", 1)
def test_split_lines_are_the_csv_modules_rows(data: bytes, size: int) -> None:
    assert _read(data, size, _split_rows) == _read(data, size, _csv_rows)


@given(st.lists(st.lists(_CELLS, min_size=WIDTH, max_size=WIDTH), min_size=1, max_size=5))
def test_plain_columns_are_what_csv_reads(rows: list[list[str]]) -> None:
    lines = [",".join(r) + "\n" for r in rows]
    columns = plain_columns(lines, WIDTH, 1 << 24)
    parsed = list(csv.reader(io.StringIO("".join(lines), newline="")))
    if columns is not None:  # taken as plain only when the csv module reads it so
        assert [list(r) for r in zip(*columns)] == parsed
    if all(len(r) == WIDTH for r in parsed) and not any(
            c in "".join(lines) for c in '"\r\0'):
        assert columns is not None


def test_field_size_limit_is_left_to_the_csv_module() -> None:
    lines = [",".join(["a" * 10] * WIDTH) + "\n"]
    assert plain_columns(lines, WIDTH, 50) is None
    assert plain_columns(lines, WIDTH, 1000) is not None
    assert plain_columns(["\n"], 1, 1000) is None  # a blank line is no row of one empty cell


# ---------------------------------------------------------------------------- the loader
def _careful(t: _Table, problems: Problems, size: int) -> Iterator[tuple[bool, Any]]:
    """Every row through the careful parser: the csv module's chunks, none taken as plain."""
    for plain, chunk in t.chunks(problems, size):
        yield False, (t.numbered(chunk) if plain else chunk)


def _outcome(path: Path) -> Any:
    """What loading *path* gives, in a comparable form."""
    try:
        ds = dm.load_dataset(path)
    except dm.DatasetError as exc:
        return "error", [(p.file, p.line, p.column, p.message.vi, p.message.en)
                         for p in exc.problems]
    m, g = ds.members, ds.meetings
    return "ok", (m.ids, m.branch.tolist(), m.birth.tolist(), m.joined.tolist(),
                  m.left.tolist(), m.introduced.tolist(), m.admitted.tolist(), m.left_reason,
                  m.extra), (g.ids, g.unit.tolist(), g.date.tolist(), g.kind.tolist(), g.chair,
                             g.attendees, g.cluster, g.extra)


_DATES = st.sampled_from(["2019-05-01", " 2019-05-01 ", "1/5/2019", "01/05/2019", "2019-02-30",
                          "2019-5-1", "", "  ", "x", "20190501", "2019-05-01\t", "2030-01-01",
                          "1990-01-01", "2024-06-15", "2023-02-28", "٠١/٠٥/٢٠١٩"])
_TEXTS = st.sampled_from(["", " ", "chuyển", "chuye\u0302\u0309n", " nghỉ ", "a, b", 'a "b"',
                          "dòng\nhai"])
_IDS = st.sampled_from(["", " ", "NEW-1", " NEW-2 ", "Đ-1", "e\u0301", "TV-X001-C01-000",
                        "SH00000001", "TV-X001-C01", "TV", "NOPE", "CB000001", "CB999999"])
_MEMBER_CELLS = {"id": _IDS, "branch_id": _IDS, "birth_date": _DATES, "joined_on": _DATES,
                 "left_on": _DATES, "left_reason": _TEXTS, "party_introduced_on": _DATES,
                 "party_admitted_on": _DATES, "x_note": _TEXTS}
_MEETING_CELLS = {"id": _IDS, "unit_id": _IDS, "date": _DATES,
                  "kind": st.sampled_from(["branch_meeting", " branch_meeting", "nope", ""]),
                  "chair_id": _IDS, "cluster_id": _IDS, "x_note": _TEXTS,
                  "attendees": st.sampled_from(["", "CB000001;CB000002", " CB000001 ; ", ";",
                                                "CB999999", "CB000001;Đ"])}


_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _same(value: str, how: str, column: str) -> str:
    """*value* written another way that means the same (or emptied, where that is allowed)."""
    if how == "empty":
        return ""
    if how == "spaces":
        return f" {value} "
    if how == "fill":  # a known cadre, cluster or reason where there was none
        return {"chair_id": " CB000001", "attendees": "CB000001; CB000002 ",
                "cluster_id": "TV-cum-1", "left_reason": "khác"}.get(column, value)
    if how == "nfd":
        text = column in ("left_reason", "x_note")
        return unicodedata.normalize("NFD", value) or ("chuye\u0302\u0309n" if text else "")
    if len(value) == 10 and value[4] == "-":  # a date
        y, m, d = value.split("-")
        return {"dmy": f"{int(d)}/{int(m)}/{y}", "ddmmyyyy": f"{d}/{m}/{y}",
                "digits": f"{d}/{m}/{y}".translate(_DIGITS)}.get(how, value)
    return value


_OPTIONAL = {"birth_date", "left_on", "left_reason", "party_introduced_on", "chair_id",
             "attendees", "cluster_id", "x_note"}
_HOW = st.sampled_from(["empty", "spaces", "nfd", "dmy", "ddmmyyyy", "digits", "fill"])


def _case(members: list[Any], meetings: list[Any], units: Any = None,
          benign: bool = False) -> dict[str, Any]:
    """An explicit change, for @example."""
    return {"members.csv": {"benign": benign, "extra": False, "cells": members, "blank": None,
                            "end": "\n"},
            "meetings.csv": {"benign": benign, "extra": False, "cells": meetings,
                             "blank": None, "end": "\n"},
            "units.csv": units}


@st.composite
def edits(draw: st.DrawFn) -> dict[str, Any]:
    """
    Some cells of members.csv and meetings.csv changed, maybe an x_ column, a blank line, a
    branch that starts late or ends early. *benign* changes keep the dataset loadable (the
    same values written otherwise) so that the tables themselves are compared.
    """
    benign = draw(st.booleans())
    out: dict[str, Any] = {}
    for name, cells in (("members.csv", _MEMBER_CELLS), ("meetings.csv", _MEETING_CELLS)):
        cols = sorted(cells)
        if benign:
            values = st.tuples(st.integers(0, 300), st.sampled_from(cols), _HOW).filter(
                lambda e: e[2] != "empty" or e[1] in _OPTIONAL)
        else:
            values = st.tuples(st.integers(0, 300), st.sampled_from(cols)).flatmap(
                lambda rc, c=cells: st.tuples(st.just(rc[0]), st.just(rc[1]), c[rc[1]]))
        out[name] = {
            "benign": benign,
            "extra": draw(st.booleans()),
            "cells": draw(st.lists(values, max_size=8)),
            "blank": draw(st.none() | st.integers(0, 300)),
            "end": draw(st.sampled_from(["\n", "\r\n"])),
        }
    out["units.csv"] = None if benign else draw(st.sampled_from(
        [None, (5, "2024-03-01"), (6, "2024-06-30"), (6, "2024-01-01")]))
    return out


def _apply(path: Path, name: str, change: Any) -> None:
    if change is None:
        return
    with (path / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    if name == "units.csv":  # the first branch starts late or ends early
        row = next(r for r in body if r[0] == "TV-X001-C01")
        row[change[0]] = change[1]
        change = {"extra": False, "cells": [], "blank": None, "end": "\n"}
    if change["extra"]:
        header.append("x_note")
        for row in body:
            row.append("x" if change.get("benign") else "")
    for r, col, value in change["cells"]:
        if col in header and body:
            row = body[r % len(body)]
            i = header.index(col)
            row[i] = _same(row[i], value, col) if change.get("benign") else value
    out = io.StringIO()
    csv.writer(out, lineterminator=change["end"]).writerows([header, *body])
    text = out.getvalue()
    if change["blank"] is not None:
        lines = text.splitlines(keepends=True)
        lines.insert(1 + change["blank"] % len(lines), change["end"])
        text = "".join(lines)
    (path / name).write_text(text, encoding="utf-8")


@pytest.fixture(name="tiny_source", scope="module")
def _tiny_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fast") / "tiny"
    dm.synth(out, scale="tiny", seed=7, year=2024)
    return out


@given(edits(), st.sampled_from([1, 7, 64, 1024]))
@example(_case([], [], (6, "2024-06-30")), 7)  # meetings after their branch ended
@example(_case([], [], (5, "2024-03-01")), 7)  # … before it started
@example(_case([(3, "left_on", "1990-01-01")], []), 7)
@example(_case([(3, "birth_date", "2030-01-01")], []), 7)
@example(_case([(4, "party_introduced_on", "2024-06-15"),
                (4, "party_admitted_on", "2023-02-28")], []), 7)
@example(_case([(4, "id", "TV-X001-C01-000"), (30, "id", "TV-X001-C01-001")],
               [(5, "id", "SH00000001"), (30, "id", "SH00000002")]), 7)  # duplicates
@example(_case([(4, "branch_id", "TV")], [(2, "chair_id", "CB999999"),
                                         (3, "attendees", "CB000001;Đ"),
                                         (9, "cluster_id", "NOPE")]), 7)
@example(_case([(k, "left_reason", "fill") for k in range(0, 40, 3)],
               [(k, c, "fill") for k in range(0, 40, 4)
                for c in ("chair_id", "attendees", "cluster_id")], benign=True), 7)
def test_fast_paths_load_what_the_careful_path_loads(
        tiny_source: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any],
        chunk: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ds"
        shutil.copytree(tiny_source, path)
        for name, what in change.items():
            _apply(path, name, what)
        with monkeypatch.context() as m:
            m.setattr(_bigfiles, "_CHUNK", chunk)
            fast = _outcome(path)
            m.setattr(_bigfiles, "column_chunks", _careful)
            careful = _outcome(path)
    assert fast == careful
    if all(c is None or c.get("benign") for c in change.values()):
        assert fast[0] == "ok", fast


@pytest.mark.parametrize("ids", [
    ["a", "b", "c"], ["c", "b", "a"], ["a", "b", "a"], [], ["x"],
    [f"{p}-{i:03d}" for p in "QPR" for i in range(50)] + ["P-007"],
    [str(i) for i in range(5000, 0, -1)],  # many runs: a set
    [str(i) for i in range(5000, 0, -1)] + ["17"],
])
def test_distinct(ids: list[str]) -> None:
    assert _bigfiles._distinct(ids) == (len(set(ids)) == len(ids))


# ---------------------------------------------------------------------------- the other files
_ANY = st.sampled_from(["", " ", "x", " TV ", "TV", "TW", "CB000001", "Đ", "e\u0301", "true",
                        "có", "maybe", "1.5", "nan", "1e400", "2024", "2024-H1", "branch",
                        "secretary", "inspection", "maternity", "2022 – 2027", "2027 – 2022",
                        "2024-01-02", "1/2/2024", "2024-02-30", " 2024-01-02 ", "a, b"])
_FILES = ["units.csv", "cadres.csv", "positions.csv", "absences.csv", "visits.csv",
          "indicators.csv", "targets.csv"]


@st.composite
def other_edits(draw: st.DrawFn) -> list[tuple[str, int, int, str]]:
    """Cells of the files read by the generic reader, changed: (file, row, column, value or a
    way to write the same value otherwise)."""
    return draw(st.lists(st.tuples(st.sampled_from(_FILES), st.integers(0, 200),
                                   st.integers(0, 9), _ANY | _HOW), max_size=6))


def _edit_cells(path: Path, edits: list[tuple[str, int, int, str]]) -> None:
    for name in {e[0] for e in edits}:
        with (path / name).open(encoding="utf-8", newline="") as handle:
            header, *body = list(csv.reader(handle))
        for file, r, c, value in edits:
            if file == name and body:
                row = body[r % len(body)]
                col = c % len(header)
                row[col] = _same(row[col], value, header[col]) if value in (
                    "empty", "spaces", "nfd", "dmy", "ddmmyyyy", "digits", "fill") else value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *body])
        (path / name).write_text(out.getvalue(), encoding="utf-8")


def _everything(path: Path) -> Any:
    try:
        ds = dm.load_dataset(path)
    except dm.DatasetError as exc:
        return "error", [(p.file, p.line, p.column, p.message.vi, p.message.en)
                         for p in exc.problems]
    return "ok", (ds.units, ds.cadres, ds.positions, ds.absences, ds.visits, ds.indicators,
                  ds.targets)


@given(other_edits())
@example([("units.csv", 3, 1, "nfd"), ("units.csv", 4, 5, "dmy"), ("cadres.csv", 1, 1, "nfd"),
          ("visits.csv", 2, 3, "spaces"), ("positions.csv", 3, 3, "có")])
@example([("units.csv", 3, 3, ""), ("visits.csv", 2, 3, "2024-02-30")])
def test_column_parsing_gives_what_row_parsing_gives(
        tiny_source: Path, monkeypatch: pytest.MonkeyPatch,
        edits: list[tuple[str, int, int, str]]) -> None:
    from doanmodel.dataset import _fastcsv

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ds"
        shutil.copytree(tiny_source, path)
        _edit_cells(path, edits)
        fast = _everything(path)
        with monkeypatch.context() as m:
            m.setattr(_fastcsv, "_parse_columns", lambda t, cols: None)
            careful = _everything(path)
    assert fast == careful
