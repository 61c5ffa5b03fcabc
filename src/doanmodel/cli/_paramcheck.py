"""
The dataset's own ``[parameters]`` checked against the parameter registry: a known name (with a
did-you-mean) and a value of the parameter's type (docs/cli.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..dataset._csvio import toml_line
from ..exceptions import Problem
from ..model._i18n import Text
from ..model._params import ParamValue
from ..model._suggest import suggest

__all__ = ["parameter_problems"]

_KINDS: tuple[tuple[type | tuple[type, ...], Text], ...] = (
    (bool, Text("true hoặc false", "true or false")),
    (int, Text("một số nguyên ≥ 0", "an integer ≥ 0")),
    ((Decimal, float), Text("một số ≥ 0", "a number ≥ 0")),
    (tuple, Text("một danh sách chuỗi", "a list of strings")),
    (str, Text("một chuỗi", "a string")),
)


def _kind(current: Any) -> tuple[type | tuple[type, ...], Text] | None:
    for kind in _KINDS:
        if isinstance(current, kind[0]):
            return kind
    return None


def _fits(value: Any, kind: type | tuple[type, ...]) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind is int:
        return isinstance(value, int) and value >= 0
    if kind == (Decimal, float):
        return isinstance(value, (int, float)) and value >= 0
    if kind is tuple:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def parameter_problems(meta_parameters: dict[str, list[dict[str, Any]]],
                       registry: Iterable[ParamValue], path: str | None) -> list[Problem]:
    """
    Problems of a dataset's ``[parameters]``: names the registry (national and plugins) does not
    know, with a did-you-mean, and values not of the parameter's type. Lines come from the
    dataset's ``dataset.toml`` at *path*.
    """
    current: dict[str, Any] = {}
    for pv in sorted(registry, key=lambda p: p.start):
        current[pv.name] = pv.value
    text = ""
    if path:
        try:
            text = (Path(path) / "dataset.toml").read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
    out: list[Problem] = []
    for name, entries in meta_parameters.items():
        line = toml_line(text, rf"^\s*\"?{re.escape(name)}\"?\s*=")
        col = f"parameters.{name}"
        if name not in current:
            near = suggest(name, current)
            hint = Text(f"; có phải: {', '.join(near)}?", f"; did you mean {', '.join(near)}?") \
                if near else Text(" (docs/parameters.md)", " (docs/parameters.md)")
            out.append(Problem("dataset.toml", line, col,
                               Text("tham số không được biết", "unknown parameter") + hint))
            continue
        kind = _kind(current[name])
        for entry in entries:
            if kind is not None and not _fits(entry["value"], kind[0]):
                out.append(Problem("dataset.toml", line, col, Text(
                    f"giá trị {entry['value']!r} sai kiểu: cần {kind[1].vi}",
                    f"value {entry['value']!r} has the wrong type: {kind[1].en} is needed")))
    return out
