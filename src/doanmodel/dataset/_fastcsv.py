"""Plain CSV lines straight into columns, with ``str.split`` instead of the csv module.

Most rows of a big export are *plain*: no quote, no carriage return, no NUL, one row a line
and the header's number of cells. Such lines split on commas exactly as :mod:`csv` reads
them, so a run of plain lines is cut into columns by one ``split`` and slices. Anything else
(a quoted cell, a line break in a cell, a blank line, a short row …) is read by the csv
module as before, from the same place and in the same chunks, so the rows, their lines and
the problems reported are those of :meth:`_Table.chunks`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from typing import Any, cast

from ._csvio import Problems, _Table, unreadable

__all__ = ["column_chunks", "numbered", "plain_columns"]


def plain_columns(lines: list[str], width: int, limit: int) -> list[list[str]] | None:
    """
    The columns of *lines* (each ending with ``\\n``, the last one may not) when every line
    is a plain CSV row of *width* cells no longer than *limit*; else ``None``.
    """
    n = len(lines)
    if width < 2 or not n:  # a blank line is a row of no cells, not one empty cell
        return None
    text = ",".join(lines)
    if not text.endswith("\n"):  # the file's last line
        text += "\n"
    if '"' in text or "\r" in text or "\0" in text or len(text) >= limit:
        return None
    flat = text.split(",")
    if len(flat) != n * width:
        return None
    # A "\n" ends each line, so it ends the last cell of one: when the cells of every width-th
    # place hold all n of them, every line has exactly width cells.
    last = "\0".join(flat[width - 1::width])
    if last.count("\n") != n:
        return None
    columns = [flat[i::width] for i in range(width - 1)]
    columns.append(last.replace("\n", "").split("\0"))
    return columns


def column_chunks(t: _Table, problems: Problems, size: int) -> Iterator[tuple[bool, Any]]:
    """
    The rows of *t* in chunks of *size*, like :meth:`_Table.chunks` but a plain chunk comes
    as its columns: ``(True, columns)``, else ``(False, [(line, row)…])``; :func:`numbered`
    gives the rows of either with their lines.
    """
    if t.single_line:  # a workbook sheet: its own row stream
        for plain, chunk in t.chunks(problems, size):
            yield plain, (list(zip(*chunk)) if plain else chunk)
        return
    handle, width = t.handle, t.width
    line = t.reader.line_num  # the header's (last) line
    try:
        while True:
            lines = list(islice(handle, size))
            if not lines:
                return
            columns = plain_columns(lines, width, csv.field_size_limit())
            if columns is not None:
                t._first = line + 1  # noqa: SLF001
                line += len(lines)
                yield True, columns
                continue
            plain, chunk, line = _csv_chunk(t, chain(lines, handle), line, size, problems)
            yield plain, chunk
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.add_text(t.name, line + 1, "-", unreadable(exc))


def numbered(t: _Table, plain: bool, chunk: Any) -> list[tuple[int, Sequence[str]]]:
    """The rows of a chunk from :func:`column_chunks`, with their first lines."""
    if plain:
        return t.numbered(list(zip(*chunk)))
    return cast("list[tuple[int, Sequence[str]]]", chunk)


def _csv_chunk(t: _Table, source: Iterator[str], line: int, size: int,
               problems: Problems) -> tuple[bool, Any, int]:
    """The next *size* rows read by the csv module, as :meth:`_Table.chunks` gives them."""
    reader = csv.reader(source)
    chunk = list(islice(reader, size))
    end = line + reader.line_num
    if end - line == len(chunk) and all(len(r) == t.width for r in chunk):
        t._first = line + 1  # noqa: SLF001
        return True, list(zip(*chunk)), end
    rows = list(t._lines(chunk, line, problems))  # noqa: SLF001
    return False, rows, end
