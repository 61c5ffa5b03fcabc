"""
One run of the engine, resolved once and then immutable: the dataset, the period, the parameters,
each plugin's scope as this dataset's province units, the indicators (each plugin's inside its
scope only) and the plugin boundary that records faults.

The flow is one way: load → :func:`prepare` (plugins, scope, parameters) → evaluate → result.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .._gc import without_cyclic_gc
from ..dataset._dataset import Dataset
from ..model._dates import Period
from ..model._enums import Level
from ..model._params import Parameters, Scope
from ..query import Query
from ..rules._context import Context, Finding, IndicatorDef, Rule
from ._boundary import MAX_MESSAGE, Guard, PluginFault
from ._contract import _shown
from ._views import ContextView

__all__ = ["Run", "Subjects", "covers", "evaluate_rules", "resolve_scope"]


def resolve_scope(ds: Dataset, scope: Scope, memo: dict[frozenset[str], frozenset[str]]
                  ) -> Scope:
    """*scope* with province codes replaced by this dataset's province unit ids."""
    if scope.provinces is None:
        return scope
    ids = memo.get(scope.provinces)
    if ids is None:
        wanted = scope.provinces
        ids = memo[scope.provinces] = frozenset(
            uid for uid, unit in ds.units.items() for v in unit.versions
            if v.level is Level.PROVINCE and (uid in wanted or (v.code and v.code in wanted)))
    return attrs.evolve(scope, provinces=ids)


def covers(scope: Scope, provinces: Iterable[str] | None, period: Period) -> bool:
    """Whether a subject of *provinces* in *period* lies inside *scope* (dates overlap)."""
    lo = max(scope.start or _dt.date.min, period.start)
    hi = min(scope.end or _dt.date.max, period.end)
    if lo > hi:
        return False
    if scope.provinces is None:
        return True
    return provinces is not None and not scope.provinces.isdisjoint(provinces)


@attrs.frozen(kw_only=True)
class Run:
    """Everything one check or score needs, resolved once."""

    dataset: Dataset
    period: Period
    params: Parameters
    indicators: Mapping[str, IndicatorDef]
    guard: Guard
    #: plugin name → its scope in this dataset's province unit ids
    scopes: Mapping[str, Scope]
    backend: Callable[[Context], Query] | None = None

    def context(self, period: Period | None = None) -> Context:
        """A rule context for the run (or another *period* of it)."""
        return Context(dataset=self.dataset, period=period or self.period, params=self.params,
                       indicators=self.indicators, backend=self.backend)


class Subjects:
    """The provinces a finding is about, derived by the host from its subject on the dataset's
    dated tree (never from a ``province`` field a plugin supplies)."""

    def __init__(self, ctx: Context) -> None:
        self.q = ctx.query
        self.ds = ctx.dataset
        self.end = ctx.period.end
        self._members: dict[str, int] | None = None

    def provinces(self, subject_type: str, subject_id: str) -> frozenset[str]:
        """The province units of the subject in the period (empty: none or unknown)."""
        q, end = self.q, self.end
        found: set[str | None] = set()
        if subject_type == "unit" and subject_id in self.ds.units:
            found.add(q.province_of(subject_id))
        elif subject_type == "cadre":
            found.update(self._cadre(subject_id))
        elif subject_type == "visit":
            try:
                v = q.visit(subject_id)
            except KeyError:
                return frozenset()
            found.add(q.province_of(v.unit_id, min(v.last_day, end)))
            found.update(self._cadre(v.cadre_id))
        elif subject_type == "member":
            branch = self._branch(subject_id)
            if branch is not None:
                found.add(q.province_of(branch))
        return frozenset(p for p in found if p is not None)

    def _cadre(self, cadre_id: str) -> set[str | None]:
        return {self.q.province_of(p.unit_id, min(p.end or self.end, self.end))
                for p in self.q.positions(cadre_id=cadre_id)}

    def _branch(self, member_id: str) -> str | None:
        if self._members is None:
            t = self.ds.members
            self._members = {mid: i for i, mid in enumerate(t.ids)}
        row = self._members.get(member_id)
        return None if row is None else self.ds.members.branch_ids[self.ds.members.branch[row]]


