"""Workbooks written by hand with zipfile: small, fast, and as hostile as a test needs."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def column(i: int) -> str:
    """Column letters of the 0-based column *i* (0 → A, 26 → AA)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def sheet_xml(rows: Sequence[Sequence[str | None]], extra: str = "") -> str:
    """A worksheet of text cells (``None``: no cell), *extra* XML appended to sheetData."""
    body = []
    for r, row in enumerate(rows, 1):
        cells = "".join(
            f'<c r="{column(j)}{r}" t="inlineStr"><is><t xml:space="preserve">'
            f"{escape(v)}</t></is></c>" for j, v in enumerate(row) if v is not None)
        body.append(f'<row r="{r}">{cells}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
            f"{''.join(body)}{extra}</sheetData></worksheet>")


def write_book(path: Path, sheets: dict[str, str],
               compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write the workbook *path* with *sheets* (name → worksheet XML)."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1))
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
             'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
             'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Override '
             'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
             f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>")
    entries = "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, n in enumerate(names, 1))
    book = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{_REL}">'
            f"<sheets>{entries}</sheets></workbook>")
    links = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                    f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
    book_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
                 f"{links}</Relationships>")
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, name in enumerate(names, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
    return path
