"""
The one door of a dataset folder: which file each table comes from, and the manifest.

Every path that reads a folder — the careful loader, the DuckDB engine, ``import`` — asks
:func:`find_tables` which file stands for each table. It looks at each table's every accepted
form (``members.csv``, ``members.parquet``, ``members.xlsx`` …) with ``lstat`` only, so:

- a table found in two forms is a problem naming both (no form silently wins);
- a form that is not a regular file inside the folder (a link leading outside it, a FIFO, a
  socket, a folder) is reported by name and never opened, whatever its format;
- the table is then *refused*: references to its ids are not reported as missing.

A Parquet table is read by the careful loader too, as the CSV text DuckDB writes of it (its
rows numbered as the lines of that CSV: the header is line 1), so its problems name the file,
row and column like any other (needs the optional ``duckdb``).

The :class:`Manifest` records what each table was read from: file, format, sheet, SHA-256,
rows, or that it was absent.
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._guards import regular_file_problem

__all__ = ["FORMATS", "Found", "Manifest", "ParquetSource", "TableSource", "find_tables",
           "sha256_of"]

#: the tables that may come as Parquet (the big ones, and visits)
PARQUET = ("members.csv", "meetings.csv", "visits.csv")


def _forms(name: str) -> tuple[str, ...]:
    stem, _, ext = name.partition(".")
    if ext != "csv":
        return (name,)
    return (name, f"{stem}.xlsx", *((f"{stem}.parquet",) if name in PARQUET else ()))


def formats(files: Any) -> dict[str, tuple[str, ...]]:
    """Loader file name → the file names that may stand for it in a folder."""
    return {name: _forms(name) for name in files}


@attrs.define
class Found:
    """What :func:`find_tables` found: loader name → file, and the tables refused."""

    files: dict[str, Path] = attrs.field(factory=dict)
    refused: set[str] = attrs.field(factory=set)

    def kind(self, name: str) -> str | None:
        """``csv``, ``toml``, ``xlsx`` or ``parquet``: the form *name* was found in."""
        path = self.files.get(name)
        return None if path is None else path.suffix.lstrip(".").lower()


def _same_table(problems: Any, first: str, second: str) -> None:
    problems.add(second, 0, "-", f"{first} và {second} cùng là một bảng; giữ một tệp",
                 f"{first} and {second} are the same table; keep one of them")


def find_tables(root: Path, names: Any, problems: Any) -> Found:
    """
    The file each of *names* (loader file names) comes from in the folder *root*; a table in
    two forms, and a form that is not a regular file inside *root*, are reported on
    *problems* and the table refused. Nothing is opened.
    """
    found = Found()
    for name in names:
        there = [f for f in _forms(name) if os.path.lexists(root / f)]
        for f in there:
            why = regular_file_problem(root, f)
            if why is not None:
                problems.add(f, 0, "-", *why)
                found.refused.add(name)
        for f in there[1:]:
            _same_table(problems, there[0], f)
            found.refused.add(name)
        if there and name not in found.refused:
            found.files[name] = root / there[0]
    return found


FORMATS = formats(("units.csv", "cadres.csv", "positions.csv", "absences.csv", "visits.csv",
                   "meetings.csv", "members.csv", "indicators.csv", "targets.csv"))


# ---------------------------------------------------------------------------- Parquet
def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Rows:
    """A CSV file as the loader's row stream, ``line_num`` counting rows (a Parquet row is
    one row whatever line breaks its cells hold)."""

    def __init__(self, path: str) -> None:
        self._handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115
        self._reader = csv.reader(self._handle)
        self.line_num = 0

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        row = next(self._reader)
        self.line_num += 1
        return row

    def __enter__(self) -> _Rows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()


@attrs.define
class ParquetSource:
    """Where the loader's CSV table *name* really is: a Parquet file, read as CSV text."""

    name: str
    path: Path
    display: str
    _tmp: Any = None

    def where(self, line: int) -> tuple[str, int]:
        """(file shown, line) of a problem: the Parquet file, its row as the CSV line."""
        return self.display, line

    def csv_path(self, problems: Any) -> str | None:
        """The Parquet file written as CSV (once), or ``None`` after a problem."""
        if self._tmp is None:
            try:
                import duckdb  # noqa: PLC0415
            except ImportError:
                problems.add(self.name, 0, "-",
                             "cần gói tuỳ chọn để đọc tệp Parquet: pip install 'doanmodel[duckdb]'",
                             "reading Parquet files needs the optional package: "
                             "pip install 'doanmodel[duckdb]'")
                return None
            tmp = tempfile.TemporaryDirectory(prefix="doanmodel-")
            out = os.path.join(tmp.name, "table.csv")
            con = duckdb.connect()
            try:
                con.execute(f"COPY (SELECT * FROM read_parquet({_lit(str(self.path))})) TO "
                            f"{_lit(out)} (HEADER, DATEFORMAT '%Y-%m-%d')")
            except Exception as exc:  # noqa: BLE001 - any reader error is the file's problem
                tmp.cleanup()
                why = str(exc).splitlines()[0]
                problems.add(self.name, 0, "-",
                             "không đọc được tệp Parquet (tệp hỏng hoặc không phải Parquet)",
                             f"unreadable Parquet file ({why})")
                return None
            finally:
                con.close()
            self._tmp = tmp
        return os.path.join(self._tmp.name, "table.csv")

    def close(self) -> None:
        """Remove the CSV text (the loading calls it when it ends)."""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def open_table(self, problems: Any) -> _Rows | None:
        """The Parquet rows as the CSV row stream (``None`` after a problem)."""
        path = self.csv_path(problems)
        return None if path is None else _Rows(path)


