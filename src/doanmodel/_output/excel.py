"""
Office-ready workbooks of results (``score --xlsx``, ``check --xlsx``, ``census --xlsx``).

Every sheet has a bold, frozen header with an autofilter and fitted widths; numbers and dates
are real number and date cells (totals shown with 2 decimals, the exact value kept in a hidden
column); every text cell is a string cell, never a formula; every header and label is in the
run's one language; and each workbook carries a sources sheet and a provenance sheet. Written
atomically (see :mod:`doanmodel._output.safe`). Needs openpyxl (the ``excel`` extra).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from ..exceptions import DoanmodelError
from ..model._i18n import Text
from .safe import atomic_write

if TYPE_CHECKING:
    from ..rules._context import Report
    from ..scoring._census import Census
    from ..scoring._scoring import Scoreboard

__all__ = ["ExcelMissingError", "census_workbook", "check_workbook", "new_workbook", "save",
           "score_workbook", "sheet_title", "write_excel", "write_table"]

INSTALL = "pip install 'doanmodel[excel]'"
NUMBER_2 = "#,##0.00"
DATE = "DD/MM/YYYY"


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
    if not write_only and wb.worksheets:
        wb.remove(wb.worksheets[0])
    return wb


def save(wb: Any, path: str | os.PathLike[str], force: bool = False) -> None:
    """Write *wb* to *path* atomically, never through a symlink or over a file without force."""

    def write(handle: IO[bytes]) -> None:
        wb.save(handle)

    atomic_write(path, write, force=force)


def write_excel(result: Any, path: str | os.PathLike[str], lang: str = "vi", *,
                force: bool = False) -> None:
    """
    Write a :class:`~doanmodel.Scoreboard`, a check :class:`~doanmodel.Report` or a
    :class:`~doanmodel.Census` as an office-ready workbook at *path*.

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


def write_table(ws: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                formats: Mapping[int, str] | None = None, hidden: Iterable[int] = (),
                top: int = 1) -> int:
    """
    A table at row *top*: bold header, frozen under it, autofilter, fitted widths; *formats*
    gives a number format per column index (0-based), *hidden* columns are hidden.
    Returns the number of data rows.
    """
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    bold = Font(bold=True)
    widths = [len(h) for h in headers]
    for j, h in enumerate(headers, 1):
        put(ws, top, j, h).font = bold
    n = 0
    for n, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            cell = put(ws, top + n, j + 1, value)
            if formats and j in formats and value is not None:
                cell.number_format = formats[j]
            widths[j] = max(widths[j], _shown_len(value))
    ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate
    last = get_column_letter(max(len(headers), 1))
    ws.auto_filter.ref = f"A{top}:{last}{top + max(n, 1)}"
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 6), 60)
    for j in hidden:
        ws.column_dimensions[get_column_letter(j + 1)].hidden = True
    return n


def _lang(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


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
                   lang: str, used: set[str]) -> None:
    """The provenance sheet: what produced the workbook (version, plugins, parameters, dates)."""
    ws = wb.create_sheet(sheet_title(_lang("Nguồn gốc", "Provenance", lang), used))
    head = [_lang("mục", "item", lang), _lang("tên", "name", lang),
            _lang("giá trị", "value", lang), _lang("từ ngày", "from", lang),
            _lang("căn cứ", "source", lang)]
    rows = [[k, "", v, None, ""] for k, v in extra]
    rows.append([_lang("ngày lập", "written on", lang), "", _dt.date.today(), None, ""])
    write_table(ws, head, rows + _provenance_rows(prov, lang))


