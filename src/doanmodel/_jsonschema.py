"""A small generator of JSON Schema (2020-12) from attrs classes and their type hints.

Each schema doanmodel ships (``doanmodel schema NAME``) is built from the same attrs classes the
loader and the outputs use; only the parts that exist as plain dicts are described by hand, once,
in :mod:`doanmodel._schemas`.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as _dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .model._i18n import Text

__all__ = ["DRAFT", "TOML_DAY", "Mode", "View", "nullable", "object_schema", "type_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: a day in a TOML file: a TOML date (read as an ISO string, see ``toml_instance``) or a string
#: written ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (the loader accepts both)
TOML_DAY: dict[str, Any] = {"type": "string",
                            "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"}

#: ``toml``: an input file (a missing key is "absent", never null);
#: ``json``: an output (every key written, ``None`` as null, Text in the run's language)
Mode = typing.Literal["toml", "json"]
Schema = dict[str, Any]


@attrs.frozen(kw_only=True)
class View:
    """How one attrs class appears in one file or output."""

    cls: type
    mode: Mode
    #: field name → key in the file or output
    rename: Mapping[str, str] = attrs.field(factory=dict)
    exclude: frozenset[str] = frozenset()
    #: properties that are not fields (outputs built as dicts), or whose schema is not their type
    extra: Mapping[str, Schema] = attrs.field(factory=dict)
    #: field → the fields of its (attrs) value that the output lifts to this level
    flatten: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: keys that must be present; default: fields without a default (toml), every key (json)
    required: tuple[str, ...] | None = None
    #: extra keys allowed: ``True``, ``False`` or a pattern (``^x_``) they must match
    open: bool | str = False
    #: add ``exact``: each Decimal field as a string, each Text field as ``[vi, en]``
    exact: bool = False


def nullable(schema: Schema) -> Schema:
    """*schema* or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def _is_optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and \
        type(None) in typing.get_args(tp)


def _scalar(tp: type) -> Schema | None:
    if issubclass(tp, bool):
        return {"type": "boolean"}
    if issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if issubclass(tp, str) or tp is Text:
        return {"type": "string"}
    if issubclass(tp, int):
        return {"type": "integer"}
    if issubclass(tp, (float, Decimal)):
        return {"type": "number"}
    if tp is _dt.date:
        return {"type": "string", "format": "date"}
    return None


def type_schema(tp: Any, mode: Mode, ref: Callable[[type], Schema]) -> Schema:
    """The JSON Schema of a type hint; *ref* gives the schema (usually a ``$ref``) of a class."""
    if tp is Any:
        return {}
    if tp is type(None):
        return {"type": "null"}
    if tp is _dt.date and mode == "toml":
        return dict(TOML_DAY)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        parts = [type_schema(a, mode, ref) for a in args if a is not type(None)]
        if mode == "json" and type(None) in args:
            parts.append({"type": "null"})
        return parts[0] if len(parts) == 1 else {"anyOf": parts}
    if origin in (tuple, list, set, frozenset, cabc.Sequence, cabc.Set):
        item = args[0] if args else Any
        return {"type": "array", "items": type_schema(item, mode, ref)}
    if origin in (dict, cabc.Mapping):
        value = args[1] if len(args) == 2 else Any  # noqa: PLR2004 - key, value
        return {"type": "object", "additionalProperties": type_schema(value, mode, ref)}
    if isinstance(tp, type):
        found = _scalar(tp)
        if found is not None:
            return found
        if attrs.has(tp):
            return ref(tp)
    msg = f"no JSON Schema for {tp!r}"
    raise TypeError(msg)


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _exact(view: View, hints: Mapping[str, Any]) -> Schema:
    props: dict[str, Schema] = {}
    for f in attrs.fields(view.cls):
        tp = hints[f.name]
        base = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
        if f.name in view.exclude or len(base) != 1:
            continue
        if base[0] is Decimal:
            props[f.name] = {"type": "string"}
        elif base[0] is Text:
            props[f.name] = {"type": "array", "items": {"type": "string"}, "minItems": 2,
                             "maxItems": 2}
        else:
            continue
        if _is_optional(tp):
            props[f.name] = nullable(props[f.name])
    return {"type": "object", "properties": props, "required": sorted(props)}


def _lifted(view: View, name: str, cls: type, ref: Callable[[type], Schema]) -> Schema:
    """The properties *view* lifts from its field *name* (of class *cls*), and only those."""
    keep = view.flatten[name]
    inner = View(cls=cls, mode=view.mode,
                 exclude=frozenset(g.name for g in attrs.fields(cls) if g.name not in keep))
    props = object_schema(inner, ref)["properties"]
    return {key: props[key] for key in keep}


def object_schema(view: View, ref: Callable[[type], Schema]) -> Schema:
    """The object schema of *view*: one property per field, renamed, flattened and extended."""
    hints = _hints(view.cls)
    props: dict[str, Schema] = {}
    required: list[str] = []
    for f in attrs.fields(view.cls):
        if f.name in view.exclude:
            continue
        if f.name in view.flatten:
            lifted = _lifted(view, f.name, hints[f.name], ref)
            props.update(lifted)
            required.extend(lifted)
            continue
        key = view.rename.get(f.name, f.name)
        props[key] = view.extra.get(key) or type_schema(hints[f.name], view.mode, ref)
        if view.mode == "json" or f.default is attrs.NOTHING:
            required.append(key)
    for key, schema in view.extra.items():
        props[key] = schema
        if view.mode == "json":
            required.append(key)
    if view.exact:
        props["exact"] = _exact(view, hints)
        required.append("exact")
    out: Schema = {"type": "object", "properties": props, "required": list(
        view.required if view.required is not None else dict.fromkeys(required))}
    if isinstance(view.open, str):
        out["patternProperties"] = {view.open: {}}
        out["additionalProperties"] = False
    else:
        out["additionalProperties"] = view.open
    return out
