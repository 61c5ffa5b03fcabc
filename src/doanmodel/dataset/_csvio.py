"""Reading the dataset's CSV and TOML files: cell parsers, headers, rows, problems."""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import DatasetError, Problem
from ..model._dates import parse_date, parse_period, parse_term
from ..model._enums import (
    AbsenceReason,
    LabelledEnum,
    Level,
    MeetingKind,
    Role,
    ScoreStage,
    Sector,
    VisitPurpose,
    names,
    office_label,
)
from ..model._enums import _key as _enum_key
from ..model._i18n import Text, nfc, os_reason

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["FILES", "RECONSTRUCTED", "Problems", "parse_toml", "read_toml",
           "reconstructed_cell", "toml_line", "tomllib"]

#: longest cell of a CSV file (bytes): a longer one is a problem naming its line (docs/cli.md)
MAX_FIELD = 1 << 20
csv.field_size_limit(MAX_FIELD)

_MIN = 0
_MAX_NUMBER = Decimal(10) ** 12  # docs/cli.md: the limits on numbers
_MAX_NUMBER_DIGITS = 30
_MAX = _dt.date.max.toordinal() + 1


class _Bad(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


#: problems kept by one loading (the rest are counted): 4 million bad rows are not 4 million
#: objects in memory and lines on the screen
MAX_PROBLEMS = 10_000


class Problems:
    """Collects problems (the first :data:`MAX_PROBLEMS`, the rest counted); sorted by file and
    line when raised."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        #: problems found beyond :data:`MAX_PROBLEMS`
        self.omitted = 0
        #: file → ids of rows that had problems (so references to them are not reported again)
        self.rejected: dict[str, set[str]] = defaultdict(set)
        #: file → where it really is when it is not a file of that name (a workbook sheet)
        self.sources: dict[str, Any] = {}
        #: file → the name problems show for it (``units.xlsx[units]``)
        self.names: dict[str, str] = {}
        #: file → the path it is read from, and the files refused (``_intake.find_tables``)
        self.files: dict[str, Path] = {}
        self.refused: set[str] = set()
        #: what loading noticed without refusing the data (a sheet that looks renamed)
        self.warnings: list[Text] = []

    def add(self, file: str, line: int, column: str, vi: str, en: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.omitted += 1
            return
        self.items.append(Problem(file, line, column, Text(vi, en)))

    def add_text(self, file: str, line: int, column: str, text: Text) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.omitted += 1
            return
        self.items.append(Problem(file, line, column, text))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, cls: type[DatasetError] = DatasetError) -> None:
        if self.items:
            order = {name: i for i, name in enumerate(FILES)}
            self.items.sort(key=lambda p: (order.get(p.file, 99), p.file, p.line))
            raise cls([self._shown(p) for p in self.items], omitted=self.omitted)

    def _shown(self, p: Problem) -> Problem:
        """*p* naming the workbook sheet and row its file really is."""
        source = self.sources.get(p.file)
        if source is not None:
            file, line = source.where(p.line)
            return attrs.evolve(p, file=file, line=line)
        if p.file in self.names:
            return attrs.evolve(p, file=self.names[p.file])
        return p


def error_line(exc: Exception, reader: Any, line: int) -> int:
    """The line of a reading error: the csv reader's own for a cell over the limit (it stops
    on it), else the first line of the chunk being read (*line* + 1)."""
    if isinstance(exc, csv.Error) and "field larger" in str(exc):
        return max(line + 1, int(getattr(exc, "line", 0) or getattr(reader, "line_num", 0)))
    return line + 1


def unreadable(exc: Exception) -> Text:
    """Why a file cannot be read, in both languages (Python's own message is English only)."""
    if isinstance(exc, UnicodeDecodeError):
        return Text(f"tệp không phải UTF-8 (byte 0x{exc.object[exc.start]:02x} ở vị trí "
                    f"{exc.start}); hãy lưu lại dưới dạng UTF-8",
                    f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at position {exc.start}); "
                    "save the file as UTF-8")
    if isinstance(exc, csv.Error) and "field larger than field limit" in str(exc):
        return Text(f"có một ô dài hơn {MAX_FIELD // 1024} KiB (giới hạn của một ô); không đọc "
                    "tiếp tệp này",
                    f"a cell is longer than {MAX_FIELD // 1024} KiB (the limit of one cell); the "
                    "rest of the file was not read")
    return Text(f"tệp CSV không đọc được ({exc})", f"unreadable CSV file ({exc})")


