"""
The store's typed copy of a dataset's small files, so that a store opens without reading them
again (docs/decisions.md: "Opening a store from typed rows").

``doanmodel import`` validates the folder with the careful loader, then writes, next to the raw
bytes of each small file (table ``files``), the entities the loader made of it (table
``typed``: one row per file, its SHA-256, :data:`STORE_FORMAT` and a JSON body holding the
entities column by column). Opening builds the entities straight from those columns, without
parsing or checking the files again: the store was checked when it was written. A store whose
typed rows are missing, of another format or out of step with ``files`` (written by an older
doanmodel, or changed by one) is opened by the careful loader instead.

JSON, not pickle: the store is data, never code; a body can only ever yield strings, numbers,
dates, enum members and the other plain values named in :data:`_SPEC`.
"""

from __future__ import annotations

import datetime as _dt
import json
import tempfile
from collections import deque
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from functools import partial
from itertools import accumulate, repeat
from operator import attrgetter, eq
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unicodedata import is_normalized

import attrs

from .._gc import without_cyclic_gc
from ..model._dates import parse_period
from ..model._entities import (
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
from ..model._enums import AbsenceReason, Level, Role, ScoreStage, Sector, VisitPurpose
from ._ducksql import lit

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset

__all__ = ["STORE_FORMAT", "TYPED", "read_typed", "write_typed"]

#: the format of the ``typed`` rows; a row of another format is not read (the careful loader
#: opens the dataset) and the next import rewrites it. Raise it whenever the meaning of a body
#: changes, or the loader starts to make different entities of the same file.
STORE_FORMAT = 2  # 2: indicators carry stage, by, on

# column kinds (an Enum subclass is a column of its members, by value)
_TEXT, _DATE, _BOOL, _PERIOD, _NUMBER = "text", "date", "bool", "period", "number"
_INT, _IDS = "int", "ids"

_Columns = tuple[tuple[str, Any], ...]

#: the values a column of that kind may hold for its body to give them back as they were
_KEPT: dict[str, Any] = {_TEXT: lambda v: v is None or type(v) is str,
                         _INT: lambda v: type(v) is int}

#: file → (entity class, its columns and their kinds); ``extra`` (``x_`` columns) on the side
_SPEC: dict[str, tuple[type, _Columns]] = {
    "units.csv": (UnitVersion, (
        ("id", _TEXT), ("name", _TEXT), ("level", Level), ("parent_id", _TEXT),
        ("sector", Sector), ("valid_from", _DATE), ("valid_to", _DATE),
        ("successor_id", _TEXT), ("code", _TEXT))),
    "cadres.csv": (Cadre, (
        ("id", _TEXT), ("name", _TEXT), ("birth_date", _DATE), ("gender", _TEXT),
        ("education", _TEXT))),
    "positions.csv": (Position, (
        ("cadre_id", _TEXT), ("unit_id", _TEXT), ("role", Role), ("full_time", _BOOL),
        ("start", _DATE), ("end", _DATE), ("term", _TEXT))),
    "absences.csv": (Absence, (
        ("cadre_id", _TEXT), ("start", _DATE), ("end", _DATE), ("reason", AbsenceReason))),
    "visits.csv": (Visit, (
        ("id", _TEXT), ("cadre_id", _TEXT), ("unit_id", _TEXT), ("start", _DATE),
        ("end", _DATE), ("purpose", VisitPurpose), ("order_ref", _TEXT),
        ("report_on", _DATE))),
    "indicators.csv": (Indicator, (
        ("unit_id", _TEXT), ("period", _PERIOD), ("indicator", _TEXT), ("value", _NUMBER),
        ("evidence", _TEXT), ("stage", ScoreStage), ("by", _TEXT), ("on", _DATE))),
    "targets.csv": (Target, (
        ("unit_id", _TEXT), ("period", _PERIOD), ("indicator", _TEXT), ("value", _NUMBER),
        ("source", _TEXT))),
    "clusters.toml": (Cluster, (
        ("id", _TEXT), ("name", _TEXT), ("year", _INT), ("members", _IDS), ("lead", _TEXT),
        ("source", _TEXT))),
}

#: the small files kept as typed rows (dataset.toml and criteria.toml are small and may hold
#: any TOML value: they are read again; so is clusters.toml when a ``source`` is not text)
TYPED = tuple(_SPEC)
_TOML = ("dataset.toml", "clusters.toml", "criteria.toml")

_TABLE_SQL = ("CREATE TABLE IF NOT EXISTS {}.typed (name VARCHAR PRIMARY KEY, sha256 VARCHAR, "
              "format INTEGER, body BLOB)")


# ---------------------------------------------------------------------------- writing
def _items(ds: Dataset, name: str) -> Sequence[Any]:
    """The entities *ds* holds from file *name* (units: every version, unit after unit)."""
    if name == "units.csv":
        return [v for u in ds.units.values() for v in u.versions]
    if name == "cadres.csv":
        return list(ds.cadres.values())
    if name == "clusters.toml":
        return ds.clusters
    return {"positions.csv": ds.positions, "absences.csv": ds.absences, "visits.csv": ds.visits,
            "indicators.csv": ds.indicators, "targets.csv": ds.targets}[name]


def _encode_column(values: list[Any], kind: Any) -> list[Any]:
    if kind == _DATE:
        return [None if v is None else v.toordinal() for v in values]
    if kind in (_PERIOD, _NUMBER):
        return [None if v is None else str(v) for v in values]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [None if v is None else v.value for v in values]
    # a cluster's source that is not text, or a year `true`: JSON would not keep them apart
    kept = _KEPT.get(kind) if isinstance(kind, str) else None
    if kept is not None and not all(map(kept, values)):
        raise TypeError
    return values


def _pack(values: list[Any]) -> Any:
    """*values*, as ``{"values": distinct values, "codes": their indexes}`` when few differ
    (levels, parents, purposes, open dates: smaller to store, quicker to read and decode)."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) * 4 > len(values):
        return values
    index = {v: k for k, v in enumerate(distinct)}
    return {"values": distinct, "codes": list(map(index.__getitem__, values))}


def _unpack(column: Any, kind: Any) -> list[Any]:
    if isinstance(column, dict):  # each distinct value decoded once, then shared
        return list(map(_decode_column(column["values"], kind).__getitem__, column["codes"]))
    return _decode_column(column, kind)


def encode(ds: Dataset, name: str) -> bytes:
    """The JSON body (UTF-8) of file *name* of the (checked) dataset *ds*; ``null`` when its
    entities hold a value JSON would not keep (the file is then read again)."""
    cls, columns = _SPEC[name]
    items = _items(ds, name)
    extra = [i.extra or None for i in items] if _has_extra(cls) else []
    try:
        packed = {col: _pack(_encode_column(list(map(attrgetter(col), items)), kind))
                  for col, kind in columns}
    except TypeError:
        return b"null"
    body: dict[str, Any] = {"format": STORE_FORMAT, "rows": len(items), "columns": packed,
                            "extra": extra if any(extra) else None}
    if name == "units.csv":
        body["versions"] = [len(u.versions) for u in ds.units.values()]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def write_typed(con: Any, schema: str, ds: Dataset, digests: dict[str, str]) -> None:
    """
    Bring the typed rows of *schema* in step with the files just imported (*digests*: file →
    SHA-256): every row is written again (a stored row cannot be compared with its file's
    bytes, and may have been changed since: a store is hostile input).
    """
    con.execute(_TABLE_SQL.format(schema))
    old = {name for (name,) in con.execute(f"SELECT name FROM {schema}.typed").fetchall()}
    for name in TYPED:
        if name not in digests:
            if name in old:
                con.execute(f"DELETE FROM {schema}.typed WHERE name = ?", [name])
        else:
            con.execute(f"INSERT OR REPLACE INTO {schema}.typed VALUES (?, ?, ?, ?)",
                        [name, digests[name], STORE_FORMAT, encode(ds, name)])


# ---------------------------------------------------------------------------- reading
def _decode_column(values: list[Any], kind: Any) -> list[Any]:
    if kind == _DATE:
        days: dict[Any, Any] = {o: _dt.date.fromordinal(o) for o in set(values) if o is not None}
        days[None] = None
        return list(map(days.__getitem__, values))
    if kind == _PERIOD:
        periods: dict[Any, Any] = {t: parse_period(t) for t in set(values) if t is not None}
        periods[None] = None
        return list(map(periods.__getitem__, values))
    if kind == _NUMBER:
        return [None if v is None else Decimal(v) for v in values]
    if isinstance(kind, type) and issubclass(kind, Enum):
        members: dict[Any, Any] = {m.value: m for m in kind}
        members[None] = None
        return list(map(members.__getitem__, values))
    if kind == _IDS:
        return list(map(tuple, values))
    return values


def _plain(cls: type, names: Sequence[str]) -> bool:
    """
    Whether *cls* is a slotted attrs class whose ``__init__`` does nothing but store *names*
    (no validator, converter, post-init hook, cached hash or other slot), so that setting its
    slots is the same as calling it.
    """
    fields = attrs.fields(cls)
    slots = set(cls.__dict__.get("__slots__", ())) - {"__weakref__"}
    return (attrs.has(cls) and "__attrs_post_init__" not in cls.__dict__
            and slots == set(names) == {f.name for f in fields}
            and all(f.init and f.validator is None and f.converter is None for f in fields))


def construct(cls: type, names: Sequence[str], columns: Sequence[Sequence[Any]],
              n: int) -> list[Any]:
    """
    *n* instances of *cls* whose attribute ``names[k]`` is ``columns[k][row]``: the same
    objects as ``cls(**{name: value…})``, made column by column when *cls* is plain (three
    times faster: at national scale there are 170,000 unit versions and 150,000 visits).
    """
    if not _plain(cls, names):
        return [cls(**dict(zip(names, row))) for row in zip(*columns)]
    objs: list[Any] = list(map(object.__new__, repeat(cls, n)))
    for name, column in zip(names, columns):
        deque(map(getattr(cls, name).__set__, objs, column), 0)
    return objs


def _has_extra(cls: type) -> bool:
    return "extra" in attrs.fields_dict(cls)


def decode(name: str, body: bytes) -> list[Any] | None:
    """The entities of file *name* from its JSON *body* (units: the units), ``None`` when the
    file must be read again."""
    cls, columns = _SPEC[name]
    data = json.loads(body)
    if data is None:
        return None
    n = data["rows"]
    names = [col for col, _ in columns]
    values = [_unpack(data["columns"][col], kind) for col, kind in columns]
    if _has_extra(cls):
        extra = data["extra"]
        names.append("extra")
        values.append([e or {} for e in extra] if extra else [{} for _ in range(n)])
    items = construct(cls, names, values, n)
    if name == "units.csv":
        counts = data["versions"]
        ends = list(accumulate(counts))
        groups = list(map(tuple, map(items.__getitem__, map(slice, [0, *ends[:-1]], ends))))
        ids = [g[0].id for g in groups]
        return construct(Unit, ("id", "versions"), (ids, groups), len(groups))
    return items


class _Untrusted(ValueError):
    """A typed body holds a value the careful loader could never have made."""


def _parser(name: str, col: str) -> tuple[bool, Any]:
    """(required, the careful loader's own parser) of column *col* of file *name*."""
    from ..dataset._csvio import FILES  # noqa: PLC0415

    for column, required, parser in FILES[name]:
        if column == col:
            return required, parser
    raise _Untrusted(col)  # pragma: no cover - a test keeps _SPEC and FILES in step


def _raw(column: Any) -> list[Any]:
    """A body's column as a list of its JSON values (``{"values", "codes"}`` unpacked)."""
    if isinstance(column, dict):
        distinct, codes = column["values"], column["codes"]
        if not isinstance(distinct, list) or not isinstance(codes, list) or not all(
                type(c) is int and 0 <= c < len(distinct) for c in set(codes)):
            raise _Untrusted("codes")
        return list(map(distinct.__getitem__, codes))
    if not isinstance(column, list):
        raise _Untrusted("column")
    return column


def _checked_column(name: str, col: str, kind: Any, column: Any, n: int) -> list[Any]:
    """
    The decoded values of a typed column, each distinct value passed through the careful
    loader's own cell check (its parser: text trimmed and NFC, an enum member, a finite number
    in range, a valid period or term) and its required-value rule; :class:`_Untrusted`
    otherwise (a hostile or corrupt store: never a crash, a hang or a NaN further on).
    """
    values = _raw(column)
    if len(values) != n:
        raise _Untrusted(col)
    from ..dataset._csvio import _text  # noqa: PLC0415

    required, parser = _parser(name, col)
    if required and None in values:
        raise _Untrusted(col)
    distinct = set(values) - {None}
    if kind == _DATE:
        if not all(type(v) is int and 0 < v <= _dt.date.max.toordinal() for v in distinct):
            raise _Untrusted(col)
    elif kind == _BOOL:
        if not all(type(v) is bool for v in distinct):
            raise _Untrusted(col)
    elif parser is _text:  # the same check as the parser's, in C: trimmed, NFC, not empty
        if not (set(map(type, distinct)) <= {str} and "" not in distinct and all(
                map(eq, map(str.strip, distinct), distinct)) and all(
                map(partial(is_normalized, "NFC"), distinct))):
            raise _Untrusted(col)
    elif kind in (_TEXT, _PERIOD, _NUMBER) or (isinstance(kind, type) and issubclass(kind, Enum)):
        for v in distinct:  # the loader's own parser accepts it, and gives it back as it is
            parsed = parser(v) if type(v) is str and v else None
            if parsed is None or (kind == _TEXT and parsed != v) or (
                    isinstance(parsed, Enum) and parsed.value != v):
                raise _Untrusted(col)
    else:  # ids and ints are clusters.toml's, which is read again
        raise _Untrusted(col)
    return values if kind in (_TEXT, _BOOL) else _decode_column(values, kind)


def _checked_extra(extra: Any, n: int) -> list[dict[str, str]]:
    if extra is None:
        return [{} for _ in range(n)]
    if not isinstance(extra, list) or len(extra) != n:
        raise _Untrusted("extra")
    out: list[dict[str, str]] = []
    for e in extra:
        if e is None:
            out.append({})
        elif isinstance(e, dict) and all(type(k) is str and k.startswith("x_") and
                                         type(v) is str and v for k, v in e.items()):
            out.append(e)
        else:
            raise _Untrusted("extra")
    return out


def decode_rows(name: str, body: bytes) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
    """
    The rows of file *name* from its typed *body*, as the careful loader's CSV reader yields
    them (line, values, ``x_`` columns; the line is the row's place, 2 for the first), every
    value checked as the loader checks a cell; :class:`_Untrusted` when one fails or the body
    is not a body of the current format.
    """
    _, columns = _SPEC[name]
    try:
        data = json.loads(body)
        if data is None or data.get("format") != STORE_FORMAT:
            raise _Untrusted(name)
        n = data["rows"]
        if type(n) is not int or n < 0:
            raise _Untrusted(name)
        names = [col for col, _ in columns]
        values = [_checked_column(name, col, kind, data["columns"][col], n)
                  for col, kind in columns]
        extra = _checked_extra(data["extra"], n)
    except _Untrusted:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, ArithmeticError) \
            as exc:  # a body that is not what write_typed writes (the loader's _Bad included)
        raise _Untrusted(name) from exc
    return [(k + 2, dict(zip(names, row)), e)
            for k, (row, e) in enumerate(zip(zip(*values), extra))] if names else []


@without_cyclic_gc  # half a million new objects and nothing to free
def _build(files: dict[str, bytes], bodies: dict[str, bytes]) -> Dataset | None:
    """
    The dataset of the typed *bodies* of its CSV files and of its TOML *files*, made by the
    careful loader itself: the rows of the bodies stand for the CSV files (no CSV parsing), and
    every check between rows runs as on a folder (tree, cycles, references, duplicates, dates);
    ``None`` when a body does not verify or the rows have a problem (the careful loader then
    reads the stored files, and names every problem with its file and line).
    """
    from ..dataset._loader import _load_dataset  # noqa: PLC0415
    from ..exceptions import DatasetError  # noqa: PLC0415

    try:
        given = {name: decode_rows(name, body) for name, body in bodies.items()
                 if name != "clusters.toml"}  # clusters.toml is read again: it is TOML
    except _Untrusted:
        return None
    with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
        root = Path(tmp)
        for name, content in files.items():
            (root / name).write_bytes(content)
        try:
            return _load_dataset(root, given)
        except DatasetError:
            return None


def read_typed(con: Any, key: str, schema: str) -> Dataset | None:
    """
    The dataset *schema* of the store *con* built from its typed rows, or ``None`` when they
    cannot stand for its files (none, another format, another SHA-256: the careful loader
    must read the files).
    """
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                       "AND table_name = 'typed'", [key]).fetchone()[0]:
        return None
    status = con.execute(f"SELECT f.name, f.sha256 = t.sha256 AND t.format = ? FROM "
                         f"{schema}.files f LEFT JOIN {schema}.typed t USING (name)",
                         [STORE_FORMAT]).fetchall()
    if not {"dataset.toml", "units.csv"} <= {name for name, _ in status} or not all(
            ok for name, ok in status if name in TYPED):
        return None
    toml = dict(con.execute(f"SELECT name, content FROM {schema}.files WHERE name IN "
                            f"({', '.join(map(lit, _TOML))})").fetchall())
    bodies = dict(con.execute(f"SELECT name, body FROM {schema}.typed WHERE name IN "
                              f"(SELECT name FROM {schema}.files)").fetchall())
    return _build(toml, bodies)
