"""Finding, loading and checking plugins; collecting what each contributes."""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

import attrs
import pluggy

from .. import hookspecs
from ..model._params import ParamValue, Scope
from ..rules._context import IndicatorDef, Rule
from ..scoring._criteria import BUILTIN_METHODS, CriteriaSet, ScoringMethod
from ._boundary import PluginFailure, exception_text, plugin_stdout
from ._contract import (  # the contract checks; every name stays importable from here
    _ID,  # noqa: F401
    _as_criteria,
    _as_indicator,
    _as_info,
    _as_method,
    _as_param,
    _as_rule,
    _check_dates,  # noqa: F401
    _check_id,  # noqa: F401
    _check_list,
    _Contract,
    _date,
    _programme_kinds,
    _shown,  # noqa: F401
)
from ._integrity import Integrity
from ._provinces import province_problems

__all__ = ["LoadedPlugin", "PluginInfo", "Registry", "build_registry"]

ENTRY_POINT_GROUP = "doanmodel"


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

    def fail(self, where: str, error: str, message: str, kind: str = "contract",
             message_vi: str | None = None) -> None:
        """Mark the plugin refused."""
        self.error = f"{where}: {message}" if error in ("PluginContractError", "Conflict") \
            else f"{where}: {error}: {message}"
        self.failure = PluginFailure(plugin=self.name, package=self.package,
                                     version=self.version, where=where, kind=kind, error=error,
                                     message=message, message_vi=message_vi)


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
    #: plugin name → its scoring methods by unqualified name (a criteria set of that plugin
    #: resolves its method names here first: names are per plugin, issue 23)
    plugin_methods: dict[str, dict[str, ScoringMethod]] = attrs.field(factory=dict)
    #: the host's fingerprint, taken before any entry point was imported
    integrity: Integrity | None = attrs.field(default=None, repr=False)
    #: names given with ``only`` that no installed entry point has
    unknown: list[str] = attrs.field(factory=list)
    #: the installed entry points' names (for a did-you-mean)
    installed: list[str] = attrs.field(factory=list)

    @property
    def failed(self) -> dict[str, str]:
        """Plugin name → error, for plugins that could not be used."""
        return {n: p.error for n, p in self.plugins.items() if p.error}


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


def _load_entry_points(only: Sequence[str] | None, integrity: Integrity, reg: Registry
                       ) -> tuple[list[_Candidate], list[LoadedPlugin]]:
    found: list[_Candidate] = []
    failed: list[LoadedPlugin] = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        reg.installed.append(ep.name)
        if only is not None and ep.name not in only:
            continue
        version = ep.dist.version if ep.dist is not None else "?"
        package = ep.dist.name if ep.dist is not None else "?"
        lp = LoadedPlugin(name=ep.name, version=version, info=PluginInfo(name=ep.name),
                          package=package)
        try:
            with plugin_stdout():
                module = ep.load()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            lp.fail("import", type(exc).__name__, _text(exc), kind="load")
            failed.append(lp)
            integrity.verify(None, ep.name, "import")
            continue
        changed = integrity.verify(None, ep.name, "import")
        if changed:  # patched doanmodel as it was imported: refused, originals restored
            _integrity_fail(lp, "import", changed)
            failed.append(lp)
            continue
        found.append(_Candidate(ep.name, module, version, package))
    if only is not None:
        reg.unknown = [n for n in only if n not in reg.installed]
    return found, failed


_text = exception_text


def _integrity_fail(lp: LoadedPlugin, where: str, changed: list[str]) -> None:
    from ._integrity import message  # noqa: PLC0415

    lp.fail(where, "IntegrityViolation", message(changed, "en"), kind="integrity",
            message_vi=message(changed, "vi"))


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

    integrity = Integrity()  # before any third-party code runs
    reg = Registry(integrity=integrity)
    candidates = [_Candidate("national", builtin, _version(), "doanmodel", builtin=True)]
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        candidates.append(_Candidate(name, plugin, str(getattr(plugin, "__version__", "0"))))
    if load_entry_points:
        eps, failed = _load_entry_points(only, integrity, reg)
        candidates.extend(eps)
        for lp in failed:
            reg.plugins[lp.name] = lp
    national = _National()
    staged: dict[str, Contribution] = {}
    for cand in candidates:
        loaded, contribution = _register(cand, national)
        if not cand.builtin:
            changed = integrity.verify(None, loaded.name, "register")
            if changed:
                _integrity_fail(loaded, "register", changed)
                contribution = None
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
        with plugin_stdout():
            return _hooks(pm, cand, loaded, national, where)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a broken plugin must not stop the others
        loaded.fail(getattr(exc, "__doanmodel_where__", where), type(exc).__name__, _text(exc),
                    kind="error")
        return loaded, None


