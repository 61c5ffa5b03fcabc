"""Filling DuckDB with members and meetings: from an in-memory dataset, or straight from a
dataset folder's CSV or Parquet files (validated in SQL; any doubt falls back to the careful
Python loader, which reports every problem with its file, line and column)."""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dataset._checks import column_types
from ..model._enums import Level, MeetingKind
from ._checksql import problems_sql

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset

__all__ = ["load_tables", "sql_tables", "write_big_csv"]

BIG = ("members", "meetings")
#: the SQL type of each column, from the declared checks (``dataset._checks``)
TYPES = {name: column_types(name) for name in BIG}
#: longest CSV line DuckDB reads (bytes): above any row the loader accepts (1 MiB a cell)
MAX_LINE = 1 << 26
#: with a long ``max_line_size`` DuckDB sizes its read buffer after the whole file (343 MiB
#: for national members.csv: "Out of Memory" under the 256 MB limit), so the buffer is given
LINE_OPTIONS = f"max_line_size = {MAX_LINE}, buffer_size = {MAX_LINE}"
#: the loader's longest cell (``_csvio.MAX_FIELD``: the csv module's limit, in characters)
MAX_FIELD = 1 << 20
#: the columns of members and meetings that refer to nothing (ids, text)
_FREE = frozenset({"id", "left_reason"})
#: what Python's ``str.strip()`` removes (the loader's cells are stripped so)
_SPACE = ("'\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
          "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000'")


def lit(text: str) -> str:
    """*text* as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(text: str) -> str:
    """*text* as an SQL identifier."""
    return '"' + text.replace('"', '""') + '"'


def _iso(ordinal: int) -> str:
    return _dt.date.fromordinal(ordinal).isoformat() if ordinal else ""


def _extra(row: int, extra: dict[int, dict[str, str]]) -> str:
    found = extra.get(row)
    return json.dumps(found, ensure_ascii=False, sort_keys=True) if found else ""


def _member_rows(ds: Dataset) -> Iterator[tuple[Any, ...]]:
    t, ids = ds.members, ds.unit_ids
    for i in range(len(t)):
        yield (t.ids[i], ids[t.branch[i]], _iso(t.birth[i]), _iso(t.joined[i]),
               _iso(t.left[i]), t.left_reason.get(i, ""), _iso(t.introduced[i]),
               _iso(t.admitted[i]), _extra(i, t.extra))


def _meeting_rows(ds: Dataset) -> Iterator[tuple[Any, ...]]:
    t, ids = ds.meetings, ds.unit_ids
    kinds = list(MeetingKind)
    for i in range(len(t)):
        yield (t.ids[i], ids[t.unit[i]], _iso(t.date[i]), kinds[t.kind[i]].value,
               t.chair.get(i, ""), ";".join(t.attendees.get(i, ())), t.cluster.get(i, ""),
               _extra(i, t.extra))


def write_big_csv(ds: Dataset, name: str, path: str) -> None:
    """Write *ds*'s members or meetings, normalised, as a headerless CSV for DuckDB."""
    rows = _member_rows(ds) if name == "members" else _meeting_rows(ds)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def copy_in(con: Any, target: str, name: str, path: str) -> None:
    """``CREATE OR REPLACE TABLE target`` from a CSV written by :func:`write_big_csv`."""
    cols = ", ".join(f"{lit(c)}: {lit(t)}" for c, t in TYPES[name].items())
    con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * FROM read_csv({lit(path)}, "
                f"header = false, auto_detect = false, columns = {{{cols}}}, quote = '\"', "
                f"escape = '\"', nullstr = '', delim = ',', {LINE_OPTIONS})")


def load_tables(con: Any, ds: Dataset, schema: str | None = None) -> None:
    """Copy *ds*'s members and meetings into tables ``members`` and ``meetings``."""
    with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
        for name in BIG:
            path = os.path.join(tmp, f"{name}.csv")
            write_big_csv(ds, name, path)
            copy_in(con, f"{ident(schema)}.{name}" if schema else name, name, path)


# ---------------------------------------------------------------------------- from a folder
_DMY = r"^\d{1,2}/\d{1,2}/\d{4}$"


def _date_sql(t: str) -> str:
    """SQL: the trimmed text *t* as a DATE, as :func:`doanmodel.model._dates.parse_date` reads it
    (``NULL`` when it is not a date; callers compare with the raw text to find those)."""
    return (f"(CASE WHEN length({t}) = 10 AND {t}[5] = '-' THEN try_strptime({t}, '%Y-%m-%d') "
            f"WHEN regexp_full_match({t}, '{_DMY[1:-1]}') THEN try_strptime({t}, '%d/%m/%Y') "
            "END)::DATE")


