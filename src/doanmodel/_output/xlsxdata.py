"""
A dataset as one workbook (``doanmodel export``) and the empty workbook to fill in
(``doanmodel template``); both load back through :func:`doanmodel.load_dataset`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..dataset._csvio import FILES, written_columns
from ..dataset._xlsxlabels import (
    COLUMN_LABELS,
    ENUMS,
    LEFT_REASONS,
    choices,
    column_format,
    column_note,
)
from ..model._i18n import Text
from .excel import DATE, new_workbook, put, save, sheet_title
from .safe import check_target, text_cell

__all__ = ["export_dataset", "export_workbook", "write_template"]

TABLES = [name[:-4] for name in FILES if name.endswith(".csv")]
CLUSTER_COLUMNS = ("id", "name", "year", "members", "lead", "source")


# ---------------------------------------------------------------------------- export
def _wo(ws: Any, value: Any) -> Any:
    """A write-only cell of the right type (text never becomes a formula)."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    from .excel import _ILLEGAL  # noqa: PLC0415

    if isinstance(value, str):
        cell = WriteOnlyCell(ws, _ILLEGAL.sub("", value))
        cell.data_type = "s"
        return cell
    if isinstance(value, Decimal):
        exact = float(value)
        if Decimal(repr(exact)) == value:
            return WriteOnlyCell(ws, exact)
        return _wo(ws, str(value))
    if isinstance(value, _dt.date) and value.year < 1900:  # before Excel's calendar
        return _wo(ws, value.isoformat())
    cell = WriteOnlyCell(ws, value)  # pyright: ignore[reportArgumentType] - openpyxl takes dates
    if isinstance(value, _dt.date):
        cell.number_format = DATE
    return cell


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, (str, _dt.date, Decimal, int)) and
                         not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def _header(ws: Any, columns: Sequence[str], lang: str | None) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415

    bold = Font(bold=True)
    head = []
    for c in columns:
        cell = _wo(ws, c)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    if lang is not None:
        ws.append([_wo(ws, COLUMN_LABELS[c].get(lang) if c in COLUMN_LABELS else c)
                   for c in columns])


def _table(wb: Any, sheet: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
           lang: str | None) -> None:
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A3" if lang is not None else "A2"
    _header(ws, columns, lang)
    for row in rows:
        ws.append([_wo(ws, _value(v)) for v in row])


def _row(obj: Any, columns: Sequence[str], extras: Sequence[str]) -> list[Any]:
    extra = getattr(obj, "extra", None) or {}
    return [getattr(obj, c, None) for c in columns] + [extra.get(e) for e in extras]


def _dataset_rows(ds: Any) -> list[list[Any]]:
    from ..dataset._serialization import _toml_value  # noqa: PLC0415

    meta = ds.meta
    rows: list[list[Any]] = [["key", "value"], ["format", 1], ["name", meta.name],
                             ["root", meta.root]]
    if meta.year is not None:
        rows.append(["year", meta.year])
    if meta.description:
        rows.append(["description", meta.description])
    rows.append(["plugins", ";".join(meta.plugins)])
    if meta.sources:
        rows.append(["sources", ";".join(meta.sources)])
    for key in ("not_collected", "reconstructed"):  # table names, ; separated
        if getattr(meta, key, ()):
            rows.append([key, ";".join(getattr(meta, key))])
    for key, entries in meta.parameters.items():
        rows.append([f"parameters.{key}", _toml_value(list(entries))])
    return rows


