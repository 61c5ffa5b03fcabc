"""
Office-ready workbooks of results (``score --xlsx``, ``check --xlsx``, ``census --xlsx``).

Every sheet has title rows (what, which year or period, which dataset, the day written), a
bold, frozen header with an autofilter and fitted widths, and is set up to print (A4, landscape
when wide, one page wide, the header repeated, page numbers; see :func:`print_ready`); numbers
and dates are real number and date cells (points with 2 decimals, counts as integers, shares
as percentages, the exact total kept in a hidden column); long text wraps in set widths; one
font; every text cell is a string cell, never a formula; every header and label is in the
run's one language; and each workbook carries a sources sheet and a provenance sheet. Written
atomically (see :mod:`doanmodel._output.safe`). Needs openpyxl (the ``excel`` extra).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from ..exceptions import DoanmodelError
from ..model._i18n import Text
from .safe import atomic_write

if TYPE_CHECKING:
    from ..rules._context import Report
    from ..scoring._census import Census
    from ..scoring._scoring import Scoreboard

__all__ = ["ExcelMissingError", "census_workbook", "check_workbook", "new_workbook",
           "programme_workbook", "save", "score_workbook", "sensitivity_workbook", "sheet_title",
           "write_excel", "write_table"]

INSTALL = "pip install 'doanmodel[excel]'"
NUMBER_2 = "#,##0.00"
INTEGER = "#,##0"
PERCENT = "0.0%"
DATE = "DD/MM/YYYY"
#: the one font of every result workbook (has every Vietnamese letter; on every office PC)
FONT = "Arial"
#: a text column wider than this many characters is wrapped
WRAP_AT = 30
#: a sheet whose shown columns are wider than this (characters) prints landscape
PORTRAIT_WIDTH = 95
#: the height of a line of text in points (Arial 10)
LINE_HEIGHT = 13.0
#: characters of Vietnamese text in Arial 10 per unit of column width (a unit is a digit)
CHARS_PER_WIDTH = 1.2
CHARS_PER_WIDTH_BOLD = 1.0


class ExcelMissingError(DoanmodelError, ImportError):
    """openpyxl (the ``excel`` extra) is not installed."""

    def __init__(self) -> None:
        self.text = Text(f"ghi tệp Excel cần gói openpyxl: {INSTALL}",
                         f"Excel output needs openpyxl: {INSTALL}")
        super().__init__(self.text.en)


def new_workbook(write_only: bool = False) -> Any:
    """An empty openpyxl workbook (no default sheet)."""
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - optional dependency
    except ImportError:
        raise ExcelMissingError from None
    wb = Workbook(write_only=write_only)
    if not write_only:
        if wb.worksheets:
            wb.remove(wb.worksheets[0])
        _default_font(wb)
    return wb


def _default_font(wb: Any) -> None:
    """Make Arial 10 the workbook's default font (font 0, which the Normal style and every
    cell without a font of its own use): one font, without styling each of a million cells."""
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils.indexed_list import IndexedList  # noqa: PLC0415

    # openpyxl keeps the default font first and has no public setter for it
    if len(wb._fonts) == 1:  # noqa: SLF001
        wb._fonts = IndexedList([Font(name=FONT, size=10)])  # noqa: SLF001


def save(wb: Any, path: str | os.PathLike[str], force: bool = False) -> None:
    """Write *wb* to *path* atomically, never through a symlink or over a file without force."""

    def write(handle: IO[bytes]) -> None:
        wb.save(handle)

    atomic_write(path, write, force=force)


def write_excel(result: Any, path: str | os.PathLike[str], lang: str = "vi", *,
                force: bool = False) -> None:
    """
    Write a :class:`~doanmodel.Scoreboard`, a check :class:`~doanmodel.Report`, a
    :class:`~doanmodel.Census`, a sensitivity result or a programme report as an office-ready,
    print-ready workbook at *path*.

    Raises:
        OutputExistsError: *path* exists and *force* is false.
        OutputError: *path* is a symbolic link.
        ExcelMissingError: openpyxl (the ``excel`` extra) is not installed.
    """
    from .safe import check_target  # noqa: PLC0415

    check_target(path, force)
    kind = type(result).__name__
    if kind == "Scoreboard":
        wb = score_workbook(result, lang)
    elif kind == "Report":
        wb = check_workbook(result, lang)
    elif kind == "Census":
        from ..engine._plugins import _version  # noqa: PLC0415

        wb = census_workbook(result, lang, {"doanmodel": _version()})
    elif kind == "Sensitivity":
        wb = sensitivity_workbook(result, lang)
    elif kind == "ProgrammeReport":
        from ..engine._plugins import _version  # noqa: PLC0415

        wb = programme_workbook(result, lang, {"doanmodel": _version()})
    elif kind == "RatingReport":
        wb = rating_workbook(result, lang)
    else:
        msg = f"no workbook for a {kind}"
        raise TypeError(msg)
    save(wb, path, force=force)


# ---------------------------------------------------------------------------- cells
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, used: set[str]) -> str:
    """*name* as a valid sheet title: no ``[]:*?/\\``, at most 31 characters, unique."""
    base = _ILLEGAL.sub("", _BAD_TITLE.sub("-", name)).strip().strip("'") or "-"
    title = base[:31]
    n = 2
    while title.casefold() in used:
        tail = f" ({n})"
        title = base[:31 - len(tail)].rstrip() + tail
        n += 1
    used.add(title.casefold())
    return title


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write *value* to a cell with its real type: text as a string cell (never a formula),
    numbers as numbers, dates as dates."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, str):
        cell.value = _ILLEGAL.sub("", value)
        cell.data_type = "s"
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = float(value)
    elif isinstance(value, (_dt.date, _dt.datetime)):
        cell.value = value
        cell.number_format = DATE
    elif isinstance(value, Text):
        return put(ws, row, col, value.vi)
    else:
        cell.value = value
    return cell


def _shown_len(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (_dt.date, Decimal, float)):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def _lines(value: Any, width: float, *, bold: bool = False) -> int:
    """Lines *value* takes when wrapped in a column *width* characters wide."""
    if not isinstance(value, str):
        return 1
    per = max(int(width * (CHARS_PER_WIDTH_BOLD if bold else CHARS_PER_WIDTH)) - 1, 1)
    return sum(max(1, -(-len(part) // per)) for part in value.splitlines() or [""])


def auto_format(value: Any) -> str | None:
    """The number format a value is shown with: a whole number as a count (``#,##0``), a
    fraction between 0 and 1 as a share (``0.0%``), any other number with 2 decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if value == int(value):
        return INTEGER
    if 0 <= value <= 1:
        return PERCENT
    return NUMBER_2


#: a number format per column: a format, or a function of the cell's value
Format = str | Callable[[Any], str | None]


def _fonts() -> tuple[Any, Any, Any]:
    from openpyxl.styles import Font  # noqa: PLC0415

    return (Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True),
            Font(name=FONT, size=13, bold=True))


