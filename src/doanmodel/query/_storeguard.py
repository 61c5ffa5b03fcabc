"""
A ``.duckdb`` store is hostile input (docs/decisions.md, "A store is hostile input").

Anyone can hand over a file named ``*.duckdb``, and DuckDB keeps code in a database: views,
macros (which shadow built-in functions such as ``month()``), column defaults, generated
columns, check constraints. So a store is opened

- with external access off (no file, no URL, no ``ATTACH``), extension auto-install and
  auto-load off, community extensions refused and the configuration locked, all in the
  connection's configuration, before the first query (:func:`connect`);
- then checked by :func:`verify` before anything else is asked of it: every schema, table,
  column, constraint, view, macro, sequence, index and type must be one ``doanmodel import``
  writes, found through ``system.main.duckdb_*()`` (which a stored macro cannot shadow);
  anything else is refused, named, and nothing is read;
- and the dataset opened has every stored SHA-256 compared with its stored bytes
  (:func:`verify_files`).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from typing import Any

from ..exceptions import DoanmodelError, bilingual
from ..model._i18n import Text

__all__ = ["RESERVED", "check_key", "check_tables", "connect", "not_a_store", "verify",
           "verify_files"]

#: names DuckDB keeps for itself: a dataset's key can be none of them (any case)
RESERVED = ("main", "temp", "system", "pg_catalog", "information_schema")
_KEY_MAX = 64

#: settings every connection to a store gets, in its configuration (before the first query)
SAFE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False,
        "allow_community_extensions": False, "allow_unsigned_extensions": False}
#: and, unless a folder of our own must be read or written (import, export), these
LOCKED = {"enable_external_access": False, "lock_configuration": True}

_KINDS = {"schema": ("lược đồ", "schema"), "table": ("bảng", "table"),
          "view": ("khung nhìn (view)", "view"), "macro": ("macro", "macro"),
          "table macro": ("macro bảng", "table macro"), "sequence": ("chuỗi số (sequence)",
                                                                     "sequence"),
          "index": ("chỉ mục", "index"), "type": ("kiểu dữ liệu", "type"),
          "constraint": ("ràng buộc", "constraint"), "function": ("hàm", "function")}


def check_key(key: str) -> None:
    """Refuse a dataset key that is not a plain name: letters, digits, ``-``, ``_``, ``.``,
    starting with a letter or a digit, at most 64 characters, and none of :data:`RESERVED`."""
    ok = (0 < len(key) <= _KEY_MAX and key[0].isalnum()
          and all(c.isalnum() or c in "-_." for c in key) and key.isprintable())
    if not ok:
        raise bilingual(f"--key {key!r}: tên bộ dữ liệu chỉ gồm chữ, số, '-', '_' và '.', bắt "
                        f"đầu bằng chữ hoặc số, tối đa {_KEY_MAX} ký tự",
                        f"--key {key!r}: a dataset's name has only letters, digits, '-', '_' "
                        f"and '.', starts with a letter or a digit, and has at most "
                        f"{_KEY_MAX} characters")
    if key.lower() in RESERVED:
        raise bilingual(f"--key {key!r}: tên này DuckDB giữ cho riêng mình; hãy chọn tên khác "
                        f"(không được: {', '.join(RESERVED)})",
                        f"--key {key!r}: DuckDB keeps this name for itself; choose another "
                        f"(not: {', '.join(RESERVED)})")


def not_a_store(file: str, exc: BaseException) -> DoanmodelError:
    why = str(exc).splitlines()[0]
    return bilingual(f"{file}: không mở được: không phải kho DuckDB (tệp hỏng, bị cắt, hoặc "
                     "một loại tệp khác), hoặc một tiến trình khác đang ghi vào nó",
                     f"{file}: not a DuckDB store that can be opened (a damaged, truncated or "
                     f"other kind of file, or another process is writing it: {why})")


def connect(file: str, *, write: bool = False, allow: str | None = None) -> Any:
    """
    A connection to the store *file*: read-only unless *write*, with :data:`SAFE` and (unless
    *allow* names a folder of our own that DuckDB must read or write) :data:`LOCKED` in its
    configuration. With *allow*, external access is limited to that folder and turned off,
    and the configuration locked, before the connection is returned.
    """
    from ._duckdb import MEMORY_LIMIT, require_duckdb  # noqa: PLC0415

    duckdb = require_duckdb()
    config: dict[str, Any] = {"memory_limit": MEMORY_LIMIT, **SAFE}
    if allow is None:
        config.update(LOCKED)
    try:
        con = duckdb.connect(file, read_only=not write, config=config)
    except duckdb.Error as exc:
        raise not_a_store(file, exc) from None
    if allow is not None:
        try:
            folder = os.path.join(os.path.realpath(allow), "")
            con.execute("SET allowed_directories = [" + _lit(folder) + "]")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        except BaseException:
            con.close()
            raise
    return con


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _q(*parts: str) -> str:
    return ".".join(parts)


def _expected() -> dict[str, tuple[tuple[str, str], ...]]:
    """Table → its columns and types, as ``doanmodel import`` writes them."""
    from ._ducksql import TYPES  # noqa: PLC0415

    return {"files": (("name", "VARCHAR"), ("sha256", "VARCHAR"), ("content", "BLOB")),
            "typed": (("name", "VARCHAR"), ("sha256", "VARCHAR"), ("format", "INTEGER"),
                      ("body", "BLOB")),
            **{big: tuple(cols.items()) for big, cols in TYPES.items()}}


#: constraints import writes: the primary key of ``files`` and ``typed`` (and its NOT NULL)
_CONSTRAINTS = {(t, c, ("name",)) for t in ("files", "typed") for c in ("PRIMARY KEY",
                                                                         "NOT NULL")}
_REQUIRED = ("files", "members", "meetings")


def _system(con: Any, fn: str, cols: str, where: str = "",
            order: str = "") -> list[tuple[Any, ...]]:
    """Rows of ``system.main.FN()`` about the store's own database (never shadowed)."""
    cond = "database_name NOT IN ('system', 'temp')" + (f" AND {where}" if where else "")
    sql = f"SELECT {cols} FROM system.main.{fn}() WHERE {cond}" + (
        f" ORDER BY {order}" if order else "")
    return con.execute(sql).fetchall()  # type: ignore[no-any-return]