def export_dataset(ds: Any, path: str | os.PathLike[str], *, force: bool = False,
                   lang: str = "vi") -> Path:
    """
    Write *ds* as one workbook: a ``dataset`` sheet of keys and values, one sheet per table
    (with a row of labels in *lang* under the header), ``clusters`` and ``criteria``.

    ``load_dataset(export_dataset(ds, p)) == ds`` for every valid dataset.
    """
    from ..dataset._serialization import dump_toml  # noqa: PLC0415

    check_target(path, force)
    wb = new_workbook(write_only=True)
    ws = wb.create_sheet("dataset")
    for row in _dataset_rows(ds):
        ws.append([_wo(ws, v) for v in row])
    tables: dict[str, Any] = {
        "units": [v for u in ds.units.values() for v in u.versions],
        "cadres": list(ds.cadres.values()), "positions": ds.positions,
        "absences": ds.absences, "visits": ds.visits, "meetings": ds.meetings,
        "members": ds.members, "indicators": ds.indicators, "targets": ds.targets}
    for name in TABLES:
        items = tables[name]
        if name != "units" and not len(items):
            continue
        columns = written_columns(f"{name}.csv", items)
        extras = sorted({k for i in items for k in (getattr(i, "extra", None) or {})})
        _table(wb, name, columns + extras, (_row(i, columns, extras) for i in items), lang)
    if ds.clusters:
        _table(wb, "clusters", CLUSTER_COLUMNS, ([c.id, c.name, c.year, ";".join(c.members),
                                                 c.lead, c.source] for c in ds.clusters), None)
    if ds.criteria is not None:
        ws = wb.create_sheet("criteria")
        ws.append([_wo(ws, "toml")])
        for line in dump_toml(ds.criteria).splitlines():
            ws.append([_wo(ws, line)])
    if ds.programmes:  # work programmes, as the TOML text of programmes.toml (like criteria)
        from ..dataset._programmes_toml import programmes_to_toml  # noqa: PLC0415

        ws = wb.create_sheet("programmes")
        ws.append([_wo(ws, "toml")])
        for line in dump_toml(programmes_to_toml(ds.programmes)).splitlines():
            ws.append([_wo(ws, line)])
    _ratings_export(wb, ds, lang)
    save(wb, path, force=force)
    return Path(path)


#: the public name (``dm.export_workbook``)
export_workbook = export_dataset


# ---------------------------------------------------------------------------- template
_TEMPLATE_ROWS = 2000

_INSTRUCTIONS = [
    Text("Mẫu dữ liệu doanmodel", "doanmodel data template"),
    Text("Mỗi trang tính là một bảng: units (đơn vị), cadres (cán bộ), positions (chức vụ), "
         "absences (vắng mặt được miễn), visits (đi cơ sở), meetings (cuộc họp), members "
         "(đoàn viên), indicators (số liệu), targets (chỉ tiêu), clusters (cụm thi đua).",
         "Each sheet is one table: units, cadres, positions, absences (exempt absences), visits "
         "(base visits), meetings, members, indicators (reported numbers), targets, clusters "
         "(emulation clusters)."),
    Text("Dòng 1 là tên cột (không sửa); dòng 2 là nhãn tiếng Việt hoặc tiếng Anh (có thể xóa). "
         "Nhập dữ liệu từ dòng 3. Di chuột vào tên cột để xem ý nghĩa, cách ghi và ví dụ.",
         "Row 1 holds the column names (do not change them); row 2 holds labels (may be "
         "deleted). Enter data from row 3. Hover over a column name for its meaning, format and "
         "an example."),
    Text("Cột có danh sách chọn nhận các nhãn trong danh sách (Huyện đoàn, Bí thư, Có/Không …) "
         "hoặc mã của chúng. Ngày: ô ngày của Excel, YYYY-MM-DD hoặc DD/MM/YYYY. Số: dấu phẩy "
         "thập phân (0,81) và phần trăm (85%) đều được. Mã có số 0 ở đầu: nhập ô dạng văn bản.",
         "Columns with a drop-down list take its labels or their codes. Dates: an Excel date, "
         "YYYY-MM-DD or DD/MM/YYYY. Numbers: 0.81, a decimal comma (0,81) or a percentage "
         "(85%). Ids with leading zeros: enter them as text cells."),
    Text("Trang dataset: name (tên bộ dữ liệu), root (mã đơn vị cao nhất), year (năm), plugins "
         "(các plugin, cách nhau bởi ;). Cột có tên bắt đầu bằng x_ là cột riêng của bạn.",
         "The dataset sheet: name, root (the top unit's id), year, plugins (; separated). "
         "Columns whose name starts with x_ are your own."),
    Text("Kiểm tra: doanmodel validate TỆP.xlsx — mọi lỗi được báo theo trang, dòng và cột.",
         "Check: doanmodel validate FILE.xlsx — every problem is shown by sheet, row and "
         "column."),
]