def write_title(ws: Any, lines: Sequence[str]) -> int:
    """Title rows at the top of *ws* (the first bold and larger); returns the next free row."""
    plain, _, big = _fonts()
    for i, line in enumerate(lines, 1):
        put(ws, i, 1, line).font = big if i == 1 else plain
    return len(lines) + 1 if lines else 1


def write_table(ws: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                formats: Mapping[int, Format] | None = None, hidden: Iterable[int] = (),
                top: int = 1, title: Sequence[str] = (), lang: str = "vi") -> int:
    """
    A table at row *top* (under the *title* rows when given): bold header, frozen under it,
    autofilter, fitted widths (a long text column wrapped at :data:`WRAP_AT` characters);
    *formats* gives a number format per column index (0-based), *hidden* columns are hidden.
    The sheet is set up to print (see :func:`print_ready`). Returns the number of data rows.
    """
    from openpyxl.styles import Alignment  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    if title:
        top = max(top, write_title(ws, title))
    _, bold, _ = _fonts()  # data cells keep the workbook's default font (see new_workbook)
    wrap = Alignment(wrap_text=True, vertical="top")
    align = Alignment(vertical="top")
    widths = [len(h) for h in headers]
    for j, h in enumerate(headers, 1):
        cell = put(ws, top, j, h)
        cell.font = bold
        cell.alignment = wrap
    n = 0
    cells: list[list[Any]] = [[] for _ in headers]
    for n, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            cell = put(ws, top + n, j + 1, value)
            cells[j].append(cell)
            fmt = formats.get(j) if formats else None
            if callable(fmt):
                fmt = fmt(value)
            if fmt and value is not None:
                cell.number_format = fmt
            widths[j] = max(widths[j], _shown_len(value))
    ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate
    last = get_column_letter(max(len(headers), 1))
    ws.auto_filter.ref = f"A{top}:{last}{top + max(n, 1)}"
    hidden = set(hidden)
    shown = 0
    lines = [1] * (n + 1)  # lines each row needs (0: the header)
    for j, w in enumerate(widths, 1):
        width = min(max(w + 2, 6), WRAP_AT)
        ws.column_dimensions[get_column_letter(j)].width = width
        if j - 1 in hidden:
            ws.column_dimensions[get_column_letter(j)].hidden = True
            continue
        shown += width
        lines[0] = max(lines[0], _lines(headers[j - 1], width, bold=True))
        if w + 2 > WRAP_AT:  # long text: wrapped in a column of set width
            for i, cell in enumerate(cells[j - 1], 1):
                k = _lines(cell.value, width)
                if k > 1:
                    cell.alignment = wrap
                    lines[i] = max(lines[i], k)
    for i, k in enumerate(lines):  # spreadsheets do not grow a row for wrapped text on load
        if k > 1:
            ws.row_dimensions[top + i].height = LINE_HEIGHT * k
            if i:  # the row's other cells at the top too, beside the wrapped text
                for column in cells:
                    cell = column[i - 1] if i <= len(column) else None
                    if cell is not None and not cell.alignment.wrap_text:
                        cell.alignment = align
    for r in range(1, top):  # title rows: across the table, wrapped, inside the print area
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(len(headers), 1))
        cell = ws.cell(row=r, column=1)
        cell.alignment = wrap
        k = _lines(cell.value, max(shown, 10))
        if k > 1:
            ws.row_dimensions[r].height = (LINE_HEIGHT + (4 if r == 1 else 0)) * k
    ws.print_area = f"A1:{last}{top + max(n, 1)}"
    print_ready(ws, top, landscape=shown > PORTRAIT_WIDTH, lang=lang)
    return n


