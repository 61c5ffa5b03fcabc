"""
The ``exact`` keys of the contract's JSON: what a rounded, one-language document loses, written
so that it reads back (decimals and dates tagged, texts in both languages as ``[vi, en]``).

Light on purpose: the result classes' modules import it (through ``_output.report``) while
they load; the readers live in :mod:`doanmodel._output.convert`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..model._i18n import Text

if TYPE_CHECKING:
    from ..rules._context import Finding, Report

__all__ = ["exact_text", "finding_exact", "read_text", "report_exact", "tag", "untag"]


def tag(value: Any) -> Any:
    """A value of any type as JSON, with decimals and dates tagged so they read back."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Text):
        return {"$text": [value.vi, value.en]}
    if isinstance(value, Mapping):
        out = {str(k): tag(v) for k, v in value.items()}
        # a mapping of one "$…" key would read back as a tag: it is wrapped, and read as is
        return {"$map": out} if len(out) == 1 and next(iter(out)).startswith("$") else out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [tag(v) for v in value]
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return value.value  # an enum
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as JSON")


def untag(value: Any) -> Any:
    """Inverse of :func:`tag`."""
    if isinstance(value, list):
        return [untag(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "$decimal":
                return Decimal(inner)
            if key == "$float":
                return float(inner)
            if key == "$date":
                return _dt.date.fromisoformat(inner)
            if key == "$text":
                return Text(*inner)
            if key == "$map" and isinstance(inner, dict):
                return {k: untag(v) for k, v in inner.items()}
        return {k: untag(v) for k, v in value.items()}
    return value


def exact_text(text: Text | None) -> list[str] | None:
    """A text in both languages, as the ``exact`` keys write it: ``[vi, en]``."""
    return None if text is None else [text.vi, text.en]


def read_text(value: Any) -> Text:
    """A text as a contract document may give it: ``[vi, en]``, ``{"vi", "en"}`` or one string
    (the run's language, which then stands for both)."""
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text(value, value)
    if isinstance(value, Mapping):
        return Text(str(value["vi"]), str(value["en"]))
    vi, en = value
    return Text(str(vi), str(en))


def _lossy(plain_form: Any, value: Any) -> bool:
    """Whether *value*'s contract form (*plain_form*) loses something its tagged form keeps."""
    return bool(plain_form != tag(value))


def finding_exact(f: Finding, plain_value: Any, plain_threshold: Any,
                  plain_inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The ``exact`` key of a finding's contract JSON: what the rounded, one-language shape
    loses (the message in both languages; a value, threshold or inputs that are not plain JSON,
    tagged as the converter tags them)."""
    out: dict[str, Any] = {}
    if f.message.vi != f.message.en:
        out["message"] = [f.message.vi, f.message.en]
    if _lossy(plain_value, f.value):
        out["value"] = tag(f.value)
    if _lossy(plain_threshold, f.threshold):
        out["threshold"] = tag(f.threshold)
    if _lossy(plain_inputs, f.inputs):
        out["inputs"] = tag(f.inputs)
    return out


def report_exact(report: Report) -> dict[str, Any]:
    """The ``exact`` key of a report's contract JSON: the rules it ran (the shape lists only
    their findings)."""
    from ..rules._context import Rule  # noqa: PLC0415
    from .convert import converter  # noqa: PLC0415 - the result classes import this module

    return {"rules": [converter.unstructure(r, Rule) for r in report.rules]}
