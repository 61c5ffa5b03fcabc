"""
One converter for every result type: lossless JSON that reads back into an equal object.

``to_json(result)`` writes ``{"$type": "Report", ...}`` with exact decimals (as strings), dates
(ISO), bilingual texts (``{"vi", "en"}``) and, where a field may hold any value (a finding's
``value``, ``threshold`` and ``inputs``), tagged decimals and dates; ``from_json(text)`` reads it
back. This is the format for storing and exchanging results between programs; the contract's
JSON (``--format json``, rounded, one language) is the format for people and for the CLI.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ..engine._engine import WhatIf
from ..exceptions import DoanmodelError
from ..model._dates import Period, parse_period
from ..model._failure import PluginFailure
from ..model._i18n import Text
from ..rules._context import Finding, Report, Rule
from ..scoring._census import Census, CensusRow
from ..scoring._scoring import (
    ClusterBoard,
    CriterionScore,
    Explanation,
    RankChange,
    Scoreboard,
    Standing,
)

__all__ = ["RESULT_TYPES", "converter", "from_json", "to_json"]

#: Every result type, by the name written in ``"$type"``.
RESULT_TYPES: dict[str, type] = {t.__name__: t for t in (
    Report, Finding, Scoreboard, ClusterBoard, Standing, CriterionScore, Explanation, WhatIf,
    RankChange, Census, CensusRow, PluginFailure)}


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
        return {str(k): tag(v) for k, v in value.items()}
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
        return {k: untag(v) for k, v in value.items()}
    return value


def _not_runnable(ctx: Any) -> Any:
    raise DoanmodelError("a rule read back from JSON describes a rule; it cannot run")


def _build() -> cattrs.Converter:
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_unstructure_hook(Decimal, str)
    c.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    c.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    c.register_structure_hook(_dt.date, lambda v, _: _dt.date.fromisoformat(v))
    c.register_unstructure_hook(Period, str)
    c.register_structure_hook(Period, lambda v, _: parse_period(str(v)))
    c.register_unstructure_hook(Text, lambda t: {"vi": t.vi, "en": t.en})
    c.register_structure_hook(Text, lambda v, _: Text(v["vi"], v["en"]))
    c.register_unstructure_hook(Rule, lambda r: {
        "id": r.id, "title": {"vi": r.title.vi, "en": r.title.en}, "source": r.source,
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "description": None if r.description is None else [r.description.vi, r.description.en],
        "origin": r.origin})
    c.register_structure_hook(Rule, lambda v, _: Rule(
        id=v["id"], title=Text(v["title"]["vi"], v["title"]["en"]), source=v["source"],
        evaluate=_not_runnable,
        valid_from=_dt.date.fromisoformat(v["valid_from"]) if v["valid_from"] else None,
        valid_to=_dt.date.fromisoformat(v["valid_to"]) if v["valid_to"] else None,
        description=None if v["description"] is None else Text(*v["description"]),
        origin=v["origin"]))
    anything = override(unstruct_hook=tag, struct_hook=lambda v, _: untag(v))
    for cls, fields in ((Finding, ("value", "threshold", "inputs")), (Report, ("provenance",)),
                        (Scoreboard, ("provenance",))):
        kw: dict[str, Any] = dict.fromkeys(fields, anything)
        c.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, c, **kw))
        c.register_structure_hook(cls, make_dict_structure_fn(cls, c, **kw))
    return c


#: The converter of every result type.
converter = _build()


def to_dict(result: Any) -> dict[str, Any]:
    """*result* as lossless JSON-ready data, with its type under ``"$type"``."""
    name = type(result).__name__
    if RESULT_TYPES.get(name) is not type(result):
        raise TypeError(f"{name} is not a doanmodel result type")
    return {"$type": name, **converter.unstructure(result, type(result))}


def from_dict(data: Mapping[str, Any], cls: type | None = None) -> Any:
    """Inverse of :func:`to_dict` (checks the type when *cls* is given)."""
    data = dict(data)
    name = data.pop("$type", None)
    target = RESULT_TYPES.get(str(name)) if name is not None else cls
    if target is None or (cls is not None and target is not cls):
        raise DoanmodelError(f"not a {cls.__name__ if cls else 'doanmodel result'}: "
                             f"$type is {name!r}")
    try:
        return converter.structure(data, target)
    except Exception as exc:  # noqa: BLE001 - a malformed document is the user's input
        msgs = "; ".join(cattrs.transform_error(exc)) if isinstance(
            exc, cattrs.BaseValidationError) else str(exc)
        raise DoanmodelError(f"cannot read a {target.__name__} from JSON: {msgs}") from None


def to_json(result: Any, **kw: Any) -> str:
    """*result* as lossless JSON text."""
    return json.dumps(to_dict(result), ensure_ascii=False, **kw)


def from_json(text: str, cls: type | None = None) -> Any:
    """Inverse of :func:`to_json`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DoanmodelError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DoanmodelError("not a doanmodel result: the JSON is not an object")
    return from_dict(data, cls)
