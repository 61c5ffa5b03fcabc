"""The Engine: plugins, the plugin boundary, rules and scoring, for one user-facing call each.

The flow is one way (docs/architecture.md): load → prepare a
:class:`~doanmodel.engine._run.Run` (plugins, scopes, parameters, backend) → evaluate → a plain
result.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

from .._gc import without_cyclic_gc
from ..dataset._dataset import Dataset
from ..exceptions import (
    CriteriaError,
    DoanmodelError,
    PluginError,
    Problem,
    UnknownRuleError,
    bilingual,
)
from ..model._ballot import Ballot
from ..model._dates import Period, parse_period
from ..model._enums import Level
from ..model._formats import Formats
from ..model._i18n import Text
from ..model._params import Parameters, ParamValue, Scope
from ..model._rating import RatingEntry, RatingReport
from ..rules._context import Context, IndicatorDef, Report, Rule
from ..scoring._criteria import ZERO, CriteriaSet, ScoringMethod, parse_criteria
from ..scoring._scoring import ClusterBoard, RankChange, Scoreboard, score_clusters
from ._boundary import Guard, PluginFailure, PluginFault
from ._contract import _shown
from ._criteria_choice import (
    Groups,
    choose_criteria,
    criteria_groups,
    score_provenance,
    unit_province,
    wanted_clusters,
    what_if_weights,
)
from ._plugins import LoadedPlugin, Registry, _version, build_registry
from ._run import Run, covers, evaluate_rules, resolve_scope, scoped_indicator
from ._views import DatasetView

if TYPE_CHECKING:
    from ._programme_report import ProgrammeReport

__all__ = ["Engine", "WhatIf"]


@attrs.frozen(kw_only=True)
class WhatIf(Formats):
    """A board before and after a change of parameters or weights, and who moved."""

    before: Scoreboard
    after: Scoreboard
    changes: tuple[RankChange, ...]


#: what ``Engine(backend=...)`` accepts: a name, or a callable building a Query from a Context
Backend = str | Callable[[Context], Any] | None

class Engine:
    """
    Runs the rules and scoring with the national defaults and the loaded plugins.

    ``Engine()`` loads every installed plugin of the ``doanmodel`` entry-point group;
    ``Engine(plugins=[module], load_entry_points=False)`` only the given ones; ``only=[names]``
    only the named entry points. A plugin that fails to load, breaks the contract or conflicts
    with another is refused and listed in :attr:`failed`; one that fails while running loses
    what it contributed to that run. Either way the result carries ``plugin_failures`` naming it,
    and nothing is raised unless ``strict=True``.

    *plugin_timeout* bounds each call into a plugin in seconds; *isolate* runs each call into a
    third-party plugin in a child process of its own (engine/_isolation.py: a real limit, its
    prints and changes die with it; the default: isolated when a timeout is given and the OS can
    fork). In-process, a call past the timeout is abandoned but cannot be stopped
    (docs/decisions.md). *plugin_memory* bounds an isolated call's extra memory in bytes.
    *backend* chooses the query layer (``python``, the default).

    Raises:
        DoanmodelError: *only* names a plugin that is not installed (with a did-you-mean).
    """

    def __init__(self, plugins: Sequence[ModuleType | Any] = (), *,
                 load_entry_points: bool = True, only: Sequence[str] | None = None,
                 plugin_timeout: float | None = None, backend: Backend = None,
                 isolate: bool | None = None, plugin_memory: int | None = None) -> None:
        if plugin_timeout is not None and not plugin_timeout > 0:
            raise DoanmodelError(f"plugin_timeout must be a positive number of seconds, not "
                                 f"{plugin_timeout!r}")
        self.registry: Registry = build_registry(plugins, load_entry_points=load_entry_points,
                                                 only=only)
        if self.registry.unknown:
            raise _unknown_plugins(self.registry.unknown, self.registry.installed)
        self.plugin_timeout = plugin_timeout
        self.isolate = plugin_timeout is not None if isolate is None else bool(isolate)
        self.plugin_memory = plugin_memory
        self.backend = backend

    def _guard(self, forked: bool = True) -> Guard:
        """The plugin boundary of one run (isolated only on the pure-Python backend: a forked
        child must not use a DuckDB connection)."""
        return Guard(self._identity, self.plugin_timeout, isolate=self.isolate and forked,
                     integrity=self.registry.integrity, memory=self.plugin_memory)

    # ------------------------------------------------------------------ plugins
    @property
    def plugins(self) -> list[LoadedPlugin]:
        """Every plugin known (national first), loaded or failed."""
        return list(self.registry.plugins.values())

    @property
    def failed(self) -> dict[str, str]:
        """Plugin name → error for plugins that could not be used."""
        return self.registry.failed

    def _identity(self, name: str) -> tuple[str, str]:
        p = self.registry.plugins.get(name)
        return (p.package, p.version) if p else ("?", "?")

    def _require(self, ds: Dataset) -> None:
        for name in ds.meta.plugins:
            plugin = self.registry.plugins.get(name)
            if plugin is None:
                raise PluginError(name, "the dataset needs this plugin, but it is not installed "
                                        "or not loaded (dataset.toml: plugins)")
            if plugin.error:
                raise PluginError(name, plugin.error)

    def _backend(self, ds: Dataset) -> Callable[[Context], Any] | None:
        """The query backend for *ds* (``None``: the pure-Python default)."""
        name = self.backend
        if callable(name):
            return name
        if name in (None, "python") and ds._index.duckdb is None:  # noqa: SLF001
            return None  # the default: don't import the DuckDB module at all
        from ..query._duckdb import backend_for  # noqa: PLC0415 - optional engine

        return backend_for(ds, name)

    def _prepare(self, ds: Dataset, period: Period, overrides: Mapping[str, Any] | None = None,
                 on: _dt.date | None = None) -> Run:
        """Resolve plugins, scopes and parameters once for *ds* and *period*."""
        memo: dict[frozenset[str], frozenset[str]] = {}
        scopes = {p.name: resolve_scope(ds, p.info.scope, memo)
                  for p in self.registry.plugins.values() if not p.builtin}
        backend = self._backend(ds)
        guard = self._guard(forked=backend is None)
        for p in self.registry.plugins.values():  # refused plugins that cover this dataset
            if p.failure is not None and (not p.declared or covers(scopes[p.name],
                                                                   _provinces(ds), period)):
                guard.failures.append(p.failure)
        params = self._parameters(ds, scopes, overrides, on)
        return Run(dataset=ds, period=period, params=params,
                   indicators=self._indicators(scopes, guard), guard=guard, scopes=scopes,
                   backend=backend)

    def parameters(self, ds: Dataset, overrides: Mapping[str, Any] | None = None,
                   on: _dt.date | None = None) -> Parameters:
        """The parameter tree for *ds*: national, then plugins (scoped), then the dataset's own."""
        memo: dict[frozenset[str], frozenset[str]] = {}
        scopes = {p.name: resolve_scope(ds, p.info.scope, memo)
                  for p in self.registry.plugins.values() if not p.builtin}
        return self._parameters(ds, scopes, overrides, on)

    def _parameters(self, ds: Dataset, scopes: Mapping[str, Scope],
                    overrides: Mapping[str, Any] | None, on: _dt.date | None) -> Parameters:
        params = Parameters()
        for pv in self.registry.params:
            if pv.origin != "national" and pv.origin in scopes:
                pv = attrs.evolve(pv, scope=scopes[pv.origin])
            params.add(pv)
        for name, entries in ds.meta.parameters.items():
            for e in entries:
                params.add(ParamValue(name=name, start=e["from"], value=e["value"],
                                      source=e["source"], origin="dataset"))
        if overrides:
            _known_names(overrides, params.names())
            params = params.with_overrides(overrides, on or _dt.date(1900, 1, 1))
        return params

    def _indicators(self, scopes: Mapping[str, Scope], guard: Guard) -> dict[str, IndicatorDef]:
        """Indicator id → definition; a plugin's replacement applies inside its scope only."""
        out = {i.id: i for i in self.registry.indicators if i.origin == "national"}
        for ind in self.registry.indicators:
            if ind.origin != "national":
                out[ind.id] = scoped_indicator(ind, out.get(ind.id), scopes[ind.origin], guard)
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

    # ------------------------------------------------------------------ check
    def check(self, ds: Dataset, year: int | None = None, *, period: str | Period | None = None,
              rules: Sequence[str] | None = None, strict: bool = False,
              parameters: Mapping[str, Any] | None = None) -> Report:
        """
        Run the compliance rules on *ds* for *year* (or a *period* such as ``2023-Q2``);
        *parameters* overrides parameter values (a what-if, as ``check --set``).

        Raises:
            PluginError: *strict* and a plugin covering the dataset failed.
        """
        self._require(ds)
        if period is not None:
            per = _period(period)
        else:
            per = Period(self._year(ds, year))
        chosen = self.rules(rules)
        run = self._prepare(ds, per, parameters, per.start if parameters else None)
        findings = evaluate_rules(run, chosen)
        if ds.meta.reconstructed:  # each finding resting on a made-up value says so
            from ..rules._rules import mark_reconstructed  # noqa: PLC0415

            findings = mark_reconstructed(findings, ds.meta.reconstructed)
        from ..rules._rules import mark_reconstructed_rows  # noqa: PLC0415

        findings = mark_reconstructed_rows(findings, ds)  # rows marked ``reconstructed``
        report = Report(dataset=ds.meta.name, period=per, findings=findings,
                        rules=tuple(chosen), provenance=self._provenance(ds, run.params),
                        plugin_failures=tuple(run.guard.failures))
        _raise_if(strict, report.plugin_failures)
        return report

    # ------------------------------------------------------------------ score
    def criteria_sets(self) -> list[CriteriaSet]:
        """Every criteria set contributed by plugins (national first)."""
        return list(self.registry.criteria)

    def _own_criteria(self, ds: Dataset) -> CriteriaSet | None:
        if ds.criteria is None:
            return None
        return parse_criteria(ds.criteria, file="criteria.toml", text=ds.criteria_text,
                              methods=self.registry.methods)

    def criteria_for(self, ds: Dataset, year: int, criteria: str | CriteriaSet | None = None,
                     *, cluster: str | None = None) -> CriteriaSet:
        """
        The criteria set to score *ds* (or one *cluster* of it) for *year*: the one named, else
        the dataset's ``criteria.toml``, else a plugin's set for the cluster's province (the
        dataset's root province without *cluster*) and year, else a national one for the year.

        Raises:
            CriteriaError: the dataset's criteria.toml is malformed.
            DoanmodelError: no set applies, or the named set's scope does not cover the cluster.
        """
        if isinstance(criteria, CriteriaSet):
            return criteria
        own = self._own_criteria(ds)
        return choose_criteria(ds, year, criteria, own, self.registry.criteria, cluster)

    def score(self, ds: Dataset, year: int | None = None, *,
              criteria: str | CriteriaSet | None = None, clusters: Sequence[str] | None = None,
              parameters: Mapping[str, Any] | None = None,
              weights: Mapping[str, Any] | None = None, strict: bool = False,
              ballots: Sequence[Ballot] | None = None) -> Scoreboard:
        """
        Score and rank the units of every emulation cluster of *year*, each cluster under the
        criteria set of its own province.

        *parameters* and *weights* (criterion id → points) change the inputs for a what-if.
        Where a set has the council decide awards (``award_by = "ballot"``), *ballots* (default:
        the dataset folder's ``ballots.csv``) decide them; the ranks are the points'.

        Raises:
            PluginError: *strict* and a plugin covering the dataset failed.
        """
        self._require(ds)
        y = self._year(ds, year)
        wanted = wanted_clusters(ds, y, clusters)
        groups = criteria_groups(wanted, partial(self.criteria_for, ds, y, criteria))
        w = what_if_weights(weights, groups)
        run = self._prepare(ds, Period(y), parameters, _dt.date(y, 1, 1))
        boards = _score_groups(run, _guarded_methods(self.registry.methods, run), groups, w,
                               {n: _guarded_methods(ms, run)
                                for n, ms in self.registry.plugin_methods.items()})
        if any(cs.award_by == "ballot" for cs, _ in groups.values()):
            from ..dataset._ballots import load_ballots  # noqa: PLC0415 - only when asked
            from ..scoring._ballots import apply_ballots  # noqa: PLC0415

            votes = ds.ballots if ballots is None else tuple(ballots)
            if votes is None and ballots is None and ds.path:  # a store, a rebuilt dataset
                votes = load_ballots(ds.path)
            for cs, ids in groups.values():
                if cs.award_by == "ballot":
                    for cid in ids:
                        if cid in boards:
                            boards[cid] = apply_ballots(boards[cid], cs, votes)
        first = next(iter(groups.values()))[0]
        prov = self._provenance(ds, run.params)
        prov.update(score_provenance(groups, parameters, weights))
        board = Scoreboard(dataset=ds.meta.name, year=y, criteria_id=first.id,
                           criteria_title=first.title, criteria_source=first.source,
                           max_total=attrs.evolve(first, criteria=tuple(
                               attrs.evolve(c, points=w.get(c.id, c.points))
                               for c in first.criteria)).max_total,
                           clusters=tuple(boards[c] for c in wanted if c in boards),
                           provenance=prov, plugin_failures=tuple(run.guard.failures))
        _raise_if(strict, board.plugin_failures)
        return board

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

    def context(self, ds: Dataset, year: int | None = None, *,
                period: str | Period | None = None) -> Context:
        """The rule context for *ds* and *year* (or *period*): what a rule sees, with
        ``ctx.query`` the query layer (docs/query.md). For notebooks and for testing rules."""
        per = (parse_period(period) if isinstance(period, str) else period) if period else \
            Period(self._year(ds, year))
        return self._prepare(ds, per).context()

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
        ctx = self.context(ds, period=per)
        out: dict[str, Any] = {}
        if ctx.facts.derivable(indicator):
            out.update(ctx.facts.derived(indicator))
        reported = {u: v for (u, p, i), v in ctx.facts.reported_table().items()
                    if i == indicator and p == str(per)}
        if not out and not reported and indicator not in ctx.facts.defs:
            raise DoanmodelError(f"unknown indicator {indicator!r}")
        out.update(reported)
        return out

    # ------------------------------------------------------------------ programmes
    def programme(self, ds: Dataset, id: str | None = None, *,  # noqa: A002
                  as_of: _dt.date | None = None) -> ProgrammeReport:
        """The work-programme report of *ds* (every programme, or *id*) as of *as_of*."""
        from ._programme_report import engine_programme  # noqa: PLC0415 - only when asked

        return engine_programme(self, ds, id, as_of=as_of)

    # ------------------------------------------------------------------ rating
    def rating(self, ds: Dataset, year: int | None = None, *,
               ratings: Sequence[RatingEntry] | None = None) -> RatingReport:
        """The annual quality rating of *year* (default: the dataset's year): every stage per
        subject, the decided level, the data's ceiling and the findings (a
        :class:`doanmodel.RatingReport`). *ratings* (``RatingEntry`` rows) default to the
        dataset folder's ``ratings.csv`` (or its workbook's ``ratings`` sheet); without it every
        finding says ``no_data``.

        Raises:
            DatasetError: ``ratings.csv`` has problems (every one, by file, line and column).
        """
        from ..dataset._ratings import load_ratings  # noqa: PLC0415 - only when asked
        from ..rules._rating import rate  # noqa: PLC0415

        rows = (load_ratings(ds.path) if ds.path else ()) if ratings is None else tuple(ratings)
        return rate(ds, rows, self._year(ds, year))

    # ------------------------------------------------------------------ validate
    def validate(self, ds: Dataset) -> list[Problem]:
        """
        Problems beyond the loader's: missing plugins, a malformed criteria.toml (with the
        methods plugins add) and each plugin's ``doanmodel_validate`` (a plugin that fails there
        is reported as a problem naming it).
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
                self._own_criteria(ds)
            except CriteriaError as exc:
                problems.extend(exc.problems)
        if ds.programmes:  # work programmes
            from ._programme_report import engine_problems  # noqa: PLC0415

            problems.extend(engine_problems(self, ds))
        guard = self._guard(forked=self._backend(ds) is None)
        view = DatasetView(ds)
        for name, fn in self.registry.validators:
            try:
                found: list[Any] = guard.items(name, "doanmodel_validate",
                                               partial(fn, dataset=view))
            except PluginFault as fault:
                problems.append(_plugin_problem(fault.failure))
                continue
            bad = [p for p in found if not isinstance(p, Problem)]
            if bad:
                problems.append(_plugin_problem(guard.contract(
                    name, "doanmodel_validate",
                    f"returned {bad[0]!r}, expected Problem objects").failure))
                continue
            problems.extend(found)
        return problems

    # ------------------------------------------------------------------ provenance
    def _provenance(self, ds: Dataset, params: Parameters) -> dict[str, Any]:
        return {
            "doanmodel": _version(),
            "plugins": [{"name": p.name, "version": p.version}
                        for p in self.registry.plugins.values() if not p.error],
            "dataset_plugins": list(ds.meta.plugins),
            # the tables whose values no source gave (dataset.toml ``reconstructed``)
            "reconstructed": list(ds.meta.reconstructed),
            # the reported figures a row marks ``reconstructed`` (issue 22, item 6)
            "reconstructed_rows": [
                f"{t} {r.unit_id} {r.period} {r.indicator}"
                + ("" if r.extra["reconstructed"] == "true" else f" ({r.extra['reconstructed']})")
                for t, rows in (("indicators", ds.indicators), ("targets", ds.targets))
                for r in rows if r.extra.get("reconstructed")],
            "parameters": [v.to_dict() for v in sorted(params.used.values(),
                                                        key=lambda v: (v.name, v.start))],
            # values used past their source's end: "extended, no document" (docs/parameters.md)
            "extended": [{**v.to_dict(), "applied_until": day.isoformat()}
                         for v, day in sorted(params.extended.values(),
                                              key=lambda e: (e[0].name, e[0].start))],
        }

    def sensitivity(self, ds: Dataset, year: int | None = None, **options: Any) -> Any:
        """How solid each rank is: see :func:`doanmodel.scoring._sensitivity.sensitivity`."""
        from ..scoring._sensitivity import sensitivity  # noqa: PLC0415

        return sensitivity(self, ds, year, **options)


@without_cyclic_gc
def _score_groups(run: Run, methods: Mapping[str, ScoringMethod], groups: Groups,
                  w: Mapping[str, Decimal],
                  own: Mapping[str, Mapping[str, ScoringMethod]] | None = None
                  ) -> dict[str, ClusterBoard]:
    """Cluster id → board, each group under its set; a faulting plugin's clusters are left out.
    A set contributed by a plugin finds its method names among that plugin's methods first."""
    ctx = run.context()
    boards: dict[str, ClusterBoard] = {}
    for cs, ids in groups.values():
        if not ids:
            continue
        mine = (own or {}).get(cs.origin)
        try:
            for b in score_clusters(ctx, cs, {**methods, **mine} if mine else methods, ids, w):
                boards[b.id] = attrs.evolve(b, criteria_id=cs.id)
        except PluginFault:
            continue  # recorded; these clusters cannot be scored without the plugin
    return boards


