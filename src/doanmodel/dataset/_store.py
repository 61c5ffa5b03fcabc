"""
Opening datasets for the DuckDB engine, and the persistent ``.duckdb`` store.

A store holds one or more datasets (provinces, years), each in its own schema named by a key
(``ROOT-YEAR`` unless ``--key`` says otherwise): the small files as they were (table ``files``,
with their SHA-256), the entities the loader made of them (table ``typed``, see
:mod:`._storetyped`: a store opens without reading them again), members and meetings as typed
tables. ``PATH.duckdb`` names the store's only dataset, ``PATH.duckdb#KEY`` one of several.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import bilingual
from ..model._i18n import os_reason
from ..query._duckdb import (
    AUTO_MEMBERS,
    DuckTables,
    attach,
    duckdb_available,
    is_attached,
    require_duckdb,
    tables_of,
)
from ..query._ducksql import (
    BIG,
    TYPES,
    copy_in,
    ident,
    lit,
    sql_tables,
    unreadable_parquet,
    write_big_csv,
)
from ._storetyped import read_typed, write_typed

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["export_store", "import_dataset", "materialise", "open_dataset", "split_store"]

SMALL = ("dataset.toml", "units.csv", "cadres.csv", "positions.csv", "absences.csv",
         "visits.csv", "indicators.csv", "targets.csv", "clusters.toml", "criteria.toml")
#: small files read after members and meetings, because they refer to meetings by id
LATE = ("programmes.toml",)
#: bytes of members.csv per member (the national synthetic file: 360 MB for 6.4M), to guess
#: the size of a folder for ``--engine auto`` without reading it
_BYTES_PER_MEMBER = 56


def split_store(path: str) -> tuple[str, str | None] | None:
    """``(file, key)`` when *path* names a ``.duckdb`` store (``FILE.duckdb[#KEY]``)."""
    file, _, key = path.partition("#")
    if file.endswith(".duckdb"):
        return file, key or None
    return None


def _big_files(root: Path) -> dict[str, Path]:
    out = {}
    for name in BIG:
        for ext in (".parquet", ".csv"):
            if (root / f"{name}{ext}").is_file():
                out[name] = root / f"{name}{ext}"
                break
    return out


def _parquet_visits(root: Path) -> bool:
    return (root / "visits.parquet").is_file() and not (root / "visits.csv").is_file()


def _wants_duckdb(root: Path, engine: str | None) -> bool:
    files = _big_files(root)
    if any(p.suffix == ".parquet" for p in files.values()) or _parquet_visits(root):
        return True
    if engine == "duckdb":
        return True
    if engine == "auto" and duckdb_available():
        members = files.get("members")
        return members is not None and members.stat().st_size >= AUTO_MEMBERS * _BYTES_PER_MEMBER
    return False


def open_dataset(path: str, engine: str | None = None) -> Dataset:
    """
    Load *path* (a folder or a store) for *engine*: a folder for the DuckDB engine (or one
    with Parquet files) keeps members and meetings in an in-memory DuckDB database.
    """
    from ._loader import load_dataset  # noqa: PLC0415

    store = split_store(path)
    if store is not None:
        ds = open_store(*store)
        if engine == "python":
            materialise(ds)
        return ds
    root = Path(path)
    if not root.is_dir() or not _wants_duckdb(root, engine):
        return load_dataset(path)
    return _open_folder(root)


def _shadow(root: Path, tmp: str, names: tuple[str, ...]) -> None:
    """Copy the small files of *root* into *tmp* (the loader then skips the big ones). A file
    that is not a regular file inside *root* is reported by name and never read, as the loader
    does (a copy must not launder a link leading outside the dataset)."""
    import shutil  # noqa: PLC0415

    from ._csvio import Problems  # noqa: PLC0415
    from ._guards import dataset_files  # noqa: PLC0415

    problems = Problems()
    present = dataset_files(root, names, problems)
    problems.raise_if_any()
    for name in sorted(present):
        shutil.copyfile(root / name, os.path.join(tmp, name))


def _visits_csv(root: Path) -> bytes:
    """``visits.parquet`` of *root* as the CSV text the loader reads."""
    con = require_duckdb().connect()
    try:
        with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
            path = os.path.join(tmp, "visits.csv")
            try:
                con.execute(f"COPY (SELECT * FROM read_parquet("
                            f"{lit(str(root / 'visits.parquet'))})) TO {lit(path)} "
                            "(HEADER, DATEFORMAT '%Y-%m-%d')")
            except Exception as exc:  # noqa: BLE001 - any reader error is the file's problem
                raise unreadable_parquet(root / "visits.parquet", exc) from None
            return Path(path).read_bytes()
    finally:
        con.close()


def _open_folder(root: Path) -> Dataset:
    from ..query._duckdb import scratch  # noqa: PLC0415
    from ._loader import load_dataset  # noqa: PLC0415

    con = scratch()
    with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
        late = Path(tmp, "late")
        late.mkdir()
        _shadow(root, tmp, SMALL)
        _shadow(root, str(late), LATE)
        if _parquet_visits(root):  # read by the careful loader, as CSV
            Path(tmp, "visits.csv").write_bytes(_visits_csv(root))
        ds = load_dataset(tmp)
        ds.path = str(root)
        files = _big_files(root)
        # members and meetings were not shadowed: present in the folder, they are reported
        ds.absent_tables = frozenset(t for t in ds.absent_tables
                                     if t not in files or t in ds.meta.not_collected)
        if sql_tables(con, ds, files):
            tables = DuckTables(con)
            attach(ds, tables)
            _read_late(ds, late, tables)
            return ds
    con.close()
    if any(p.suffix == ".parquet" for p in files.values()):
        raise bilingual(f"{root}: tệp Parquet thành viên/cuộc họp có dòng mà bộ nạp không nhận",
                        f"{root}: members/meetings Parquet files have rows the loader rejects")
    return load_dataset(root)  # the careful loader: it names every problem


class _MeetingIds:
    """The ids of the meetings in DuckDB, asked one at a time (a programme names a few)."""

    def __init__(self, tables: DuckTables) -> None:
        self._t = tables

    def __contains__(self, meeting_id: object) -> bool:
        return bool(self._t.one(f"SELECT count(*) FROM {self._t.meetings} WHERE id = ?",
                                [meeting_id])[0])


def _read_late(ds: Dataset, folder: Path, tables: DuckTables) -> None:
    """Read ``programmes.toml`` from *folder* (if there) into *ds*, its meeting ids checked
    against the meetings in DuckDB; every problem raised with file, line and column."""
    if not (folder / "programmes.toml").is_file():
        return
    from ._csvio import Problems  # noqa: PLC0415
    from ._loader import _spans  # noqa: PLC0415
    from ._programmes_toml import read_programmes  # noqa: PLC0415

    problems = Problems()
    ds.programmes = read_programmes(folder / "programmes.toml", problems, _spans(ds.units),
                                    ds.cadres, {v.id: v for v in ds.visits},
                                    _MeetingIds(tables))
    problems.raise_if_any()


# ---------------------------------------------------------------------------- the store
def _connect(file: str, **kw: Any) -> Any:
    """A connection to the store *file*, or a clear error when it is not one."""
    duckdb = require_duckdb()
    try:
        return duckdb.connect(file, **kw)
    except duckdb.Error as exc:
        why = str(exc).splitlines()[0]
        raise bilingual(f"{file}: không mở được: không phải kho DuckDB, hoặc một tiến trình "
                        "khác đang ghi vào nó",
                        f"{file}: not a DuckDB store that can be opened ({why})") from None


def _keys(con: Any) -> list[str]:
    rows = con.execute("SELECT DISTINCT table_schema FROM information_schema.tables "
                       "WHERE table_name = 'files' ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def open_store(file: str, key: str | None = None) -> Dataset:
    """The dataset *key* of the store *file* (its only one when *key* is ``None``)."""
    from ._loader import load_dataset  # noqa: PLC0415

    if not os.path.isfile(file):
        raise bilingual(f"{file}: không có kho DuckDB này", f"{file}: no such DuckDB store")
    from ..query._duckdb import MEMORY_LIMIT  # noqa: PLC0415

    con = _connect(file, read_only=True, config={"memory_limit": MEMORY_LIMIT})
    keys = _keys(con)
    if key is None and len(keys) == 1:
        key = keys[0]
    if key not in keys:
        held = ", ".join(keys)
        raise bilingual(
            f"{file}: " + (f"không có bộ dữ liệu {key!r}; " if key else "có nhiều bộ dữ liệu; "
                           "hãy chọn một: FILE.duckdb#KEY; ") + "kho có: " + (held or "không có"),
            f"{file}: " + (f"no dataset {key!r}; " if key else "several datasets; name one as "
                           "FILE.duckdb#KEY; ") + "it holds: " + (held or "none"))
    schema = ident(key)
    ds = read_typed(con, key, schema)  # the entities the import made, when they are there
    if ds is None:  # a store from before typed rows: read its files again, carefully
        with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
            for name, content in con.execute(f"SELECT name, content FROM {schema}.files"
                                             ).fetchall():
                if name in SMALL:
                    Path(tmp, name).write_bytes(content)
            ds = load_dataset(tmp)
        ds.absent_tables = ds.absent_tables - set(BIG)  # attached below, from the store
    ds.path = f"{file}#{key}"
    tables = DuckTables(con, f"{schema}.members", f"{schema}.meetings")
    attach(ds, tables)
    late = con.execute(f"SELECT name, content FROM {schema}.files WHERE name IN "
                       f"({', '.join(map(lit, LATE))})").fetchall()
    if late:
        with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
            for name, content in late:
                Path(tmp, name).write_bytes(content)
            _read_late(ds, Path(tmp), tables)
    return ds


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def import_dataset(folder: str, file: str, key: str | None = None) -> dict[str, str]:
    """
    Validate the dataset *folder* as the loader does and put it in the store *file* under
    *key* (default ``ROOT-YEAR``). Files whose content is unchanged since the last import under
    the same key are left as they are; changed ones replace their rows (never duplicate).
    Returns file name → ``added``, ``replaced``, ``unchanged`` or ``removed``.

    A new store is written to a temporary file and renamed into place; an existing one is
    changed in one transaction. Nothing is written when the folder has a problem.
    """
    from ._loader import load_dataset  # noqa: PLC0415

    root = Path(folder)
    # members and meetings checked in SQL (the careful loader reads the folder when a row is
    # doubtful): raises DatasetError with every problem, and nothing is written yet
    ds = _open_folder(root) if root.is_dir() else load_dataset(folder)
    try:
        return _import(ds, root, file, key)
    finally:
        if is_attached(ds):
            tables_of(ds).con.close()  # the scratch database, removed with its folder at exit


def _import(ds: Dataset, root: Path, file: str, key: str | None) -> dict[str, str]:
    key = key or (f"{ds.meta.root}-{ds.meta.year}" if ds.meta.year else ds.meta.root)
    big = [p.name for p in _big_files(root).values()]
    names = [n for n in (*SMALL, *LATE, *big) if (root / n).is_file()]
    digests = {n: _digest(root / n) for n in names}
    converted: dict[str, bytes] = {}
    if _parquet_visits(root):  # kept as the CSV the loader reads (the same bytes every time)
        converted["visits.csv"] = _visits_csv(root)
        digests["visits.csv"] = hashlib.sha256(converted["visits.csv"]).hexdigest()
    if os.path.islink(file):
        raise bilingual(f"{file} là liên kết tượng trưng; doanmodel không bao giờ ghi qua liên kết",
                        f"{file} is a symbolic link; doanmodel never writes through one")
    fresh = not os.path.exists(file)
    target = file
    if fresh:
        try:
            fd, target = tempfile.mkstemp(suffix=".duckdb", dir=os.path.dirname(file) or ".")
        except OSError as exc:
            why = os_reason(exc)
            raise bilingual(f"{file}: không tạo được kho ({why.vi})",
                            f"{file}: cannot create the store ({why.en})") from None
        os.close(fd)
        os.unlink(target)
    con = _connect(target)
    try:
        con.execute("BEGIN TRANSACTION")
        result = _write(con, ds, root, key, digests, converted)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        con.close()
        if fresh and os.path.exists(target):
            os.unlink(target)
        raise
    con.close()
    if fresh:
        os.replace(target, file)
    return result


def _write(con: Any, ds: Dataset, root: Path, key: str, digests: dict[str, str],
           converted: dict[str, bytes]) -> dict[str, str]:
    schema = ident(key)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(f"CREATE TABLE IF NOT EXISTS {schema}.files (name VARCHAR PRIMARY KEY, "
                "sha256 VARCHAR, content BLOB)")
    old = dict(con.execute(f"SELECT name, sha256 FROM {schema}.files").fetchall())
    result: dict[str, str] = {}
    for name in sorted(set(old) | set(digests)):
        if name not in digests:
            result[name] = "removed"
            con.execute(f"DELETE FROM {schema}.files WHERE name = ?", [name])
        elif old.get(name) == digests[name]:
            result[name] = "unchanged"
        else:
            result[name] = "replaced" if name in old else "added"
            content = converted[name] if name in converted else (root / name).read_bytes() \
                if name in SMALL or name in LATE else b""
            con.execute(f"INSERT OR REPLACE INTO {schema}.files VALUES (?, ?, ?)",
                        [name, digests[name], content])
    write_typed(con, schema, ds, digests)
    with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
        for big in BIG:
            status = {result.get(f"{big}{ext}") for ext in (".csv", ".parquet")}
            if status & {"added", "replaced", "removed"} or not _has_table(con, key, big):
                _put_big(con, ds, big, f"{schema}.{big}", tmp)
    return result


def _put_big(con: Any, ds: Dataset, big: str, target: str, tmp: str) -> None:
    """Write *ds*'s members or meetings as the table *target* of the store *con*: from the
    DuckDB tables they were checked in (through Parquet, in file order), else from Python."""
    if is_attached(ds):
        t = tables_of(ds)
        source = t.members if big == "members" else t.meetings
        path = os.path.join(tmp, f"{big}.parquet")
        cols = ", ".join(ident(c) for c in TYPES[big])
        t.con.execute(f"COPY (SELECT {cols} FROM {source} ORDER BY rowid) TO {lit(path)} "
                      "(FORMAT parquet)")
        con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT {cols} FROM "
                    f"read_parquet({lit(path)})")
        return
    path = os.path.join(tmp, f"{big}.csv")
    write_big_csv(ds, big, path)
    copy_in(con, target, big, path)


def _has_table(con: Any, key: str, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                            "table_schema = ? AND table_name = ?", [key, table]).fetchone()[0])


# ---------------------------------------------------------------------------- back to Python
def materialise(ds: Dataset) -> None:
    """Fill *ds*'s in-memory members and meetings from the DuckDB tables it was opened with."""
    import datetime as _dt  # noqa: PLC0415
    import json  # noqa: PLC0415

    from ..model._enums import MeetingKind  # noqa: PLC0415
    from ..query._duckdb import tables_of  # noqa: PLC0415
    from ._tables import MeetingTable, MemberTable  # noqa: PLC0415

    t = tables_of(ds)
    index, ids = ds.unit_index, ds.unit_ids

    def o(day: _dt.date | None) -> int:
        return day.toordinal() if day else 0

    members = MemberTable(ids)
    for row, (mid, bid, birth, joined, left, reason, intro, adm, extra) in enumerate(t.rows(
            f"SELECT {', '.join(map(ident, TYPES['members']))} FROM {t.members} ORDER BY rowid")):
        if reason:
            members.left_reason[row] = reason
        if extra:
            members.extra[row] = json.loads(extra)
        members.extend([mid], [index[bid]], [o(birth)], [o(joined)], [o(left)], [o(intro)],
                       [o(adm)])
    meetings = MeetingTable(ids)
    for row, (mid, uid, day, kind, chair, att, cluster, extra) in enumerate(t.rows(
            f"SELECT {', '.join(map(ident, TYPES['meetings']))} FROM {t.meetings} ORDER BY rowid")):
        meetings.ids.append(mid)
        meetings.unit.append(index[uid])
        meetings.date.append(day.toordinal())
        meetings.kind.append(MeetingTable.kind_code(MeetingKind(kind)))
        if chair:
            meetings.chair[row] = chair
        if att:
            meetings.attendees[row] = tuple(a.strip() for a in att.split(";") if a.strip())
        if cluster:
            meetings.cluster[row] = cluster
        if extra:
            meetings.extra[row] = json.loads(extra)
    ds.members, ds.meetings = members, meetings


def export_store(path: str, out: str, *, parquet: bool = False) -> Path:
    """
    Write the dataset *path* (``FILE.duckdb[#KEY]``) back as a folder at *out* (which must not
    exist): the small files byte for byte, members and meetings as the writer formats them
    (CSV, or Parquet with *parquet*).
    """
    from ._serialization import _row, _write_csv  # noqa: PLC0415

    store = split_store(path)
    if store is None:
        raise bilingual(f"{path}: không phải kho .duckdb", f"{path}: not a .duckdb store")
    target = Path(out)
    if target.exists() or target.is_symlink():
        raise bilingual(f"{out} đã có; doanmodel không bao giờ ghi đè một bộ dữ liệu",
                        f"{out} already exists; doanmodel never overwrites a dataset")
    ds = open_store(*store)
    t = _tables(ds)
    schema = ident(ds.path.rpartition("#")[2])  # type: ignore[union-attr]
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent if str(target.parent)
                                else "."))
    try:
        for name, content in t.rows(f"SELECT name, content FROM {schema}.files"):
            if name in SMALL or name in LATE:
                (tmp / name).write_bytes(content)
        if parquet:
            if (tmp / "visits.csv").is_file():
                t.con.execute(f"COPY (SELECT * FROM read_csv({lit(str(tmp / 'visits.csv'))}, "
                              "header = true, all_varchar = true)) TO "
                              f"{lit(str(tmp / 'visits.parquet'))} (FORMAT parquet)")
                (tmp / "visits.csv").unlink()
            for big in BIG:
                cols = ", ".join(ident(c) for c in TYPES[big] if c != "extra")
                t.con.execute(f"COPY (SELECT {cols} FROM {schema}.{big} ORDER BY rowid) TO "
                              f"{lit(str(tmp / (big + '.parquet')))} (FORMAT parquet)")
        else:
            materialise(ds)
            for name, items in (("meetings.csv", ds.meetings), ("members.csv", ds.members)):
                if len(items):
                    _write_csv(tmp, name, [_row(i) for i in items])
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _tables(ds: Dataset) -> DuckTables:
    from ..query._duckdb import tables_of  # noqa: PLC0415

    return tables_of(ds)