def _foreign(kind: str, name: str, why: Text | None = None) -> Text:
    vi, en = _KINDS.get(kind, (kind, kind))
    tail = why or Text("doanmodel không ghi nó", "doanmodel did not write it")
    return Text(f"{vi} {name}: {tail.vi}", f"{en} {name}: {tail.en}")


def _key_ok(key: str) -> bool:
    try:
        check_key(key)
    except DoanmodelError:
        return False
    return True


def verify(con: Any, file: str) -> list[str]:
    """
    The dataset keys of the store *con* (file *file*), after checking that it holds nothing
    but what ``doanmodel import`` writes; every other object is named in one error (exit 2).
    """
    found: list[Text] = []
    tables: dict[str, set[str]] = defaultdict(set)
    for schema, table in _system(con, "duckdb_tables", "schema_name, table_name"):
        tables[schema].add(table)
    keys = sorted(s for s, names in tables.items() if s != "main" and "files" in names)
    for (schema,) in _system(con, "duckdb_schemas", "schema_name"):
        if schema != "main" and (schema not in keys or not _key_ok(schema)):
            found.append(_foreign("schema", schema))
    expected = _expected()
    for schema, names in sorted(tables.items()):
        for table in sorted(names):
            if schema not in keys or table not in expected:
                found.append(_foreign("table", _q(schema, table)))
        for table in _REQUIRED:
            if schema in keys and table not in names:
                found.append(_foreign("table", _q(schema, table),
                                      Text("thiếu (doanmodel import luôn ghi nó)",
                                           "missing (doanmodel import always writes it)")))
    columns: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for schema, table, col, typ, default in _system(
            con, "duckdb_columns",
            "schema_name, table_name, column_name, data_type, column_default",
            order="schema_name, table_name, column_index"):
        columns[schema, table].append((col, typ, default))
    for (schema, table), cols in sorted(columns.items()):
        want = expected.get(table)
        if schema in keys and want is not None and [(c, t, None) for c, t in want] != cols:
            found.append(_foreign("table", _q(schema, table),
                                  Text("các cột, kiểu hoặc giá trị mặc định khác với bảng "
                                       "doanmodel ghi",
                                       "its columns, types or defaults are not those "
                                       "doanmodel writes")))
    for schema, table, kind, cols in _system(
            con, "duckdb_constraints",
            "schema_name, table_name, constraint_type, constraint_column_names"):
        if (table, kind, tuple(cols or ())) not in _CONSTRAINTS:
            found.append(_foreign("constraint", f"{kind} {_q(schema, table)}"))
    for schema, name in _system(con, "duckdb_views", "schema_name, view_name", "NOT internal"):
        found.append(_foreign("view", _q(schema, name)))
    for schema, name, kind in _system(con, "duckdb_functions",
                                      "schema_name, function_name, function_type",
                                      "NOT internal"):
        kind = kind.replace("_", " ")
        found.append(_foreign(kind if kind in ("macro", "table macro") else "function",
                              _q(schema, name)))
    for schema, name in _system(con, "duckdb_sequences", "schema_name, sequence_name"):
        found.append(_foreign("sequence", _q(schema, name)))
    for schema, name in _system(con, "duckdb_indexes", "schema_name, index_name"):
        found.append(_foreign("index", _q(schema, name)))
    for schema, name in _system(con, "duckdb_types", "schema_name, type_name", "NOT internal"):
        found.append(_foreign("type", _q(schema, name)))
    if found:
        raise _refused(file, found)
    return keys


