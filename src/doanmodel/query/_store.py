"""
Opening datasets for the DuckDB engine, and the persistent ``.duckdb`` store.

A store holds one or more datasets (provinces, years), each in its own schema named by a key
(``ROOT-YEAR`` unless ``--key`` says otherwise): the small files as they were (table ``files``,
with their SHA-256), the entities the loader made of them (table ``typed``, see
:mod:`._storetyped`: a store opens without reading them again), members and meetings as typed
tables. ``PATH.duckdb`` names the store's only dataset, ``PATH.duckdb#KEY`` one of several.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..exceptions import DoanmodelError, bilingual
from ..model._i18n import io_reason, named_os_reason
from ._duckdb import (
    AUTO_MEMBERS,
    DuckTables,
    attach,
    duckdb_available,
    is_attached,
    require_duckdb,
    tables_of,
)
from ._ducksql import (
    BIG,
    TYPES,
    copy_in,
    ident,
    lit,
    sql_tables,
    unreadable_parquet,
    write_big_csv,
)
from ._storeguard import (
    check_key,
    check_tables,
    connect,
    not_a_store,
    verify,
    verify_files,
)
from ._storetyped import read_typed, write_typed

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset

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
    """members and meetings → their CSV or Parquet file (``_intake.find_tables``: a link out of
    the folder, a FIFO or a table in two forms is not one; the loader reports them)."""
    from ..dataset._csvio import Problems  # noqa: PLC0415
    from ..dataset._intake import find_tables  # noqa: PLC0415

    found = find_tables(root, [f"{name}.csv" for name in BIG], Problems())
    return {name: path for name in BIG
            if (path := found.files.get(f"{name}.csv")) is not None
            and path.suffix in (".csv", ".parquet")}


def _parquet_visits(root: Path) -> bool:
    from ..dataset._csvio import Problems  # noqa: PLC0415
    from ..dataset._intake import find_tables  # noqa: PLC0415

    return find_tables(root, ["visits.csv"], Problems()).kind("visits.csv") == "parquet"


def _folder_doubt(root: Path) -> bool:
    """Whether the folder's files need the careful loader alone: a form problem (a link out,
    a FIFO, a table in two forms) or a workbook table, which the SQL path does not read."""
    from ..dataset._csvio import FILES, Problems  # noqa: PLC0415
    from ..dataset._intake import find_tables  # noqa: PLC0415

    problems = Problems()
    found = find_tables(root, FILES, problems)
    return bool(problems) or any(found.kind(n) == "xlsx" for n in found.files)


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
    from ..dataset._loader import load_dataset  # noqa: PLC0415

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

    from ..dataset._csvio import Problems  # noqa: PLC0415
    from ..dataset._guards import dataset_files  # noqa: PLC0415

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
    from ..dataset._loader import load_dataset  # noqa: PLC0415
    from ._duckdb import scratch  # noqa: PLC0415

    if _folder_doubt(root):
        return load_dataset(root)  # the careful loader names every problem
    from ..exceptions import DatasetError  # noqa: PLC0415

    con = scratch()
    try:
        with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
            late = Path(tmp, "late")
            late.mkdir()
            _shadow(root, tmp, SMALL)
            _shadow(root, str(late), LATE)
            if _parquet_visits(root):  # read by the careful loader, as CSV
                Path(tmp, "visits.csv").write_bytes(_visits_csv(root))
            ds = load_dataset(tmp)
            ds.path = str(root)
            _renamed_files(ds, root)
            files = _big_files(root)
            # members and meetings were not shadowed: present in the folder, they are reported
            ds.absent_tables = frozenset(t for t in ds.absent_tables
                                         if t not in files or t in ds.meta.not_collected)
            if sql_tables(con, ds, files):
                tables = DuckTables(con)
                attach(ds, tables)
                _read_late(ds, late, tables)
                _folder_manifest(ds, root, tables)
                return ds
    except DatasetError:
        pass  # a problem in any file: the careful loader reports them all, as on every path
    con.close()
    # the careful loader (Parquet read as CSV text): it names every problem, file, row, column
    return load_dataset(root)


def _renamed_files(ds: Dataset, root: Path) -> None:
    """The warnings of the files of *root* that look like renamed tables (the shadow folder
    read holds the tables' own files only), as the careful loader gives them."""
    from ..dataset._workbook import renamed_files  # noqa: PLC0415

    present = {t.table for t in ds.manifest.tables if not t.absent} if ds.manifest else set()
    big = {f"{n}.csv" for n in _big_files(root)}
    ds.load_warnings = (*ds.load_warnings, *renamed_files(root, present | big))


def _folder_manifest(ds: Dataset, root: Path, tables: DuckTables) -> None:
    """*ds*'s manifest naming *root*'s files, members and meetings counted in DuckDB."""
    from ..dataset._csvio import FILES, Problems  # noqa: PLC0415
    from ..dataset._intake import build_manifest, find_tables  # noqa: PLC0415

    found = find_tables(root, FILES, Problems())
    rows = {t.table: t.rows for t in ds.manifest.tables} if ds.manifest else {}
    rows["programmes.toml"] = len(ds.programmes)
    for big, rel in (("members", tables.members), ("meetings", tables.meetings)):
        rows[f"{big}.csv"] = int(tables.one(f"SELECT count(*) FROM {rel}")[0])
    ds.manifest = build_manifest(root, FILES, {}, found.files, rows)


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
    from ..dataset._csvio import Problems  # noqa: PLC0415
    from ..dataset._loader import _spans  # noqa: PLC0415
    from ..dataset._programmes_toml import read_programmes  # noqa: PLC0415

    problems = Problems()
    ds.programmes = read_programmes(folder / "programmes.toml", problems, _spans(ds.units),
                                    ds.cadres, {v.id: v for v in ds.visits},
                                    _MeetingIds(tables))
    problems.raise_if_any()


# ---------------------------------------------------------------------------- the store
def open_store(file: str, key: str | None = None, *, allow: str | None = None) -> Dataset:
    """
    The dataset *key* of the store *file* (its only one when *key* is ``None``), opened as
    hostile input (:mod:`._storeguard`): external access and extensions off before the first
    query, every stored object checked, every SHA-256 compared with its bytes, the typed rows
    put through the loader's checks, members and meetings through the SQL checks. *allow*: a
    folder of our own DuckDB may read and write (``export-db --parquet``), and no other.
    """
    if not os.path.isfile(file):
        raise bilingual(f"{file}: không có kho DuckDB này", f"{file}: no such DuckDB store")
    con = connect(file, allow=allow)
    try:
        return _open_store(con, file, key)
    except BaseException as exc:
        con.close()
        if isinstance(exc, require_duckdb().Error):  # a damaged file, found as it is read
            raise not_a_store(file, exc) from None
        raise


def _open_store(con: Any, file: str, key: str | None) -> Dataset:
    from ..dataset._loader import load_dataset  # noqa: PLC0415

    keys = verify(con, file)
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
    stored = verify_files(con, file, schema, key)
    ds = read_typed(con, key, schema)  # the entities the import made, checked as the loader does
    if ds is None:  # no typed rows, or rows that do not verify: the stored files, carefully
        with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
            for name, content in stored.items():
                if name in SMALL:
                    Path(tmp, name).write_bytes(content)
            ds = load_dataset(tmp)
    ds.absent_tables = ds.absent_tables - set(BIG)  # attached below, from the store
    ds.path = f"{file}#{key}"
    tables = DuckTables(con, f"{schema}.members", f"{schema}.meetings")
    check_tables(con, ds, tables, file, key)
    attach(ds, tables)
    _store_manifest(ds, con, schema, tables)
    late = {name: content for name, content in stored.items() if name in LATE}
    if late:
        with tempfile.TemporaryDirectory(prefix="doanmodel-") as tmp:
            for name, content in late.items():
                Path(tmp, name).write_bytes(content)
            _read_late(ds, Path(tmp), tables)
    if ds.manifest is not None:
        ds.manifest = attrs.evolve(ds.manifest, tables=tuple(
            attrs.evolve(t, rows=len(ds.programmes)) if t.table == "programmes.toml" else t
            for t in ds.manifest.tables))
    return ds


def _store_manifest(ds: Dataset, con: Any, schema: str, tables: DuckTables) -> None:
    """*ds*'s manifest: the files the import recorded (name, SHA-256) and the rows held."""
    from ..dataset._csvio import FILES  # noqa: PLC0415
    from ..dataset._intake import stored_manifest  # noqa: PLC0415

    stored = dict(con.execute(f"SELECT name, sha256 FROM {schema}.files").fetchall())
    rows: dict[str, int | None] = {
        "units.csv": len(ds.units), "cadres.csv": len(ds.cadres),
        "positions.csv": len(ds.positions), "absences.csv": len(ds.absences),
        "visits.csv": len(ds.visits), "indicators.csv": len(ds.indicators),
        "targets.csv": len(ds.targets), "clusters.toml": len(ds.clusters)}
    for big, rel in (("members", tables.members), ("meetings", tables.meetings)):
        rows[f"{big}.csv"] = int(tables.one(f"SELECT count(*) FROM {rel}")[0])
    ds.manifest = stored_manifest(FILES, stored, rows)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def import_dataset(folder: str, file: str, key: str | None = None, *,
                   warnings: list[Any] | None = None) -> dict[str, str]:
    """
    Validate the dataset *folder* as the loader does and put it in the store *file* under
    *key* (default ``ROOT-YEAR``). Files whose content is unchanged since the last import under
    the same key are reported ``unchanged``; changed ones replace their rows (never duplicate).
    Returns file name → ``added``, ``replaced``, ``unchanged`` or ``removed``.

    Imports into one store take turns (a lock file beside it). A new store is written to a
    temporary file and renamed into place; an existing one is checked as hostile input
    (:func:`._storeguard.verify`: anything doanmodel did not write is refused) and changed in
    one transaction. Nothing is written when the folder has a problem; a disk or system error
    is a clear error naming the file, and leaves nothing half-written.
    """
    from ..dataset._loader import load_dataset  # noqa: PLC0415

    if key is not None:
        check_key(key)  # before the folder is read
    root = Path(folder)
    # members and meetings checked in SQL (the careful loader reads the folder when a row is
    # doubtful): raises DatasetError with every problem, and nothing is written yet
    try:
        ds = _open_folder(root) if root.is_dir() else load_dataset(folder)
    except Exception as exc:
        if not _system_error(exc):
            raise
        why, work = io_reason(exc), tempfile.gettempdir()
        raise bilingual(f"{file}: không ghi được cơ sở dữ liệu tạm của DuckDB trong {work} "
                        f"({why.vi}); không có gì được ghi",
                        f"{file}: cannot write DuckDB's work database in {work} ({why.en}); "
                        "nothing was written") from None
    if warnings is not None:  # what the loader noticed (a file that looks like a renamed table)
        warnings.extend(ds.load_warnings)
    try:
        _no_workbook(ds)
        return _import(ds, root, file, key)
    finally:
        if is_attached(ds):
            tables_of(ds).con.close()  # the scratch database, removed with its folder at exit


def _system_error(exc: BaseException) -> bool:
    """Whether *exc* is the system's refusal (a full disk, a file too large, no permission),
    whatever DuckDB wrapped it in (``IO``, ``Transaction`` or ``Fatal`` error)."""
    if isinstance(exc, OSError):
        return True
    if not isinstance(exc, require_duckdb().Error):
        return False
    return type(exc).__name__ in ("IOException", "OutOfMemoryException") or \
        named_os_reason(str(exc)) is not None


def _cannot_write(file: str, exc: BaseException) -> Exception:
    why = io_reason(exc)
    if not os.path.exists(file):
        return bilingual(f"{file}: không tạo được kho ({why.vi}); không có gì được ghi",
                         f"{file}: cannot create the store ({why.en}); nothing was written")
    return bilingual(f"{file}: không ghi được kho ({why.vi}); kho vẫn như trước",
                     f"{file}: cannot write the store ({why.en}); it is as it was")


@contextlib.contextmanager
def _locked(file: str) -> Iterator[None]:
    """Hold the lock of the store *file* (``.NAME.lock`` beside it, removed after): imports
    into one store take turns, so that two into a store not there yet keep both datasets."""
    import fcntl  # noqa: PLC0415 - POSIX

    folder, name = os.path.split(os.path.abspath(file))
    path = os.path.join(folder, f".{name}.lock")
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as exc:
            raise _cannot_write(file, exc) from None
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for the import before this one
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except FileNotFoundError:  # the one before removed it as we waited: lock anew
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _no_workbook(ds: Dataset) -> None:
    """A store keeps each table's file as it was read: a workbook table is refused by name
    (its rows would otherwise be stored under a CSV name they never had, or lost)."""
    from ..exceptions import DatasetError, Problem  # noqa: PLC0415
    from ..model._i18n import Text  # noqa: PLC0415

    sheets = [t for t in (ds.manifest.tables if ds.manifest else ()) if t.format == "xlsx"]
    if sheets:
        raise DatasetError([Problem(
            t.file or t.table, 0, "-",
            Text(f"import giữ các tệp CSV, TOML và Parquet; hãy lưu {t.file} thành {t.table}",
                 f"import keeps CSV, TOML and Parquet files; save {t.file} as {t.table}"))
            for t in sheets])


def _import(ds: Dataset, root: Path, file: str, key: str | None) -> dict[str, str]:
    if key is None:
        key = f"{ds.meta.root}-{ds.meta.year}" if ds.meta.year else ds.meta.root
        try:
            check_key(key)
        except DoanmodelError:
            raise bilingual(f"{file}: tên mặc định của bộ dữ liệu (ROOT-YEAR) {key!r} không "
                            "phải một tên đơn giản; hãy đặt tên bằng --key",
                            f"{file}: the dataset's default name (ROOT-YEAR) {key!r} is not a "
                            "plain name; name it with --key") from None
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
    with _locked(file):
        return _import_locked(ds, root, file, key, digests, converted)


def _import_locked(ds: Dataset, root: Path, file: str, key: str, digests: dict[str, str],
                   converted: dict[str, bytes]) -> dict[str, str]:
    fresh = not os.path.exists(file)
    target = file
    if fresh:
        try:
            fd, target = tempfile.mkstemp(prefix=f".{os.path.basename(file)}.",
                                          suffix=".duckdb", dir=os.path.dirname(file) or ".")
        except OSError as exc:
            raise _cannot_write(file, exc) from None
        os.close(fd)
        os.unlink(target)
    with tempfile.TemporaryDirectory(prefix="doanmodel-") as scratch:
        tmp = os.path.realpath(scratch)  # the one folder DuckDB may read (allowed_directories)
        con = connect(target, write=True, allow=tmp)
        try:
            if not fresh:
                verify(con, file)  # a store is hostile input: refused before it is written
            con.execute("BEGIN TRANSACTION")
            result = _write(con, ds, root, key, digests, converted, tmp)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")  # into the file now: a full disk is an error here,
            con.close()  # where closing would leave the data in the .wal and say nothing
            if fresh:
                os.replace(target, file)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                con.execute("ROLLBACK")
            with contextlib.suppress(Exception):
                con.close()
            if fresh:
                for leftover in (target, target + ".wal", target + ".tmp"):
                    with contextlib.suppress(OSError):
                        if os.path.isdir(leftover):
                            shutil.rmtree(leftover)
                        else:
                            os.unlink(leftover)
            if _system_error(exc):
                raise _cannot_write(file, exc) from None
            raise
    return result


def _write(con: Any, ds: Dataset, root: Path, key: str, digests: dict[str, str],
           converted: dict[str, bytes], tmp: str) -> dict[str, str]:
    schema = ident(key)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(f"CREATE TABLE IF NOT EXISTS {schema}.files (name VARCHAR PRIMARY KEY, "
                "sha256 VARCHAR, content BLOB)")
    # a stored digest counts only when it is that of the stored bytes (big files: no bytes)
    old = {name: sha for name, sha, content in
           con.execute(f"SELECT name, sha256, content FROM {schema}.files").fetchall()
           if (name not in SMALL and name not in LATE) or
           (content is not None and hashlib.sha256(content).hexdigest() == sha)}
    stored = {name for (name,) in con.execute(f"SELECT name FROM {schema}.files").fetchall()}
    result: dict[str, str] = {}
    for name in sorted(stored | set(digests)):
        if name not in digests:
            result[name] = "removed"
            con.execute(f"DELETE FROM {schema}.files WHERE name = ?", [name])
        elif old.get(name) == digests[name]:
            result[name] = "unchanged"
        else:
            result[name] = "replaced" if name in stored else "added"
            content = converted[name] if name in converted else (root / name).read_bytes() \
                if name in SMALL or name in LATE else b""
            con.execute(f"INSERT OR REPLACE INTO {schema}.files VALUES (?, ?, ?)",
                        [name, digests[name], content])
    write_typed(con, schema, ds, digests)
    for big in BIG:  # always: the stored rows cannot be compared with a file's bytes
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


# ---------------------------------------------------------------------------- back to Python
def materialise(ds: Dataset) -> None:
    """Fill *ds*'s in-memory members and meetings from the DuckDB tables it was opened with."""
    import datetime as _dt  # noqa: PLC0415
    import json  # noqa: PLC0415

    from ..dataset._tables import MeetingTable, MemberTable  # noqa: PLC0415
    from ..model._enums import MeetingKind  # noqa: PLC0415
    from ._duckdb import tables_of  # noqa: PLC0415

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
    from ..dataset._serialization import _row, _write_csv  # noqa: PLC0415

    store = split_store(path)
    if store is None:
        raise bilingual(f"{path}: không phải kho .duckdb", f"{path}: not a .duckdb store")
    target = Path(out)
    if target.exists() or target.is_symlink():
        raise bilingual(f"{out} đã có; doanmodel không bao giờ ghi đè một bộ dữ liệu",
                        f"{out} already exists; doanmodel never overwrites a dataset")
    try:
        tmp = Path(os.path.realpath(tempfile.mkdtemp(
            prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")))
    except OSError as exc:
        raise _cannot_export(out, exc) from None
    try:
        ds = open_store(*store, allow=str(tmp))
        t = _tables(ds)
        schema = ident(ds.path.rpartition("#")[2])  # type: ignore[union-attr]
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
        t.con.close()
        os.replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if _system_error(exc):
            raise _cannot_export(out, exc) from None
        raise
    return target


def _cannot_export(out: str, exc: BaseException) -> Exception:
    why = io_reason(exc)
    return bilingual(f"{out}: không ghi được bộ dữ liệu ({why.vi}); không có gì được ghi",
                     f"{out}: cannot write the dataset ({why.en}); nothing was written")


def _tables(ds: Dataset) -> DuckTables:
    from ._duckdb import tables_of  # noqa: PLC0415

    return tables_of(ds)