def print_ready(ws: Any, header_row: int, *, landscape: bool, lang: str = "vi") -> None:
    """
    Print settings of a table sheet: A4, landscape when wide, fit to one page wide (as many
    pages down as it takes), the header row repeated on every page, grid lines, narrow
    margins and the page number in the footer.
    """
    from openpyxl.worksheet.page import PageMargins  # noqa: PLC0415

    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.gridLines = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2,
                                  footer=0.3)
    ws.oddFooter.center.text = _lang("Trang &P/&N", "Page &P of &N", lang)
    ws.oddFooter.right.text = "&A"
    ws.evenFooter.center.text = ws.oddFooter.center.text


def _lang(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


def _today(lang: str) -> str:
    today = _dt.date.today()
    return today.isoformat() if lang == "en" else today.strftime("%d/%m/%Y")


def _title(what: str, about: str) -> list[str]:
    """A sheet's title rows: what it is, then the dataset, period and date written."""
    return [what, about] if about else [what]


def _about(lang: str, dataset: str, *parts: str) -> str:
    """The second title row: dataset · criteria set or period · the day written."""
    said = [_lang("dữ liệu: ", "dataset: ", lang) + dataset if dataset else "", *parts,
            _lang("lập ngày ", "written on ", lang) + _today(lang)]
    return " · ".join(p for p in said if p)


# ---------------------------------------------------------------------------- provenance
def _provenance_rows(prov: Mapping[str, Any], lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = [[_lang("phiên bản doanmodel", "doanmodel version", lang), "",
                              prov.get("doanmodel", ""), None, ""]]
    for p in prov.get("plugins", []):
        rows.append([_lang("plugin", "plugin", lang), p.get("name", ""), p.get("version", ""),
                     None, ""])
    for name in prov.get("dataset_plugins", []):
        rows.append([_lang("plugin dữ liệu cần", "plugin the dataset needs", lang), name, "",
                     None, ""])
    cset = prov.get("criteria_set")
    if cset:
        rows.append([_lang("bộ tiêu chí", "criteria set", lang), cset.get("id", ""),
                     cset.get("title", ""), None, cset.get("source", "")])
    for p in prov.get("parameters", []):
        value = p.get("value")
        shown = value if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        start = _dt.date.fromisoformat(p["from"]) if p.get("from") else None
        rows.append([_lang("tham số", "parameter", lang), p.get("name", ""), shown, start,
                     p.get("source", "")])
    return rows


def add_provenance(wb: Any, prov: Mapping[str, Any], extra: Sequence[tuple[str, Any]],
                   lang: str, used: set[str], about: str = "") -> None:
    """The provenance sheet: what produced the workbook (version, plugins, parameters, dates)."""
    ws = wb.create_sheet(sheet_title(_lang("Nguồn gốc", "Provenance", lang), used))
    head = [_lang("mục", "item", lang), _lang("tên", "name", lang),
            _lang("giá trị", "value", lang), _lang("từ ngày", "from", lang),
            _lang("căn cứ", "source", lang)]
    rows = [[k, "", v, None, ""] for k, v in extra]
    rows.append([_lang("ngày lập", "written on", lang), "", _dt.date.today(), None, ""])
    write_table(ws, head, rows + _provenance_rows(prov, lang),
                title=_title(_lang("Nguồn gốc của sổ này", "Where this workbook comes from", lang),
                             about), lang=lang)


def add_sources(wb: Any, cited: Mapping[str, set[str]], lang: str, used: set[str],
                about: str = "") -> None:
    """The sources sheet: every document cited, with what cites it."""
    ws = wb.create_sheet(sheet_title(_lang("Nguồn", "Sources", lang), used))
    head = [_lang("văn bản", "document", lang), _lang("được dùng cho", "used for", lang)]
    write_table(ws, head, [[doc, "; ".join(sorted(uses))]
                           for doc, uses in sorted(cited.items()) if doc],
                title=_title(_lang("Văn bản căn cứ", "Documents cited", lang), about), lang=lang)


def _cite(cited: dict[str, set[str]], doc: str | None, what: str) -> None:
    if doc:
        cited.setdefault(doc, set()).add(what)


# ---------------------------------------------------------------------------- score
_HOW = {"reported": Text("báo cáo", "reported"), "derived": Text("từ dữ liệu", "derived"),
        "missing": Text("thiếu", "missing")}


def score_workbook(board: Scoreboard, lang: str = "vi") -> Any:
    """A :class:`~doanmodel.Scoreboard` as an office-ready workbook."""
    from ..scoring._scoring import RATINGS  # noqa: PLC0415
    from .scoreboard import award_cell  # noqa: PLC0415

    wb = new_workbook()
    used: set[str] = set()
    about = _about(lang, board.dataset, _lang("bộ tiêu chí: ", "criteria set: ", lang)
                   + (board.criteria_title or board.criteria_id))
    board_title = _lang(f"Bảng điểm thi đua năm {board.year}",
                        f"Emulation scoreboard {board.year}", lang)
    ws = wb.create_sheet(sheet_title(_lang("Tổng hợp", "Summary", lang), used))
    write_table(ws, [_lang("mã cụm", "cluster id", lang), _lang("cụm thi đua", "cluster", lang),
                     _lang("năm", "year", lang), _lang("cụm trưởng", "lead", lang),
                     _lang("số đơn vị", "units", lang), _lang("trang tính", "sheet", lang)],
                [[c.id, c.name, c.year, c.lead, len(c.standings), None] for c in board.clusters],
                formats={4: INTEGER}, title=_title(board_title, about), lang=lang)
    top = ws.max_row - len(board.clusters)  # the header row
    head = [_lang("hạng", "rank", lang), _lang("mã", "unit id", lang),
            _lang("đơn vị", "unit", lang), _lang("tổng", "total", lang),
            _lang("điểm chính", "core", lang), _lang("thưởng", "bonus", lang),
            _lang("trừ", "penalty", lang), _lang("khen thưởng", "award", lang),
            _lang("xếp loại", "rating", lang), _lang("ghi chú", "note", lang),
            _lang("tổng (chính xác)", "total (exact)", lang)]
    staged = [_lang("tự chấm", "self-score", lang), _lang("chênh lệch", "deviation", lang)]
    fmt: dict[int, Format] = {0: INTEGER, 3: NUMBER_2, 4: NUMBER_2, 5: NUMBER_2, 6: NUMBER_2,
                              11: NUMBER_2, 12: NUMBER_2}
    for k, c in enumerate(board.clusters, top + 1):
        title = sheet_title(c.name, used)
        put(ws, k, 6, title).font = _fonts()[0]
        sheet = wb.create_sheet(title)
        stages = any(s.self_total is not None for s in c.standings)  # the score's stages
        write_table(sheet, head + staged if stages else head, [
            [s.rank, s.unit_id, s.unit_name, s.total, s.core, s.bonus, s.penalty,
             award_cell(s, lang) or None, RATINGS[s.rating].get(lang),
             "; ".join(r.get(lang) for r in (s.unranked_reason, s.undecided_reason,
                                              s.award_reason) if r)
             or None, str(s.total), *((s.self_total, s.deviation) if stages else ())]
            for s in c.standings], formats=fmt, hidden=[10],
            title=_title(f"{c.name} — {board_title[0].lower()}{board_title[1:]}", about),
            lang=lang)
    cited: dict[str, set[str]] = {}
    _cite(cited, board.criteria_source, board.criteria_id)
    rows = []
    # the set's own source is said once, above the table, not on every row (it printed over
    # pages); a criterion citing another document shows it
    same = _lang("(căn cứ của bộ tiêu chí)", "(the criteria set's)", lang)
    for c in board.clusters:
        for s in c.standings:
            for cs in s.criteria:
                _cite(cited, cs.source, cs.id)
                rows.append([c.name, s.unit_id, s.unit_name, cs.id, cs.title, cs.group,
                             cs.value, cs.target, -cs.points if cs.penalty else cs.points,
                             cs.max, _HOW[cs.how].get(lang) if cs.how in _HOW else cs.how,
                             cs.note.get(lang) if cs.note else None,
                             same if cs.source == board.criteria_source else cs.source])
    ws = wb.create_sheet(sheet_title(_lang("Tiêu chí", "Criteria", lang), used))
    write_table(ws, [_lang("cụm", "cluster", lang), _lang("mã", "unit id", lang),
                     _lang("đơn vị", "unit", lang), _lang("tiêu chí", "criterion", lang),
                     _lang("nội dung", "title", lang), _lang("nhóm", "group", lang),
                     _lang("giá trị", "value", lang), _lang("chỉ tiêu", "target", lang),
                     _lang("điểm", "points", lang), _lang("tối đa", "max", lang),
                     _lang("nguồn số liệu", "how", lang), _lang("ghi chú", "note", lang),
                     _lang("căn cứ", "source", lang)], rows,
                formats={6: auto_format, 7: auto_format, 8: NUMBER_2, 9: NUMBER_2},
                title=[*_title(_lang(f"Điểm từng tiêu chí năm {board.year}",
                                     f"Points by criterion {board.year}", lang), about),
                       _lang("căn cứ của bộ tiêu chí: ", "the criteria set's source: ", lang)
                       + board.criteria_source],
                lang=lang)
    for p in board.provenance.get("parameters", []):
        _cite(cited, p.get("source"), p.get("name", ""))
    add_sources(wb, cited, lang, used, about)
    add_provenance(wb, board.provenance, [
        (_lang("dữ liệu", "dataset", lang), board.dataset),
        (_lang("năm", "year", lang), board.year),
        (_lang("điểm tối đa", "max total", lang), board.max_total)], lang, used, about)
    return wb


# ---------------------------------------------------------------------------- check
_FAMILIES = {"visits": Text("Đi cơ sở", "Visits"), "meetings": Text("Sinh hoạt", "Meetings"),
             "members": Text("Đoàn viên", "Members"), "cadres": Text("Cán bộ", "Cadres"),
             "positions": Text("Chức vụ", "Positions"), "units": Text("Tổ chức", "Units"),
             "targets": Text("Chỉ tiêu", "Targets"), "branches": Text("Chi đoàn", "Branches")}
_ORIGIN = Text("toàn quốc", "national")
_SUBJECTS = {"unit": Text("đơn vị", "unit"), "cadre": Text("cán bộ", "cadre"),
             "branch": Text("chi đoàn", "branch"), "member": Text("đoàn viên", "member"),
             "visit": Text("chuyến đi cơ sở", "visit"),
             "province": Text("tỉnh", "province")}


def _number(value: Any) -> Any:
    """A finding's value as a cell: numbers and dates as they are, anything else as text."""
    if isinstance(value, (int, float, Decimal, _dt.date)) and not isinstance(value, bool):
        return value
    if value is None:
        return None
    return str(value)


def check_workbook(report: Report, lang: str = "vi") -> Any:
    """A check :class:`~doanmodel.Report`: one sheet per rule family and a summary per unit."""
    wb = new_workbook()
    used: set[str] = set()
    titles = {r.id: r for r in report.rules}
    families: dict[str, list[Any]] = {}
    for f in report.findings:
        families.setdefault(f.rule.split(".")[0], []).append(f)
    about = _about(lang, report.dataset, _lang("kỳ: ", "period: ", lang) + str(report.period))
    what = _lang("Kết quả kiểm tra", "Check results", lang)
    ws = wb.create_sheet(sheet_title(_lang("Tổng hợp theo đơn vị", "Summary by unit", lang),
                                     used))
    _unit_summary(ws, report.findings, lang,
                  _title(what + _lang(" — tổng hợp theo đơn vị", " — summary by unit", lang),
                         about))
    head = [_lang("quy định", "rule", lang), _lang("tên quy định", "rule title", lang),
            _lang("đối tượng", "subject", lang), _lang("mã", "id", lang),
            _lang("kết quả", "status", lang), _lang("giá trị", "value", lang),
            _lang("ngưỡng", "threshold", lang), _lang("ghi chú", "message", lang),
            _lang("căn cứ", "source", lang), _lang("tỉnh", "province", lang),
            _lang("do ai đặt", "origin", lang)]
    cited: dict[str, set[str]] = {}
    for fam, findings in families.items():
        label = _FAMILIES[fam].get(lang) if fam in _FAMILIES else fam
        sheet = wb.create_sheet(sheet_title(label, used))
        rows = []
        for f in findings:
            rule = titles.get(f.rule)
            _cite(cited, f.source, f.rule)
            rows.append([f.rule, rule.title.get(lang) if rule else None,
                         _subject(f.subject_type, lang), f.subject_id, f.status.label.get(lang),
                         _number(f.value), _number(f.threshold), f.message.get(lang), f.source,
                         f.province, _ORIGIN.get(lang) if f.origin == "national" else f.origin])
        write_table(sheet, head, rows, formats={5: auto_format, 6: auto_format},
                    title=_title(f"{what} — {label}", about), lang=lang)
    for p in report.provenance.get("parameters", []):
        _cite(cited, p.get("source"), p.get("name", ""))
    add_sources(wb, cited, lang, used, about)
    add_provenance(wb, report.provenance, [
        (_lang("dữ liệu", "dataset", lang), report.dataset),
        (_lang("năm", "year", lang), report.period.year),
        (_lang("kỳ", "period", lang), str(report.period)),
        (_lang("từ ngày", "from", lang), report.period.start),
        (_lang("đến ngày", "to", lang), report.period.end)], lang, used, about)
    return wb


def _unit_summary(ws: Any, findings: Sequence[Any], lang: str, title: Sequence[str]) -> None:
    """Per unit: its own findings, and those about its cadres, visits and members (counted
    under their province)."""
    per: dict[str, list[Any]] = {}
    for f in findings:
        unit = f.subject_id if f.subject_type == "unit" else (f.province or "—")
        per.setdefault(unit, []).append(f)

    def count(fs: list[Any], status: str) -> int:
        return sum(f.status.value == status for f in fs)

    rows = []
    for unit, fs in per.items():
        failed = [f for f in fs if f.status.value == "fail"]
        people = sorted({f.subject_id for f in failed if f.subject_type != "unit"})
        rows.append([unit, count(fs, "pass"), count(fs, "fail"), count(fs, "not_applicable"),
                     count(fs, "no_data"), "; ".join(sorted({f.rule for f in failed})),
                     "; ".join(people[:30]) + (" …" if len(people) > 30 else "")])
    write_table(ws, [_lang("đơn vị", "unit", lang), _lang("đạt", "pass", lang),
                     _lang("không đạt", "fail", lang),
                     _lang("không áp dụng", "not applicable", lang),
                     _lang("không đủ dữ liệu", "no data", lang),
                     _lang("quy định không đạt", "rules failed", lang),
                     _lang("cán bộ, chuyến đi, đoàn viên không đạt",
                           "cadres, visits and members failing", lang)],
                rows, formats={1: INTEGER, 2: INTEGER, 3: INTEGER}, title=title, lang=lang)


def _subject(kind: str, lang: str) -> str:
    return _SUBJECTS[kind].get(lang) if kind in _SUBJECTS else kind


# ---------------------------------------------------------------------------- census
def census_workbook(result: Census, lang: str = "vi", provenance: Mapping[str, Any] | None = None
                    ) -> Any:
    """A :class:`~doanmodel.Census` as an office-ready workbook."""
    from ..scoring._census import GROUPS  # noqa: PLC0415

    wb = new_workbook()
    used: set[str] = set()
    edu = sorted({k for r in result.rows for k in r.education})
    ages = sorted({k for r in result.rows for k in r.age_bands})
    genders = sorted({k for r in result.rows for k in r.gender})
    unknown = _lang("không rõ", "unknown", lang)
    head = [_lang("cấp", "level", lang), _lang("đơn vị", "units", lang),
            _lang("cán bộ", "cadres", lang), _lang("UV BCH", "committee", lang),
            _lang("UV BTV", "standing", lang), _lang("Bí thư", "secretaries", lang),
            _lang("Phó Bí thư", "deputies", lang), _lang("chuyên trách", "full-time", lang)]
    head += [_lang("trình độ: ", "education: ", lang) + (k if k != "unknown" else unknown)
             for k in edu]
    head += [_lang("tuổi: ", "age: ", lang) + (k if k != "unknown" else unknown) for k in ages]
    head += [_lang("giới tính: ", "gender: ", lang) + (k if k != "unknown" else unknown)
             for k in genders]
    about = _about(lang, result.dataset, _lang("tính đến ngày ", "as of ", lang)
                   + (result.as_of.isoformat() if lang == "en"
                      else result.as_of.strftime("%d/%m/%Y")))
    ws = wb.create_sheet(sheet_title(_lang("Thống kê cán bộ", "Cadre census", lang), used))
    write_table(ws, head, [
        [GROUPS[r.group].get(lang), r.units, r.cadres, r.committee, r.standing, r.secretaries,
         r.deputies, r.full_time] + [r.education.get(k, 0) for k in edu] +
        [r.age_bands.get(k, 0) for k in ages] + [r.gender.get(k, 0) for k in genders]
        for r in result.rows], formats=dict.fromkeys(range(1, len(head)), INTEGER),
        title=_title(_lang("Thống kê cán bộ Đoàn theo cấp", "Union cadres by level", lang),
                     about), lang=lang)
    add_sources(wb, {}, lang, used, about)
    add_provenance(wb, provenance or {}, [
        (_lang("dữ liệu", "dataset", lang), result.dataset),
        (_lang("tính đến ngày", "as of", lang), result.as_of)], lang, used, about)
    return wb


# ---------------------------------------------------------------------------- sensitivity
def sensitivity_workbook(result: Any, lang: str = "vi") -> Any:
    """A sensitivity result: the units' rank spread and award chances, each criterion's weight
    on the ranking, the rank reversals; sources and provenance."""
    from .sensitivity import criteria_rows, describe, unit_rows  # noqa: PLC0415

    wb = new_workbook()
    used: set[str] = set()
    about = _about(lang, result.dataset, describe(result, lang))
    heads, rows, numeric = unit_rows(result, lang)
    ws = wb.create_sheet(sheet_title(_lang("Độ vững thứ hạng", "Rank robustness", lang), used))
    fmt: dict[int, Format] = {3: INTEGER}  # the median and percentiles may be x.5: General
    fmt.update(dict.fromkeys(numeric, PERCENT))
    write_table(ws, heads, rows, formats=fmt, lang=lang, title=_title(_lang(
        f"Độ vững của thứ hạng thi đua năm {result.year}",
        f"How solid the {result.year} emulation ranks are", lang), about))
    cheads, crows = criteria_rows(result, lang)
    ws = wb.create_sheet(sheet_title(_lang("Theo tiêu chí", "By criterion", lang), used))
    write_table(ws, cheads, crows, formats={1: NUMBER_2, 2: "0.000", 3: INTEGER}, lang=lang,
                title=_title(_lang("Mức phụ thuộc của thứ hạng vào từng tiêu chí",
                                   "How much the ranks depend on each criterion", lang), about))
    ws = wb.create_sheet(sheet_title(_lang("Đảo hạng", "Rank reversals", lang), used))
    write_table(ws, [_lang("cụm", "cluster", lang), _lang("bỏ ra", "removed", lang),
                     _lang("trước", "ahead", lang), _lang("sau", "behind", lang)],
                [[r.cluster_id, r.removed, r.ahead, r.behind] for r in result.reversals],
                lang=lang, title=_title(result.reversal_note.get(lang), about))
    add_provenance(wb, result.provenance, [
        (_lang("dữ liệu", "dataset", lang), result.dataset),
        (_lang("năm", "year", lang), result.year),
        (_lang("số lần rút", "draws", lang), result.draws),
        (_lang("hạt giống", "seed", lang), result.seed)], lang, used, about)
    return wb


# ---------------------------------------------------------------------------- programmes
def programme_workbook(report: Any, lang: str = "vi",
                       provenance: Mapping[str, Any] | None = None) -> Any:
    """A programme report: per programme its coverage and topics by unit, and its open
    recommendations; sources and provenance."""
    from .programme import _L, coverage_text  # noqa: PLC0415

    def t(key: str) -> str:
        return str(_L[key].get(lang))

    wb = new_workbook()
    used: set[str] = set()
    when = report.as_of.isoformat() if lang == "en" else report.as_of.strftime("%d/%m/%Y")
    about = _about(lang, report.dataset, f"{t('as_of')} {when}")
    cited: dict[str, set[str]] = {}
    if not report.programmes:
        ws = wb.create_sheet(sheet_title(_lang("Chương trình", "Programmes", lang), used))
        write_table(ws, [t("id")], [], lang=lang, title=_title(_lang(
            "Không có chương trình công tác nào", "No work programme", lang), about))
    for s in report.programmes:
        p = s.programme
        _cite(cited, p.document, p.id)
        head = f"{p.id} — {p.get_title(lang)} ({s.kind_title.get(lang)})"
        ws = wb.create_sheet(sheet_title(p.id, used))
        write_table(ws, [t("id"), t("unit"), t("date"), *(x.title.get(lang) for x in s.topics)],
                    [[r.unit_id, r.unit_name + ("" if r.planned else " " + t("outside_mark")),
                      r.covered_on, *(x.label.get(lang) for x in r.results)] for r in s.rows],
                    lang=lang, title=[head, f"{t('coverage')}: {coverage_text(s, lang)}",
                                      about])
        ws = wb.create_sheet(sheet_title(f"{p.id} — " + _lang("kiến nghị", "recs", lang), used))
        write_table(ws, [t("unit"), t("id"), t("due"), t("days"), t("waits"), t("text")],
                    [[o.unit_id, o.recommendation.id, o.recommendation.due, o.overdue_days,
                      o.recommendation.addressee.label.get(lang),
                      o.recommendation.get_text(lang)] for o in s.open_recommendations],
                    formats={3: INTEGER}, lang=lang,
                    title=[f"{head}: {t('open')}", about])
    add_sources(wb, cited, lang, used, about)
    add_provenance(wb, provenance or {}, [
        (_lang("dữ liệu", "dataset", lang), report.dataset),
        (t("as_of"), report.as_of)], lang, used, about)
    return wb


def rating_workbook(report: Any, lang: str = "vi") -> Any:
    """A :class:`~doanmodel.RatingReport`, print-ready like the other result workbooks: the
    subjects (stage by stage), the findings and the sources, each under its title rows."""
    from .rating import _STATUS, _SUBJECT, _headers, _rows, _t  # noqa: PLC0415

    wb = new_workbook()
    used: set[str] = set()
    about = _about(lang, report.dataset, _lang(f"năm {report.year}", f"year {report.year}",
                                                lang))
    head = f"{_t('title', lang)} {report.year}"
    ws = wb.create_sheet(sheet_title(_lang("Xếp loại", "Ratings", lang), used))
    write_table(ws, _headers(lang), _rows(report, lang), lang=lang, title=_title(head, about))
    ws = wb.create_sheet(sheet_title(_t("findings", lang), used))
    # the findings that did not pass (each subject's status is on the first sheet); each
    # rule's source once, on the sources sheet, not repeated on every row
    write_table(ws, [_lang("quy định", "rule", lang), _t("status", lang),
                     _lang("đối tượng", "subject", lang), _t("id", lang),
                     _lang("ghi chú", "message", lang)],
                [[f.rule, _STATUS[f.status].get(lang),
                  _SUBJECT[f.subject_type].get(lang) if f.subject_type in _SUBJECT
                  else f.subject_type, f.subject_id, f.message.get(lang)]
                 for f in report.findings if f.status != "pass"], lang=lang,
                title=_title(f"{head}: {_t('findings', lang).lower()}", about))
    cited: dict[str, set[str]] = {}
    for rule, src in sorted(report.sources.items()):
        cited.setdefault(src.get(lang), set()).add(rule)
    add_sources(wb, cited, lang, used, about)
    return wb