#: the hidden sheet of the drop-down lists' labels (not data: the loader leaves it alone)
LISTS = Text("Danh sách", "Lists")


def _lists_sheet(wb: Any, lang: str) -> dict[str, str]:
    """The hidden sheet holding each drop-down's labels, one column per list; returns
    column name → the range its drop-down offers (labels may hold commas: no inline list)."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    ws = wb.create_sheet(LISTS.get(lang))
    ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    lists = {col: choices(col, lang) for col in ENUMS}
    lists["left_reason"] = LEFT_REASONS
    for j, (col, values) in enumerate(lists.items(), 1):
        letter = get_column_letter(j)
        put(ws, 1, j, col)
        for i, value in enumerate(values, 2):
            put(ws, i, j, value)
        ranges[col] = f"'{ws.title}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _validations(ws: Any, table: str, columns: Sequence[str], lang: str,
                 lists: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    for j, col in enumerate(columns, 1):
        ref = f"{get_column_letter(j)}3:{get_column_letter(j)}{_TEMPLATE_ROWS}"
        fmt = column_format(table, col)
        if col in lists:
            # left_reason is free text, and a code typed instead of its label is read too
            soft = col in ("left_reason", "full_time")
            dv = DataValidation(type="list", formula1=lists[col], allow_blank=True,
                                errorStyle="warning" if soft else "stop")
        elif fmt.en.startswith("a date"):
            dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                                formula2="DATE(2200,12,31)", allow_blank=True,
                                errorStyle="warning")
        else:
            continue
        dv.error = fmt.get(lang)
        dv.prompt = fmt.get(lang)
        ws.add_data_validation(dv)
        dv.add(ref)


def _stays_text(table: str, col: str) -> bool:
    fmt = column_format(table, col).en
    return fmt.startswith(("text", "a period", "ids", "a term"))


def _template_sheet(wb: Any, table: str, lang: str, rows: Sequence[Sequence[Any]],
                    lists: dict[str, str]) -> None:
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    spec = FILES[f"{table}.csv"]
    ws = wb.create_sheet(table)
    columns = [c for c, _, _ in spec]
    bold = Font(bold=True)
    for j, (col, required, _) in enumerate(spec, 1):
        cell = put(ws, 1, j, col)
        cell.font = bold
        cell.comment = Comment(column_note(table, col, required, lang), "doanmodel",
                               height=160, width=320)
        put(ws, 2, j, COLUMN_LABELS[col].get(lang) if col in COLUMN_LABELS else col)
        dim = ws.column_dimensions[get_column_letter(j)]
        dim.width = max(14, len(col) + 4)
        if _stays_text(table, col):  # ids keep leading zeros; 2023-03 stays a period
            dim.number_format = "@"
    for i, row in enumerate(rows, 3):
        for j, value in enumerate(row, 1):
            put(ws, i, j, value)
    ws.freeze_panes = "A3"
    _validations(ws, table, columns, lang, lists)


_DATASET_NOTES = {
    "name": Text("tên bộ dữ liệu (bắt buộc). Ví dụ: Tỉnh đoàn Trà Vinh — đi cơ sở 2024",
                 "the dataset's name (required). Example: Tra Vinh visits 2024"),
    "root": Text("mã đơn vị cao nhất trong dữ liệu, có trong trang units (bắt buộc). Ví dụ: TV",
                 "id of the top unit, listed in the units sheet (required). Example: TV"),
    "year": Text("năm mặc định khi kiểm tra, chấm điểm. Ví dụ: 2024",
                 "default year to check and score. Example: 2024"),
    "plugins": Text("plugin tỉnh cần dùng, cách nhau bởi ;. Ví dụ: travinh",
                    "province plugins needed, ; separated. Example: travinh"),
}
_CLUSTER_NOTES = {
    "id": Text("mã cụm thi đua (bắt buộc). Ví dụ: cum-1", "the cluster's id (required). "
               "Example: cum-1"),
    "name": Text("tên cụm (bắt buộc). Ví dụ: Cụm thi đua số 1", "the cluster's name "
                 "(required). Example: Cluster 1"),
    "year": Text("năm (bắt buộc). Ví dụ: 2024", "the year (required). Example: 2024"),
    "members": Text("mã các đơn vị thành viên, cách nhau bởi ; (bắt buộc). Ví dụ: H01;H02",
                    "member unit ids, ; separated (required). Example: H01;H02"),
    "lead": Text("mã đơn vị cụm trưởng. Ví dụ: H01", "the lead unit's id. Example: H01"),
    "source": Text("văn bản lập cụm", "the document that set up the cluster"),
}


def _notes(ws: Any, notes: dict[str, Text], lang: str, *, column: bool) -> None:
    """A note on each key cell (column A of a key/value sheet, or row 1 of a table)."""
    from openpyxl.comments import Comment  # noqa: PLC0415

    cells = ws[1] if column else [row[0] for row in ws.iter_rows()]
    for cell in cells:
        if cell.value in notes:
            cell.comment = Comment(notes[cell.value].get(lang), "doanmodel", height=100,
                                   width=300)


def _province_name(code: str) -> str | None:
    from ..dataset._reference import provinces  # noqa: PLC0415

    return next((p.name for p in provinces() if p.code == code), None)


_CRITERIA_NOTES = {
    "set.id": Text("mã bộ tiêu chí (bắt buộc). Ví dụ: huyen-2024",
                   "the criteria set's id (required). Example: huyen-2024"),
    "set.title": Text("tên bộ tiêu chí (bắt buộc)", "the criteria set's title (required)"),
    "set.year": Text("năm áp dụng. Ví dụ: 2024", "the year it applies to. Example: 2024"),
    "set.source": Text("văn bản ban hành bộ tiêu chí (bắt buộc)",
                       "the document that issued the set (required)"),
    "set.bonus_cap": Text("điểm thưởng tối đa. Ví dụ: 40", "the most bonus points. Example: 40"),
    "set.tie_break": Text("thứ tự so khi bằng điểm, cách nhau bởi ;. Ví dụ: total;core;penalty",
                          "tie-break order, ; separated. Example: total;core;penalty"),
    "id": Text("mã tiêu chí (bắt buộc). Ví dụ: giao-duc.sinh-hoat", "the criterion's id "
               "(required). Example: education.sessions"),
    "group": Text("nhóm tiêu chí. Ví dụ: 1. Công tác giáo dục", "the criterion's group"),
    "title": Text("nội dung tiêu chí", "what the criterion is"),
    "points": Text("điểm tối đa (bắt buộc). Ví dụ: 40", "the most points (required). "
                   "Example: 40"),
    "method": Text("cách chấm: count, ratio, steps, threshold, rank … Ví dụ: count",
                   "how it is scored: count, ratio, steps, threshold, rank … Example: count"),
    "indicator": Text("chỉ số được chấm (trang indicators). Ví dụ: new_members",
                      "the indicator scored (indicators sheet). Example: new_members"),
    "target": Text("chỉ tiêu: một số, hoặc targets (lấy từ trang targets)",
                   "the target: a number, or targets (from the targets sheet)"),
    "parameters": Text("các tham số khác của cách chấm, dạng TOML. Ví dụ: points_each = 4, "
                       "cap = 1  hoặc  steps = [{ min = 0.9, points = 40 }, { points = 5 }]",
                       "the method's other settings, as TOML. Example: points_each = 4, cap = 1"),
    "source": Text("văn bản căn cứ của tiêu chí", "the criterion's source document"),
}


def _criteria_sheet(wb: Any, lang: str) -> None:
    """The criteria set as a table: the set's keys, then one criterion per row (read back by
    the workbook reader as the criteria set; the TOML form under a ``toml`` header works too)."""
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    from ..dataset._workbook import CRITERIA_COLUMNS, CRITERIA_SET_KEYS  # noqa: PLC0415

    ws = wb.create_sheet("criteria")
    for i, key in enumerate(CRITERIA_SET_KEYS, 1):
        put(ws, i, 1, f"set.{key}").font = Font(bold=True)
    top = len(CRITERIA_SET_KEYS) + 2
    for j, col in enumerate(CRITERIA_COLUMNS, 1):
        put(ws, top, j, col).font = Font(bold=True)
        put(ws, top + 1, j, COLUMN_LABELS[col].get(lang) if col in COLUMN_LABELS else col)
        ws.column_dimensions[get_column_letter(j)].width = 40 if col == "parameters" else 18
    _notes(ws, _CRITERIA_NOTES, lang, column=False)
    for cell in ws[top]:
        if cell.value in _CRITERIA_NOTES:
            from openpyxl.comments import Comment  # noqa: PLC0415

            cell.comment = Comment(_CRITERIA_NOTES[cell.value].get(lang), "doanmodel",
                                   height=100, width=300)
    ws.freeze_panes = f"A{top + 2}"


# ---------------------------------------------------------------------------- ratings
#: the ratings sheet's notes (its titles: dataset._ratings.RATING_LABELS)
_RATING_NOTES = {
    "subject_type": Text("đoàn viên (member), chi đoàn (branch), đoàn cơ sở (grassroots), đơn vị "
                         "(unit) hoặc tập thể lãnh đạo (collective) — bắt buộc",
                         "member, branch, grassroots, unit or collective (required)"),
    "subject_id": Text("mã đoàn viên hoặc đơn vị (bắt buộc). Ví dụ: DV001",
                       "the member's or unit's id (required). Example: DV001"),
    "year": Text("năm xếp loại (bắt buộc). Ví dụ: 2024", "the rating year (required)"),
    "stage": Text("tự đánh giá, tập thể nhận xét, thẩm định hoặc quyết định (bắt buộc)",
                  "self, collective, appraisal or decision (required)"),
    "level": Text("hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ (bắt buộc)",
                  "excellent, good, complete or incomplete (required)"),
    "by": Text("mã người hoặc đơn vị đánh giá, quyết định", "who rated or decided (an id)"),
    "on": Text("ngày: YYYY-MM-DD", "a date: YYYY-MM-DD"),
    "note": Text("ghi chú tự do", "free text"),
}


def _rating_choices(lang: str) -> dict[str, tuple[str, ...]]:
    """The ratings sheet's drop-downs: Vietnamese labels (read as input), English codes."""
    from ..model._rating import SUBJECT_TYPES, RatingLevel, RatingStage  # noqa: PLC0415

    if lang == "en":
        return {"subject_type": SUBJECT_TYPES, "stage": tuple(s.value for s in RatingStage),
                "level": tuple(lv.value for lv in RatingLevel)}
    return {"subject_type": SUBJECT_TYPES,
            "stage": tuple(s.label.get("vi") for s in RatingStage),
            "level": tuple(lv.label.get("vi") for lv in RatingLevel)}


