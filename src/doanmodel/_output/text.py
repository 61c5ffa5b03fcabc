"""Plain-text tables and CSV for reports (no third-party dependency)."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

__all__ = ["csv_text", "fmt_number", "json_number", "table"]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c)
               else 1 for c in text)


def fmt_number(value: Any, places: int = 2) -> str:
    """A number for people: exact decimals rounded half-up to at most *places* places."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, (int, Decimal)):
        d = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{d:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    if isinstance(value, float):
        return fmt_number(Decimal(repr(value)), places)
    return str(value)


def json_number(value: Any, places: int = 2) -> Any:
    """A JSON number rounded to at most *places* decimals (ints stay ints)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    d = Decimal(value)
    if not d.is_finite():
        return float(d)
    # enough digits for a big value (1e26 has more than the default context's 28 after rounding)
    digits = Context(prec=max(28, d.adjusted() + places + 2))
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=digits)
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
          right: Sequence[int] = ()) -> str:
    """A boxed-free aligned text table; columns in *right* are right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        parts = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - _width(c))
            parts.append(pad + c if i in right else c + pad)
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text with a header row; text cells are neutralised (no spreadsheet formula)."""
    from .safe import CsvWriter  # noqa: PLC0415

    buf = io.StringIO()
    writer = CsvWriter(buf)
    writer.writerow(headers)
    writer.writerows(["" if c is None else c for c in r] for r in rows)
    return buf.getvalue()
