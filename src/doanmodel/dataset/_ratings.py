"""
``ratings.csv``: the stages of the annual quality rating, read with every problem named by file,
line and column (see :mod:`doanmodel.model._rating`).

Columns: ``subject_type, subject_id, year, stage, level, by, on, note`` (``by``, ``on`` and
``note`` optional). ``stage`` and ``level`` take the English values or the Vietnamese labels
(``tự đánh giá``, ``hoàn thành xuất sắc nhiệm vụ`` …). A whole-dataset workbook's ``ratings``
sheet is read the same way (:func:`read_ratings_sheet`; its title row is skipped).
"""

from __future__ import annotations

import csv
import datetime as _dt
from pathlib import Path

from ..model._i18n import Text
from ..model._rating import SUBJECT_TYPES, RatingEntry, parse_level, parse_stage
from ._csvio import Problems
from ._guards import regular_file_problem

__all__ = ["RATING_COLUMNS", "RATING_LABELS", "RATING_SHEETS", "load_ratings", "read_ratings",
           "read_ratings_sheet"]

RATING_COLUMNS = ("subject_type", "subject_id", "year", "stage", "level", "by", "on", "note")
_REQUIRED = ("subject_type", "subject_id", "year", "stage", "level")
NAME = "ratings.csv"
#: the ratings sheet's column titles (the template's and the export's second row)
RATING_LABELS = {
    "subject_type": Text("Loại đối tượng", "Subject type"),
    "subject_id": Text("Mã đối tượng", "Subject id"), "year": Text("Năm", "Year"),
    "stage": Text("Bước đánh giá", "Stage"), "level": Text("Mức xếp loại", "Level"),
    "by": Text("Người/tập thể đánh giá (mã)", "By (id)"), "on": Text("Ngày", "On"),
    "note": Text("Ghi chú", "Note"),
}
#: the names a workbook's ratings sheet may have (the code, or the template's titles)
RATING_SHEETS = ("ratings", "Xếp loại", "Xếp loại chất lượng", "Ratings")


def read_ratings_sheet(book: Path, problems: Problems) -> tuple[RatingEntry, ...] | None:
    """The rows of a whole-dataset workbook's ``ratings`` sheet (``None``: it has none), read
    exactly as ``ratings.csv``; problems name the sheet and its row."""
    from ._workbook import _sheet_names, sheet_rows  # noqa: PLC0415

    sheets = _sheet_names(book, problems, book.name)
    if sheets is None:
        return ()
    wanted = {n.casefold() for n in RATING_SHEETS}
    sheet = next((name for name, _ in sheets if name.strip().casefold() in wanted), None)
    if sheet is None:
        return None
    problems.names[NAME] = f"{book.name}[{sheet}]"
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415

        wb = CalamineWorkbook.from_path(str(book))
        grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        wb.close()
    except Exception as exc:  # noqa: BLE001 - any broken workbook is bad input
        problems.add(NAME, 0, "-", f"không đọc được sổ Excel: {exc}",
                     f"unreadable workbook: {exc}")
        return ()
    found = sheet_rows(grid, set(RATING_COLUMNS))
    body, first = list(found.rows), found.first_row
    if body and _titles(found.header, body[0]):  # the row of titles under the header
        body, first = body[1:], first + 1
    return _rows([list(found.header), *body], problems, header_line=found.header_row,
                 first_line=first)


def _titles(header: list[str], row: list[str]) -> bool:
    """Whether *row* is the ratings sheet's row of column titles (in either language)."""
    cells = [(h.strip(), c.strip().casefold()) for h, c in zip(header, row) if c.strip()]
    hits = sum(1 for h, c in cells if h in RATING_LABELS and c in
               (RATING_LABELS[h].vi.casefold(), RATING_LABELS[h].en.casefold()))
    return bool(cells) and hits * 2 >= len(cells)


def load_ratings(path: str | Path) -> tuple[RatingEntry, ...]:
    """The rating stages of the dataset at *path* (a folder's ``ratings.csv``; none for a
    workbook or a folder without it).

    Raises:
        DatasetError: every problem of the file, by line and column.
    """
    root = Path(path)
    problems = Problems()
    if root.is_file() and root.suffix.lower() == ".xlsx":
        rows = read_ratings_sheet(root, problems)
    elif not root.is_dir():
        return ()
    else:
        rows = read_ratings(root, problems)
    problems.raise_if_any()
    return rows or ()


def read_ratings(root: Path, problems: Problems) -> tuple[RatingEntry, ...] | None:
    """The rows of ``root/ratings.csv``; ``None`` when the file is absent. Problems go to
    *problems* (the caller raises them all at once)."""
    path = root / NAME
    if not path.exists() and not path.is_symlink():
        return None
    why = regular_file_problem(root, NAME)
    if why is not None:
        problems.add(NAME, 0, "-", *why)
        return ()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _rows(list(csv.reader(fh)), problems)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.add(NAME, 0, "-", f"không đọc được tệp: {exc}", f"cannot read the file: {exc}")
        return ()


