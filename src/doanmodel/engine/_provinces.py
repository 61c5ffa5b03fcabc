"""
A plugin's ``provinces``, checked at registration against the reference list (issue 23).

A value is one of:

- a **province code** of the reference list (``VL``, ``CT-2025``; ``doanmodel provinces``): it must
  exist on the plugin's dates, and the codes together must cover them — a plugin for a province
  that ceased on 30/6/2025 must end by then (or name the successor too, as ``["QT", "QT-2025"]``);
- a **unit id** of the datasets it is meant for (``P1``, ``tv-hd``), matched against each
  dataset's province units at run time.

Refused, with a did-you-mean: a province's *name* instead of its code (``"Vĩnh Long"`` → ``VL``),
a value that looks like a code (2 or 3 capital letters, optionally ``-2025``) but is none
(``"QQ"``), and an empty list (a province plugin must say where it applies).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model._i18n import Text

if TYPE_CHECKING:
    from ..dataset._reference import ProvinceRef

__all__ = ["as_code", "province_problems"]

_CODE_LIKE = re.compile(r"^[A-Z]{2,3}(-\d{4})?$")


def _fmt(day: _dt.date) -> str:
    return day.isoformat()


def _refs() -> dict[str, ProvinceRef]:
    from ..dataset._reference import provinces  # noqa: PLC0415 - the reference data, once needed

    return {p.code: p for p in provinces()}


def _by_name(value: str, start: _dt.date | None, end: _dt.date | None) -> str | None:
    """The code of the province *value* names (on the plugin's dates, else the latest)."""
    from ..dataset._reference import lookup_provinces  # noqa: PLC0415

    found = [p for p in lookup_provinces(value) if p.code != value]
    if not found:
        return None
    lo, hi = start or _dt.date.min, end or _dt.date.max
    dated = [p for p in found if (p.valid_from or _dt.date.min) <= hi and
             (p.valid_to or _dt.date.max) >= lo]
    best = max(dated or found, key=lambda p: p.valid_to or _dt.date.max)
    return best.code


def as_code(value: str, start: _dt.date | None = None, end: _dt.date | None = None) -> str:
    """*value* as a province code when it is a province's name (``Cần Thơ`` → ``CT-2025`` or,
    with an *end* before 1/7/2025, ``CT``); otherwise *value* unchanged."""
    if value in _refs():
        return value
    return _by_name(value, start, end) or value


def province_problems(values: Sequence[str], start: _dt.date | None, end: _dt.date | None
                      ) -> list[Text]:
    """What is wrong with a plugin's ``provinces`` on its dates (empty: nothing)."""
    if not values:
        return [Text("không nêu tỉnh nào (names no province): plugin tỉnh phải nói nơi áp dụng; "
                     "danh sách rỗng không có nghĩa là mọi tỉnh",
                     "names no province: a province plugin must say where it applies (an empty "
                     "list does not mean every province)")]
    refs = _refs()
    out: list[Text] = []
    codes: list[ProvinceRef] = []
    for v in values:
        if not isinstance(v, str):
            out.append(Text(f"tỉnh {v!r} không phải chuỗi", f"province {v!r} is not a string"))
            continue
        ref = refs.get(v)
        if ref is not None:
            codes.append(ref)
            continue
        named = _by_name(v, start, end)
        if named is not None:
            out.append(Text(f"{v!r} là tên tỉnh, không phải mã: có phải {named!r}?",
                            f"{v!r} is a province's name, not a code: did you mean {named!r}?"))
        elif _CODE_LIKE.match(v):
            close = difflib.get_close_matches(v, list(refs), n=1, cutoff=0.5)
            hint_vi = f" (có phải {close[0]!r}?)" if close else ""
            hint_en = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(Text(f"{v!r} không phải mã tỉnh nào trong danh mục{hint_vi}",
                            f"{v!r} is not a province code of the reference list{hint_en}"))
    lo, hi = start or _dt.date.min, end or _dt.date.max
    for ref in codes:
        first, last = ref.valid_from or _dt.date.min, ref.valid_to or _dt.date.max
        if first > hi or last < lo:
            out.append(Text(
                f"tỉnh {ref.code} ({_span(first, last)}) không tồn tại trong thời gian của "
                "plugin", f"province {ref.code} ({_span(first, last)}) does not exist on the "
                "plugin's dates"))
    if codes and len(codes) == len(values) and not out:
        last = max(r.valid_to or _dt.date.max for r in codes)
        first = min(r.valid_from or _dt.date.min for r in codes)
        names = ", ".join(r.code for r in codes)
        if last < hi:
            out.append(Text(
                f"{names} chấm dứt ngày {_fmt(last)} nhưng plugin không có ngày kết thúc đến đó: "
                f"đặt end = \"{_fmt(last)}\" (hoặc thêm tỉnh kế tục)",
                f"{names} ceased on {_fmt(last)} but the plugin's dates go on: set end = "
                f"\"{_fmt(last)}\" (or add the successor province)"))
        if first > lo:
            out.append(Text(
                f"{names} chỉ có từ ngày {_fmt(first)}: đặt start = \"{_fmt(first)}\"",
                f"{names} exists only from {_fmt(first)}: set start = \"{_fmt(first)}\""))
    return out


def _span(first: _dt.date, last: _dt.date) -> str:
    a = "…" if first == _dt.date.min else _fmt(first)
    b = "…" if last == _dt.date.max else _fmt(last)
    return f"{a} – {b}"