@without_cyclic_gc
def evaluate_rules(run: Run, rules: Sequence[Rule]) -> tuple[Finding, ...]:
    """
    Run *rules* for the run's period and return the findings that stand.

    A plugin's rule runs behind the boundary on a read-only view; what it yields must be
    findings about subjects inside its scope (the host derives each subject's province and
    writes it on the finding). A national rule a plugin replaces stands outside that plugin's
    provinces only. A plugin that fails loses everything it contributed to the run.
    """
    ctx = run.context()
    subjects = Subjects(ctx)
    owners: dict[str, list[Scope]] = {}
    for r in rules:
        if r.origin != "national" and r.origin in run.scopes:
            owners.setdefault(r.id, []).append(run.scopes[r.origin])
    caches: dict[str, dict[str, Any]] = {}
    out: list[Finding] = []
    for rule in rules:
        if not rule.in_force(run.period):
            continue
        if rule.origin == "national":
            mine = owners.get(rule.id)
            out.extend(f for f in rule.evaluate(ctx)
                       if not mine or not any(covers(s, (f.province,) if f.province else None,
                                                     run.period) for s in mine))
            continue
        scope = run.scopes.get(rule.origin, Scope())
        if scope.provinces == frozenset() or \
                not covers(attrs.evolve(scope, provinces=None), None, run.period):
            continue  # none of its provinces is in this dataset, or not on these dates
        view = ContextView(ctx, caches.setdefault(rule.origin, {}), scope.provinces)
        out.extend(_plugin_findings(run, rule, view, scope, subjects))
    failed = run.guard.failed
    return tuple(f for f in out if f.origin not in failed)


def _plugin_findings(run: Run, rule: Rule, view: ContextView, scope: Scope,
                     subjects: Subjects) -> list[Finding]:
    guard, where = run.guard, f"rule {rule.id}"
    try:
        found = guard.items(rule.origin, where, lambda: rule.evaluate(view))  # type: ignore[arg-type]
    except PluginFault:
        return []
    bad = [f for f in found if not isinstance(f, Finding)]
    if bad:
        guard.contract(rule.origin, where, f"yielded {_shown(bad[0])} ({type(bad[0]).__name__}),"
                                           " expected Finding objects")
        return []
    try:
        guard.count_findings(rule.origin, where, len(found))
    except PluginFault:
        return []
    long = next((f for f in found if _too_long(f.message)), None)
    if long is not None:
        guard.contract(rule.origin, where, f"a finding on {long.subject_id} has a message longer "
                                           f"than {MAX_MESSAGE:,} characters")
        return []
    kept: list[Finding] = []
    outside: list[Finding] = []
    for f in found:
        provinces = subjects.provinces(f.subject_type, f.subject_id)
        if not covers(scope, provinces, run.period):
            outside.append(f)
            continue
        inside = sorted(provinces & scope.provinces) if scope.provinces is not None \
            else sorted(provinces)
        kept.append(attrs.evolve(f, origin=rule.origin,
                                 province=inside[0] if inside else None))
    if outside:
        first = outside[0]
        where_to = ", ".join(sorted(subjects.provinces(first.subject_type, first.subject_id))) \
            or "no known province"
        from ..model._labels import SUBJECTS, label  # noqa: PLC0415 - only on a violation

        subject = f"{first.subject_id} ({where_to})"
        guard.record(rule.origin, where, "ScopeViolation",
                     f"{len(outside)} finding(s) outside its provinces were dropped, e.g. on "
                     f"{first.subject_type} {subject}", kind="scope",
                     message_vi=f"đã loại {len(outside)} kết quả ngoài các tỉnh của plugin, ví "
                                f"dụ về {label(SUBJECTS, first.subject_type, 'vi')} {subject}")
    return kept


def scoped_indicator(ind: IndicatorDef, base: IndicatorDef | None, scope: Scope,
                     guard: Guard) -> IndicatorDef:
    """*ind* (a plugin's) inside *scope*, *base* (the national definition) outside it; a
    plugin's fault falls back to *base* everywhere and is recorded."""

    def compute(ctx: Context) -> dict[str, Any]:
        other = dict(base.compute(ctx)) if base is not None else {}
        if scope.provinces == frozenset():
            return other  # none of its provinces is in this dataset
        try:
            mine = guard.call(ind.origin, f"indicator {ind.id}",
                              lambda: ind.compute(ContextView(ctx, {}, scope.provinces)))  # type: ignore[arg-type]
        except PluginFault:
            return other
        if not isinstance(mine, Mapping):
            guard.contract(ind.origin, f"indicator {ind.id}",
                           f"returned {type(mine).__name__}, expected a mapping of unit id → "
                           "value")
            return other
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


def _too_long(message: Any) -> bool:
    texts = (message.vi, message.en) if hasattr(message, "vi") else (message,)
    return any(isinstance(t, str) and len(t) > MAX_MESSAGE for t in texts)