def _ratings_sheet(wb: Any, lang: str) -> None:
    """The template's ``ratings`` sheet: titles, notes, drop-downs for type, stage and level."""
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    from ..dataset._ratings import RATING_COLUMNS, RATING_LABELS  # noqa: PLC0415

    lists = wb[LISTS.get(lang)]
    start = lists.max_column + 1
    ranges: dict[str, str] = {}
    for k, (col, values) in enumerate(_rating_choices(lang).items()):
        letter = get_column_letter(start + k)
        put(lists, 1, start + k, f"ratings.{col}")
        for i, value in enumerate(values, 2):
            put(lists, i, start + k, value)
        ranges[col] = f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}"
    ws = wb.create_sheet("ratings")
    for j, col in enumerate(RATING_COLUMNS, 1):
        cell = put(ws, 1, j, col)
        cell.font = Font(bold=True)
        cell.comment = Comment(_RATING_NOTES[col].get(lang), "doanmodel", height=120, width=300)
        put(ws, 2, j, RATING_LABELS[col].get(lang))
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = 30 if col in ("level", "note") else 16
        if col in ranges:
            dv = DataValidation(type="list", formula1=ranges[col], allow_blank=True,
                                errorStyle="stop")
            dv.error = dv.prompt = _RATING_NOTES[col].get(lang)
            ws.add_data_validation(dv)
            dv.add(f"{letter}3:{letter}{_TEMPLATE_ROWS}")
        elif col in ("subject_id", "by"):
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A3"


