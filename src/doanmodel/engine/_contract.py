"""The plugin contract: what each hook may return, checked and tagged with origin and scope.

A hook that returns something of the wrong shape raises :class:`_Contract`, whose message says
what came back and which hook returned it; :mod:`._plugins` refuses the plugin with it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..exceptions import CriteriaError, DatasetError
from ..model._i18n import Text
from ..model._params import ParamValue, Scope
from ..rules._context import IndicatorDef, Rule
from ..scoring._criteria import (
    BUILTIN_METHODS,
    CriteriaSet,
    ScoringMethod,
    load_criteria,
    parse_criteria,
)

if TYPE_CHECKING:
    from ._plugins import PluginInfo


def _date(value: Any) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


class _Contract(Exception):
    """A hook returned something of the wrong shape (the message says what and where)."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")


def _check_id(kind: str, value: Any) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise _Contract(f"{kind} id {value!r} is not a non-empty id (letters, digits, _ . : -)")


def _check_dates(kind: str, ident: str, *dates: Any) -> None:
    for d in dates:
        if d is not None and not isinstance(d, _dt.date):
            raise _Contract(f"{kind} {ident!r}: {d!r} is not a date")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_list(value: Any, hook: str, expected: str = "objects") -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise _Contract(f"must return a list of {expected}, but returned "
                        f"{type(value).__name__} {_shown(value)}", hook)
    return list(value)


def _as_info(value: Any, fallback: str) -> PluginInfo:
    """The plugin's own description, checked (*fallback* names it when it gives none)."""
    from ._plugins import PluginInfo  # noqa: PLC0415 - _plugins imports this module

    if value is None:
        return PluginInfo(name=fallback)
    if isinstance(value, PluginInfo):
        return value
    if isinstance(value, Mapping):
        data = dict(value)
        for key in ("provinces", "sources", "overrides"):
            if key in data:
                data[key] = tuple(data[key])
        try:
            return PluginInfo(**data)
        except (TypeError, ValueError) as exc:
            raise _Contract(str(exc), "doanmodel_plugin_info") from None
    raise _Contract(f"expected a PluginInfo or a dict, got {type(value).__name__}: "
                    f"{_shown(value)}", "doanmodel_plugin_info")


def _as_param(value: Any, origin: str, scope: Scope) -> ParamValue:
    if isinstance(value, ParamValue):
        pv = value
    elif isinstance(value, Mapping):
        try:
            pv = ParamValue(name=value["name"], start=_date(value["from"]),  # type: ignore[arg-type]
                            value=value["value"], source=value.get("source", ""),
                            note=value.get("note"),
                            until=_date(value["until"]) if value.get("until") else None)
        except (KeyError, ValueError) as exc:
            raise _Contract(f"bad entry {_shown(dict(value))}: {type(exc).__name__} {exc}",
                            "doanmodel_parameters") from None
    else:
        raise _Contract(f"{_shown(value)} is not a ParamValue or dict: a list of ParamValue (or "
                        "dicts with name, from, value, source) was expected, and an item of type "
                        f"{type(value).__name__} came back", "doanmodel_parameters")
    try:
        _check_id("parameter", pv.name)
    except _Contract as exc:
        raise _Contract(str(exc), "doanmodel_parameters") from None
    if not pv.source:
        raise _Contract(f"parameter {pv.name} has no source", "doanmodel_parameters")
    if not isinstance(pv.start, _dt.date):
        raise _Contract(f"parameter {pv.name} has no start date", "doanmodel_parameters")
    return attrs.evolve(pv, origin=origin, scope=scope)