def _provinces(ds: Dataset) -> frozenset[str]:
    """The dataset's province units."""
    return frozenset(uid for uid, u in ds.units.items()
                     if any(v.level is Level.PROVINCE for v in u.versions))


def _raise_if(strict: bool, failures: Sequence[PluginFailure]) -> None:
    if strict and failures:
        f = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise PluginError(f.plugin, f"failed in {f.where}: {f.error}: {f.message}{more}")


def _plugin_problem(f: PluginFailure) -> Problem:
    return Problem(f"plugin:{f.plugin}", 0, f.where, Text(
        f"plugin {f.plugin} ({f.package} {f.version}) bị lỗi: {f.error}: {f.message}",
        f"plugin {f.plugin} ({f.package} {f.version}) failed: {f.error}: {f.message}"))


def _guarded_methods(methods: Mapping[str, ScoringMethod], run: Run
                     ) -> dict[str, ScoringMethod]:
    """Plugin scoring methods behind the boundary: a fault, a wrong return or a score for a
    unit outside the plugin's provinces stops the clusters that use the method."""
    out: dict[str, ScoringMethod] = {}
    ds, guard = run.dataset, run.guard
    for name, m in methods.items():
        if m.origin == "national":
            out[name] = m
            continue
        scope = run.scopes.get(m.origin, Scope())

        def score(c: Any, inputs: Mapping[str, Any], m: ScoringMethod = m,
                  scope: Scope = scope) -> Any:
            where = f"scoring method {m.name}"
            if scope.provinces is not None:
                day = _dt.date(run.period.year, 12, 31)
                per = run.period
                outside = sorted(u for u in inputs if unit_province(ds, u, per.start, per.end)
                                 not in scope.provinces)
                if outside:
                    raise PluginFault(guard.record(
                        m.origin, where, "ScopeViolation",
                        f"asked to score {len(outside)} unit(s) outside its provinces, e.g. "
                        f"{outside[0]} (criterion {c.id}, {day.year})", kind="scope",
                        message_vi=f"được yêu cầu chấm {len(outside)} đơn vị ngoài các tỉnh "
                                   f"của plugin, ví dụ {outside[0]} (tiêu chí {c.id}, "
                                   f"{day.year})"))
            result = guard.call(m.origin, where, lambda: m.score(c, inputs))
            if not isinstance(result, Mapping) or any(u not in result for u in inputs):
                raise guard.contract(m.origin, where,
                                     f"returned {type(result).__name__}, expected a mapping of "
                                     "every unit id to (points, note)")
            return {u: _checked_points(guard, m.origin, where, c, u, result[u]) for u in inputs}

        out[name] = attrs.evolve(m, score=score)
    return out



