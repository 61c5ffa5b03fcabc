"""
Safe output: no spreadsheet formula ever injected, no file written through a symlink or over an
existing file without ``--force``, and no half-written file left behind.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from ..exceptions import DoanmodelError
from ..model._i18n import Text, os_reason

__all__ = ["FORMULA_START", "CsvWriter", "OutputError", "OutputExistsError", "atomic_write",
           "check_target", "neutralise", "neutralise_row", "text_cell", "writing"]

#: a cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: a plain number such as ``-3`` or ``+1.5`` is data, not a formula, and is left alone
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


class OutputError(DoanmodelError, OSError):
    """An output file cannot be written safely (a symlink, or not writable); ``.text`` holds
    the message in both languages, ``str()`` the English one."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


class OutputExistsError(OutputError, FileExistsError):
    """The output file exists and ``--force`` was not given."""


def neutralise(text: str) -> str:
    """
    *text* made safe for a CSV cell by the OWASP rule: a leading ``'`` when it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, so no spreadsheet runs it
    (a plain signed number such as ``-3`` stays as it is: it is a number, not a formula).
    """
    if text and text[0] in FORMULA_START and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def neutralise_row(row: Any) -> list[Any]:
    """A CSV row with every text cell neutralised (numbers stay numbers)."""
    return [neutralise(c) if isinstance(c, str) else c for c in row]


class CsvWriter:
    """
    ``csv.writer`` for output: every text cell neutralised (:func:`neutralise`), and a cell
    holding a carriage return quoted (``csv.writer`` with ``\\n`` line ends leaves a lone CR
    bare, which a spreadsheet reads as a new row whose first cell could be a formula).
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._buf = io.StringIO()
        self._writer = csv.writer(self._buf, lineterminator="\r\n")

    def writerow(self, row: Any) -> None:
        """Write one row, ended by ``\\n``."""
        self._writer.writerow(neutralise_row(row))
        line = self._buf.getvalue()
        self._buf.seek(0)
        self._buf.truncate()
        self._stream.write(line[:-2] + "\n")

    def writerows(self, rows: Any) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)


def text_cell(cell: Any, value: str) -> None:
    """
    Put *value* into an openpyxl *cell* as a string, never a formula (openpyxl turns any text
    starting with ``=`` into a formula unless the data type is forced back to ``s``).
    """
    cell.value = value
    cell.data_type = "s"


Data = bytes | str | Callable[[IO[bytes]], None]
T = TypeVar("T")


def _refuse(target: Path, force: bool) -> None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(Text(f"{target} là liên kết tượng trưng; doanmodel không bao giờ ghi "
                               "qua liên kết",
                               f"{target} is a symbolic link; doanmodel never writes through one"))
    if not force:
        raise OutputExistsError(Text(f"{target} đã có; dùng --force để ghi đè",
                                     f"{target} exists; use --force to replace it"))
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(Text(f"{target} không phải tệp thường",
                               f"{target} is not a regular file"))


def check_target(path: str | os.PathLike[str], force: bool = False) -> None:
    """
    Fail early, before any work, when *path* could not be written (see :func:`atomic_write`).

    Raises:
        OutputError: *path* is a symbolic link or not a regular file.
        OutputExistsError: *path* exists and *force* is false.
    """
    _refuse(Path(path), force)


def atomic_write(path: str | os.PathLike[str], data: Data, force: bool = False) -> Path:
    """
    Write *data* (bytes, text as UTF-8, or a callback given a binary file) to *path*.

    The file is written under a temporary name in the same directory and renamed into place,
    so an interrupted write leaves nothing half-written.

    Raises:
        OutputError: *path* is a symbolic link (even a dangling one), or not a regular file,
            or the system refused the write (a full disk, a file too large, no permission:
            the message names *path* and the reason; nothing is left behind).
        OutputExistsError: *path* exists and *force* is false.
    """
    target = Path(path)
    _refuse(target, force)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(Text(f"không có thư mục {directory}",
                               f"{directory} is not a directory"))
    import tempfile  # noqa: PLC0415 - only when a file is written

    failed: Text | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _cannot_write(target, os_reason(exc)) from None
    hook = sys.unraisablehook
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        _refuse(target, force)  # the check again, just before the rename
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if not isinstance(exc, OSError) or isinstance(exc, OutputError):
            raise
        failed = os_reason(exc)  # a full disk, a file too large, a quota: exit 2, named
        sys.unraisablehook = _quiet  # the half-written writer's objects, freed with *exc*
    if failed is not None:
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise _cannot_write(target, failed)
    return target


def writing(path: str | os.PathLike[str], make: Callable[[], T]) -> T:
    """
    ``make()``, the making of the output file *path* (a workbook's sheets stream to temporary
    files as they are filled): a system error (a full disk, a file too large) becomes an
    :class:`OutputError` naming *path* and the reason, without the writer's own complaints as
    it is torn down (a function, not a context manager, so that nothing keeps the failed
    writer alive once its error is caught).
    """
    failed: Text | None = None
    hook = sys.unraisablehook
    try:
        return make()
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        failed = os_reason(exc)
        sys.unraisablehook = _quiet
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise _cannot_write(Path(path), failed)


def _quiet(_: Any) -> None:
    """An unraisable-exception hook that says nothing (a writer torn down after a failed
    write: openpyxl's generators and zip file complain about their closed file)."""


def _cannot_write(target: Path, why: Text) -> OutputError:
    return OutputError(Text(f"{target}: không ghi được ({why.vi}); không có gì được ghi",
                            f"{target}: cannot write it ({why.en}); nothing was written"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