def _programme_kinds(hook: Any, origin: str, scope: Scope, is_builtin: bool,
                     claims: set[tuple[str, str]]) -> list[Any]:
    """Check and tag what ``doanmodel_programme_kinds`` returns (work programmes)."""
    from ..dataset._programmes import BUILTIN_KINDS, ProgrammeKind  # noqa: PLC0415

    name = "doanmodel_programme_kinds"
    out = []
    for entry in hook.doanmodel_programme_kinds():
        for k in _check_list(entry, name, "ProgrammeKind"):
            if not isinstance(k, ProgrammeKind):
                raise _Contract(f"{_shown(k)} is not a ProgrammeKind: a list of ProgrammeKind was "
                                f"expected, and an item of type {type(k).__name__} came back",
                                name)
            try:
                _check_id("programme kind", k.id)
            except _Contract as exc:
                raise _Contract(str(exc), name) from None
            if not isinstance(k.title, Text) or not (k.title.vi and k.title.en) or not k.source:
                raise _Contract(f"programme kind {k.id!r} needs a bilingual title and a source",
                                name)
            if not is_builtin:
                if k.id in {b.id for b in BUILTIN_KINDS}:
                    raise _Contract(f"cannot replace the national programme kind {k.id!r}", name)
                claims.add(("programme kind", k.id))
            out.append(attrs.evolve(k, origin=origin, scope=scope))
    return out


def _as_rule(r: Any, origin: str, scope: Scope) -> Rule:
    hook = "doanmodel_rules"
    if not isinstance(r, Rule):
        raise _Contract(f"{_shown(r)} is not a Rule: a list of Rule was expected, "
                        f"and an item of type {type(r).__name__} came back", hook)
    try:
        _check_id("rule", r.id)
        _check_dates("rule", r.id, r.valid_from, r.valid_to)
    except _Contract as exc:
        raise _Contract(str(exc), hook) from None
    if not isinstance(r.title, Text) or not (r.title.vi and r.title.en):
        raise _Contract(f"rule {r.id!r} needs a title in Vietnamese and English (Text)", hook)
    if not r.source:
        raise _Contract(f"rule {r.id!r} has no source", hook)
    return attrs.evolve(r, origin=origin, scope=scope)


def _as_indicator(d: Any, origin: str) -> IndicatorDef:
    hook = "doanmodel_indicators"
    if not isinstance(d, IndicatorDef):
        raise _Contract(f"{_shown(d)} is not a IndicatorDef: a list of IndicatorDef was expected, "
                        f"and an item of type {type(d).__name__} came back", hook)
    try:
        _check_id("indicator", d.id)
    except _Contract as exc:
        raise _Contract(str(exc), hook) from None
    return attrs.evolve(d, origin=origin)


def _as_method(m: Any, origin: str, builtin: bool) -> ScoringMethod:
    hook = "doanmodel_scoring_methods"
    if not isinstance(m, ScoringMethod):
        raise _Contract(f"{_shown(m)} is not a ScoringMethod: a list of ScoringMethod was "
                        "expected, "
                        f"and an item of type {type(m).__name__} came back", hook)
    try:
        _check_id("scoring method", m.name)
    except _Contract as exc:
        raise _Contract(str(exc), hook) from None
    if not builtin and m.name in BUILTIN_METHODS:
        raise _Contract(f"cannot replace the built-in method {m.name!r}", hook)
    return attrs.evolve(m, origin=origin)


def _as_criteria(c: Any, name: str, origin: str, scope: Scope,
                 methods: Mapping[str, ScoringMethod]) -> CriteriaSet:
    hook = "doanmodel_criteria_sets"
    if isinstance(c, CriteriaSet):
        return attrs.evolve(c, origin=origin, scope=scope)
    try:
        if isinstance(c, Mapping):
            return parse_criteria(c, file=f"{name}:criteria", methods=methods, origin=origin,
                                  scope=scope)
        if isinstance(c, (str, Path)) or hasattr(c, "read_text"):
            return load_criteria(c, methods=methods, origin=origin, scope=scope)
    except (CriteriaError, DatasetError) as exc:
        raise _Contract(f"criteria set: {exc}", hook) from None
    raise _Contract(f"{_shown(c)} is not a criteria set: a list of CriteriaSet (or TOML paths) "
                    f"was expected, and an item of type {type(c).__name__} came back", hook)