def _checked_points(guard: Guard, plugin: str, where: str, c: Any, unit: str, scored: Any
                    ) -> tuple[Decimal, Any]:
    """One unit's (points, note) from a plugin's method: a finite number within the
    criterion's ``0..points``, else a contract failure of the plugin (never full marks for
    ``inf``, never exit 70 for ``NaN``, ``None`` or ``"abc"``)."""
    pts, note = scored if isinstance(scored, tuple) and len(scored) == 2 else (scored, None)
    value: Decimal | None
    try:
        value = Decimal(pts) if isinstance(pts, (int, float, Decimal)) and \
            not isinstance(pts, bool) else None
    except (ArithmeticError, ValueError):  # pragma: no cover - Decimal takes any number
        value = None
    if value is None or not value.is_finite() or not ZERO <= value <= c.points:
        raise guard.contract(plugin, where, f"gave {unit} {_shown(pts)} points on criterion "
                                            f"{c.id}: expected a finite number from 0 to "
                                            f"{c.points}")
    if note is not None and not isinstance(note, (str, Text)):
        raise guard.contract(plugin, where, f"gave {unit} a note of type "
                                            f"{type(note).__name__} on criterion {c.id}: "
                                            "expected text")
    return value, note


def _unknown_plugins(names: Sequence[str], installed: Sequence[str]) -> DoanmodelError:
    import difflib  # noqa: PLC0415

    parts = []
    for n in names:
        close = difflib.get_close_matches(n, list(installed), n=1, cutoff=0.6)
        parts.append(f"{n!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    known = ", ".join(sorted(installed)) or "none"
    vi_parts = [p.replace("did you mean", "có phải") for p in parts]
    return bilingual(f"không có plugin nào đã cài tên {', '.join(vi_parts)}; đã cài: {known}",
                     f"no installed plugin is named {', '.join(parts)}; installed: {known}")


def _period(period: str | Period) -> Period:
    """*period* parsed; a malformed one is a :class:`DoanmodelError` naming it."""
    if not isinstance(period, str):
        return period
    try:
        return parse_period(period)
    except ValueError:
        raise bilingual(f"kỳ không hợp lệ: {period!r} (dạng 2024, 2024-H1, 2024-Q1 hoặc "
                        "2024-03)", f"not a period: {period!r} (2024, 2024-H1, 2024-Q1 or "
                        "2024-03)") from None


def _known_names(overrides: Mapping[str, Any], names: Sequence[str]) -> None:
    """Refuse a what-if parameter that is not registered, as the CLI does (did-you-mean)."""
    import difflib  # noqa: PLC0415

    unknown = [n for n in overrides if n not in names]
    if not unknown:
        return
    close = difflib.get_close_matches(unknown[0], list(names), n=1, cutoff=0.6)
    hint_en = f" (did you mean {close[0]!r}?)" if close else ""
    hint_vi = f" (có phải {close[0]!r}?)" if close else ""
    raise bilingual(f"không có tham số {unknown[0]!r}{hint_vi}",
                    f"unknown parameter {unknown[0]!r}{hint_en}")
