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

from .. import hookspecs
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
from ._boundary import PluginFailure

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
    #: the distribution that installed the plugin (``?`` when passed as a module)
    package: str = "?"
    #: why the plugin was refused, as a failure record (``None`` when loaded)
    failure: PluginFailure | None = None
    #: whether ``doanmodel_plugin_info`` answered, so ``info`` is what the plugin declared
    declared: bool = False
    #: what the plugin contributes, before scope checks (internal)
    items: Contribution | None = attrs.field(default=None, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``doanmodel plugins``."""
        return {"name": self.name, "version": self.version, "api": self.info.api,
                "provinces": list(self.info.provinces),
                "start": self.info.start.isoformat() if self.info.start else None,
                "end": self.info.end.isoformat() if self.info.end else None,
                "sources": list(self.info.sources), "overrides": list(self.info.overrides),
                "contributes": self.contributes, "builtin": self.builtin, "error": self.error,
                "package": self.package, "declared": self.declared,
                "failure": attrs.asdict(self.failure, filter=lambda a, _: a.name != "traceback")
                if self.failure else None}

    def fail(self, where: str, error: str, message: str, kind: str = "contract") -> None:
        """Mark the plugin refused."""
        self.error = f"{where}: {message}" if error in ("PluginContractError", "Conflict") \
            else f"{where}: {error}: {message}"
        self.failure = PluginFailure(plugin=self.name, package=self.package,
                                     version=self.version, where=where, kind=kind, error=error,
                                     message=message)


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
                            note=value.get("note"))
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


@attrs.define
class _Candidate:
    """A plugin module found, before its hooks are called."""

    name: str
    module: Any
    version: str
    package: str = "?"
    builtin: bool = False


@attrs.define
class Contribution:
    """What one plugin contributes, checked against the contract and tagged with its scope."""

    params: list[ParamValue] = attrs.field(factory=list)
    rules: list[Rule] = attrs.field(factory=list)
    indicators: list[IndicatorDef] = attrs.field(factory=list)
    methods: list[ScoringMethod] = attrs.field(factory=list)
    criteria: list[CriteriaSet] = attrs.field(factory=list)
    validate: Any = None
    programme_kinds: list[Any] = attrs.field(factory=list)
    #: (kind, key) of everything it sets, for conflict detection
    claims: set[tuple[str, str]] = attrs.field(factory=set)

    def summary(self) -> dict[str, list[str]]:
        """kind → ids, as ``doanmodel plugins`` shows them."""
        out: dict[str, list[str]] = {}
        if self.params:
            out["parameters"] = sorted({p.name for p in self.params})
        if self.rules:
            out["rules"] = [r.id for r in self.rules]
        if self.indicators:
            out["indicators"] = [i.id for i in self.indicators]
        if self.methods:
            out["scoring_methods"] = [m.name for m in self.methods]
        if self.criteria:
            out["criteria_sets"] = [c.id for c in self.criteria]
        if self.validate is not None:
            out["validate"] = ["doanmodel_validate"]
        if self.programme_kinds:
            out["programme_kinds"] = [k.id for k in self.programme_kinds]
        return out


def _load_entry_points(only: Sequence[str] | None) -> tuple[list[_Candidate],
                                                            list[LoadedPlugin]]:
    found: list[_Candidate] = []
    failed: list[LoadedPlugin] = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if only is not None and ep.name not in only:
            continue
        version = ep.dist.version if ep.dist is not None else "?"
        package = ep.dist.name if ep.dist is not None else "?"
        try:
            module = ep.load()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            lp = LoadedPlugin(name=ep.name, version=version, info=PluginInfo(name=ep.name),
                              package=package)
            lp.fail("import", type(exc).__name__, str(exc), kind="load")
            failed.append(lp)
            continue
        found.append(_Candidate(ep.name, module, version, package))
    return found, failed


class _National:
    """The ids the built-in plugin sets, which a province plugin may replace only by saying so."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {"parameter": set(), "rule": set(), "indicator": set(),
                                         "criteria set": set()}

    def add(self, c: Contribution) -> None:
        self.ids["parameter"].update(p.name for p in c.params)
        self.ids["rule"].update(r.id for r in c.rules)
        self.ids["indicator"].update(i.id for i in c.indicators)
        self.ids["criteria set"].update(s.id for s in c.criteria)


