"""Finding, loading and checking plugins; collecting what each contributes."""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pluggy

from . import hookspecs
from ._criteria import BUILTIN_METHODS, CriteriaSet, ScoringMethod, load_criteria, parse_criteria
from ._engine import IndicatorDef, Rule
from ._i18n import Text
from ._params import ParamValue, Scope
from .exceptions import CriteriaError, DatasetError

__all__ = ["LoadedPlugin", "PluginInfo", "Registry", "build_registry"]

ENTRY_POINT_GROUP = "doanmodel"


def _date(value: Any) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


@attrs.frozen(kw_only=True)
class PluginInfo:
    """What a plugin says about itself (hook ``doanmodel_plugin_info``)."""

    name: str
    version: str = "0"
    api: int = hookspecs.PLUGIN_API
    #: province unit ids or codes; empty: everywhere
    provinces: tuple[str, ...] = ()
    start: _dt.date | None = attrs.field(default=None, converter=_date)
    end: _dt.date | None = attrs.field(default=None, converter=_date)
    title: str | None = None
    sources: tuple[str, ...] = ()
    #: national parameters, rules, indicators or criteria sets it deliberately replaces
    overrides: tuple[str, ...] = ()

    @property
    def scope(self) -> Scope:
        """Where the plugin applies."""
        return Scope(provinces=frozenset(self.provinces) if self.provinces else None,
                     start=self.start, end=self.end)