def add_sources(wb: Any, cited: Mapping[str, set[str]], lang: str, used: set[str]) -> None:
    """The sources sheet: every document cited, with what cites it."""
    ws = wb.create_sheet(sheet_title(_lang("Nguồn", "Sources", lang), used))
    head = [_lang("văn bản", "document", lang), _lang("được dùng cho", "used for", lang)]
    write_table(ws, head, [[doc, "; ".join(sorted(uses))]
                           for doc, uses in sorted(cited.items()) if doc])


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
    ws = wb.create_sheet(sheet_title(_lang("Tổng hợp", "Summary", lang), used))
    write_table(ws, [_lang("mã cụm", "cluster id", lang), _lang("cụm thi đua", "cluster", lang),
                     _lang("năm", "year", lang), _lang("cụm trưởng", "lead", lang),
                     _lang("số đơn vị", "units", lang), _lang("trang tính", "sheet", lang)],
                [[c.id, c.name, c.year, c.lead, len(c.standings), None] for c in board.clusters])
    head = [_lang("hạng", "rank", lang), _lang("mã", "unit id", lang),
            _lang("đơn vị", "unit", lang), _lang("tổng", "total", lang),
            _lang("điểm chính", "core", lang), _lang("thưởng", "bonus", lang),
            _lang("trừ", "penalty", lang), _lang("khen thưởng", "award", lang),
            _lang("xếp loại", "rating", lang), _lang("ghi chú", "note", lang),
            _lang("tổng (chính xác)", "total (exact)", lang)]
    fmt = {3: NUMBER_2, 4: NUMBER_2, 5: NUMBER_2, 6: NUMBER_2}
    for k, c in enumerate(board.clusters, 2):
        title = sheet_title(c.name, used)
        put(ws, k, 6, title)
        sheet = wb.create_sheet(title)
        write_table(sheet, head, [
            [s.rank, s.unit_id, s.unit_name, s.total, s.core, s.bonus, s.penalty,
             award_cell(s, lang) or None, RATINGS[s.rating].get(lang),
             "; ".join(r.get(lang) for r in (s.unranked_reason, s.undecided_reason) if r)
             or None, str(s.total)]
            for s in c.standings], formats=fmt, hidden=[10])
    cited: dict[str, set[str]] = {}
    _cite(cited, board.criteria_source, board.criteria_id)
    rows = []
    for c in board.clusters:
        for s in c.standings:
            for cs in s.criteria:
                _cite(cited, cs.source, cs.id)
                rows.append([c.name, s.unit_id, s.unit_name, cs.id, cs.title, cs.group,
                             cs.value, cs.target, -cs.points if cs.penalty else cs.points,
                             cs.max, _HOW[cs.how].get(lang) if cs.how in _HOW else cs.how,
                             cs.note.get(lang) if cs.note else None, cs.source])
    ws = wb.create_sheet(sheet_title(_lang("Tiêu chí", "Criteria", lang), used))
    write_table(ws, [_lang("cụm", "cluster", lang), _lang("mã", "unit id", lang),
                     _lang("đơn vị", "unit", lang), _lang("tiêu chí", "criterion", lang),
                     _lang("nội dung", "title", lang), _lang("nhóm", "group", lang),
                     _lang("giá trị", "value", lang), _lang("chỉ tiêu", "target", lang),
                     _lang("điểm", "points", lang), _lang("tối đa", "max", lang),
                     _lang("nguồn số liệu", "how", lang), _lang("ghi chú", "note", lang),
                     _lang("căn cứ", "source", lang)], rows,
                formats={6: NUMBER_2, 7: NUMBER_2, 8: NUMBER_2, 9: NUMBER_2})
    for p in board.provenance.get("parameters", []):
        _cite(cited, p.get("source"), p.get("name", ""))
    add_sources(wb, cited, lang, used)
    add_provenance(wb, board.provenance, [
        (_lang("dữ liệu", "dataset", lang), board.dataset),
        (_lang("năm", "year", lang), board.year),
        (_lang("điểm tối đa", "max total", lang), board.max_total)], lang, used)
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
    ws = wb.create_sheet(sheet_title(_lang("Tổng hợp theo đơn vị", "Summary by unit", lang),
                                     used))
    _unit_summary(ws, report.findings, lang)
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
        write_table(sheet, head, rows, formats={5: "0.##", 6: "0.##"})
    for p in report.provenance.get("parameters", []):
        _cite(cited, p.get("source"), p.get("name", ""))
    add_sources(wb, cited, lang, used)
    add_provenance(wb, report.provenance, [
        (_lang("dữ liệu", "dataset", lang), report.dataset),
        (_lang("năm", "year", lang), report.period.year),
        (_lang("kỳ", "period", lang), str(report.period)),
        (_lang("từ ngày", "from", lang), report.period.start),
        (_lang("đến ngày", "to", lang), report.period.end)], lang, used)
    return wb


def _unit_summary(ws: Any, findings: Sequence[Any], lang: str) -> None:
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
                rows)


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
    ws = wb.create_sheet(sheet_title(_lang("Thống kê cán bộ", "Cadre census", lang), used))
    write_table(ws, head, [
        [GROUPS[r.group].get(lang), r.units, r.cadres, r.committee, r.standing, r.secretaries,
         r.deputies, r.full_time] + [r.education.get(k, 0) for k in edu] +
        [r.age_bands.get(k, 0) for k in ages] + [r.gender.get(k, 0) for k in genders]
        for r in result.rows])
    add_sources(wb, {}, lang, used)
    add_provenance(wb, provenance or {}, [
        (_lang("dữ liệu", "dataset", lang), result.dataset),
        (_lang("tính đến ngày", "as of", lang), result.as_of)], lang, used)
    return wb


def rating_workbook(report: Any, lang: str = "vi") -> Any:
    """A :class:`~doanmodel.RatingReport`: the subjects (stage by stage), the findings and the
    sources."""
    from .rating import CSV_COLUMNS, records  # noqa: PLC0415

    wb = new_workbook()
    used: set[str] = set()
    ws = wb.create_sheet(sheet_title(_lang("Xếp loại", "Ratings", lang), used))
    write_table(ws, list(CSV_COLUMNS), [[r[c] for c in CSV_COLUMNS]
                                        for r in records(report, lang)])
    ws = wb.create_sheet(sheet_title(_lang("Kết luận", "Findings", lang), used))
    write_table(ws, [_lang("quy định", "rule", lang), _lang("kết quả", "status", lang),
                     _lang("đối tượng", "subject", lang), _lang("mã", "id", lang),
                     _lang("ghi chú", "message", lang), _lang("căn cứ", "source", lang)],
                [[f.rule, f.status, f.subject_type, f.subject_id, f.message.get(lang),
                  f.source.get(lang)] for f in report.findings])
    ws = wb.create_sheet(sheet_title(_lang("Căn cứ", "Sources", lang), used))
    write_table(ws, [_lang("quy định", "rule", lang), _lang("căn cứ", "source", lang)],
                [[k, v.get(lang)] for k, v in sorted(report.sources.items())])
    return wb