# ---------------------------------------------------------------------------- cell parsers
def _text(raw: str) -> str:
    return nfc(raw.strip())


def _date(raw: str, _cache: dict[str, _dt.date] = {}) -> _dt.date:  # noqa: B006 - a cache
    try:
        return _cache[raw]
    except KeyError:
        pass
    try:
        value = parse_date(raw)
    except ValueError:
        raise _Bad(Text(f"không phải ngày: {raw!r} (YYYY-MM-DD hoặc DD/MM/YYYY)",
                        f"not a date: {raw!r} (YYYY-MM-DD or DD/MM/YYYY)")) from None
    if len(_cache) < 200_000:
        _cache[raw] = value
    return value


def _bool(raw: str) -> bool:
    low = nfc(raw.strip()).casefold()
    if low in ("true", "1", "yes", "có", "x"):
        return True
    if low in ("false", "0", "no", "không", ""):
        return False
    raise _Bad(Text(f"không phải true/false: {raw!r} (Có hoặc Không)",
                    f"not true/false: {raw!r} (or yes/no)"))


#: a decimal comma (``0,81``, ``-12,5``) and the Vietnamese grouping (``1.234,5``)
_COMMA = re.compile(r"[+-]?\d+,\d+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
#: ``1,234``: a thousands separator (English) or a decimal comma (Vietnamese)?
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")


def _number_text(raw: str) -> str:
    """*raw* in the form :class:`~decimal.Decimal` reads: a decimal comma made a point,
    ``85%`` made ``0.85``; an ambiguous ``1,234`` refused with a hint."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if _AMBIGUOUS.fullmatch(text):
        raise _Bad(Text(f"không rõ số: {raw!r} — dấu phẩy là dấu thập phân hay phân cách "
                        "hàng nghìn? Viết 1234 hoặc 1,5 (thập phân)",
                        f"ambiguous number: {raw!r} — is the comma a decimal comma or a "
                        "thousands separator? Write 1234, or 1.5 for a decimal"))
    if _COMMA.fullmatch(text):
        text = text.replace(",", ".")
    elif _GROUPED.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    if percent:
        try:
            return str(Decimal(text).scaleb(-2))
        except InvalidOperation:
            return raw
    return text


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(_number_text(raw))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _Bad(Text(f"không phải số: {raw!r} (ví dụ 12, 0,81, 0.81 hoặc 85%)",
                        f"not a number: {raw!r} (for example 12, 0.81, 0,81 or 85%)"))
    if abs(value) > _MAX_NUMBER or value.adjusted() < -_MAX_NUMBER_DIGITS:
        raise _Bad(Text(f"số ngoài giới hạn (|x| ≤ 10¹², tối đa {_MAX_NUMBER_DIGITS} chữ số "
                        f"thập phân): {raw[:40]!r}",
                        f"number out of range (|x| ≤ 10¹², at most {_MAX_NUMBER_DIGITS} "
                        f"decimal places): {raw[:40]!r}"))
    return value


def _period(raw: str) -> Any:
    try:
        return parse_period(raw)
    except ValueError:
        raise _Bad(Text(f"không phải kỳ: {raw!r} (2023, 2023-H1, 2023-Q1 hoặc 2023-03)",
                        f"not a period: {raw!r} (2023, 2023-H1, 2023-Q1 or 2023-03)")) from None


def _term(raw: str) -> str:
    text = _text(raw)
    try:
        parse_term(text)
    except ValueError as exc:
        raise _Bad(Text(f"nhiệm kỳ sai: {text!r} (YYYY – YYYY, năm có 4 chữ số, kết thúc sau "
                        "bắt đầu)", str(exc))) from None
    return text


def _ids(raw: str) -> tuple[str, ...]:
    return tuple(nfc(part.strip()) for part in raw.split(";") if part.strip())


def _enum(cls: type[LabelledEnum]) -> Callable[[str], Any]:
    """A parser of *cls*: its code or any of its labels (``Huyện đoàn``, ``Bí thư``), NFC and
    case-insensitive."""
    values = {m.value: m for m in cls}
    named = names(cls)
    allowed_vi = ", ".join(office_label(cls, m.value, "vi") for m in cls)
    allowed_en = ", ".join(values)

    def parse(raw: str) -> Any:
        try:
            return values[raw.strip()]
        except KeyError:
            pass
        found = named.get(_enum_key(raw))
        if found is not None:
            return found
        raise _Bad(Text(f"giá trị không hợp lệ {raw!r}; chỉ nhận: {allowed_vi} (hoặc mã: "
                        f"{allowed_en})", f"invalid value {raw!r}; allowed: {allowed_en}"))

    parse.enum = cls  # type: ignore[attr-defined]  # read by _checks (the SQL executor)
    return parse


#: the optional column of every table marking a row's values no source gave: ``true`` (the
#: whole row), or the ``;``-separated columns reconstructed; kept in the row's ``extra``
RECONSTRUCTED = "reconstructed"


def reconstructed_cell(name: str, raw: str) -> tuple[str | None, Text | None]:
    """The normalised ``reconstructed`` cell of a row of *name* (``"true"``, the columns
    ``;``-separated, or ``None`` for false/empty), or a problem."""
    text = nfc(raw.strip())
    if text.casefold() in ("false", "0", "no", "không", ""):
        return None, None
    if text.casefold() in ("true", "1", "yes", "có", "x"):
        return "true", None
    cols = [c.strip() for c in text.split(";") if c.strip()]
    codes = [col for col, _, _ in FILES[name]]
    bad = [c for c in cols if c not in codes]
    if bad:
        return None, Text(f"phải là true/false hoặc tên các cột, cách nhau bởi ; (không có cột "
                          f"{', '.join(bad)}; các cột: {', '.join(codes)})",
                          f"must be true/false or column names separated by ; (no column "
                          f"{', '.join(bad)}; columns: {', '.join(codes)})")
    return ";".join(cols), None


# (name, required, parser)
Spec = Sequence[tuple[str, bool, Callable[[str], Any]]]

FILES: dict[str, Spec] = {
    "dataset.toml": (),
    "units.csv": (
        ("id", True, _text), ("name", True, _text), ("level", True, _enum(Level)),
        ("parent_id", False, _text), ("sector", False, _enum(Sector)),
        ("valid_from", False, _date), ("valid_to", False, _date), ("successor_id", False, _text),
        ("code", False, _text),
    ),
    "cadres.csv": (
        ("id", True, _text), ("name", True, _text), ("birth_date", False, _date),
        ("gender", False, _text), ("education", False, _text),
    ),
    "positions.csv": (
        ("cadre_id", True, _text), ("unit_id", True, _text), ("role", True, _enum(Role)),
        ("full_time", False, _bool), ("start", True, _date), ("end", False, _date),
        ("term", False, _term),
    ),
    "absences.csv": (
        ("cadre_id", True, _text), ("start", True, _date), ("end", True, _date),
        ("reason", True, _enum(AbsenceReason)),
    ),
    "visits.csv": (
        ("id", True, _text), ("cadre_id", True, _text), ("unit_id", True, _text),
        ("start", True, _date), ("end", False, _date), ("purpose", True, _enum(VisitPurpose)),
        ("order_ref", False, _text), ("report_on", False, _date),
    ),
    "meetings.csv": (
        ("id", True, _text), ("unit_id", True, _text), ("date", True, _date),
        ("kind", True, _enum(MeetingKind)), ("chair_id", False, _text),
        ("attendees", False, _ids), ("cluster_id", False, _text),
    ),
    "members.csv": (
        ("id", True, _text), ("branch_id", True, _text), ("birth_date", False, _date),
        ("joined_on", True, _date), ("left_on", False, _date), ("left_reason", False, _text),
        ("party_introduced_on", False, _date), ("party_admitted_on", False, _date),
    ),
    "indicators.csv": (
        ("unit_id", True, _text), ("period", True, _period), ("indicator", True, _text),
        ("value", True, _decimal), ("evidence", False, _text),
        ("stage", False, _enum(ScoreStage)), ("by", False, _text), ("on", False, _date),
    ),
    "targets.csv": (
        ("unit_id", True, _text), ("period", True, _period), ("indicator", True, _text),
        ("value", True, _decimal), ("source", False, _text),
    ),
    "clusters.toml": (),
    "criteria.toml": (),
    "programmes.toml": (),  # work programmes: doanmodel.dataset._programmes_toml
}

_Row = tuple[int, dict[str, Any], dict[str, str]]

#: optional columns a writer leaves out when no row has a value in them (a dataset without
#: stages is written as before they existed)
WRITTEN_WHEN_USED = {"indicators.csv": ("stage", "by", "on")}


def written_columns(name: str, rows: Any) -> list[str]:
    """The columns of *name* a writer writes for *rows* (entities or dicts)."""
    sparse = WRITTEN_WHEN_USED.get(name, ())
    used = {c for c in sparse for r in rows
            if (r.get(c) if isinstance(r, dict) else getattr(r, c, None)) is not None}
    return [c for c, _, _ in FILES[name] if c not in sparse or c in used]


_BREAK = re.compile(r"\r\n|\r|\n")
#: how a workbook reader names a header cell with no name: its column letter in brackets
_EMPTY_HEADER = re.compile(r"\(([A-Z]{1,3})\)")


@attrs.define
class _Table:
    """An open CSV file whose header has been checked."""

    name: str
    handle: Any
    reader: Any
    width: int
    plan: list[tuple[str, int, bool, Callable[[str], Any]]]
    extras: list[tuple[str, int]]
    index: dict[str, int]
    #: every row is one line (a workbook sheet: a line break in a cell starts no new row)
    single_line: bool = False
    _first: int = 2

    def rows(self, problems: Problems) -> Iterator[tuple[int, Sequence[str]]]:
        """(first line, cells) of every non-empty row with the right number of cells."""
        for plain, chunk in self.chunks(problems, 1024):
            yield from (self.numbered(chunk) if plain else chunk)

    def chunks(self, problems: Problems, size: int) -> Iterator[tuple[bool, list[Any]]]:
        """
        Rows in chunks of *size*: ``(True, rows)`` when every row has the right width and sits
        on one line (so a fast path may take them as they are; call :meth:`numbered` for their
        lines), else ``(False, [(line, row)…])`` with each row's first line.
        """
        reader, width = self.reader, self.width
        line = reader.line_num  # the header's (last) line
        try:
            while True:
                chunk = list(islice(reader, size))
                if not chunk:
                    return
                end = reader.line_num
                if end - line == len(chunk) and all(len(r) == width for r in chunk):
                    self._first = line + 1
                    yield True, chunk
                else:
                    yield False, list(self._lines(chunk, line, problems))
                line = end
        except (UnicodeDecodeError, csv.Error) as exc:
            problems.add_text(self.name, error_line(exc, reader, line), "-", unreadable(exc))

    def numbered(self, chunk: Sequence[Sequence[str]]) -> list[tuple[int, Sequence[str]]]:
        """The rows of the plain chunk just yielded by :meth:`chunks`, with their lines."""
        return [(self._first + k, row) for k, row in enumerate(chunk)]

    def _lines(self, chunk: list[list[str]], line: int,
               problems: Problems) -> Iterator[tuple[int, list[str]]]:
        width, name = self.width, self.name
        for row in chunk:
            start = line + 1
            line += 1 if self.single_line else 1 + sum(len(_BREAK.findall(cell)) for cell in row)
            if len(row) != width:
                if row:
                    problems.add(name, start, "-", f"có {len(row)} ô, tiêu đề có {width} cột",
                                 f"{len(row)} fields, but the header has {width} columns")
                continue
            yield start, row

    def parse(self, start: int, row: Sequence[str], problems: Problems) -> dict[str, Any] | None:
        """The typed values of *row*, or ``None`` after reporting its problems."""
        values: dict[str, Any] = {}
        ok = True
        name = self.name
        for col, idx, required, parser in self.plan:
            raw = row[idx]
            if not raw or raw.isspace():
                if required:
                    problems.add(name, start, col, "thiếu giá trị bắt buộc",
                                 "a required value is missing")
                    ok = False
                values[col] = None
                continue
            try:
                values[col] = parser(raw)
            except _Bad as bad:
                problems.add_text(name, start, col, bad.text)
                ok = False
        if ok:
            return values
        if values.get("id"):
            problems.rejected[name].add(values["id"])
        return None

    def extra(self, row: Sequence[str]) -> dict[str, str]:
        """The row's own ``x_`` columns that have a value."""
        return {h: nfc(row[i]) for h, i in self.extras if row[i]}


def _open_reader(root: Path, name: str, problems: Problems) -> tuple[Any, Any] | None:
    """(handle, csv reader) of *name*: the file, or the workbook sheet standing for it."""
    source = problems.sources.get(name)
    if source is not None:  # a workbook sheet, as the same row stream
        rows = source.open_table(problems)
        return None if rows is None else (rows, rows)
    try:
        handle = open(root / name, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        problems.add_text(name, 0, "-", Text("không đọc được tệp: ", "cannot read the file: ")
                          + os_reason(exc))
        return None
    return handle, csv.reader(handle)


def _read_header(name: str, reader: Any, problems: Problems) -> list[str] | None:
    """The header row of *reader*, normalised; ``None`` after reporting why there is none."""
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.add_text(name, 1, "-", unreadable(exc))
        return None
    if header is None:
        problems.add(name, 1, "-", "tệp rỗng: thiếu dòng tiêu đề",
                     "empty file: the header row is missing")
        return None
    return [nfc(h.strip()) for h in header]


@functools.lru_cache(maxsize=32)
def _header_labels(name: str) -> dict[str, str]:
    """The column titles *name*'s header may carry instead of its codes (the template's own,
    :data:`._xlsxlabels.COLUMN_LABELS`, in either language), folded → the column's code."""
    from ..model._i18n import fold  # noqa: PLC0415
    from ._xlsxlabels import COLUMN_LABELS  # noqa: PLC0415

    out: dict[str, str] = {}
    for col, _, _ in FILES[name]:
        label = COLUMN_LABELS.get(col)
        if label is not None:
            for text in (label.vi, label.en):
                out.setdefault(fold(text), col)
    return out


def header_codes(name: str, header: list[str]) -> list[str]:
    """*header* with each column title the template gives (``Ngày sinh``, ``Birth date``)
    replaced by its column's code (``birth_date``); codes, ``x_`` columns and unknown headers
    are kept as they are (an unknown one is then reported by :func:`_check_header`)."""
    if name not in FILES or not FILES[name]:
        return header
    from ..model._i18n import fold  # noqa: PLC0415

    codes = {col for col, _, _ in FILES[name]}
    labels = _header_labels(name)
    return [h if h in codes or h.startswith("x_") else labels.get(fold(h), h) for h in header]


def _near_column(name: str, h: str) -> str | None:
    """The column of *name* an unknown header *h* most likely means (did you mean …?), by its
    code or its title in either language."""
    from ..model._suggest import suggest  # noqa: PLC0415
    from ._xlsxlabels import COLUMN_LABELS  # noqa: PLC0415

    words: dict[str, str] = {}
    for col, _, _ in FILES[name]:
        words[col] = col
        if col in COLUMN_LABELS:
            words.setdefault(COLUMN_LABELS[col].vi, col)
            words.setdefault(COLUMN_LABELS[col].en, col)
    hits = suggest(h, words, n=1)
    return words[hits[0]] if hits else None


def _check_header(name: str, header: list[str], problems: Problems) -> set[str] | None:
    """The columns of *header*, or ``None`` after reporting what is wrong with them."""
    known = dict.fromkeys(col for col, _, _ in FILES[name])  # in the spec's order
    columns = ", ".join(known)
    bad_header = False
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.add(name, 1, h, "cột bị lặp lại", "duplicate column")
            bad_header = True
        seen.add(h)
        empty = _EMPTY_HEADER.fullmatch(h)
        if empty:  # a workbook's header cell with no name (merged over two columns, or blank)
            problems.add(name, 1, h, f"ô tiêu đề cột {empty.group(1)} trống hoặc bị gộp với ô bên "
                         "cạnh, mà cột có dữ liệu; bỏ gộp ô và ghi tên cột (các cột: "
                         f"{columns})", f"the header cell of column {empty.group(1)} is empty or "
                         f"merged with its neighbour, but the column holds data; unmerge it and "
                         f"name the column (columns: {columns})")
            bad_header = True
        elif h not in known and not h.startswith("x_") and h != RECONSTRUCTED:
            near = _near_column(name, h)
            vi = f"; có phải là {near!r}?" if near else ""
            en = f"; did you mean {near!r}?" if near else ""
            problems.add(name, 1, h, f"cột không được biết{vi} (cột riêng phải bắt đầu bằng x_); "
                         f"các cột: {columns}",
                         f"unknown column{en} (own columns must start with x_); columns: "
                         f"{columns}")
            bad_header = True
    for col, required, _ in FILES[name]:
        if required and col not in seen:
            problems.add(name, 1, col, "thiếu cột bắt buộc", "required column is missing")
            bad_header = True
    return None if bad_header else seen


def _open_table(root: Path, name: str, problems: Problems) -> _Table | None:
    """Open *name* and check its header; ``None`` (with problems) when it cannot be read."""
    opened = _open_reader(root, name, problems)
    if opened is None:
        return None
    handle, reader = opened
    header = _read_header(name, reader, problems)
    if header is not None:
        header = header_codes(name, header)
    seen = None if header is None else _check_header(name, header, problems)
    if header is None or seen is None:
        handle.close()
        return None
    return _Table(name=name, handle=handle, reader=reader, width=len(header),
                  single_line=problems.sources.get(name) is not None,
                  plan=[(col, header.index(col), req, parser) for col, req, parser in FILES[name]
                        if col in seen],
                  extras=[(h, i) for i, h in enumerate(header)
                          if h.startswith("x_") or h == RECONSTRUCTED],
                  index={h: i for i, h in enumerate(header)})


def _read_csv(root: Path, name: str, problems: Problems) -> Iterator[_Row]:
    """Yield (line, values, extra columns) for every well-formed row of *name*."""
    table = _open_table(root, name, problems)
    if table is None:
        return
    with table.handle:
        for start, row in table.rows(problems):
            values = table.parse(start, row, problems)
            if values is not None:
                yield start, values, table.extra(row)


# ---------------------------------------------------------------------------- TOML
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path, name: str, problems: Problems) -> tuple[dict[str, Any] | None, str]:
    """Parse a TOML file; a syntax error becomes a problem with its line and column."""
    source = problems.sources.get(name)
    from ._guards import MAX_TOML_BYTES  # noqa: PLC0415

    try:
        if source is None and path.stat().st_size > MAX_TOML_BYTES:  # refused before it is read
            problems.add(name, 0, "-", f"tệp TOML quá lớn (tối đa {MAX_TOML_BYTES} byte)",
                         f"TOML file too large (at most {MAX_TOML_BYTES} bytes)")
            return None, ""
        text = source.toml_text(problems) if source is not None else \
            path.read_bytes().decode("utf-8-sig")
        if text is None:
            return None, ""
    except OSError as exc:
        problems.add_text(name, 0, "-", Text("không đọc được tệp: ", "cannot read the file: ")
                          + os_reason(exc))
        return None, ""
    except UnicodeDecodeError as exc:
        problems.add_text(name, 0, "-", unreadable(exc))
        return None, ""
    return parse_toml(text, name, problems), text


def parse_toml(text: str, name: str, problems: Problems) -> dict[str, Any] | None:
    """Parse TOML *text* within the limits of docs/cli.md; ``None`` after reporting problems."""
    from ._guards import check_numbers, check_toml_text  # noqa: PLC0415

    if not check_toml_text(text, name, problems):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        line = int(m.group(1)) if m else 0
        col = m.group(2) if m else "-"
        from ..model._labels import toml_error  # noqa: PLC0415

        problems.add_text(name, line, f"col {col}", toml_error(str(exc)))
        return None
    except (RecursionError, ValueError, OverflowError, MemoryError):  # last resort
        problems.add(name, 0, "-", "TOML vượt giới hạn (lồng quá sâu hoặc số quá lớn)",
                     "TOML exceeds the limits (nested too deep or a number too large)")
        return None
    return data if check_numbers(data, text, name, problems) else None


def toml_line(text: str, pattern: str, nth: int = 0) -> int:
    """Line (1-based) of the *nth* line matching regex *pattern* in *text*, or 0."""
    found = _matching_lines(text, pattern)
    return found[nth] if nth < len(found) else 0


#: how many different patterns one text is searched for (each search reads the whole text);
#: beyond it (thousands of unknown keys in a hostile file) lines are reported as 0
TOML_LINE_SEARCHES = 200


@functools.lru_cache(maxsize=8)
def _budget(text: str) -> list[int]:
    return [TOML_LINE_SEARCHES]


@functools.lru_cache(maxsize=256)
def _matching_lines(text: str, pattern: str) -> tuple[int, ...]:
    # cached: callers ask for the 1st, 2nd … nth [[criterion]] of one text, which rescanned the
    # text each time (quadratic in a large criteria set)
    budget = _budget(text)
    budget[0] -= 1
    if budget[0] < 0:
        return ()
    search = re.compile(pattern).search
    return tuple(i for i, line in enumerate(_lines(text), 1) if search(line))


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> list[str]:
    return text.splitlines()


def _as_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            return None
    return None