def header(path: Path) -> list[str]:
    """The column names of a CSV file."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [c.strip() for c in next(csv.reader(handle), [])]


def source(path: Path, columns: list[str]) -> str:
    """SQL: the file as a relation (CSV: every column VARCHAR)."""
    if path.suffix == ".parquet":
        return f"read_parquet({lit(str(path))})"
    types = ", ".join(f"{lit(c)}: 'VARCHAR'" for c in columns)
    return (f"read_csv({lit(str(path))}, header = true, auto_detect = false, "
            f"columns = {{{types}}}, quote = '\"', escape = '\"', delim = ',', strict_mode = true, "
            f"nullstr = '', {LINE_OPTIONS})")


def select_big(path: Path, name: str, columns: list[str]) -> str:
    """SQL: the normalised rows of a members or meetings file, in file order, with a column
    ``bad``: a cell the careful loader would reject (not a date where one is wanted)."""
    raws, names, out, bad, long = [], [], [], [], []
    for col, kind in TYPES[name].items():
        if col == "extra" or col not in columns:
            out.append(f"NULL::{kind} AS {ident(col)}")
            continue
        raw = ident("r_" + col)
        raws.append(f"nullif(trim(CAST({ident(col)} AS VARCHAR)), '') AS {raw}")
        names.append(raw)
        if col in _FREE:  # trim() takes spaces only (with a set of characters it is 10 times
            # slower): free text still starting or ending with other whitespace goes to the
            # careful loader (a reference or a date with it is no known id or date already)
            bad.append(f"({raw} IS NOT NULL AND (contains({_SPACE}, {raw}[1]) OR "
                       f"contains({_SPACE}, {raw}[-1])))")
        long.append(f"length(CAST({ident(col)} AS VARCHAR)) > {MAX_FIELD}")
        if kind == "DATE":
            out.append(f"{_date_sql(raw)} AS {ident(col)}")
            bad.append(f"({raw} IS NOT NULL AND {ident(col)} IS NULL)")
        else:
            out.append(f"nfc_normalize({raw}) AS {ident(col)}")
    keep = ", ".join(ident(c) for c in TYPES[name])
    bad.append("r_long")
    return (f"SELECT {keep}, coalesce({' OR '.join(bad)}, true) AS bad FROM ("
            f"SELECT {', '.join(out)}, {', '.join(names)}, r_long FROM ("
            f"SELECT {', '.join(raws)}, coalesce({' OR '.join(long) or 'false'}, false) AS r_long "
            f"FROM {source(path, columns)}))")


def _small_tables(con: Any, ds: Dataset) -> None:
    branch_levels = {Level.BRANCH, Level.SUB_BRANCH}
    lo, hi = _dt.date.min, _dt.date.max
    spans = [(uid, u.versions[0].valid_from or lo, u.versions[-1].valid_to or hi)
             for uid, u in ds.units.items()]
    with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
        def put(table: str, cols: dict[str, str], rows: Any) -> None:
            path = os.path.join(tmp, table + ".csv")
            with open(path, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            types = ", ".join(f"{lit(c)}: {lit(t)}" for c, t in cols.items())
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_csv("
                        f"{lit(path)}, header = false, auto_detect = false, columns = {{{types}}},"
                        " quote = '\"', escape = '\"', nullstr = '\x01', delim = ',', "
                        f"{LINE_OPTIONS})")

        put("branches", {"id": "VARCHAR"},
            [(uid,) for uid, u in ds.units.items()
             if any(v.level in branch_levels for v in u.versions)])
        put("spans", {"id": "VARCHAR", "lo": "DATE", "hi": "DATE"},
            [(u, a.isoformat(), b.isoformat()) for u, a, b in spans])
        put("cadres", {"id": "VARCHAR"}, [(c,) for c in ds.cadres])
        put("clusters", {"id": "VARCHAR"}, [(c.id,) for c in ds.clusters])


def sql_tables(con: Any, ds: Dataset, files: dict[str, Path]) -> bool:
    """
    Read the big *files* (name → path) of a folder into tables ``members`` and ``meetings``
    of *con*, normalised as the loader does, in file order (``rowid``). Returns ``False`` when
    a row might be one the careful loader rejects (the caller then runs it, for the messages).
    """
    _small_tables(con, ds)
    for name in BIG:
        path = files.get(name)
        if path is None:
            cols = ", ".join(f"NULL::{t} AS {ident(c)}" for c, t in TYPES[name].items())
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols} LIMIT 0")
            continue
        columns = header(path) if path.suffix == ".csv" else parquet_columns(con, path)
        if not _known(name, columns) or (path.suffix == ".csv" and _quote_doubt(path)):
            return False
        try:
            con.execute(f"CREATE OR REPLACE TABLE {name} AS {select_big(path, name, columns)}")
            bad, n, distinct = con.execute(problems_sql(name, name, also="bad")).fetchone()
        except Exception:  # noqa: BLE001 - any reader error: the careful loader will say
            return False
        if bad or n != distinct:
            return False
        con.execute(f"ALTER TABLE {name} DROP COLUMN bad")
    return True


def _quote_doubt(path: Path) -> bool:
    """Whether a quote follows a space or a tab somewhere in the CSV file: DuckDB reads
    ``_"m9"`` as the quoted ``m9`` (one space before the quote only), the csv module as the text
    ``"m9"``, so such a file is left to the careful loader. Two ``find`` over a memory map."""
    import mmap  # noqa: PLC0415

    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return view.find(b' "') != -1 or view.find(b'\t"') != -1


def unreadable_parquet(path: Path, exc: Exception) -> Exception:
    """The problem of a Parquet file DuckDB cannot read, as the loader reports a file."""
    from ..exceptions import DatasetError, Problem  # noqa: PLC0415
    from ..model._i18n import Text  # noqa: PLC0415

    why = str(exc).splitlines()[0]
    return DatasetError([Problem(path.name, 0, "-", Text(
        "không đọc được tệp Parquet (tệp hỏng hoặc không phải Parquet)",
        f"unreadable Parquet file ({why})"))])


def parquet_columns(con: Any, path: Path) -> list[str]:
    """The column names of a Parquet file; a clear problem when it is not one."""
    try:
        return [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source(path, [])}"
                                          ).fetchall()]
    except Exception as exc:  # noqa: BLE001 - any reader error is the file's problem
        raise unreadable_parquet(path, exc) from None


def _known(name: str, columns: list[str]) -> bool:
    from ..dataset._csvio import FILES  # noqa: PLC0415

    spec = FILES[f"{name}.csv"]
    known = {c for c, _, _ in spec}
    required = {c for c, req, _ in spec if req}
    return required <= set(columns) and all(c in known for c in columns) and \
        len(set(columns)) == len(columns)