def build_registry(extra: Sequence[ModuleType | Any], *, load_entry_points: bool,
                   only: Sequence[str] | None = None) -> Registry:
    """Register the built-in plugin, *extra* plugins and (optionally) entry points; collect."""
    from .. import builtin  # noqa: PLC0415 - circular at import time

    reg = Registry()
    candidates = [_Candidate("national", builtin, _version(), "doanmodel", builtin=True)]
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        candidates.append(_Candidate(name, plugin, str(getattr(plugin, "__version__", "0"))))
    if load_entry_points:
        eps, failed = _load_entry_points(only)
        candidates.extend(eps)
        for lp in failed:
            reg.plugins[lp.name] = lp
    national = _National()
    staged: dict[str, Contribution] = {}
    for cand in candidates:
        loaded, contribution = _register(cand, national)
        if loaded.name in reg.plugins and not reg.plugins[loaded.name].error:
            reg.plugins[loaded.name].fail("doanmodel_plugin_info", "Conflict",
                                          f"two plugins are named {loaded.name!r}",
                                          kind="conflict")
            continue
        reg.plugins[loaded.name] = loaded
        if contribution is not None:
            staged[loaded.name] = contribution
            if cand.builtin:
                national.add(contribution)
    _refuse_conflicts(reg, staged)
    for name, c in staged.items():
        if not reg.plugins[name].error:
            _install(reg, reg.plugins[name], c)
    return reg


def _register(cand: _Candidate, national: _National
              ) -> tuple[LoadedPlugin, Contribution | None]:
    """Call the candidate's hooks; a plugin that breaks the contract comes back refused."""
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    loaded = LoadedPlugin(name=cand.name, version=cand.version, info=PluginInfo(name=cand.name),
                          builtin=cand.builtin, package=cand.package)
    try:
        pm.register(cand.module, name=cand.name)
        pm.check_pending()
    except (pluggy.PluginValidationError, ValueError) as exc:
        loaded.fail("register", "PluginValidationError", str(exc), kind="contract")
        return loaded, None
    where = "doanmodel_plugin_info"
    try:
        infos = pm.hook.doanmodel_plugin_info()
        info = _as_info(infos[0] if infos else None, cand.name)
        if not cand.builtin:
            loaded.name = info.name
        loaded.info, loaded.declared = info, bool(infos)
        if info.version != "0":
            loaded.version = info.version
        if info.api != hookspecs.PLUGIN_API:
            raise _Contract(f"targets plugin API {info.api}, this doanmodel offers "
                            f"{hookspecs.PLUGIN_API}")
        contribution = _collect(pm.hook, loaded, national, _Where(where))
    except _Contract as exc:
        loaded.fail(exc.where or where, "PluginContractError", str(exc))
        return loaded, None
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a broken plugin must not stop the others
        loaded.fail(getattr(exc, "__doanmodel_where__", where), type(exc).__name__, str(exc),
                    kind="error")
        return loaded, None
    loaded.contributes = contribution.summary()
    loaded.items = contribution
    return loaded, contribution


def _refuse_conflicts(reg: Registry, staged: Mapping[str, Contribution]) -> None:
    """Two plugins replacing the same thing for overlapping units and dates: refuse both."""
    claimed: dict[tuple[str, str], list[str]] = {}
    for name, c in staged.items():
        if not reg.plugins[name].builtin:
            for claim in sorted(c.claims):
                claimed.setdefault(claim, []).append(name)
    for (kind, key), owners in claimed.items():
        for i, a in enumerate(owners):
            for b in owners[i + 1:]:
                if reg.plugins[a].info.scope.overlaps(reg.plugins[b].info.scope):
                    msg = (f"{a!r} and {b!r} both set {kind} {key!r} for the same units and "
                           "dates")
                    for n in (a, b):
                        if reg.plugins[n].failure is None:
                            reg.plugins[n].fail(f"{kind} {key}", "Conflict", msg,
                                                kind="conflict")