def _ratings_export(wb: Any, ds: Any, lang: str | None) -> None:
    """The ``ratings`` sheet of an export: the rows of the dataset's ``ratings.csv``."""
    from ..dataset._ratings import RATING_COLUMNS, RATING_LABELS, load_ratings  # noqa: PLC0415

    path = getattr(ds, "path", None)
    entries = load_ratings(path) if path else ()
    if not entries:
        return
    ws = wb.create_sheet("ratings")
    ws.freeze_panes = "A3" if lang is not None else "A2"
    ws.append([_wo(ws, c) for c in RATING_COLUMNS])
    if lang is not None:
        ws.append([_wo(ws, RATING_LABELS[c].get(lang)) for c in RATING_COLUMNS])
    for e in entries:
        ws.append([_wo(ws, v) for v in (
            e.subject_type, e.subject_id, e.year, e.stage.value, e.level.value, e.by, e.on,
            e.note)])


def write_template(path: str | os.PathLike[str], *, year: int | None = None,
                   province: str | None = None, lang: str = "vi", force: bool = False) -> Path:
    """An empty dataset workbook to fill in, with notes, drop-down lists and instructions."""
    check_target(path, force)
    wb = new_workbook()  # first: without openpyxl, ExcelMissingError names the extra
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    used: set[str] = set()
    ws = wb.create_sheet(sheet_title(Text("Hướng dẫn", "Instructions").get(lang), used))
    for i, text in enumerate(_INSTRUCTIONS, 1):
        text_cell(ws.cell(row=i, column=1), text.get(lang))
    ws.column_dimensions["A"].width = 120
    ws["A1"].font = Font(bold=True, size=14)
    name = _province_name(province) if province else None
    ds = wb.create_sheet("dataset")
    rows: list[list[Any]] = [["key", "value"], ["format", 1],
                             ["name", (f"Tỉnh đoàn {name}" if name else "")],
                             ["root", province or ""], ["year", year], ["plugins", ""]]
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row, 1):
            put(ds, i, j, value)
    ds.column_dimensions["A"].width = 16
    ds.column_dimensions["B"].width = 50
    lists = _lists_sheet(wb, lang)
    for table in TABLES:
        first = [[province, f"Tỉnh đoàn {name or province}", choices("level", lang)[1]]] \
            if table == "units" and province else []
        _template_sheet(wb, table, lang, first, lists)
    _notes(ds, _DATASET_NOTES, lang, column=False)
    cl = wb.create_sheet("clusters")
    for j, col in enumerate(CLUSTER_COLUMNS, 1):
        put(cl, 1, j, col).font = Font(bold=True)
        put(cl, 2, j, COLUMN_LABELS[col].get(lang))
        cl.column_dimensions[get_column_letter(j)].width = 18
    _notes(cl, _CLUSTER_NOTES, lang, column=True)
    cl.freeze_panes = "A3"
    _criteria_sheet(wb, lang)
    _ratings_sheet(wb, lang)
    save(wb, path, force=force)
    return Path(path)
