"""The Engine: plugins + the pure rule engine + scoring, for one user-facing call each."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import ModuleType
from typing import Any

import attrs

from ._criteria import CriteriaSet, parse_criteria
from ._dataset import Dataset
from ._dates import Period, parse_period
from ._engine import Context, Finding, IndicatorDef, Report, Rule, evaluate
from ._enums import Level
from ._i18n import Text
from ._params import Parameters, ParamValue, Scope
from ._plugins import LoadedPlugin, Registry, _version, build_registry
from ._scoring import RankChange, Scoreboard, score_clusters
from .exceptions import CriteriaError, DoanmodelError, PluginError, Problem, UnknownRuleError

__all__ = ["Engine", "WhatIf"]


@attrs.frozen(kw_only=True)
class WhatIf:
    """A board before and after a change of parameters or weights, and who moved."""

    before: Scoreboard
    after: Scoreboard
    changes: tuple[RankChange, ...]

    def to_table(self, lang: str = "vi") -> str:
        """The rank changes as a readable table."""
        from ._render import fmt_number, table  # noqa: PLC0415

        en = lang == "en"
        headers = (["cluster", "unit", "rank before", "rank after", "total before",
                    "total after"] if en else
                   ["cụm", "đơn vị", "hạng trước", "hạng sau", "điểm trước", "điểm sau"])
        rows = [[c.cluster_id, c.unit_id, c.rank_before or "—", c.rank_after or "—",
                 fmt_number(c.total_before), fmt_number(c.total_after)] for c in self.changes]
        if not rows:
            return "No rank changes." if en else "Không có thay đổi thứ hạng."
        return table(headers, rows, right=(2, 3, 4, 5))


class Engine:
    """
    Runs the rules and scoring with the national defaults and the loaded plugins.

    ``Engine()`` loads every installed plugin of the ``doanmodel`` entry-point group;
    ``Engine(plugins=[module], load_entry_points=False)`` only the given ones; ``only=[names]``
    only the named entry points. A plugin that fails to load is reported in :attr:`failed` and
    the others keep working; using a dataset that needs it raises :class:`PluginError`.
    """

    def __init__(self, plugins: Sequence[ModuleType | Any] = (), *,
                 load_entry_points: bool = True, only: Sequence[str] | None = None,
                 backend: str | None = None) -> None:
        #: the query backend: ``python``, ``duckdb`` or ``auto`` (see :mod:`doanmodel._duckdb`);
        #: ``None``: Python, unless the dataset's members already live in DuckDB (a store)
        self.backend = backend
        self.registry: Registry = build_registry(plugins, load_entry_points=load_entry_points,
                                                 only=only)
        self._resolved: dict[tuple[int, str], frozenset[str]] = {}

    # ------------------------------------------------------------------ plugins
    @property
    def plugins(self) -> list[LoadedPlugin]:
        """Every plugin known (national first), loaded or failed."""
        return list(self.registry.plugins.values())

    @property
    def failed(self) -> dict[str, str]:
        """Plugin name → error for plugins that could not be used."""
        return self.registry.failed

    def _require(self, ds: Dataset) -> None:
        for name in ds.meta.plugins:
            plugin = self.registry.plugins.get(name)
            if plugin is None:
                raise PluginError(name, "the dataset needs this plugin, but it is not installed "
                                        "or not loaded (dataset.toml: plugins)")
            if plugin.error:
                raise PluginError(name, plugin.error)

    def _scope(self, ds: Dataset, scope: Scope, origin: str) -> Scope:
        """*scope* with province codes replaced by this dataset's province unit ids."""
        if scope.provinces is None:
            return scope
        key = (id(ds), origin)
        ids = self._resolved.get(key)
        if ids is None:
            wanted = scope.provinces
            found = set()
            for uid, unit in ds.units.items():
                for v in unit.versions:
                    if v.level is Level.PROVINCE and (uid in wanted or (v.code and v.code in wanted)):
                        found.add(uid)
            ids = self._resolved[key] = frozenset(found)
        return attrs.evolve(scope, provinces=ids)

    def parameters(self, ds: Dataset, overrides: Mapping[str, Any] | None = None,
                   on: _dt.date | None = None) -> Parameters:
        """The parameter tree for *ds*: national, then plugins (scoped), then the dataset's own."""
        params = Parameters()
        for pv in self.registry.params:
            if pv.origin != "national" and pv.origin in self.registry.plugins:
                pv = attrs.evolve(pv, scope=self._scope(ds, pv.scope, pv.origin))
            params.add(pv)
        for name, entries in ds.meta.parameters.items():
            for e in entries:
                params.add(ParamValue(name=name, start=e["from"], value=e["value"],
                                      source=e["source"], origin="dataset"))
        if overrides:
            params = params.with_overrides(overrides, on or _dt.date(1900, 1, 1))
        return params

    def _indicators(self, ds: Dataset) -> dict[str, IndicatorDef]:
        """Indicator id → definition; a plugin's replacement applies inside its scope only."""
        national = {i.id: i for i in self.registry.indicators if i.origin == "national"}
        out = dict(national)
        for ind in self.registry.indicators:
            if ind.origin == "national":
                continue
            scope = self._scope(ds, self.registry.indicator_scopes[f"{ind.origin}:{ind.id}"],
                                ind.origin)
            base = out.get(ind.id)
            out[ind.id] = _scoped_indicator(ind, base, scope)
        return out

    def _year(self, ds: Dataset, year: int | None) -> int:
        if year is not None:
            return year
        if ds.meta.year is None:
            raise DoanmodelError("no year given and dataset.toml has no year")
        return ds.meta.year

    def rules(self, ids: Sequence[str] | None = None) -> list[Rule]:
        """The registered rules (national first), or only *ids*.

        Raises:
            UnknownRuleError: an id is not registered.
        """
        rules = list(self.registry.rules)
        if ids:
            known = [r.id for r in rules]
            for rid in ids:
                if rid not in known:
                    raise UnknownRuleError(rid, sorted(set(known)))
            rules = [r for r in rules if r.id in ids]
        return rules

    def _backend(self, ds: Dataset) -> Callable[[Context], Any] | None:
        """The query backend for *ds* (``None``: the pure-Python default)."""
        if self.backend in (None, "python") and not ds._cache.get("duckdb.tables"):  # noqa: SLF001
            return None  # the default: don't import the DuckDB module at all
        from ._duckdb import backend_for  # noqa: PLC0415 - optional engine

        return backend_for(ds, self.backend)

    # ------------------------------------------------------------------ check
    def check(self, ds: Dataset, year: int | None = None, *, period: str | Period | None = None,
              rules: Sequence[str] | None = None) -> Report:
        """Run the compliance rules on *ds* for *year* (or a *period* such as ``2023-Q2``)."""
        self._require(ds)
        if period is not None:
            per = parse_period(period) if isinstance(period, str) else period
        else:
            per = Period(self._year(ds, year))
        chosen = self.rules(rules)
        params = self.parameters(ds)
        scopes = {r.origin: self._scope(ds, r.scope, r.origin) for r in chosen}
        replaced: dict[str, list[Scope]] = {}
        for r in chosen:
            if r.origin != "national":
                replaced.setdefault(r.id, []).append(scopes[r.origin])

        def scope(rule: Rule) -> Callable[[Finding], bool] | None:
            if rule.origin == "national":
                owners = replaced.get(rule.id)
                if not owners:
                    return None
                # a plugin that replaces this rule owns its provinces
                return lambda f: not any(_covers(s, f.province, per) for s in owners)
            mine = scopes[rule.origin]
            return lambda f: _covers(mine, f.province, per)

        findings = evaluate(ds, chosen, params, per, self._indicators(ds), scope,
                            backend=self._backend(ds))
        return Report(dataset=ds.meta.name, period=per, findings=findings,
                      rules=tuple(chosen), provenance=self._provenance(ds, params))

    # ------------------------------------------------------------------ score
    def criteria_sets(self) -> list[CriteriaSet]:
        """Every criteria set contributed by plugins (national first)."""
        return list(self.registry.criteria)

    def criteria_for(self, ds: Dataset, year: int, criteria: str | CriteriaSet | None = None
                     ) -> CriteriaSet:
        """
        The criteria set to score *ds* for *year*: the one named, else the dataset's
        ``criteria.toml``, else a plugin's set for the dataset's province and year, else a
        national one for the year.

        Raises:
            CriteriaError: the dataset's criteria.toml is malformed.
            DoanmodelError: no set applies.
        """
        methods = self.registry.methods
        if isinstance(criteria, CriteriaSet):
            return criteria
        own = None
        if ds.criteria is not None:
            text = ""
            if ds.path:
                try:
                    with open(f"{ds.path}/criteria.toml", encoding="utf-8-sig") as fh:
                        text = fh.read()
                except OSError:
                    text = ""
            own = parse_criteria(ds.criteria, file="criteria.toml", text=text, methods=methods)
        if criteria is not None:
            for cs in ([own] if own else []) + self.registry.criteria:
                if cs.id == criteria:
                    return cs
            raise DoanmodelError(f"unknown criteria set {criteria!r}")
        if own is not None:
            if not own.applies_to(year):
                raise DoanmodelError(f"criteria set {own.id!r} is not for {year}")
            return own
        root = ds.root
        day = _dt.date(year, 12, 31)
        for cs in self.registry.criteria:
            if cs.origin == "national" or not cs.applies_to(year):
                continue
            scope = self._scope(ds, cs.scope, cs.origin)
            try:
                province = ds.province_of(root, ds.last_day(root, _dt.date(year, 1, 1), day) or day)
            except LookupError:
                province = None
            if scope.provinces is not None and province in scope.provinces:
                return cs
        for cs in self.registry.criteria:
            if cs.origin == "national" and cs.applies_to(year):
                return cs
        raise DoanmodelError(f"no criteria set for {year}: add criteria.toml to the dataset or "
                             "name one")

    def score(self, ds: Dataset, year: int | None = None, *,
              criteria: str | CriteriaSet | None = None, clusters: Sequence[str] | None = None,
              parameters: Mapping[str, Any] | None = None,
              weights: Mapping[str, Any] | None = None) -> Scoreboard:
        """
        Score and rank the units of every emulation cluster of *year*.

        *parameters* and *weights* (criterion id → points) change the inputs for a what-if.
        """
        self._require(ds)
        y = self._year(ds, year)
        cset = self.criteria_for(ds, y, criteria)
        if clusters:
            known = {c.id for c in ds.clusters_of_year(y)}
            for cid in clusters:
                if cid not in known:
                    raise DoanmodelError(f"no cluster {cid!r} in {y}")
        params = self.parameters(ds, parameters, _dt.date(y, 1, 1))
        ctx = Context(dataset=ds, period=Period(y), params=params,
                      indicators=self._indicators(ds), backend=self._backend(ds))
        w = {k: Decimal(str(v)) for k, v in (weights or {}).items()}
        unknown = set(w) - {c.id for c in cset.criteria}
        if unknown:
            raise DoanmodelError(f"unknown criteria in weights: {', '.join(sorted(unknown))}")
        boards = score_clusters(ctx, cset, self.registry.methods, clusters, w)
        prov = self._provenance(ds, params)
        prov["criteria_set"] = {"id": cset.id, "title": cset.title, "source": cset.source,
                                "origin": cset.origin}
        if parameters:
            prov["what_if_parameters"] = {k: str(v) for k, v in parameters.items()}
        if weights:
            prov["what_if_weights"] = {k: str(v) for k, v in weights.items()}
        return Scoreboard(dataset=ds.meta.name, year=y, criteria_id=cset.id,
                          criteria_title=cset.title, criteria_source=cset.source,
                          max_total=attrs.evolve(cset, criteria=tuple(
                              attrs.evolve(c, points=w.get(c.id, c.points))
                              for c in cset.criteria)).max_total,
                          clusters=boards, provenance=prov)

    def what_if(self, ds: Dataset, year: int | None = None, *,
                parameters: Mapping[str, Any] | None = None,
                weights: Mapping[str, Any] | None = None,
                criteria: str | CriteriaSet | None = None) -> WhatIf:
        """Score *ds* as it is and under changed *parameters* / *weights*; list who moved."""
        before = self.score(ds, year, criteria=criteria)
        after = self.score(ds, year, criteria=criteria, parameters=parameters, weights=weights)
        changes = []
        for cb, ca in zip(before.clusters, after.clusters):
            after_by = {s.unit_id: s for s in ca.standings}
            for s in cb.standings:
                a = after_by[s.unit_id]
                if a.rank != s.rank or a.total != s.total:
                    changes.append(RankChange(cluster_id=cb.id, unit_id=s.unit_id,
                                              rank_before=s.rank, rank_after=a.rank,
                                              total_before=s.total, total_after=a.total))
        return WhatIf(before=before, after=after, changes=tuple(changes))

    # ------------------------------------------------------------------ indicators
    def indicator(self, ds: Dataset, indicator: str, year: int | None = None, *,
                  period: str | Period | None = None) -> dict[str, Any]:
        """
        unit id → value of *indicator* for the year (or *period*): the derived value rolled up
        the tree as it stood on each event's date, or the reported one where a unit reported it.

        Raises:
            DoanmodelError: the indicator is neither derived nor reported.
        """
        per = (parse_period(period) if isinstance(period, str) else period) if period else \
            Period(self._year(ds, year))
        ctx = Context(dataset=ds, period=per, params=self.parameters(ds),
                      indicators=self._indicators(ds), backend=self._backend(ds))
        out: dict[str, Any] = {}
        if ctx.facts.derivable(indicator):
            out.update(ctx.facts.derived(indicator))
        reported = {u: v for (u, p, i), v in ctx.facts.reported_table().items()
                    if i == indicator and p == str(per)}
        if not out and not reported and indicator not in ctx.facts.defs:
            raise DoanmodelError(f"unknown indicator {indicator!r}")
        out.update(reported)
        return out

    # ------------------------------------------------------------------ validate
    def validate(self, ds: Dataset) -> list[Problem]:
        """
        Problems beyond the loader's: missing plugins, a malformed criteria.toml (with the
        methods plugins add) and each plugin's ``doanmodel_validate``.
        """
        problems: list[Problem] = []
        for name in ds.meta.plugins:
            plugin = self.registry.plugins.get(name)
            if plugin is None or plugin.error:
                why = plugin.error if plugin else None
                problems.append(Problem("dataset.toml", 0, "plugins", Text(
                    f"cần plugin {name!r} nhưng chưa cài hoặc không tải được"
                    + (f": {why}" if why else ""),
                    f"needs plugin {name!r}, which is not installed or failed to load"
                    + (f": {why}" if why else ""))))
        if ds.criteria is not None:
            try:
                self.criteria_for(ds, ds.meta.year or _dt.date.today().year)
            except CriteriaError as exc:
                problems.extend(exc.problems)
            except DoanmodelError:
                pass
        for name, fn in self.registry.validators:
            try:
                found = fn(dataset=ds) or []
            except Exception as exc:  # noqa: BLE001 - report, do not crash
                raise PluginError(name, f"doanmodel_validate failed: {exc}") from exc
            for p in found:
                if not isinstance(p, Problem):
                    raise PluginError(name, f"doanmodel_validate returned {p!r}, not a Problem")
                problems.append(p)
        return problems

    # ------------------------------------------------------------------ provenance
    def _provenance(self, ds: Dataset, params: Parameters) -> dict[str, Any]:
        return {
            "doanmodel": _version(),
            "plugins": [{"name": p.name, "version": p.version}
                        for p in self.registry.plugins.values() if not p.error],
            "dataset_plugins": list(ds.meta.plugins),
            "parameters": [v.to_dict() for v in sorted(params.used.values(),
                                                        key=lambda v: (v.name, v.start))],
        }


def _covers(scope: Scope, province: str | None, period: Period) -> bool:
    """Whether a finding about *province* for *period* lies inside *scope*."""
    lo = max(scope.start or _dt.date.min, period.start)
    hi = min(scope.end or _dt.date.max, period.end)
    if lo > hi:
        return False
    return scope.provinces is None or (province is not None and province in scope.provinces)


def _scoped_indicator(ind: IndicatorDef, base: IndicatorDef | None, scope: Scope) -> IndicatorDef:
    """*ind* inside *scope*, *base* (the national definition) outside it."""

    def compute(ctx: Context) -> dict[str, Any]:
        mine = ind.compute(ctx)
        other = base.compute(ctx) if base is not None else {}
        out = {}
        for uid in set(mine) | set(other):
            day = ctx.last_day(uid) if uid in ctx.dataset.units else None
            province = ctx.province(uid, day) if day else None
            inside = scope.provinces is None or province in (scope.provinces or ())
            inside = inside and (day is None or scope.covers_date(day))
            src = mine if inside else other
            if uid in src:
                out[uid] = src[uid]
        return out

    return attrs.evolve(ind, compute=compute)