def _refused(file: str, found: list[Text]) -> DoanmodelError:
    head = Text(f"{file}: kho chứa thứ doanmodel không ghi; kho là dữ liệu, không bao giờ là "
                "mã, nên không được mở (xóa nó rồi doanmodel import lại từ thư mục gốc):",
                f"{file}: the store holds what doanmodel did not write; a store is data, "
                "never code, so it is not opened (delete it and doanmodel import the "
                "folder again):")
    return bilingual("\n  ".join([head.vi, *(t.vi for t in found)]),
                     "\n  ".join([head.en, *(t.en for t in found)]))


def stored_names() -> frozenset[str]:
    """The file names ``files`` may hold: the small files, and the big ones (bytes not kept)."""
    from ._ducksql import BIG  # noqa: PLC0415
    from ._store import LATE, SMALL  # noqa: PLC0415

    return frozenset((*SMALL, *LATE, *(f"{b}{e}" for b in BIG for e in (".csv", ".parquet"))))


def verify_files(con: Any, file: str, schema: str, key: str) -> dict[str, bytes]:
    """
    The stored bytes of dataset *key*'s small files (name → content), after comparing every
    stored SHA-256 with the SHA-256 of its bytes; a file doanmodel does not write, or whose
    digest is not that of its bytes, is named in one error (exit 2).
    """
    from ._ducksql import BIG  # noqa: PLC0415

    big = {f"{b}{e}" for b in BIG for e in (".csv", ".parquet")}
    allowed = stored_names()
    found: list[Text] = []
    out: dict[str, bytes] = {}
    for name, sha, content in con.execute(
            f"SELECT name, sha256, content FROM {schema}.files ORDER BY name").fetchall():
        where = f"{key}.files[{name!r}]"
        if name not in allowed or not isinstance(content, bytes) or not isinstance(sha, str):
            found.append(_foreign("table", where, Text("một tệp doanmodel không ghi",
                                                       "a file doanmodel does not write")))
        elif name in big:
            if content:
                found.append(_foreign("table", where, Text(
                    "nội dung của tệp lớn không được lưu ở đây",
                    "a big file's bytes are never kept here")))
        elif hashlib.sha256(content).hexdigest() != sha:
            found.append(_foreign("table", where, Text(
                "SHA-256 đã lưu không khớp với nội dung đã lưu (kho đã bị sửa)",
                "the stored SHA-256 is not that of the stored bytes (the store was changed)")))
        else:
            out[name] = content
    if found:
        raise _refused(file, found)
    return out