def _rows(rows: list[list[str]], problems: Problems, *, header_line: int = 1,
          first_line: int = 2) -> tuple[RatingEntry, ...]:
    if not rows or not any(h.strip() for h in rows[0]):
        problems.add(NAME, header_line, "-", "tệp trống, thiếu dòng tiêu đề",
                     "empty file, no header")
        return ()
    header = [h.strip() for h in rows[0]]
    missing = [c for c in _REQUIRED if c not in header]
    for c in missing:
        problems.add(NAME, header_line, c, f"thiếu cột {c!r}", f"missing column {c!r}")
    unknown = [h for h in header if h not in RATING_COLUMNS and not h.startswith("x_")]
    for h in unknown:
        problems.add(NAME, header_line, h, f"cột lạ {h!r}; các cột: {', '.join(RATING_COLUMNS)}",
                     f"unknown column {h!r}; columns: {', '.join(RATING_COLUMNS)}")
    if missing or unknown:
        return ()
    at = {h: i for i, h in enumerate(header)}
    out: list[RatingEntry] = []
    seen: dict[tuple[str, str, int, str], int] = {}
    for line, row in enumerate(rows[1:], start=first_line):
        if not any(cell.strip() for cell in row):
            continue
        entry = _entry(line, row, at, problems)
        if entry is None:
            continue
        key = (entry.subject_type, entry.subject_id, entry.year, entry.stage.value)
        if key in seen:
            problems.add(NAME, line, "stage",
                         f"giai đoạn {entry.stage.value} của {entry.subject_id} năm {entry.year} "
                         f"đã có ở dòng {seen[key]}",
                         f"stage {entry.stage.value} of {entry.subject_id} in {entry.year} "
                         f"already on line {seen[key]}")
            continue
        seen[key] = line
        out.append(entry)
    return tuple(out)


def _entry(line: int, row: list[str], at: dict[str, int],
           problems: Problems) -> RatingEntry | None:
    def cell(col: str) -> str:
        i = at.get(col)
        return row[i].strip() if i is not None and i < len(row) else ""

    before = len(problems.items)
    for col in _REQUIRED:
        if not cell(col):
            problems.add(NAME, line, col, "ô bắt buộc bị trống", "required cell is empty")
    kind = cell("subject_type")
    if kind and kind not in SUBJECT_TYPES:
        problems.add(NAME, line, "subject_type",
                     f"giá trị không hợp lệ {kind!r}; chỉ nhận: {', '.join(SUBJECT_TYPES)}",
                     f"invalid value {kind!r}; allowed: {', '.join(SUBJECT_TYPES)}")
    year = None
    if cell("year"):
        try:
            year = int(cell("year"))
        except ValueError:
            problems.add(NAME, line, "year", f"không phải năm: {cell('year')!r}",
                         f"not a year: {cell('year')!r}")
    stage = parse_stage(cell("stage")) if cell("stage") else None
    if cell("stage") and stage is None:
        problems.add(NAME, line, "stage",
                     f"giá trị không hợp lệ {cell('stage')!r}; chỉ nhận: self, collective, "
                     "appraisal, decision (hoặc tự đánh giá, tập thể nhận xét, thẩm định, "
                     "quyết định)",
                     f"invalid value {cell('stage')!r}; allowed: self, collective, appraisal, "
                     "decision (or their Vietnamese labels)")
    level = parse_level(cell("level")) if cell("level") else None
    if cell("level") and level is None:
        problems.add(NAME, line, "level",
                     f"giá trị không hợp lệ {cell('level')!r}; chỉ nhận: excellent, good, "
                     "complete, incomplete (hoặc hoàn thành xuất sắc nhiệm vụ, hoàn thành tốt "
                     "nhiệm vụ, hoàn thành nhiệm vụ, không hoàn thành nhiệm vụ)",
                     f"invalid value {cell('level')!r}; allowed: excellent, good, complete, "
                     "incomplete (or their Vietnamese labels)")
    on = None
    if cell("on"):
        try:
            on = _dt.date.fromisoformat(cell("on"))
        except ValueError:
            problems.add(NAME, line, "on", f"ngày không hợp lệ {cell('on')!r} (YYYY-MM-DD)",
                         f"invalid date {cell('on')!r} (YYYY-MM-DD)")
    if len(problems.items) > before or year is None or stage is None or level is None:
        return None
    return RatingEntry(subject_type=kind, subject_id=cell("subject_id"), year=year, stage=stage,
                       level=level, by=cell("by") or None, on=on, note=cell("note") or None)
