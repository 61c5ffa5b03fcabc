"""Plain CSV lines straight into columns, with ``str.split`` instead of the csv module.

Most rows of a big export are *plain*: no quote, no NUL, no carriage return but in a CRLF
line end, one row a line and the header's number of cells. Such lines split on commas exactly
as :mod:`csv` reads them, so a run of plain lines is cut into columns by one ``split`` and
slices. Anything else (a quoted cell, a line break in a cell, a blank line, a short row …) is
read by the csv module as before, from the same place and in the same chunks, so the rows,
their lines and the problems reported are those of :meth:`_Table.chunks`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any, cast

from ..model._i18n import nfc
from ._csvio import Problems, _Bad, _open_table, _Row, _Table, _text, error_line, unreadable

__all__ = ["column_chunks", "numbered", "parsed_rows", "plain_columns", "read_csv"]

_strip, _isascii = str.strip, str.isascii


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
    if "\r" in text:  # CRLF line ends (a CR elsewhere ends a line too: the csv module's)
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if '"' in text or "\0" in text or len(text) >= limit:
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
        problems.add_text(t.name, error_line(exc, t.reader, line), "-", unreadable(exc))


def numbered(t: _Table, plain: bool, chunk: Any) -> list[tuple[int, Sequence[str]]]:
    """The rows of a chunk from :func:`column_chunks`, with their first lines."""
    if plain:
        return t.numbered(list(zip(*chunk)))
    return cast("list[tuple[int, Sequence[str]]]", chunk)


def _csv_chunk(t: _Table, source: Iterator[str], line: int, size: int,
               problems: Problems) -> tuple[bool, Any, int]:
    """The next *size* rows read by the csv module, as :meth:`_Table.chunks` gives them."""
    reader = csv.reader(source)
    try:
        chunk = list(islice(reader, size))
    except csv.Error as exc:  # the line it stopped on, for the problem (error_line)
        exc.line = line + reader.line_num  # type: ignore[attr-defined]
        raise
    end = line + reader.line_num
    if end - line == len(chunk) and all(len(r) == t.width for r in chunk):
        t._first = line + 1  # noqa: SLF001
        return True, list(zip(*chunk)), end
    rows = list(t._lines(chunk, line, problems))  # noqa: SLF001
    return False, rows, end


# ---------------------------------------------------------------------------- parsed rows
def parsed_rows(t: _Table, problems: Problems) -> Iterator[_Row]:
    """
    (line, values, extra columns) of every good row of *t*, as ``t.parse`` gives them; a plain
    chunk whose every cell parses is parsed column by column, any other row by row (which
    reports its problems).
    """
    for plain, chunk in column_chunks(t, problems, 1024):
        if plain:
            first = t._first  # noqa: SLF001
            parsed = _parse_columns(t, chunk)
            if parsed is not None:
                rows: Any = zip(*chunk) if t.extras else repeat(())
                for k, (values, row) in enumerate(zip(parsed, rows)):
                    yield first + k, values, t.extra(row) if t.extras else {}
                continue
        for start, row in numbered(t, plain, chunk):
            checked = t.parse(start, row, problems)
            if checked is not None:
                yield start, checked, t.extra(row)


def _parse_columns(t: _Table, cols: Sequence[Sequence[str]]) -> list[dict[str, Any]] | None:
    """Every row's values, parsed column by column; ``None`` when a cell has a problem."""
    names: list[str] = []
    columns: list[list[Any]] = []
    for col, idx, required, parser in t.plan:
        cells = cols[idx]
        stripped = list(map(_strip, cells))  # "" where the cell is blank
        full = all(stripped)
        if required and not full:
            return None
        try:
            if parser is _text:
                values: list[Any] = stripped if all(map(_isascii, stripped)) else \
                    list(map(nfc, stripped))
                if not full:
                    values = [v or None for v in values]
            elif full:
                values = list(map(parser, cells))
            else:
                values = [parser(c) if s else None for c, s in zip(cells, stripped)]
        except _Bad:
            return None
        names.append(col)
        columns.append(values)
    return [dict(zip(names, row)) for row in zip(*columns)]


def read_csv(root: Path, name: str, problems: Problems) -> Iterator[_Row]:
    """(line, values, extra columns) of every good row of *name* (its problems reported)."""
    table = _open_table(root, name, problems)
    if table is None:
        return
    with table.handle:
        yield from parsed_rows(table, problems)