def _install(reg: Registry, loaded: LoadedPlugin, c: Contribution) -> None:
    reg.rules.extend(c.rules)
    reg.params.extend(c.params)
    reg.indicators.extend(c.indicators)
    for ind in c.indicators:
        reg.indicator_scopes[f"{loaded.name}:{ind.id}"] = loaded.info.scope
    for m in c.methods:
        reg.methods[m.name] = m
    reg.criteria.extend(c.criteria)
    if c.validate is not None:
        reg.validators.append((loaded.name, c.validate))
    reg.programme_kinds.extend(c.programme_kinds)


def _version() -> str:
    from .._version import __version__  # noqa: PLC0415

    return __version__


class _Where:
    """Which hook is being called, so a failure names it."""

    def __init__(self, hook: str) -> None:
        self.hook = hook


def _call(hook: Any, name: str, where: _Where) -> list[Any]:
    where.hook = name
    try:
        return list(getattr(hook, name)())
    except _Contract:
        raise
    except (Exception, SystemExit) as exc:
        exc.__doanmodel_where__ = name  # type: ignore[union-attr]
        raise


def _collect(hook: Any, loaded: LoadedPlugin, national: _National, where: _Where
             ) -> Contribution:
    """Call every hook of one plugin and check what comes back."""
    builtin = loaded.builtin
    origin = "national" if builtin else loaded.info.name
    scope = Scope() if builtin else loaded.info.scope
    overrides = set(loaded.info.overrides)
    c = Contribution()

    def claim(kind: str, key: str, hook_name: str) -> None:
        if builtin:
            return
        if key in national.ids.get(kind, ()) and key not in overrides:
            raise _Contract(f"replaces national {kind} {key!r} without declaring it in "
                            "overrides", hook_name)
        c.claims.add((kind, key))

    for entry in _call(hook, "doanmodel_parameters", where):
        for v in _check_list(entry, "doanmodel_parameters", "ParamValue"):
            pv = _as_param(v, origin, scope)
            claim("parameter", pv.name, "doanmodel_parameters")
            c.params.append(pv)
    for entry in _call(hook, "doanmodel_rules", where):
        for r in _check_list(entry, "doanmodel_rules", "Rule"):
            c.rules.append(_as_rule(r, origin, scope))
            claim("rule", r.id, "doanmodel_rules")
    for entry in _call(hook, "doanmodel_indicators", where):
        for d in _check_list(entry, "doanmodel_indicators", "IndicatorDef"):
            c.indicators.append(_as_indicator(d, origin))
            claim("indicator", d.id, "doanmodel_indicators")
    for entry in _call(hook, "doanmodel_scoring_methods", where):
        for m in _check_list(entry, "doanmodel_scoring_methods", "ScoringMethod"):
            c.methods.append(_as_method(m, origin, builtin))
            if not builtin:
                c.claims.add(("method", m.name))
    all_methods = {**BUILTIN_METHODS, **{m.name: m for m in c.methods}}
    for entry in _call(hook, "doanmodel_criteria_sets", where):
        for cs in _check_list(entry, "doanmodel_criteria_sets", "criteria sets"):
            parsed = _as_criteria(cs, loaded.name, origin, scope, all_methods)
            claim("criteria set", parsed.id, "doanmodel_criteria_sets")
            c.criteria.append(parsed)
    where.hook = "doanmodel_programme_kinds"
    c.programme_kinds = _programme_kinds(hook, origin, scope, builtin, c.claims)
    impls = hook.doanmodel_validate.get_hookimpls()
    if impls:
        c.validate = impls[0].function
    return c


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