def check_tables(con: Any, ds: Any, tables: Any, file: str, key: str) -> None:
    """
    Run on the store's members and meetings the checks the import ran on their files: every
    required value there, dates in order, branches, units (on the meeting's date), kinds,
    chairs, attendees and clusters that exist, ``x_`` columns a JSON object. A table with a
    row the loader would reject is refused, named (exit 2): the store keeps no other copy.

    Each reference is checked on its distinct values (a unit's meetings on their first and
    last date, as a unit exists over one span), so that opening stays one scan of each table.
    Duplicate ids are not looked for (as costly as the rest together, and they give nothing a
    store of valid rows could not: docs/decisions.md).
    """
    import datetime as _dt  # noqa: PLC0415

    from ..model._enums import Level, MeetingKind  # noqa: PLC0415

    branch_levels = {Level.BRANCH, Level.SUB_BRANCH}
    lo, hi = _dt.date.min, _dt.date.max
    branches = {u.id for u in ds.units.values() if any(v.level in branch_levels
                                                        for v in u.versions)}
    spans = {u.id: (u.versions[0].valid_from or lo, u.versions[-1].valid_to or hi)
             for u in ds.units.values()}
    cadres, clusters = set(ds.cadres), {c.id for c in ds.clusters}
    kinds = {k.value for k in MeetingKind}
    json_bad = ("count(*) FILTER (WHERE extra IS NOT NULL AND CASE WHEN json_valid(extra) "
                "THEN json_type(extra) <> 'OBJECT' ELSE true END)")
    members, meetings = tables.members, tables.meetings
    bad_members = con.execute(
        "SELECT count(*) FILTER (WHERE id IS NULL OR branch_id IS NULL OR joined_on IS NULL "
        "OR left_on < joined_on OR joined_on < birth_date OR party_admitted_on < "
        f"party_introduced_on), {json_bad} FROM {members}").fetchone()
    bad_meetings = con.execute(
        "SELECT count(*) FILTER (WHERE id IS NULL OR unit_id IS NULL OR date IS NULL OR kind "
        f"IS NULL), {json_bad} FROM {meetings}").fetchone()
    found: list[Text] = []
    if any(bad_members) or not {b for (b,) in con.execute(
            f"SELECT DISTINCT branch_id FROM {members}").fetchall()} <= branches:
        found.append(_rows_rejected(key, "members"))
    dates = con.execute(f"SELECT unit_id, min(date), max(date) FROM {meetings} "
                        "GROUP BY unit_id").fetchall()
    named = {name: {v for (v,) in con.execute(f"SELECT DISTINCT {col} FROM {meetings} "
                                              f"WHERE {col} IS NOT NULL").fetchall()}
             for name, col in (("kind", "kind"), ("chair", "chair_id"),
                               ("cluster", "cluster_id"))}
    attendees = {a for (a,) in con.execute(
        f"SELECT DISTINCT trim(unnest(string_split(attendees, ';'))) FROM {meetings} "
        "WHERE attendees IS NOT NULL").fetchall()} - {""}
    if any(bad_meetings) or not (named["kind"] <= kinds and named["chair"] <= cadres
                                 and named["cluster"] <= clusters and attendees <= cadres) \
            or not all(uid in spans and spans[uid][0] <= first and last <= spans[uid][1]
                       for uid, first, last in dates):
        found.append(_rows_rejected(key, "meetings"))
    if found:
        raise _refused(file, found)


def _rows_rejected(key: str, name: str) -> Text:
    return _foreign("table", f"{key}.{name}", Text(
        "có dòng mà bộ nạp không nhận (thiếu giá trị, ngày sai thứ tự, đơn vị, cán bộ hoặc "
        "cụm không có): kho đã bị sửa",
        "holds rows the loader rejects (a missing value, dates out of order, a unit, cadre "
        "or cluster that does not exist): the store was changed"))
