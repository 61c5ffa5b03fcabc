"""Loading a dataset directory (contract §1): strict, every problem reported at once."""

from __future__ import annotations

import csv
import datetime as _dt
import gc
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ._dataset import Dataset, DatasetMeta
from ._dates import parse_date, parse_period, parse_term
from ._entities import (
    Absence,
    Cadre,
    Cluster,
    Indicator,
    Position,
    Target,
    Unit,
    UnitVersion,
    Visit,
)
from ._enums import AbsenceReason, Level, MeetingKind, Role, Sector, VisitPurpose
from ._i18n import Text, nfc
from ._tables import MeetingTable, MemberTable
from .exceptions import DatasetError, Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["FILES", "load_dataset", "read_toml"]

csv.field_size_limit(1 << 24)

_MIN = 0
_MAX = _dt.date.max.toordinal() + 1


class _Bad(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


class Problems:
    """Collects problems; sorted by file and line when raised."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        #: file → ids of rows that had problems (so references to them are not reported again)
        self.rejected: dict[str, set[str]] = defaultdict(set)

    def add(self, file: str, line: int, column: str, vi: str, en: str) -> None:
        self.items.append(Problem(file, line, column, Text(vi, en)))

    def add_text(self, file: str, line: int, column: str, text: Text) -> None:
        self.items.append(Problem(file, line, column, text))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, cls: type[DatasetError] = DatasetError) -> None:
        if self.items:
            order = {name: i for i, name in enumerate(FILES)}
            self.items.sort(key=lambda p: (order.get(p.file, 99), p.file, p.line))
            raise cls(self.items)


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
    low = raw.strip().lower()
    if low in ("true", "1", "yes", "có", "x"):
        return True
    if low in ("false", "0", "no", "không", ""):
        return False
    raise _Bad(Text(f"không phải true/false: {raw!r}", f"not true/false: {raw!r}"))


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(" ", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _Bad(Text(f"không phải số: {raw!r}", f"not a number: {raw!r}"))
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


def _enum(cls: type) -> Callable[[str], Any]:
    values = {m.value: m for m in cls}
    allowed = ", ".join(values)

    def parse(raw: str) -> Any:
        try:
            return values[raw.strip()]
        except KeyError:
            raise _Bad(Text(f"giá trị không hợp lệ {raw!r}; chỉ nhận: {allowed}",
                            f"invalid value {raw!r}; allowed: {allowed}")) from None

    return parse


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
    ),
    "targets.csv": (
        ("unit_id", True, _text), ("period", True, _period), ("indicator", True, _text),
        ("value", True, _decimal), ("source", False, _text),
    ),
    "clusters.toml": (),
    "criteria.toml": (),
}

_Row = tuple[int, dict[str, Any], dict[str, str]]


_BREAK = re.compile(r"\r\n|\r|\n")


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
    _first: int = 2

    def rows(self, problems: Problems) -> Iterator[tuple[int, list[str]]]:
        """(first line, cells) of every non-empty row with the right number of cells."""
        reader, width, name = self.reader, self.width, self.name
        line = 1
        try:
            for row in reader:
                start = line + 1
                line = reader.line_num
                if len(row) != width:
                    if row:
                        problems.add(name, start, "-", f"có {len(row)} ô, tiêu đề có {width} cột",
                                     f"{len(row)} fields, but the header has {width} columns")
                    continue
                yield start, row
        except (UnicodeDecodeError, csv.Error) as exc:
            problems.add(name, line + 1, "-", f"tệp không đọc được: {exc}",
                         f"unreadable file: {exc}")

    def chunks(self, problems: Problems, size: int) -> Iterator[tuple[bool, list[Any]]]:
        """
        Rows in chunks of *size*: ``(True, rows)`` when every row has the right width and sits
        on one line (so a fast path may take them as they are; call :meth:`numbered` for their
        lines), else ``(False, [(line, row)…])`` with each row's first line.
        """
        reader, width = self.reader, self.width
        line = 1
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
            problems.add(self.name, line + 1, "-", f"tệp không đọc được: {exc}",
                         f"unreadable file: {exc}")

    def numbered(self, chunk: list[list[str]]) -> list[tuple[int, list[str]]]:
        """The rows of the plain chunk just yielded by :meth:`chunks`, with their lines."""
        return [(self._first + k, row) for k, row in enumerate(chunk)]

    def _lines(self, chunk: list[list[str]], line: int,
               problems: Problems) -> Iterator[tuple[int, list[str]]]:
        width, name = self.width, self.name
        for row in chunk:
            start = line + 1
            line += 1 + sum(len(_BREAK.findall(cell)) for cell in row)
            if len(row) != width:
                if row:
                    problems.add(name, start, "-", f"có {len(row)} ô, tiêu đề có {width} cột",
                                 f"{len(row)} fields, but the header has {width} columns")
                continue
            yield start, row

    def parse(self, start: int, row: list[str], problems: Problems) -> dict[str, Any] | None:
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

    def extra(self, row: list[str]) -> dict[str, str]:
        """The row's own ``x_`` columns that have a value."""
        return {h: nfc(row[i]) for h, i in self.extras if row[i]}


def _open_table(root: Path, name: str, problems: Problems) -> _Table | None:
    """Open *name* and check its header; ``None`` (with problems) when it cannot be read."""
    spec = FILES[name]
    known = {col for col, _, _ in spec}
    try:
        handle = open(root / name, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        problems.add(name, 0, "-", f"không đọc được tệp: {exc.strerror}",
                     f"cannot read the file: {exc.strerror}")
        return None
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.add(name, 1, "-", f"tệp không đọc được: {exc}", f"unreadable file: {exc}")
        handle.close()
        return None
    if header is None:
        problems.add(name, 1, "-", "tệp rỗng: thiếu dòng tiêu đề",
                     "empty file: the header row is missing")
        handle.close()
        return None
    header = [nfc(h.strip()) for h in header]
    bad_header = False
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.add(name, 1, h, "cột bị lặp lại", "duplicate column")
            bad_header = True
        seen.add(h)
        if h not in known and not h.startswith("x_"):
            problems.add(name, 1, h,
                         f"cột không được biết (cột riêng phải bắt đầu bằng x_); các cột: "
                         f"{', '.join(c for c, _, _ in spec)}",
                         f"unknown column (own columns must start with x_); columns: "
                         f"{', '.join(c for c, _, _ in spec)}")
            bad_header = True
    for col, required, _ in spec:
        if required and col not in seen:
            problems.add(name, 1, col, "thiếu cột bắt buộc", "required column is missing")
            bad_header = True
    if bad_header:
        handle.close()
        return None
    return _Table(name=name, handle=handle, reader=reader, width=len(header),
                  plan=[(col, header.index(col), req, parser) for col, req, parser in spec
                        if col in seen],
                  extras=[(h, i) for i, h in enumerate(header) if h.startswith("x_")],
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
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        problems.add(name, 0, "-", f"không đọc được tệp: {exc.strerror}",
                     f"cannot read the file: {exc.strerror}")
        return None, ""
    except UnicodeDecodeError as exc:
        problems.add(name, 0, "-", f"không phải UTF-8: {exc}", f"not UTF-8: {exc}")
        return None, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        line = int(m.group(1)) if m else 0
        col = m.group(2) if m else "-"
        problems.add(name, line, f"col {col}", f"TOML sai cú pháp: {exc}", f"bad TOML: {exc}")
        return None, text


def toml_line(text: str, pattern: str, nth: int = 0) -> int:
    """Line (1-based) of the *nth* line matching regex *pattern* in *text*, or 0."""
    rx = re.compile(pattern)
    count = 0
    for i, line in enumerate(text.splitlines(), 1):
        if rx.search(line):
            if count == nth:
                return i
            count += 1
    return 0


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


def _read_meta(root: Path, problems: Problems) -> DatasetMeta | None:
    name = "dataset.toml"
    if not (root / name).is_file():
        problems.add(name, 0, "-", "thiếu tệp bắt buộc", "required file is missing")
        return None
    data, text = read_toml(root / name, name, problems)
    if data is None:
        return None
    known = {"format", "name", "root", "year", "plugins", "parameters", "description", "sources"}
    bad = False
    for key in data:
        if key not in known and not key.startswith("x_"):
            problems.add(name, toml_line(text, rf"^\s*{re.escape(key)}\s*=|\[{re.escape(key)}"),
                         key, "khóa không được biết", "unknown key")
            bad = True
    for key in ("format", "name", "root"):
        if key not in data:
            problems.add(name, 0, key, "thiếu khóa bắt buộc", "required key is missing")
            bad = True
    if data.get("format", 1) != 1:
        problems.add(name, toml_line(text, r"^\s*format\s*="), "format",
                     f"định dạng {data.get('format')!r} không được hỗ trợ (chỉ 1)",
                     f"format {data.get('format')!r} is not supported (only 1)")
        bad = True
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2200):
        problems.add(name, toml_line(text, r"^\s*year\s*="), "year", "năm không hợp lệ",
                     "not a valid year")
        bad = True
    plugins = data.get("plugins", [])
    if not isinstance(plugins, list) or not all(isinstance(p, str) for p in plugins):
        problems.add(name, toml_line(text, r"^\s*plugins\s*="), "plugins",
                     "phải là danh sách tên plugin", "must be a list of plugin names")
        bad = True
    params = data.get("parameters", {})
    checked: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(params, dict):
        problems.add(name, toml_line(text, r"^\s*\[parameters\]|^\s*parameters\s*="),
                     "parameters", "phải là một bảng", "must be a table")
        bad = True
    else:
        for key, entries in params.items():
            line = toml_line(text, rf"^\s*\"?{re.escape(key)}\"?\s*=")
            if isinstance(entries, dict):
                entries = [entries]
            if not isinstance(entries, list) or not entries:
                problems.add(name, line, f"parameters.{key}",
                             "phải là danh sách { from, value, source }",
                             "must be a list of { from, value, source }")
                bad = True
                continue
            good = []
            for entry in entries:
                start = _as_date(entry.get("from")) if isinstance(entry, dict) else None
                if not isinstance(entry, dict) or start is None or "value" not in entry:
                    problems.add(name, line, f"parameters.{key}",
                                 "mỗi giá trị cần 'from' (ngày) và 'value'",
                                 "each value needs 'from' (a date) and 'value'")
                    bad = True
                    continue
                if not entry.get("source"):
                    problems.add(name, line, f"parameters.{key}",
                                 "mỗi giá trị cần 'source' (văn bản căn cứ)",
                                 "each value needs a 'source' (the document it comes from)")
                    bad = True
                    continue
                good.append({"from": start, "value": entry["value"], "source": str(entry["source"])})
            checked[key] = good
    if bad:
        return None
    sources = data.get("sources", [])
    return DatasetMeta(
        name=nfc(str(data["name"])),
        root=nfc(str(data["root"])),
        year=year,
        format=1,
        plugins=tuple(plugins),
        parameters=checked,
        description=nfc(str(data["description"])) if data.get("description") else None,
        sources=tuple(nfc(str(s)) for s in sources) if isinstance(sources, list) else (),
    )


# ---------------------------------------------------------------------------- the tree
def _interval(start: _dt.date | None, end: _dt.date | None) -> tuple[int, int]:
    return (start.toordinal() if start else _MIN, end.toordinal() if end else _MAX)


def _covered(intervals: list[tuple[int, int]], first: int, last: int) -> bool:
    """Whether merged, sorted *intervals* cover every day of [first, last]."""
    at = first
    for lo, hi in intervals:
        if lo > at:
            return False
        if hi >= at:
            at = hi + 1
            if at > last:
                return True
    return at > last


def _check_units(rows: list[_Row], problems: Problems) -> dict[str, Unit]:
    name = "units.csv"
    grouped: dict[str, list[tuple[int, UnitVersion]]] = defaultdict(list)
    for line, v, extra in rows:
        version = UnitVersion(extra=extra, **v)
        if version.valid_from and version.valid_to and version.valid_to < version.valid_from:
            problems.add(name, line, "valid_to", "kết thúc trước khi bắt đầu (valid_from)",
                         "ends before it starts (valid_from)")
        grouped[version.id].append((line, version))
    units: dict[str, Unit] = {}
    lines: dict[str, list[tuple[int, UnitVersion]]] = {}
    for uid, versions in grouped.items():
        versions.sort(key=lambda lv: _interval(lv[1].valid_from, lv[1].valid_to))
        for (_, prev), (line, cur) in zip(versions, versions[1:]):
            if _interval(prev.valid_from, prev.valid_to)[1] >= _interval(cur.valid_from,
                                                                        cur.valid_to)[0]:
                problems.add(name, line, "valid_from",
                             f"phiên bản chồng lên phiên bản khác của đơn vị {uid!r}",
                             f"version overlaps another version of unit {uid!r}")
        units[uid] = Unit(id=uid, versions=tuple(v for _, v in versions))
        lines[uid] = versions
    cover = {uid: sorted(_interval(v.valid_from, v.valid_to) for v in u.versions)
             for uid, u in units.items()}
    for uid, versions in lines.items():
        for line, v in versions:
            if v.successor_id is not None and v.successor_id not in units and \
                    v.successor_id not in problems.rejected[name]:
                problems.add(name, line, "successor_id", f"không có đơn vị {v.successor_id!r}",
                             f"no unit {v.successor_id!r}")
            if v.parent_id is None:
                continue
            if v.parent_id == uid:
                continue  # reported as a cycle below
            if v.parent_id not in units:
                if v.parent_id not in problems.rejected[name]:
                    problems.add(name, line, "parent_id", f"không có đơn vị {v.parent_id!r}",
                                 f"no unit {v.parent_id!r}")
                continue
            first, last = _interval(v.valid_from, v.valid_to)
            if not _covered(cover[v.parent_id], first, last):
                problems.add(name, line, "parent_id",
                             f"đơn vị cấp trên {v.parent_id!r} không tồn tại trong suốt thời gian "
                             "của phiên bản này",
                             f"parent {v.parent_id!r} does not exist for the whole time of this "
                             "version")
            for pv in units[v.parent_id].versions:
                plo, phi = _interval(pv.valid_from, pv.valid_to)
                if plo <= last and first <= phi and pv.level.depth >= v.level.depth:
                    problems.add(name, line, "level",
                                 f"cấp không giảm dần: {v.level.label.vi} không thể trực thuộc "
                                 f"{pv.level.label.vi} {v.parent_id!r}",
                                 f"levels do not descend: a {v.level.value} cannot be under the "
                                 f"{pv.level.value} {v.parent_id!r}")
                    break
    _check_cycles(lines, problems)
    return units


def _check_cycles(lines: dict[str, list[tuple[int, UnitVersion]]], problems: Problems) -> None:
    """Report each cycle of parent links once, at the first file line among its links."""
    edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for uid, versions in lines.items():
        for line, v in versions:
            if v.parent_id is not None and v.parent_id in lines:
                edges[uid].append((v.parent_id, line))
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    reported: set[frozenset[str]] = set()
    for start in lines:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(start, iter(edges.get(start, ())))]
        path: list[tuple[str, int]] = []
        state[start] = 1
        while stack:
            node, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[node] = 2
                stack.pop()
                if path:
                    path.pop()
                continue
            parent, line = step
            if state.get(parent) == 1:
                # the cycle: from parent's position in the path back to node
                ids = [n for n, _ in stack]
                cut = ids.index(parent)
                members = ids[cut:]
                cyc_lines = [ln for _, ln in path[cut:]] + [line]
                key = frozenset(members)
                if key not in reported:
                    reported.add(key)
                    chain = " → ".join([*members, parent])
                    problems.add("units.csv", min(cyc_lines), "parent_id",
                                 f"vòng lặp cấp trên: {chain}", f"cycle of parents: {chain}")
            elif not state.get(parent):
                state[parent] = 1
                path.append((parent, line))
                stack.append((parent, iter(edges.get(parent, ()))))


# ---------------------------------------------------------------------------- big files
class _Ordinals(dict):  # type: ignore[type-arg]
    """Date text → day ordinal (``""`` → 0), parsed once per distinct text.

    A text that is not a date raises KeyError, so the caller falls back to the careful parser,
    which reports the problem.
    """

    def __missing__(self, raw: str) -> int:
        if not raw or raw.isspace():
            value = 0
        else:
            try:
                value = parse_date(raw).toordinal()
            except ValueError:
                raise KeyError(raw) from None
        if len(self) < 500_000:
            self[raw] = value
        return value


def _later(problems: Problems, file: str, line: int, col: str, what: str) -> None:
    problems.add(file, line, col, f"{col} trước {what}", f"{col} is before {what}")


_CHUNK = 1024  # small enough to stay in the CPU cache: 50k-row chunks are 2x slower


def _column(cols: list[tuple[str, ...]], i: int | None, n: int) -> tuple[str, ...]:
    return cols[i] if i is not None else ("",) * n


def _load_members(root: Path, problems: Problems, units: dict[str, Unit],
                  unit_index: dict[str, int], unit_ids: list[str]) -> MemberTable:
    """
    members.csv straight into column arrays, no object per row, same checks as the rest.

    Rows are taken in chunks; a chunk whose every cell is ordinary (ASCII ids, known branches,
    ISO dates, dates in order, no duplicate) is converted column by column with C-level
    ``map``; any other chunk goes row by row through the careful parser, which reports problems.
    """
    name = "members.csv"
    table = MemberTable(unit_ids)
    t = _open_table(root, name, problems)
    if t is None:
        return table
    branch_levels = {Level.BRANCH, Level.SUB_BRANCH}
    code_of = {uid: unit_index[uid] for uid, u in units.items()
               if any(v.level in branch_levels for v in u.versions)}
    rejected_units = problems.rejected["units.csv"]
    ix = t.index
    i_id, i_b, i_join = ix["id"], ix["branch_id"], ix["joined_on"]
    i_birth, i_left, i_reason = ix.get("birth_date"), ix.get("left_on"), ix.get("left_reason")
    i_intro, i_adm = ix.get("party_introduced_on"), ix.get("party_admitted_on")
    ords = _Ordinals()
    get_ord = ords.__getitem__
    strip, isascii = str.strip, str.isascii

    def fast_chunk(chunk: list[list[str]]) -> bool:
        n = len(chunk)
        cols = list(zip(*chunk))
        ids = list(map(strip, cols[i_id]))
        bids = list(map(strip, cols[i_b]))
        if not all(ids) or not all(map(isascii, ids)):
            return False
        codes = list(map(code_of.get, bids))
        if None in codes:
            return False
        try:
            joined = list(map(get_ord, cols[i_join]))
            birth = list(map(get_ord, _column(cols, i_birth, n)))
            left = list(map(get_ord, _column(cols, i_left, n)))
            intro = list(map(get_ord, _column(cols, i_intro, n)))
            adm = list(map(get_ord, _column(cols, i_adm, n)))
        except KeyError:
            return False
        if 0 in joined or [1 for lv, jv in zip(left, joined) if lv and lv < jv] or \
                [1 for bv, jv in zip(birth, joined) if jv < bv] or \
                [1 for av, iv in zip(adm, intro) if av < iv and av]:
            return False
        base = len(table.ids)
        if i_reason is not None:
            for k, r in enumerate(cols[i_reason]):
                if r and not r.isspace():
                    table.left_reason[base + k] = nfc(r.strip())
        if t.extras:
            for k, row in enumerate(chunk):
                extra = t.extra(row)
                if extra:
                    table.extra[base + k] = extra
        table.extend(ids, codes, birth, joined, left, intro, adm)
        return True

    def slow_row(start: int, row: list[str]) -> None:
        v = t.parse(start, row, problems)
        if v is None:
            return
        mid, bid = v["id"], v["branch_id"]
        j = v["joined_on"].toordinal()
        b, left, intro, adm = (d.toordinal() if d else 0 for d in (
            v.get("birth_date"), v.get("left_on"), v.get("party_introduced_on"),
            v.get("party_admitted_on")))
        code = code_of.get(bid)
        if code is None:
            if bid in rejected_units:
                return
            if bid in units:
                problems.add(name, start, "branch_id", f"{bid!r} không phải chi đoàn",
                             f"{bid!r} is not a branch")
            else:
                problems.add(name, start, "branch_id", f"không có chi đoàn {bid!r}",
                             f"no branch {bid!r}")
            return
        if left and left < j:
            _later(problems, name, start, "left_on", "joined_on")
            return
        if b and j < b:
            problems.add(name, start, "joined_on", "vào Đoàn trước ngày sinh",
                         "joined before being born")
            return
        if adm and intro and adm < intro:
            _later(problems, name, start, "party_admitted_on", "party_introduced_on")
            return
        row_no = len(table.ids)
        if v.get("left_reason"):
            table.left_reason[row_no] = v["left_reason"]
        extra = t.extra(row)
        if extra:
            table.extra[row_no] = extra
        table.extend([mid], [code], [b], [j], [left], [intro], [adm])

    with t.handle:
        for plain, chunk in t.chunks(problems, _CHUNK):
            if plain and fast_chunk(chunk):
                continue
            for start, row in (t.numbered(chunk) if plain else chunk):
                slow_row(start, row)
    _report_duplicates(root, name, table.ids, problems)
    return table


def _report_duplicates(root: Path, name: str, ids: list[str], problems: Problems) -> None:
    """Report every repeated id with its line (a second, careful read only when there is one)."""
    if len(set(ids)) == len(ids):
        return
    t = _open_table(root, name, problems)
    if t is None:  # pragma: no cover - it opened a moment ago
        return
    i_id = t.index["id"]
    seen: set[str] = set()
    with t.handle:
        for start, row in t.rows(problems):
            mid = _text(row[i_id])
            if mid in seen:
                problems.add(name, start, "id", f"mã bị trùng: {mid!r}", f"duplicate id: {mid!r}")
            seen.add(mid)


def _load_meetings(root: Path, problems: Problems, unit_index: dict[str, int],
                   unit_ids: list[str], spans: dict[str, tuple[int, int]],
                   cadres: dict[str, Cadre], cluster_ids: set[str],
                   unit_on: Callable[..., bool], cadre_ok: Callable[..., bool]) -> MeetingTable:
    """meetings.csv straight into column arrays; same checks as the rest."""
    name = "meetings.csv"
    table = MeetingTable(unit_ids)
    t = _open_table(root, name, problems)
    if t is None:
        return table
    kinds = {k.value: MeetingTable.kind_code(k) for k in MeetingKind}
    ix = t.index
    i_id, i_unit, i_date, i_kind = ix["id"], ix["unit_id"], ix["date"], ix["kind"]
    i_chair, i_att, i_cl = ix.get("chair_id"), ix.get("attendees"), ix.get("cluster_id")
    fast = not t.extras and None not in (i_chair, i_att, i_cl)
    ords = _Ordinals()
    seen: set[str] = set()
    ids_append, unit_append = table.ids.append, table.unit.append
    date_append, kind_append = table.date.append, table.kind.append
    with t.handle:
        for start, row in t.rows(problems):
            try:
                if not fast:
                    raise KeyError
                mid = row[i_id].strip()
                uid = row[i_unit].strip()
                if not mid or not uid or not mid.isascii() or not uid.isascii():
                    raise KeyError
                day = ords[row[i_date]]
                if not day:
                    raise KeyError
                kind = kinds[row[i_kind]]
                chair = row[i_chair].strip() or None  # type: ignore[index]
                att_raw = row[i_att]  # type: ignore[index]
                attendees = _ids(att_raw) if att_raw else ()
                cluster = row[i_cl].strip() or None  # type: ignore[index]
                if (chair and not chair.isascii()) or (cluster and not cluster.isascii()):
                    raise KeyError
            except KeyError:
                v = t.parse(start, row, problems)
                if v is None:
                    continue
                mid, uid, day = v["id"], v["unit_id"], v["date"].toordinal()
                kind = kinds[v["kind"].value]
                chair, attendees, cluster = (v.get("chair_id"), v.get("attendees") or (),
                                             v.get("cluster_id"))
            if mid in seen:
                problems.add(name, start, "id", f"mã bị trùng: {mid!r}", f"duplicate id: {mid!r}")
                continue
            seen.add(mid)
            span = spans.get(uid)
            ok = span is not None and span[0] <= day <= span[1]
            if not ok:
                unit_on(name, start, "unit_id", uid, day, day)
            if chair is not None and chair not in cadres:
                ok = cadre_ok(name, start, "chair_id", chair) and ok
            for cid in attendees:
                if cid not in cadres:
                    ok = cadre_ok(name, start, "attendees", cid) and ok
            if cluster is not None and cluster not in cluster_ids:
                problems.add(name, start, "cluster_id", f"không có cụm {cluster!r}",
                             f"no cluster {cluster!r}")
                ok = False
            if not ok:
                continue
            row_no = len(table.ids)
            if chair:
                table.chair[row_no] = chair
            if attendees:
                table.attendees[row_no] = tuple(attendees)
            if cluster:
                table.cluster[row_no] = cluster
            if t.extras:
                extra = t.extra(row)
                if extra:
                    table.extra[row_no] = extra
            ids_append(mid)
            unit_append(unit_index[uid])
            date_append(day)
            kind_append(kind)
    return table


# ---------------------------------------------------------------------------- the loader
def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """
    Load the dataset directory at *path* (contract §1).

    The dataset loads whole or not at all.

    Raises:
        DatasetError: listing every problem found (``.problems``), each with file, line,
            column and a bilingual message.
    """
    # Loading allocates millions of rows and frees none of them until it ends: the cyclic
    # garbage collector would re-scan the growing heap again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_dataset(path)
    finally:
        if enabled:
            gc.enable()


def _load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """
    Load the dataset directory at *path* (contract §1).

    The dataset loads whole or not at all.

    Raises:
        DatasetError: listing every problem found (``.problems``), each with file, line,
            column and a bilingual message.
    """
    root = Path(path)
    problems = Problems()
    if not root.is_dir():
        problems.add(str(root), 0, "-", "không phải thư mục dataset", "not a dataset directory")
        problems.raise_if_any()
    meta = _read_meta(root, problems)
    present = {name for name in FILES if (root / name).is_file()}
    if "units.csv" not in present:
        problems.add("units.csv", 0, "-", "thiếu tệp bắt buộc", "required file is missing")
    # Units first: every other file refers to them.
    units = _check_units(list(_read_csv(root, "units.csv", problems)), problems) \
        if "units.csv" in present else {}
    unit_ids = list(units)
    unit_index = {uid: i for i, uid in enumerate(unit_ids)}
    spans = {uid: (_interval(u.versions[0].valid_from, None)[0],
                   _interval(None, u.versions[-1].valid_to)[1]) for uid, u in units.items()}

    def unit_on(file: str, line: int, col: str, uid: str, first: int, last: int) -> bool:
        span = spans.get(uid)
        if span is None:
            if uid not in problems.rejected["units.csv"]:
                problems.add(file, line, col, f"không có đơn vị {uid!r}", f"no unit {uid!r}")
            return False
        if span[0] > last or first > span[1]:
            problems.add(file, line, col, f"đơn vị {uid!r} không tồn tại vào thời điểm này",
                         f"unit {uid!r} does not exist at that time")
            return False
        return True

    def rows(name: str) -> Iterator[_Row]:
        return _read_csv(root, name, problems) if name in present else iter(())

    def later(file: str, line: int, col: str, first: Any, second: Any, what: str) -> None:
        if first is not None and second is not None and second < first:
            problems.add(file, line, col, f"{col} trước {what}", f"{col} is before {what}")

    # cadres
    cadres: dict[str, Cadre] = {}
    for line, v, extra in rows("cadres.csv"):
        if v["id"] in cadres:
            problems.add("cadres.csv", line, "id", f"mã bị trùng: {v['id']!r}",
                         f"duplicate id: {v['id']!r}")
            continue
        cadres[v["id"]] = Cadre(extra=extra, **v)

    def cadre_ok(file: str, line: int, col: str, cid: str | None) -> bool:
        if cid is not None and cid not in cadres:
            if cid not in problems.rejected["cadres.csv"]:
                problems.add(file, line, col, f"không có cán bộ {cid!r}", f"no cadre {cid!r}")
            return False
        return True

    positions: list[Position] = []
    for line, v, extra in rows("positions.csv"):
        ok = cadre_ok("positions.csv", line, "cadre_id", v["cadre_id"])
        later("positions.csv", line, "end", v["start"], v.get("end"), "start")
        first, last = _interval(v["start"], v.get("end"))
        ok = unit_on("positions.csv", line, "unit_id", v["unit_id"], first, last) and ok
        if ok:
            v["full_time"] = bool(v.get("full_time"))
            positions.append(Position(extra=extra, **v))

    absences: list[Absence] = []
    for line, v, extra in rows("absences.csv"):
        if cadre_ok("absences.csv", line, "cadre_id", v["cadre_id"]):
            later("absences.csv", line, "end", v["start"], v["end"], "start")
            absences.append(Absence(extra=extra, **v))

    # clusters (meetings refer to them)
    clusters = _read_clusters(root, problems, spans) if "clusters.toml" in present else []
    cluster_ids = {c.id for c in clusters}

    visits: list[Visit] = []
    seen_ids: set[str] = set()
    for line, v, extra in rows("visits.csv"):
        if v["id"] in seen_ids:
            problems.add("visits.csv", line, "id", f"mã bị trùng: {v['id']!r}",
                         f"duplicate id: {v['id']!r}")
            continue
        seen_ids.add(v["id"])
        ok = cadre_ok("visits.csv", line, "cadre_id", v["cadre_id"])
        later("visits.csv", line, "end", v["start"], v.get("end"), "start")
        later("visits.csv", line, "report_on", v["start"], v.get("report_on"), "start")
        first, last = _interval(v["start"], v.get("end") or v["start"])
        ok = unit_on("visits.csv", line, "unit_id", v["unit_id"], first, last) and ok
        if ok:
            visits.append(Visit(extra=extra, **v))

    meetings = _load_meetings(root, problems, unit_index, unit_ids, spans, cadres, cluster_ids,
                              unit_on, cadre_ok) \
        if "meetings.csv" in present else MeetingTable(unit_ids)

    members = _load_members(root, problems, units, unit_index, unit_ids) \
        if "members.csv" in present else MemberTable(unit_ids)

    def numbers(name: str, cls: type) -> list[Any]:
        out = []
        keys: set[tuple[str, str, str]] = set()
        for line, v, extra in rows(name):
            key = (v["unit_id"], str(v["period"]), v["indicator"])
            if key in keys:
                problems.add(name, line, "indicator",
                             f"trùng đơn vị, kỳ và chỉ số: {key[0]} {key[1]} {key[2]}",
                             f"duplicate unit, period and indicator: {key[0]} {key[1]} {key[2]}")
                continue
            keys.add(key)
            p = v["period"]
            if unit_on(name, line, "unit_id", v["unit_id"], p.start.toordinal(),
                       p.end.toordinal()):
                out.append(cls(extra=extra, **v))
        return out

    indicators = numbers("indicators.csv", Indicator)
    targets = numbers("targets.csv", Target)

    criteria = None
    if "criteria.toml" in present:
        criteria, _ = read_toml(root / "criteria.toml", "criteria.toml", problems)

    if meta is not None and units and meta.root not in units:
        problems.add("dataset.toml", 0, "root", f"không có đơn vị {meta.root!r} trong units.csv",
                     f"no unit {meta.root!r} in units.csv")
    problems.raise_if_any()
    assert meta is not None
    return Dataset(
        meta=meta, units=units, cadres=cadres, positions=tuple(positions),
        absences=tuple(absences), visits=tuple(visits), meetings=meetings, members=members,
        indicators=tuple(indicators), targets=tuple(targets), clusters=tuple(clusters),
        criteria=criteria, path=str(root),
    )


def _read_clusters(root: Path, problems: Problems,
                   spans: dict[str, tuple[int, int]]) -> list[Cluster]:
    name = "clusters.toml"
    data, text = read_toml(root / name, name, problems)
    if data is None:
        return []
    out: list[Cluster] = []
    entries = data.get("cluster", [])
    for key in data:
        if key != "cluster":
            problems.add(name, toml_line(text, rf"^\s*{re.escape(key)}\s*=|\[{re.escape(key)}\]"),
                         key, "khóa không được biết", "unknown key")
    if not isinstance(entries, list):
        problems.add(name, 0, "cluster", "phải là [[cluster]]", "must be [[cluster]] tables")
        return []
    seen: set[tuple[str, int]] = set()
    in_cluster: dict[tuple[str, int], str] = {}
    known = {"id", "name", "year", "members", "lead", "source"}
    for n, entry in enumerate(entries):
        line = toml_line(text, r"^\s*\[\[\s*cluster\s*\]\]", n)
        bad = False
        for key in entry:
            if key not in known:
                problems.add(name, line, key, "khóa không được biết", "unknown key")
                bad = True
        for key in ("id", "name", "year", "members"):
            if key not in entry:
                problems.add(name, line, key, "thiếu khóa bắt buộc", "required key is missing")
                bad = True
        if bad:
            continue
        year = entry["year"]
        members = entry["members"]
        if not isinstance(year, int) or not isinstance(members, list) or not all(
                isinstance(m, str) for m in members):
            problems.add(name, line, "members", "year phải là số, members là danh sách mã đơn vị",
                         "year must be an integer and members a list of unit ids")
            continue
        cid = nfc(str(entry["id"]))
        if (cid, year) in seen:
            problems.add(name, line, "id", f"cụm {cid!r} năm {year} bị trùng",
                         f"cluster {cid!r} for {year} appears twice")
            continue
        seen.add((cid, year))
        members = [nfc(m) for m in members]
        first = _dt.date(year, 1, 1).toordinal()
        last = _dt.date(year, 12, 31).toordinal()
        for uid in members:
            span = spans.get(uid)
            if span is None:
                problems.add(name, line, "members", f"không có đơn vị {uid!r}", f"no unit {uid!r}")
                bad = True
            elif span[0] > last or first > span[1]:
                problems.add(name, line, "members",
                             f"đơn vị {uid!r} không tồn tại trong năm {year}",
                             f"unit {uid!r} does not exist in {year}")
                bad = True
            elif (uid, year) in in_cluster:
                problems.add(name, line, "members",
                             f"đơn vị {uid!r} đã thuộc cụm {in_cluster[(uid, year)]!r} năm {year}",
                             f"unit {uid!r} is already in cluster {in_cluster[(uid, year)]!r} "
                             f"in {year}")
                bad = True
            else:
                in_cluster[(uid, year)] = cid
        lead = entry.get("lead")
        if lead is not None and nfc(lead) not in members:
            problems.add(name, line, "lead", f"đơn vị trưởng cụm {lead!r} không thuộc cụm",
                         f"lead {lead!r} is not a member of the cluster")
            bad = True
        if not bad:
            out.append(Cluster(id=cid, name=nfc(str(entry["name"])), year=year,
                               members=tuple(members), lead=nfc(lead) if lead else None,
                               source=entry.get("source")))
    return out
