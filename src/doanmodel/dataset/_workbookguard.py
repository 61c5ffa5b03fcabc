"""
Limits on a workbook, checked before calamine (or openpyxl) reads it into memory.

An ``.xlsx`` file is a zip of XML parts. Calamine trusts them: one cell at ``XFD1048576``
makes it allocate the whole used range (17 billion cells: the process aborts), and a small
zip can inflate to gigabytes. So every part is first decompressed here, through a reader
that stops at :data:`MAX_PART_BYTES` (the sizes written in the zip are not trusted), its
ratio to the compressed size is bounded (:data:`MAX_RATIO`), and each worksheet's real cells
(not its ``<dimension>``, which calamine ignores too) give the used range, which must stay
under :data:`MAX_CELLS` and :data:`MAX_COLUMNS`. Formula cells without a cached value (a
workbook written by a program, never opened in Excel) are reported by cell: calamine would
read them as empty.

Memory stays bounded by one chunk and the few refs kept; time is one pass of C-level regex
over the XML.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Protocol

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_PART_BYTES", "MAX_RATIO", "check_workbook"]

#: largest decompressed size of one part of a workbook (bytes)
MAX_PART_BYTES = 512 * 1024 * 1024
#: largest ratio of a part's decompressed size to its compressed size (parts over 1 MiB)
MAX_RATIO = 100
_RATIO_FROM = 1024 * 1024
#: largest used range of a sheet (rows × columns, from A1): Excel's 1,048,576 rows of A to Z
MAX_CELLS = 1_048_576 * 26
#: most columns a sheet may use
MAX_COLUMNS = 1024
#: formula cells without a value reported per sheet (the rest are counted in the last one)
MAX_FORMULAS = 20
_CHUNK = 1 << 20
#: most bytes of a worksheet kept between two chunks waiting for a row's end
_MAX_TAIL = 16 << 20


class _Sink(Protocol):
    def add(self, file: str, line: int, column: str, vi: str, en: str) -> None: ...


# a cell's reference (rows' r="5" has no letters; <dimension ref=…> is another attribute): the
# row of every cell, the columns of two letters or more (AA…; a single letter is at most Z)
_REF_ROW = re.compile(rb'\sr="[A-Z]{1,7}([0-9]{1,10})"')
_REF_WIDE = re.compile(rb'\sr="([A-Z]{2,7})[0-9]')
_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,7})([0-9]{1,10})"')
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v[\s>]")
_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_CELL_OPEN = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")


def _vi(n: int) -> str:
    """*n* with Vietnamese thousands separators (1.048.576)."""
    return f"{n:,}".replace(",", ".")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class _Sheet:
    """What one pass over a worksheet's XML found: its used range and bare formulas."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.widest = b""
        self.bare: list[str] = []  # formula cells without a cached value (A1 refs)
        self.bare_count = 0

    def scan(self, text: bytes) -> None:
        """Take whole rows of a worksheet's XML (no tag is cut)."""
        rows = _REF_ROW.findall(text)
        if rows:
            self.rows = max(self.rows, int(max(zip(map(len, rows), rows))[1]))
        wide = _REF_WIDE.findall(text)
        if wide:
            longest = max(map(len, wide))
            letters = max(c for c in wide if len(c) == longest)
            if (len(letters), letters) > (len(self.widest), self.widest):
                self.widest = letters
        tags = _CELL_OPEN if b":c" in text else _CELL_OPEN[:3]
        if sum(text.count(tag) for tag in tags) > len(rows):  # cells without a ref
            self._unreferenced(text)
        if b"<f" in text or b":f" in text:
            self._formulas(text)

    def _unreferenced(self, text: bytes) -> None:
        """Cells without ``r`` follow the one before: a row's width is at most its cells."""
        for row in text.split(b"row>"):
            self.columns = max(self.columns, sum(row.count(tag) for tag in _CELL_OPEN))
            self.rows += 1 if b"<c" in row or b":c" in row else 0

    def _formulas(self, text: bytes) -> None:
        for m in _FORMULA.finditer(text):
            at = m.start()
            begin = max(text.rfind(b"<c ", 0, at), text.rfind(b"<c>", 0, at),
                        text.rfind(b":c ", 0, at))
            close = _CLOSE.search(text, m.end())
            stop = close.start() if close is not None else len(text)
            if _VALUE.search(text, m.end(), stop):
                continue
            ref = _REF.match(text, text.rfind(b"<", 0, begin + 1)) if begin != -1 else None
            self.bare_count += 1
            if len(self.bare) < MAX_FORMULAS:
                self.bare.append((ref.group(1) + ref.group(2)).decode() if ref else "?")

    @property
    def width(self) -> int:
        """Columns of the used range from A: exact from two letters on, else at most Z."""
        return max(self.columns, _column_number(self.widest) if self.widest else 26)

    @property
    def used(self) -> int:
        """Cells of the used range from A1 (rows × columns)."""
        return self.rows * self.width