# ---------------------------------------------------------------------------- the manifest
@attrs.frozen
class TableSource:
    """Where one table of a dataset came from."""

    #: the table's file name in the dataset format (``members.csv``, ``clusters.toml``)
    table: str
    #: the file read, relative to the dataset (``members.parquet``, ``book.xlsx``), or ``None``
    file: str | None = None
    #: ``csv``, ``toml``, ``xlsx``, ``parquet`` or ``store``; ``None`` when absent
    format: str | None = None
    #: the sheet, for a workbook
    sheet: str | None = None
    #: SHA-256 of the file read (the whole workbook for a sheet)
    sha256: str | None = None
    #: rows (entities) read from it; ``None`` for a file that is not a table (dataset.toml)
    rows: int | None = None
    #: whether the table was absent
    absent: bool = False

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Manifest:
    """Per table of a dataset, what it was read from (``ds.manifest``)."""

    tables: tuple[TableSource, ...] = ()

    def __getitem__(self, table: str) -> TableSource:
        for t in self.tables:
            if t.table == table:
                return t
        raise KeyError(table)

    def rows(self, table: str) -> int | None:
        """Rows read from *table* (``None`` when absent or not a table)."""
        try:
            return self[table].rows
        except KeyError:
            return None

    def to_dict(self) -> dict[str, Any]:
        return {"tables": [t.to_dict() for t in self.tables]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(tuple(TableSource(**t) for t in data.get("tables", ())))


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file at *path*, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_manifest(root: Path, names: Any, sources: Mapping[str, Any],
                   files: Mapping[str, Path], rows: Mapping[str, int | None]) -> Manifest:
    """The manifest of a dataset read from *root*: *files* (loader name → file), *sources*
    (loader name → workbook sheet or Parquet source), *rows* (loader name → rows read)."""
    digests: dict[Path, str] = {}
    out = []
    base = root if root.is_dir() else root.parent
    for name in names:
        source = sources.get(name)
        path = getattr(source, "path", None) or files.get(name)
        if path is None:
            out.append(TableSource(table=name, absent=True))
            continue
        path = Path(path)
        if path not in digests:
            digests[path] = sha256_of(path)
        kind = path.suffix.lstrip(".").lower()
        try:
            shown = str(path.relative_to(base))
        except ValueError:
            shown = path.name
        out.append(TableSource(table=name, file=shown, format=kind,
                               sheet=getattr(source, "sheet", None), sha256=digests[path],
                               rows=rows.get(name)))
    return Manifest(tuple(out))


def stored_manifest(names: Any, stored: Mapping[str, str],
                    rows: Mapping[str, int | None]) -> Manifest:
    """The manifest of a dataset opened from a store: *stored* maps each file name imported
    (``members.parquet`` …) to the SHA-256 recorded at import."""
    out = []
    for name in names:
        file = next((f for f in _forms(name) if f in stored), None)
        if file is None:
            out.append(TableSource(table=name, absent=True))
            continue
        out.append(TableSource(table=name, file=file, format=file.rpartition(".")[2],
                               sha256=stored[file], rows=rows.get(name)))
    return Manifest(tuple(out))
