"""
Reading a dataset from Excel workbooks, through the same strict loader as the CSV files.

A sheet is turned into the row stream the CSV reader yields (rows of text cells with their row
numbers), so every check of the loader applies unchanged; problems name the workbook, the sheet,
the row and the column header: ``units.xlsx[units]:5: valid_from: …``.

Reading uses python-calamine (ten times faster than openpyxl read-only mode on a 100k-row
sheet; see docs/decisions.md). Both are in the optional ``excel`` extra.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..model._i18n import Text, fold, nfc
from ._csvio import FILES, Problems

__all__ = ["INSTALL", "SHEETS", "TOML_SHEETS", "cell_text", "discover"]

INSTALL = "pip install 'doanmodel[excel]'"

#: table sheet name → the loader's file name
SHEETS: dict[str, str] = {name[:-4]: name for name in FILES if name.endswith(".csv")}
#: the sheets that stand for the TOML files
TOML_SHEETS: dict[str, str] = {"dataset": "dataset.toml", "clusters": "clusters.toml",
                               "criteria": "criteria.toml", "programmes": "programmes.toml"}
_ALL = {**SHEETS, **TOML_SHEETS}
#: the Vietnamese titles a sheet may carry instead of its code (folded), as people rename them
SHEET_LABELS: dict[str, tuple[str, ...]] = {
    "units": ("Đơn vị", "Tổ chức Đoàn"), "cadres": ("Cán bộ", "Cán bộ Đoàn"),
    "positions": ("Chức vụ",), "absences": ("Vắng mặt", "Vắng mặt được miễn"),
    "visits": ("Đi cơ sở", "Đi công tác cơ sở"), "meetings": ("Cuộc họp", "Sinh hoạt"),
    "members": ("Đoàn viên",), "indicators": ("Số liệu", "Chỉ số", "Số liệu báo cáo"),
    "targets": ("Chỉ tiêu",), "clusters": ("Cụm thi đua",), "criteria": ("Bộ tiêu chí",),
    "programmes": ("Chương trình công tác", "Kế hoạch kiểm tra"),
    "dataset": ("Bộ dữ liệu", "Thông tin chung"),
}
_BY_LABEL: dict[str, str] = {fold(label): code for code, labels in SHEET_LABELS.items()
                             for label in labels}
#: the columns of the clusters sheet (clusters.toml as a table)
CLUSTER_COLUMNS = ("id", "name", "year", "members", "lead", "source")


_NEED_VI = f"cần gói tuỳ chọn để đọc tệp Excel: {INSTALL}"
_NEED_EN = f"reading Excel files needs the optional package: {INSTALL}"


# ---------------------------------------------------------------------------- cells
def cell_text(value: Any) -> str:
    """
    A cell as the text a CSV file would hold: real dates as ISO dates, a whole number stored
    as a float (an id typed as a number) without ``.0``, booleans as ``true``/``false``.
    """
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _column_letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


# ---------------------------------------------------------------------------- labels
@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, frozenset[str]]:
    """Column → its labels in both languages, folded (no case, no accents)."""
    from ._xlsxlabels import COLUMN_LABELS  # noqa: PLC0415

    return {col: frozenset({fold(t.vi), fold(t.en)}) for col, t in COLUMN_LABELS.items()}


def _is_label_row(header: Sequence[str], row: Sequence[str]) -> bool:
    """A second header row of human labels (``Mã``, ``Tên``, ``Cấp`` … under ``id``, ``name``,
    ``level``), not data: at least half of its filled cells, and at least two (or the only
    column's), are their column's label in either language or the column's own name."""
    labels = _labels()
    cells = [(h, fold(c.strip())) for h, c in zip(header, row, strict=False) if c.strip()]
    if not cells or len(cells) < min(2, len(header)):
        return False
    # a label, or a column's own name repeated (x_… columns have no label)
    hits = sum(1 for h, c in cells if c in labels.get(h, ()) or c == fold(h))
    return hits * 2 >= len(cells) and hits >= min(2, len(header))


# ---------------------------------------------------------------------------- a sheet
@attrs.define
class SheetRows:
    """
    A sheet as the CSV reader's row stream: the header, then every data row (a blank row as
    ``[]``); ``line_num`` is the sheet row of the last row given, as ``csv.reader`` counts lines.
    """

    header: list[str]
    header_row: int
    rows: list[list[str]]
    first_row: int
    line_num: int = 0
    _it: Iterator[list[str]] | None = None

    def __iter__(self) -> SheetRows:
        return self

    def __next__(self) -> list[str]:
        if self._it is None:
            self._it = self._gen()
        return next(self._it)

    def _gen(self) -> Iterator[list[str]]:
        if not self.header:  # an empty sheet, as an empty CSV file
            return
        self.line_num = self.first_row - 1
        yield self.header
        for k, row in enumerate(self.rows):
            self.line_num = self.first_row + k
            yield row

    def __enter__(self) -> SheetRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the rows (as closing a CSV file would)."""
        self.rows = []


def _find_header(grid: list[list[str]], known: set[str]) -> int:
    """The first row holding a known column name (title rows above it are skipped)."""
    for i, row in enumerate(grid):
        if any(c.strip() in known for c in row):
            return i
    return next((i for i, row in enumerate(grid) if any(c.strip() for c in row)), 0)


def _kept_columns(header: list[str], body: list[list[str]]) -> list[int]:
    """Columns to read: not an empty header over an empty column (trailing columns, the
    columns under a merged header cell)."""
    return [j for j, name in enumerate(header)
            if name or any(j < len(r) and r[j].strip() for r in body)]


def _pick(row: list[str], keep: list[int]) -> list[str]:
    return [row[j] if j < len(row) else "" for j in keep]


def sheet_rows(grid: list[list[Any]], known: set[str]) -> SheetRows:
    """Shape a sheet's cells (from A1) into the CSV row stream (see :class:`SheetRows`)."""
    text = [[cell_text(c) for c in row] for row in grid]
    while text and not any(c.strip() for c in text[-1]):
        text.pop()
    h = _find_header(text, known)
    header = [nfc(c.strip()) for c in text[h]] if text else []
    body = text[h + 1:]
    keep = _kept_columns(header, body)
    header = [header[j] or f"({_column_letter(j)})" for j in keep]
    first = h + 2
    if body and _is_label_row(header, _pick(body[0], keep)):
        body = body[1:]
        first += 1
    rows = [_pick(r, keep) for r in body]
    rows = [cells if any(c.strip() for c in cells) else [] for cells in rows]
    return SheetRows(header=header, header_row=h + 1, rows=rows, first_row=first)


# ---------------------------------------------------------------------------- sources
@attrs.define
class Source:
    """Where the loader's file *name* really is: a sheet of a workbook."""

    name: str
    path: Path
    sheet: str
    display: str
    grid: list[list[Any]] | None = None
    header_row: int = 1
    #: TOML line → sheet row (the TOML sheets)
    line_map: dict[int, int] = attrs.field(factory=dict)

    def where(self, line: int) -> tuple[str, int]:
        """(file shown, row) of a problem the loader found at *line*."""
        if self.name.endswith(".toml"):
            return self.display, self.line_map.get(line, 0)
        return self.display, self.header_row if line == 1 else line

    def open_table(self, problems: Problems) -> SheetRows | None:
        """The sheet as the CSV row stream (``None`` after a problem)."""
        grid = self._grid(problems)
        if grid is None:
            return None
        known = {col for col, _, _ in FILES[self.name]}
        rows = sheet_rows(grid, known)
        self.header_row = rows.header_row
        return rows

    def toml_text(self, problems: Problems) -> str | None:
        """The sheet as the TOML text of the file it stands for (``None`` after a problem)."""
        grid = self._grid(problems)
        if grid is None:
            return None
        make = {"dataset.toml": _dataset_toml, "clusters.toml": _clusters_toml,
                "criteria.toml": _criteria_toml, "programmes.toml": _criteria_toml}[self.name]
        lines, rows = make(grid)
        if self.name == "criteria.toml" and not any(line.strip() for line in lines):
            return None  # an empty criteria sheet (the template's): no criteria set
        self.line_map = {i + 1: r for i, r in enumerate(rows)}
        return "\n".join(lines) + "\n"

    def _grid(self, problems: Problems) -> list[list[Any]] | None:
        if self.grid is None:
            try:
                from python_calamine import CalamineWorkbook  # noqa: PLC0415
            except ImportError:
                problems.add(self.name, 0, "-", _NEED_VI, _NEED_EN)
                return None
            try:
                wb = CalamineWorkbook.from_path(str(self.path))
                self.grid = wb.get_sheet_by_name(self.sheet).to_python(skip_empty_area=False)
                wb.close()
            except Exception as exc:  # noqa: BLE001 - any broken workbook is bad input
                problems.add(self.name, 0, "-", f"không đọc được sổ Excel: {exc}",
                             f"unreadable workbook: {exc}")
                return None
        return self.grid


def _toml_str(value: str) -> str:
    return json.dumps(nfc(value.strip()), ensure_ascii=False)


def _toml_scalar(key: str, raw: str) -> str:
    raw = raw.strip()
    if key in ("format", "year") and raw.lstrip("-").isdigit():
        return str(int(raw))
    if key == "reconstructed" and raw.lower() in ("true", "false"):
        return raw.lower()
    if key in ("plugins", "sources", "members", "not_collected", "reconstructed"):
        return "[" + ", ".join(_toml_str(p.strip()) for p in raw.split(";") if p.strip()) + "]"
    return _toml_str(raw)


def _dataset_toml(grid: list[list[Any]]) -> tuple[list[str], list[int]]:
    """``key | value`` rows → one TOML line per row (``parameters.NAME`` takes inline TOML)."""
    lines: list[str] = []
    rows: list[int] = []
    for r, row in enumerate(grid, 1):
        cells = [cell_text(c) for c in row] + ["", ""]
        key, value = cells[0].strip(), cells[1]
        if not key or fold(key) in ("key", "khoa") or not value.strip():  # the header
            continue
        if key.startswith("parameters."):
            inline = " ".join(value.split())  # one TOML line per row, whatever the cell holds
            lines.append(f"parameters.{_toml_str(key[len('parameters.'):])} = {inline}")
        else:
            lines.append(f"{_toml_str(key) if not key.isidentifier() else key} = "
                         f"{_toml_scalar(key, value)}")
        rows.append(r)
    return lines, rows


def _clusters_toml(grid: list[list[Any]]) -> tuple[list[str], list[int]]:
    """One cluster per row → ``[[cluster]]`` tables."""
    sheet = sheet_rows(grid, set(CLUSTER_COLUMNS))
    lines: list[str] = []
    rows: list[int] = []
    for k, row in enumerate(sheet.rows):
        if not row:
            continue
        r = sheet.first_row + k
        lines.append("[[cluster]]")
        rows.append(r)
        for col, value in zip(sheet.header, row, strict=False):
            if value.strip():
                lines.append(f"{json.dumps(col, ensure_ascii=False)} = {_toml_scalar(col, value)}")
                rows.append(r)
    return lines, rows


def _criteria_toml(grid: list[list[Any]]) -> tuple[list[str], list[int]]:
    """One TOML line per row under a ``toml`` header, or the criteria table (one criterion a
    row, see :func:`_criteria_table`)."""
    text = [cell_text(row[0]) if row else "" for row in grid]
    start = next((i + 1 for i, t in enumerate(text) if t.strip() == "toml"), None)
    if start is None and any(fold(t.strip()) in _SET_KEYS or t.strip() == "id" for t in text):
        return _criteria_table(grid)
    start = start or 0
    return text[start:], list(range(start + 1, len(text) + 1))


#: the criteria table's columns (a criterion's other keys go in ``parameters``)
CRITERIA_COLUMNS = ("id", "group", "title", "points", "method", "indicator", "target",
                    "parameters", "source")
#: the set's own keys, one ``set.KEY | value`` row each above the table
CRITERIA_SET_KEYS = ("id", "title", "year", "source", "bonus_cap", "tie_break")
_SET_KEYS = {f"set.{k}" for k in (*CRITERIA_SET_KEYS, "valid_from", "valid_to", "description",
                                  "quality", "scale")}
#: cells written as TOML numbers (when they are one); others are strings
_NUMBERS = {"points", "target", "min", "max", "cap", "points_each", "rank", "rank_to",
            "min_total", "year", "bonus_cap"}
_KINDS = {fold(k): v for k, v in {"criterion": "criterion", "tiêu chí": "criterion",
                                    "penalty": "penalty", "điểm trừ": "penalty",
                                    "award": "award", "khen thưởng": "award"}.items()}


def _toml_cell(key: str, raw: str) -> str:
    raw = nfc(raw.strip())
    if key in _NUMBERS:
        number = raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw
        try:
            float(number)
        except ValueError:
            return _toml_str(raw)
        return number
    if key == "tie_break" and not raw.startswith("["):
        return "[" + ", ".join(_toml_str(p) for p in raw.split(";") if p.strip()) + "]"
    if raw.startswith(("[", "{")):
        return " ".join(raw.split())  # TOML as it is (an inline table or list)
    return _toml_str(raw)


def _criteria_table(grid: list[list[Any]]) -> tuple[list[str], list[int]]:
    """
    The criteria sheet as a table: ``set.id``, ``set.title``, ``set.year``, ``set.source`` …
    rows (key, value) first, then a header ``id, group, title, points, method, indicator,
    target, parameters, source`` and one criterion per row; ``parameters`` holds the method's
    other keys as TOML (``points_each = 4, cap = 1``); a ``kind`` column (``penalty``,
    ``award``) makes a row a penalty or an award. Problems name the sheet row.
    """
    lines: list[str] = []
    rows: list[int] = []
    header_at = len(grid)
    for r, row in enumerate(grid, 1):
        cells = [cell_text(c) for c in row] + ["", ""]
        key = fold(cells[0].strip())
        if key == "id":
            header_at = r
            break
        if key.startswith("set.") and cells[1].strip():
            name = key[len("set."):]
            lines.append(f"{name} = {_toml_cell(name, cells[1])}")
            rows.append(r)
    sheet = sheet_rows(grid[header_at - 1:], {"id"})
    for k, row in enumerate(sheet.rows):
        if not row:
            continue
        r = header_at + sheet.first_row - 1 + k
        values = dict(zip(sheet.header, row, strict=False))
        kind = _KINDS.get(fold((values.pop("kind", "") or "criterion").strip()), "criterion")
        lines.append(f"[[{kind}]]")
        rows.append(r)
        params = values.pop("parameters", "")
        for col, value in values.items():
            if value.strip():
                lines.append(f"{json.dumps(col, ensure_ascii=False)} = {_toml_cell(col, value)}")
                rows.append(r)
        for part in _inline_parts(params):
            lines.append(part)
            rows.append(r)
    return lines, rows


def _inline_parts(text: str) -> list[str]:
    """``a = 1, steps = [{ min = 0.9, points = 40 }]`` → one TOML line per top-level key."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch in ",;\n" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [" ".join(p.split()) for p in parts if p.strip()]


# ---------------------------------------------------------------------------- discovery
def _sheet_names(path: Path, problems: Problems, name: str) -> list[tuple[str, bool]] | None:
    """(sheet, visible) of the workbook at *path*, or ``None`` after a problem."""
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415
    except ImportError:
        problems.add(name, 0, "-", _NEED_VI, _NEED_EN)
        return None
    from ._workbookguard import check_workbook  # noqa: PLC0415

    if not check_workbook(path, name, problems):  # limits first: calamine trusts the file
        return None
    try:
        wb = CalamineWorkbook.from_path(str(path))
        out = [(m.name, str(m.visible).endswith("Visible") and "Hidden" not in str(m.visible))
               for m in wb.sheets_metadata]
        wb.close()
    except Exception as exc:  # noqa: BLE001 - any broken workbook is bad input
        problems.add(name, 0, "-", f"không đọc được sổ Excel: {exc}",
                     f"unreadable workbook: {exc}")
        return None
    return out


def _workbook(root: Path, problems: Problems) -> set[str]:
    """A whole dataset in one workbook: one sheet per table."""
    label = root.name
    for sheet, name in _ALL.items():
        problems.names[name] = f"{label}[{sheet}]"
    sheets = _sheet_names(root, problems, label)
    if sheets is None:  # refused or unreadable: its tables are not "missing" as well
        problems.names.clear()
        problems.refused = set(_ALL.values())
        return set()
    present: set[str] = set()
    for sheet, _visible in sheets:
        found = _ALL.get(sheet.strip())
        if found is None:
            near = next((s for s in _ALL if fold(sheet.strip()) == fold(s)), None)
            if near is not None:
                problems.add(label, 0, sheet,
                             f"trang tính {sheet!r} phải tên đúng là {near!r}",
                             f"sheet {sheet!r} must be named exactly {near!r}")
                continue
            code = _BY_LABEL.get(fold(sheet.strip()))  # its Vietnamese title: that table
            found = _ALL[code] if code is not None else None
            if found is None or found in present:
                _looks_renamed(label, sheet, problems)
                continue  # other sheets (instructions, lists, hidden helpers) are not data
        elif found in present:  # a titled sheet came first: two sheets for one table
            problems.add(label, 0, sheet, f"hai trang tính cho bảng {sheet!r}",
                         f"two sheets for the table {sheet!r}")
            continue
        present.add(found)
        problems.sources[found] = Source(name=found, path=root, sheet=sheet,
                                         display=f"{label}[{sheet}]")
    return present


#: the English words a table's file may be named by (``visit.csv``, ``unit.csv``)
_ENGLISH: dict[str, str] = {"unit": "units", "cadre": "cadres", "position": "positions",
                            "absence": "absences", "visit": "visits", "meeting": "meetings",
                            "member": "members", "indicator": "indicators", "target": "targets",
                            "cluster": "clusters", "programme": "programmes",
                            "program": "programmes", "programs": "programmes"}


def renamed_table(word: str, tables: Any = None) -> str | None:
    """The table (sheet code) a sheet or file stem *word* looks like a renamed form of — by its
    code, its Vietnamese title (``Đi cơ sở``, ``di-co-so``) or an English word (``visit``) —
    or ``None``. *tables* limits the answer (the CSV tables of a folder)."""
    import difflib  # noqa: PLC0415

    name = " ".join(fold(word.strip()).replace("-", " ").replace("_", " ").split())
    names = {**{fold(c): c for c in _ALL}, **_BY_LABEL, **_ENGLISH}
    if tables is not None:
        names = {lab: code for lab, code in names.items() if code in tables}
    hit = next((code for lab, code in names.items() if len(lab) >= 4 and name.startswith(lab)),
               None)
    if hit is None:
        close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.75)
        hit = names[close[0]] if close else None
    return hit


def _looks_renamed(label: str, sheet: str, problems: Problems) -> None:
    """A warning when an unread sheet looks like a renamed table (did you mean …?): its table is
    then not reported, never silently read as "0 rows"."""
    hit = renamed_table(sheet)
    if hit is None:
        return
    problems.warnings.append(Text(
        f"{label}: trang tính {sheet!r} không được đọc; có phải là bảng {hit!r}? Đặt tên trang "
        f"tính là {hit!r} (hoặc {SHEET_LABELS.get(hit, (hit,))[0]!r}); nếu không, bảng {hit} "
        "được coi là không báo cáo",
        f"{label}: sheet {sheet!r} was not read; did you mean the table {hit!r}? Name the sheet "
        f"{hit!r} (or {SHEET_LABELS.get(hit, (hit,))[0]!r}); otherwise table {hit} counts as not "
        "reported"))


def _table_workbook(entry: Path, table: str, present: set[str], problems: Problems) -> None:
    """``units.xlsx`` … beside the CSV files: its ``units`` sheet, else its first visible one."""
    fname = entry.name
    stem = fname.partition(".")[0]
    sheets = _sheet_names(entry, problems, fname)
    if not sheets:
        if sheets is not None:
            problems.add(fname, 0, "-", "sổ Excel không có trang tính nào",
                         "the workbook has no sheet")
        return
    names = [s for s, _ in sheets]
    sheet = stem if stem in names else next((s for s, v in sheets if v), names[0])
    problems.sources[table] = Source(name=table, path=entry, sheet=sheet,
                                     display=f"{fname}[{sheet}]")
    problems.names[table] = f"{fname}[{sheet}]"
    present.add(table)


def _unrecognised(fname: str, problems: Problems) -> None:
    stem = fname.partition(".")[0].casefold()
    accepted = ", ".join(sorted(n for n in FILES if n.split(".")[0] == stem))
    alt = f" {{}} {stem}.xlsx" if stem in SHEETS else ""
    problems.add(fname, 0, "-", f"tệp không được nhận ra; dùng {accepted}{alt.format('hoặc')}",
                 f"file not recognised; use {accepted}{alt.format('or')}")


def _folder(root: Path, problems: Problems) -> set[str]:
    """A folder: CSV, TOML and Parquet files, and per-table ``.xlsx`` files beside them, each
    table in one form (:func:`._intake.find_tables`)."""
    from ._intake import ParquetSource, find_tables, formats  # noqa: PLC0415

    found = find_tables(root, FILES, problems)
    problems.files, problems.refused = found.files, found.refused
    present: set[str] = set()
    for name, path in found.files.items():
        kind = found.kind(name)
        if kind == "xlsx":
            _table_workbook(path, name, present, problems)
        elif kind == "parquet":
            problems.sources[name] = ParquetSource(name=name, path=path, display=path.name)
            problems.names[name] = path.name
            present.add(name)
        else:
            present.add(name)
    known = {f for forms in formats(FILES).values() for f in forms}
    stems = {n.split(".")[0] for n in FILES}
    for entry in sorted(root.iterdir()):
        fname = entry.name
        if fname in known or fname.startswith((".", "~$")) or not entry.is_file():
            continue
        if fname.partition(".")[0].casefold() in stems:
            _unrecognised(fname, problems)
    problems.warnings.extend(renamed_files(root, present))
    return present


#: the forms a table's file comes in (a file of another name in one of them may be a renamed
#: table)
_TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")


def renamed_files(root: Path, present: Any) -> list[Text]:
    """A warning per file of the folder *root* that no table reads but whose name looks like a
    renamed table (``di-co-so.csv``, ``Đi cơ sở.csv``, ``visit.csv``): did you mean …? It is
    never silently ignored. *present*: the loader's file names found."""
    from ._intake import formats  # noqa: PLC0415

    known = {f for forms in formats(FILES).values() for f in forms}
    out = []
    for entry in sorted(root.iterdir()):
        fname = nfc(entry.name)
        stem, dot, suffix = fname.rpartition(".")
        if not dot or f".{suffix.lower()}" not in _TABLE_SUFFIXES or fname in known or \
                fname.startswith((".", "~$")) or not entry.is_file() or \
                stem.casefold() in SHEETS:
            continue
        hit = renamed_table(stem, SHEETS)
        if hit is None:
            continue
        table = SHEETS[hit]
        lost_vi = "" if table in present else f"; nếu không, bảng {hit} được coi là không báo cáo"
        lost_en = "" if table in present else f"; otherwise table {hit} counts as not reported"
        out.append(Text(
            f"{fname}: tệp không được đọc; có phải là bảng {hit!r}? Đặt tên tệp là "
            f"{table!r}{lost_vi}",
            f"{fname}: file not read; did you mean the table {hit!r}? Name the file "
            f"{table!r}{lost_en}"))
    return out


def discover(root: Path, problems: Problems) -> set[str] | None:
    """
    The loader's file names present at *root* (a dataset folder or a whole-dataset ``.xlsx``
    workbook), with their sheets registered on *problems*; ``None`` when *root* is neither.
    """
    if root.is_dir():
        return _folder(root, problems)
    if root.is_file() and root.suffix.lower() == ".xlsx":
        return _workbook(root, problems)
    return None