def _too_big(sink: _Sink, name: str, part: str) -> None:
    sink.add(name, 0, "-",
             f"phần {part!r} của sổ Excel quá lớn khi giải nén (tối đa "
             f"{_vi(MAX_PART_BYTES)} byte); không đọc",
             f"part {part!r} of the workbook is too large once decompressed (at most "
             f"{MAX_PART_BYTES:,} bytes); not read")


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink: _Sink, name: str,
               sheet: _Sheet | None) -> bool:
    """Decompress one part through a bounded reader (scanning a worksheet as it goes)."""
    if info.file_size > MAX_PART_BYTES:
        _too_big(sink, name, info.filename)
        return False
    if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        _bomb(sink, name, info.filename, info.file_size, info.compress_size)
        return False
    total = 0
    tail = b""
    with zf.open(info) as handle:
        while True:
            block = handle.read(_CHUNK)
            if not block:
                break
            total += len(block)
            if total > MAX_PART_BYTES:  # the header lied
                _too_big(sink, name, info.filename)
                return False
            if total > _RATIO_FROM and total > MAX_RATIO * max(info.compress_size, 1):
                _bomb(sink, name, info.filename, total, info.compress_size)
                return False
            if sheet is not None:
                text = tail + block
                cut = text.rfind(b"row>") + 4  # whole rows: a cell is never cut
                if cut == 3 and len(text) > _MAX_TAIL:  # one row of megabytes: whole tags
                    cut = text.rfind(b">") + 1 or len(text)
                if cut > 3:
                    sheet.scan(text[:cut])
                    tail = text[cut:]
                else:
                    tail = text
    if sheet is not None and tail:
        sheet.scan(tail)
    return True


def _bomb(sink: _Sink, name: str, part: str, size: int, packed: int) -> None:
    sink.add(name, 0, "-",
             f"phần {part!r} của sổ Excel nở ra {_vi(size)} byte từ {_vi(packed)} byte (hơn "
             f"{MAX_RATIO} lần: có thể là bom zip); không đọc",
             f"part {part!r} of the workbook inflates to {size:,} bytes from {packed:,} "
             f"(more than {MAX_RATIO} times: a zip bomb?); not read")


_SHEET_ENTRY = re.compile(r'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"'
                          r'|<(?:\w+:)?sheet\s[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"')
_REL = re.compile(r'<Relationship\s[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"'
                  r'|<Relationship\s[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name (the part's own name when the workbook does not say)."""
    def text(part: str) -> str:
        try:
            with zf.open(part) as handle:
                return handle.read(MAX_PART_BYTES).decode("utf-8", "replace")
        except (KeyError, OSError, zipfile.BadZipFile, RuntimeError):
            return ""

    ids = {}
    for m in _SHEET_ENTRY.finditer(text("xl/workbook.xml")):
        label, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4),
                                                                             m.group(3))
        ids[rid] = label
    out = {}
    for m in _REL.finditer(text("xl/_rels/workbook.xml.rels")):
        rid, target = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4),
                                                                              m.group(3))
        if rid in ids:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            out[part] = _unescape(ids[rid])
    return out


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _sheet_problems(sink: _Sink, name: str, label: str, sheet: _Sheet) -> bool:
    ok = True
    if sheet.used > MAX_CELLS or sheet.width > MAX_COLUMNS:
        far = f"{sheet.widest.decode()}{sheet.rows}" if sheet.widest else f"hàng {sheet.rows}"
        far_en = f"{sheet.widest.decode()}{sheet.rows}" if sheet.widest else f"row {sheet.rows}"
        sink.add(name, 0, label,
                 f"trang tính {label!r} dùng vùng tới ô {far} ({_vi(sheet.used)} ô; tối đa "
                 f"{_vi(MAX_CELLS)} ô và {MAX_COLUMNS} cột): xoá các ô thừa ở xa; không đọc",
                 f"sheet {label!r} uses cells up to {far_en} ({sheet.used:,} cells; at most "
                 f"{MAX_CELLS:,} cells and {MAX_COLUMNS} columns): delete the far cells; not read")
        ok = False
    for ref in sheet.bare:
        sink.add(name, 0, f"{label}!{ref}",
                 "công thức chưa có giá trị đã tính (mở và lưu sổ bằng Excel, hoặc nhập giá trị)",
                 "a formula without a computed value (open and save the workbook in Excel, or "
                 "type the value)")
        ok = False
    more = sheet.bare_count - len(sheet.bare)
    if more > 0:
        sink.add(name, 0, label, f"… và {_vi(more)} công thức khác chưa có giá trị",
                 f"… and {more:,} more formulas without a value")
    return ok


def check_workbook(path: Path, name: str, sink: _Sink) -> bool:
    """
    Whether the workbook at *path* is within the limits; each excess becomes a problem naming
    *name* (and the sheet and cell). Nothing but this module's bounded readers touches it.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        sink.add(name, 0, "-", "không phải sổ Excel .xlsx (không phải tệp zip)",
                 f"not an .xlsx workbook (not a zip file: {type(exc).__name__})")
        return False
    ok = True
    with zf:
        labels = _sheet_names(zf)
        for info in zf.infolist():
            if info.is_dir():
                continue
            part = info.filename
            sheet = _Sheet() if part.startswith("xl/worksheets/") and \
                part.endswith(".xml") else None
            try:
                read = _read_part(zf, info, sink, name, sheet)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
                sink.add(name, 0, "-", f"sổ Excel hỏng (phần {part!r})",
                         f"broken workbook (part {part!r}: {type(exc).__name__})")
                return False
            if not read:
                ok = False
                continue
            if sheet is not None:
                label = labels.get(part, part.rsplit("/", 1)[-1][:-4])
                ok = _sheet_problems(sink, name, label, sheet) and ok
    return ok