@attrs.define
class LoadedPlugin:
    """A plugin the engine knows, loaded or failed."""

    name: str
    version: str
    info: PluginInfo
    error: str | None = None
    contributes: dict[str, list[str]] = attrs.field(factory=dict)
    builtin: bool = False
    #: what the plugin contributes, before scope checks (internal)
    items: dict[str, Any] | None = attrs.field(default=None, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``doanmodel plugins``."""
        return {"name": self.name, "version": self.version, "api": self.info.api,
                "provinces": list(self.info.provinces),
                "start": self.info.start.isoformat() if self.info.start else None,
                "end": self.info.end.isoformat() if self.info.end else None,
                "sources": list(self.info.sources), "overrides": list(self.info.overrides),
                "contributes": self.contributes, "builtin": self.builtin, "error": self.error}


@attrs.define
class Registry:
    """Everything the loaded plugins contribute, each item tagged with its origin and scope."""

    plugins: dict[str, LoadedPlugin] = attrs.field(factory=dict)
    rules: list[Rule] = attrs.field(factory=list)
    params: list[ParamValue] = attrs.field(factory=list)
    indicators: list[IndicatorDef] = attrs.field(factory=list)
    indicator_scopes: dict[str, Scope] = attrs.field(factory=dict)
    methods: dict[str, ScoringMethod] = attrs.field(factory=dict)
    criteria: list[CriteriaSet] = attrs.field(factory=list)
    validators: list[tuple[str, Any]] = attrs.field(factory=list)
    #: programme kinds (``doanmodel_programme_kinds``), each with its origin and scope
    programme_kinds: list[Any] = attrs.field(factory=list)

    @property
    def failed(self) -> dict[str, str]:
        """Plugin name → error, for plugins that could not be used."""
        return {n: p.error for n, p in self.plugins.items() if p.error}


class _Contract(Exception):
    pass


_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")


def _check_id(kind: str, value: Any) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise _Contract(f"{kind} id {value!r} is not a non-empty id (letters, digits, _ . : -)")


def _check_dates(kind: str, ident: str, *dates: Any) -> None:
    for d in dates:
        if d is not None and not isinstance(d, _dt.date):
            raise _Contract(f"{kind} {ident!r}: {d!r} is not a date")


def _check_list(value: Any, hook: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _Contract(f"{hook} must return a list, not {type(value).__name__}")
    return list(value)


def _as_info(value: Any, fallback: str) -> PluginInfo:
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
            raise _Contract(f"doanmodel_plugin_info: {exc}") from None
    raise _Contract("doanmodel_plugin_info must return a PluginInfo or a dict")


def _as_param(value: Any, origin: str, scope: Scope) -> ParamValue:
    if isinstance(value, ParamValue):
        pv = value
    elif isinstance(value, Mapping):
        try:
            pv = ParamValue(name=value["name"], start=_date(value["from"]),  # type: ignore[arg-type]
                            value=value["value"], source=value.get("source", ""),
                            note=value.get("note"))
        except (KeyError, ValueError) as exc:
            raise _Contract(f"doanmodel_parameters: bad entry {dict(value)!r}: {exc}") from None
    else:
        raise _Contract(f"doanmodel_parameters: {value!r} is not a ParamValue or dict")
    _check_id("parameter", pv.name)
    if not pv.source:
        raise _Contract(f"doanmodel_parameters: {pv.name} has no source")
    if not isinstance(pv.start, _dt.date):
        raise _Contract(f"doanmodel_parameters: {pv.name} has no start date")
    return attrs.evolve(pv, origin=origin, scope=scope)


def _load_entry_points(only: Sequence[str] | None) -> tuple[list[tuple[str, Any, str]],
                                                            dict[str, str]]:
    found: list[tuple[str, Any, str]] = []
    failed: dict[str, str] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if only is not None and ep.name not in only:
            continue
        version = ep.dist.version if ep.dist is not None else "0"
        try:
            module = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            failed[ep.name] = f"{type(exc).__name__}: {exc}"
            continue
        found.append((ep.name, module, version))
    return found, failed


def build_registry(extra: Sequence[ModuleType | Any], *, load_entry_points: bool,
                   only: Sequence[str] | None = None) -> Registry:
    """Register the built-in plugin, *extra* plugins and (optionally) entry points; collect."""
    from . import builtin  # noqa: PLC0415 - circular at import time

    reg = Registry()
    candidates: list[tuple[str, Any, str, bool]] = [("national", builtin, _version(), True)]
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        candidates.append((name, plugin, getattr(plugin, "__version__", "0"), False))
    failed: dict[str, str] = {}
    if load_entry_points:
        eps, failed = _load_entry_points(only)
        candidates.extend((n, m, v, False) for n, m, v in eps)
    for name, error in failed.items():
        reg.plugins[name] = LoadedPlugin(name=name, version="?", info=PluginInfo(name=name),
                                         error=error)
    national_params: set[str] = set()
    national_rules: set[str] = set()
    national_inds: set[str] = set()
    national_sets: set[str] = set()
    claimed: dict[tuple[str, str], list[tuple[str, Scope]]] = {}
    for name, module, version, is_builtin in candidates:
        pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        pm.add_hookspecs(hookspecs)
        try:
            pm.register(module, name=name)
            pm.check_pending()
        except (pluggy.PluginValidationError, ValueError) as exc:
            reg.plugins[name] = LoadedPlugin(name=name, version=str(version),
                                             info=PluginInfo(name=name), error=str(exc))
            continue
        try:
            staged = _collect(pm, name, version, is_builtin, national_params, national_rules,
                              national_inds, national_sets)
        except _Contract as exc:
            reg.plugins[name] = LoadedPlugin(name=name, version=str(version),
                                             info=PluginInfo(name=name), error=str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            reg.plugins[name] = LoadedPlugin(name=name, version=str(version),
                                             info=PluginInfo(name=name),
                                             error=f"{type(exc).__name__}: {exc}")
            continue
        info, items = staged
        pname = info.name if not is_builtin else "national"
        if pname in reg.plugins and not reg.plugins[pname].error:
            reg.plugins[pname].error = f"two plugins are named {pname!r}"
            continue
        loaded = LoadedPlugin(name=pname, version=info.version if info.version != "0"
                              else str(version), info=info, builtin=is_builtin)
        reg.plugins[pname] = loaded
        scope = info.scope
        for kind, key in items["claims"]:
            claimed.setdefault((kind, key), []).append((pname, scope))
        if is_builtin:
            national_params.update(p.name for p in items["params"])
            national_rules.update(r.id for r in items["rules"])
            national_inds.update(i.id for i in items["indicators"])
            national_sets.update(c.id for c in items["criteria"])
        loaded.contributes = items["contributes"]
        loaded.items = items
    # two plugins replacing the same thing for overlapping units and dates
    for (kind, key), owners in claimed.items():
        for i, (a, sa) in enumerate(owners):
            for b, sb in owners[i + 1:]:
                if sa.overlaps(sb):
                    msg = (f"{a!r} and {b!r} both set {kind} {key!r} for the same units and "
                           "dates")
                    for n in (a, b):
                        reg.plugins[n].error = msg
    for loaded in reg.plugins.values():
        items = loaded.items
        if items is None or loaded.error:
            continue
        reg.rules.extend(items["rules"])
        reg.params.extend(items["params"])
        reg.indicators.extend(items["indicators"])
        for ind in items["indicators"]:
            reg.indicator_scopes[f"{loaded.name}:{ind.id}"] = loaded.info.scope
        for m in items["methods"]:
            reg.methods[m.name] = m
        reg.criteria.extend(items["criteria"])
        if items["validate"] is not None:
            reg.validators.append((loaded.name, items["validate"]))
        reg.programme_kinds.extend(items.get("programme_kinds", ()))
    return reg


def _version() -> str:
    try:
        return importlib.metadata.version("doanmodel")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source checkout
        return "0+unknown"


def _collect(pm: pluggy.PluginManager, name: str, version: str, is_builtin: bool,
             national_params: set[str], national_rules: set[str], national_inds: set[str],
             national_sets: set[str]) -> tuple[PluginInfo, dict[str, Any]]:
    hook = pm.hook
    infos = hook.doanmodel_plugin_info()
    info = _as_info(infos[0] if infos else None, name)
    if info.api != hookspecs.PLUGIN_API:
        raise _Contract(f"targets plugin API {info.api}, this doanmodel offers "
                        f"{hookspecs.PLUGIN_API}")
    origin = "national" if is_builtin else info.name
    scope = Scope() if is_builtin else info.scope
    overrides = set(info.overrides)
    claims: set[tuple[str, str]] = set()

    def claim(kind: str, key: str, national: set[str]) -> None:
        if key in national and key not in overrides:
            raise _Contract(f"replaces national {kind} {key!r} without declaring it in "
                            "overrides")
        claims.add((kind, key))

    params = []
    for entry in hook.doanmodel_parameters():
        for v in _check_list(entry, "doanmodel_parameters"):
            pv = _as_param(v, origin, scope)
            if not is_builtin:
                claim("parameter", pv.name, national_params)
            params.append(pv)
    rules = []
    for entry in hook.doanmodel_rules():
        for r in _check_list(entry, "doanmodel_rules"):
            if not isinstance(r, Rule):
                raise _Contract(f"doanmodel_rules: {r!r} is not a Rule")
            _check_id("rule", r.id)
            _check_dates("rule", r.id, r.valid_from, r.valid_to)
            if not isinstance(r.title, Text) or not (r.title.vi and r.title.en):
                raise _Contract(f"rule {r.id!r} needs a title in Vietnamese and English (Text)")
            if not r.source:
                raise _Contract(f"doanmodel_rules: rule {r.id!r} has no source")
            if not is_builtin:
                claim("rule", r.id, national_rules)
            rules.append(attrs.evolve(r, origin=origin, scope=scope))
    indicators = []
    for entry in hook.doanmodel_indicators():
        for d in _check_list(entry, "doanmodel_indicators"):
            if not isinstance(d, IndicatorDef):
                raise _Contract(f"doanmodel_indicators: {d!r} is not an IndicatorDef")
            _check_id("indicator", d.id)
            if not is_builtin:
                claim("indicator", d.id, national_inds)
            indicators.append(attrs.evolve(d, origin=origin))
    methods = []
    for entry in hook.doanmodel_scoring_methods():
        for m in _check_list(entry, "doanmodel_scoring_methods"):
            if not isinstance(m, ScoringMethod):
                raise _Contract(f"doanmodel_scoring_methods: {m!r} is not a ScoringMethod")
            _check_id("scoring method", m.name)
            if not is_builtin and m.name in BUILTIN_METHODS:
                raise _Contract(f"cannot replace the built-in method {m.name!r}")
            if not is_builtin:
                claims.add(("method", m.name))
            methods.append(attrs.evolve(m, origin=origin))
    criteria = []
    all_methods = {**BUILTIN_METHODS, **{m.name: m for m in methods}}
    for entry in hook.doanmodel_criteria_sets():
        for c in _check_list(entry, "doanmodel_criteria_sets"):
            if isinstance(c, CriteriaSet):
                cs = attrs.evolve(c, origin=origin, scope=scope)
            elif isinstance(c, Mapping):
                cs = parse_criteria(c, file=f"{name}:criteria", methods=all_methods,
                                    origin=origin, scope=scope)
            elif isinstance(c, (str, Path)) or hasattr(c, "read_text"):
                try:
                    cs = load_criteria(c, methods=all_methods, origin=origin, scope=scope)
                except (CriteriaError, DatasetError) as exc:
                    raise _Contract(f"criteria set: {exc}") from None
            else:
                raise _Contract(f"doanmodel_criteria_sets: {c!r} is not a criteria set")
            if not is_builtin:
                claim("criteria set", cs.id, national_sets)
            criteria.append(cs)
    kinds = _programme_kinds(hook, origin, scope, is_builtin, claims)
    validate = None
    impls = hook.doanmodel_validate.get_hookimpls()
    if impls:
        validate = impls[0].function
    contributes: dict[str, list[str]] = {}
    if params:
        contributes["parameters"] = sorted({p.name for p in params})
    if rules:
        contributes["rules"] = [r.id for r in rules]
    if indicators:
        contributes["indicators"] = [i.id for i in indicators]
    if methods:
        contributes["scoring_methods"] = [m.name for m in methods]
    if criteria:
        contributes["criteria_sets"] = [c.id for c in criteria]
    if validate is not None:
        contributes["validate"] = ["doanmodel_validate"]
    if kinds:
        contributes["programme_kinds"] = [k.id for k in kinds]
    return info, {"params": params, "rules": rules, "indicators": indicators,
                  "methods": methods, "criteria": criteria, "validate": validate,
                  "claims": claims, "contributes": contributes, "programme_kinds": kinds}


def _programme_kinds(hook: Any, origin: str, scope: Scope, is_builtin: bool,
                     claims: set[tuple[str, str]]) -> list[Any]:
    """Check and tag what ``doanmodel_programme_kinds`` returns (work programmes)."""
    from ._programmes import BUILTIN_KINDS, ProgrammeKind  # noqa: PLC0415

    out = []
    for entry in hook.doanmodel_programme_kinds():
        for k in _check_list(entry, "doanmodel_programme_kinds"):
            if not isinstance(k, ProgrammeKind):
                raise _Contract(f"doanmodel_programme_kinds: {k!r} is not a ProgrammeKind")
            _check_id("programme kind", k.id)
            if not isinstance(k.title, Text) or not (k.title.vi and k.title.en) or not k.source:
                raise _Contract(f"programme kind {k.id!r} needs a bilingual title and a source")
            if not is_builtin:
                if k.id in {b.id for b in BUILTIN_KINDS}:
                    raise _Contract(f"cannot replace the national programme kind {k.id!r}")
                claims.add(("programme kind", k.id))
            out.append(attrs.evolve(k, origin=origin, scope=scope))
    return out
