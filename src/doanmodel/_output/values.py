"""How a value looks in the contract's JSON and in CSV cells: the one normaliser."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..model._i18n import Text
from .text import fmt_number, json_number

__all__ = ["cell", "plain"]

_AS_IS = frozenset({int, str, bool, type(None)})


def plain(value: Any, lang: str = "vi") -> Any:
    """*value* as contract JSON: decimals as numbers rounded to 2 places, dates ISO, texts in
    *lang*, enums by value, containers recursively."""
    if type(value) in _AS_IS:  # most values: ints, texts, none (exact types: not enums)
        return value
    if isinstance(value, (Decimal, float)):
        return json_number(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v, lang) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v, lang) for k, v in value.items()}
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def cell(value: Any) -> Any:
    """*value* in a CSV cell: empty for none, numbers as people write them, the rest as text
    (see ``safe.neutralise`` for what a spreadsheet must not read as a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (float, Decimal)):
        return fmt_number(value)
    return value