def _hooks(pm: pluggy.PluginManager, cand: _Candidate, loaded: LoadedPlugin,
           national: _National, where: str) -> tuple[LoadedPlugin, Contribution | None]:
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
        if not cand.builtin:
            wrong = province_problems(info.provinces, info.start, info.end)
            if wrong:
                loaded.fail(where, "PluginContractError", "; ".join(t.en for t in wrong),
                            message_vi="; ".join(t.vi for t in wrong))
                return loaded, None
        contribution = _collect(pm.hook, loaded, national, _Where(where))
    except _Contract as exc:
        loaded.fail(exc.where or where, "PluginContractError", str(exc))
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
    national_rules = {r.id for n, c in staged.items() if reg.plugins[n].builtin for r in c.rules}
    for (kind, key), owners in claimed.items():
        # a rule id of its own is one plugin's, whatever the provinces: the same id from two
        # plugins would print one's findings under the other's title (issue 23)
        anywhere = kind == "rule" and key not in national_rules
        for i, a in enumerate(owners):
            for b in owners[i + 1:]:
                if anywhere or reg.plugins[a].info.scope.overlaps(reg.plugins[b].info.scope):
                    if anywhere:
                        msg = f"{a!r} and {b!r} both define {kind} {key!r}"
                        msg_vi = f"{a!r} và {b!r} cùng định nghĩa quy tắc {key!r}"
                    else:
                        msg = (f"{a!r} and {b!r} both set {kind} {key!r} for the same units "
                               "and dates")
                        msg_vi = (f"{a!r} và {b!r} cùng đặt {_KIND_VI.get(kind, kind)} {key!r} "
                                  "cho cùng đơn vị và thời gian")
                    for n in (a, b):
                        if reg.plugins[n].failure is None:
                            reg.plugins[n].fail(f"{kind} {key}", "Conflict", msg,
                                                kind="conflict", message_vi=msg_vi)


_KIND_VI = {"parameter": "tham số", "rule": "quy tắc", "indicator": "chỉ số",
            "criteria set": "bộ tiêu chí", "method": "phương pháp chấm",
            "programme kind": "loại chương trình"}


def _install(reg: Registry, loaded: LoadedPlugin, c: Contribution) -> None:
    reg.rules.extend(c.rules)
    reg.params.extend(c.params)
    reg.indicators.extend(c.indicators)
    for ind in c.indicators:
        reg.indicator_scopes[f"{loaded.name}:{ind.id}"] = loaded.info.scope
    own = reg.plugin_methods.setdefault(loaded.name, {})
    for m in c.methods:
        own[m.name] = m
        reg.methods[f"{loaded.name}:{m.name}"] = m  # qualified: always unambiguous
        if loaded.builtin:
            reg.methods[m.name] = m
    # an unqualified name stands for a plugin's method only while one plugin defines it
    names: dict[str, list[ScoringMethod]] = {}
    for pname, by_name in reg.plugin_methods.items():
        if not reg.plugins[pname].builtin:
            for n, m in by_name.items():
                names.setdefault(n, []).append(m)
    for n, defined in names.items():
        if len(defined) == 1:
            reg.methods[n] = defined[0]
        elif reg.methods.get(n) is not None and reg.methods[n].origin != "national":
            del reg.methods[n]
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
    except BaseException as exc:
        try:
            exc.__doanmodel_where__ = name  # type: ignore[attr-defined]
        except (AttributeError, TypeError):  # pragma: no cover - a slotted exception
            pass
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
