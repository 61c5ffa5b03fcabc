"""What a rule works with and what it produces: :class:`Rule`, :class:`IndicatorDef`, the rule
:class:`Context` (with ``ctx.query``, the query layer) and indicator :class:`Facts`, and the
results :class:`Finding` and :class:`Report`.

Knows nothing of files or plugins: the :class:`~doanmodel.Engine` (:mod:`doanmodel.engine._engine`)
resolves those and hands rules a context.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..dataset._dataset import Dataset
from ..model._dates import Period
from ..model._entities import used_indicators
from ..model._failure import PluginFailure
from ..model._formats import Formats
from ..model._i18n import Text
from ..model._params import Parameters, Scope
from ._quota import _quota

if TYPE_CHECKING:
    from ..model._enums import VisitPurpose
    from ..query import CadreGroup, Query, QuotaRow

__all__ = [
    "Context",
    "Facts",
    "Finding",
    "IndicatorDef",
    "Report",
    "Rule",
    "Status",
]


class Status(str, enum.Enum):
    """The outcome of a rule for one subject."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    #: the rule's input is absent or does not cover the period: no verdict (docs/rules.md)
    NO_DATA = "no_data"

    @property
    def label(self) -> Text:
        """Bilingual label."""
        return {
            "pass": Text("đạt", "pass"),
            "fail": Text("không đạt", "fail"),
            "not_applicable": Text("không áp dụng", "not applicable"),
            "no_data": Text("không đủ dữ liệu", "no data"),
        }[self.value]

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class Finding(Formats):
    """The outcome of one rule for one subject, with everything needed to explain it."""

    rule: str
    subject_type: str
    subject_id: str
    status: Status
    value: Any
    threshold: Any
    message: Text
    source: str
    #: the province unit the subject belonged to in the period (used to enforce plugin scope);
    #: for a plugin's finding the host derives it from the subject on the dated tree (the
    #: plugin's rule need not set it; what it sets is overwritten)
    province: str | None = None
    #: the inputs the rule used, for explanation
    inputs: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: who contributed the rule: ``national`` or a plugin's name
    origin: str = "national"


@attrs.frozen(kw_only=True)
class Rule:
    """
    A compliance rule.

    *evaluate* takes a :class:`Context` and yields :class:`Finding` objects. The rule is run
    only for periods that overlap [*valid_from*, *valid_to*].
    """

    id: str
    title: Text
    source: str
    evaluate: Callable[[Context], Iterable[Finding]] = attrs.field(eq=False, repr=False)
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None
    description: Text | None = None
    origin: str = "national"
    scope: Scope = Scope()

    def in_force(self, period: Period) -> bool:
        """Whether the rule is in force at some day of *period*."""
        return (self.valid_from is None or self.valid_from <= period.end) and (
            self.valid_to is None or period.start <= self.valid_to)


@attrs.frozen(kw_only=True)
class IndicatorDef:
    """
    A derived indicator: a number per unit computed from the data for a period.

    *compute* returns unit id → value; *requires* names the dataset tables it needs (a
    reported value is compared with the derived one only when they are present).
    """

    id: str
    title: Text
    source: str
    compute: Callable[[Context], Mapping[str, Any]] = attrs.field(eq=False, repr=False)
    requires: tuple[str, ...] = ()
    origin: str = "national"
    #: whether a unit *compute* leaves out has the value 0 (a count) rather than none (a share
    #: with no denominator: missing, never 0)
    zero_when_absent: bool = True


class Facts:
    """Reported and derived indicator values for one period, computed once and cached."""

    def __init__(self, ctx: Context, indicators: Mapping[str, IndicatorDef]) -> None:
        self._ctx = ctx
        self.defs = dict(indicators)
        self._derived: dict[tuple[str, str], Mapping[str, Any]] = {}
        self._reported: dict[tuple[str, str, str], Decimal] | None = None

    def reported_table(self) -> dict[tuple[str, str, str], Decimal]:
        """(unit id, period, indicator) → reported value."""
        if self._reported is None:
            rows = self._ctx.dataset.indicators
            if any(i.stage is not None for i in rows):  # the latest stage of each score
                self._reported = {k: i.value for k, i in used_indicators(rows).items()}
            else:
                self._reported = {(i.unit_id, str(i.period), i.indicator): i.value
                                  for i in rows}
        return self._reported

    def derivable(self, indicator: str) -> bool:
        """Whether *indicator* is derived and the data it needs is present."""
        d = self.defs.get(indicator)
        if d is None:
            return False
        ds, q = self._ctx.dataset, self._ctx.query
        # the big tables are asked through the query layer (they may live in DuckDB)
        present = {"members": q.has_members, "meetings": q.has_meetings}
        return all(ds.reported(t) and (present[t]() if t in present else len(getattr(ds, t)))
                   for t in d.requires)

    def derived_value(self, indicator: str, unit_id: str,
                      period: Period | None = None) -> Any:
        """The derived value of *indicator* for *unit_id*, or ``None`` when it cannot be
        derived (its tables are absent, or a share has no denominator for the unit)."""
        if not self.derivable(indicator):
            return None
        found = self.derived(indicator, period).get(unit_id)
        if found is None and self.defs[indicator].zero_when_absent:
            return 0
        return found

    def derived(self, indicator: str, period: Period | None = None) -> Mapping[str, Any]:
        """unit id → derived value of *indicator* for *period* (default: the context's)."""
        period = period or self._ctx.period
        key = (indicator, str(period))
        found = self._derived.get(key)
        if found is None:
            ctx = self._ctx if period == self._ctx.period else self._ctx.for_period(period)
            found = self._derived[key] = dict(self.defs[indicator].compute(ctx))
        return found

    def reported(self, indicator: str, unit_id: str,
                 period: Period | None = None) -> Decimal | None:
        """The value *unit_id* reported for *indicator* and *period*, or ``None``."""
        period = period or self._ctx.period
        return self.reported_table().get((unit_id, str(period), indicator))

    def value(self, indicator: str, unit_id: str,
              period: Period | None = None) -> tuple[Any, str]:
        """
        The value of *indicator* for *unit_id*: the reported one if any, else the derived one.

        Returns ``(value, how)`` with *how* ∈ ``reported``, ``derived``, ``missing``.
        """
        rep = self.reported(indicator, unit_id, period)
        if rep is not None:
            return rep, "reported"
        found = self.derived_value(indicator, unit_id, period)
        if found is not None:
            return found, "derived"
        return None, "missing"


@attrs.define(kw_only=True)
class Context:
    """What a rule or indicator sees: the dataset, the period and the parameters."""

    dataset: Dataset
    period: Period
    params: Parameters
    indicators: Mapping[str, IndicatorDef] = attrs.field(factory=dict)
    #: builds the query layer for this context (default: the pure-Python backend)
    backend: Callable[[Context], Query] | None = attrs.field(default=None, repr=False)
    facts: Facts = attrs.field(init=False)
    cache: dict[str, Any] = attrs.field(factory=dict)
    _query: Query | None = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        self.facts = Facts(self, self.indicators)

    @property
    def query(self) -> Query:
        """The query layer: the domain questions rules ask (:mod:`doanmodel.query`)."""
        if self._query is None:
            if self.backend is None:
                from ..query._pyquery import PythonQuery  # noqa: PLC0415 - circular at import time

                self._query = PythonQuery(self)
            else:
                self._query = self.backend(self)
        return self._query

    @property
    def year(self) -> int:
        """The year of the period."""
        return self.period.year

    def for_period(self, period: Period) -> Context:
        """The same context for another period (shares parameters and the dataset)."""
        return Context(dataset=self.dataset, period=period, params=self.params,
                       indicators=self.indicators, backend=self.backend)

    def province(self, unit_id: str, on: _dt.date) -> str | None:
        """The province of *unit_id* on *on* (``None`` if unknown)."""
        try:
            return self.dataset.province_of(unit_id, on)
        except LookupError:
            return None

    @property
    def provinces(self) -> frozenset[str] | None:
        """The province units a rule may speak of: ``None`` (all) for national rules; a
        plugin's rule sees its own provinces (:class:`doanmodel.engine._views.ContextView`)."""
        return None

    def covers(self, unit_id: str, on: _dt.date | None = None) -> bool:
        """Whether a rule run with this context may report on *unit_id* (always, nationally)."""
        return True

    def param(self, name: str, on: _dt.date | None = None, province: str | None = None) -> Any:
        """The parameter *name* in force on *on* (default: period end) for *province*."""
        key = (name, on or self.period.end, province)
        memo = self.cache.setdefault("params", {})
        try:
            return memo[key]
        except KeyError:
            memo[key] = value = self.params.get(name, key[1], province)
            return value

    def visit_quota(self, group: CadreGroup = "full_time",
                    purposes: Sequence[VisitPurpose] | None = None) -> dict[str, QuotaRow]:
        """The 1+2 quota figures of *group* for the year: the law (``rules/_quota``), as the
        Python backend asks it; rules ask ``ctx.query.quota()``."""
        return _quota(self, group, purposes)

    def last_day(self, unit_id: str) -> _dt.date | None:
        """The last day of the period on which *unit_id* exists (``None``: not at all)."""
        return self.dataset.last_day(unit_id, self.period.start, self.period.end)


@attrs.frozen(kw_only=True)
class Report(Formats):
    """The findings of a check, with a summary and provenance."""

    dataset: str
    period: Period
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...] = ()
    provenance: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: faults of plugins in this run (their contributions were dropped)
    plugin_failures: tuple[PluginFailure, ...] = ()

    @property
    def year(self) -> int:
        """The year checked."""
        return self.period.year

    def summary(self) -> dict[str, Any]:
        """Counts of findings by rule and status."""
        by_rule: dict[str, Counter[str]] = {}
        for f in self.findings:
            by_rule.setdefault(f.rule, Counter())[f.status.value] += 1
        totals = Counter(f.status.value for f in self.findings)
        return {
            "findings": len(self.findings),
            "pass": totals["pass"], "fail": totals["fail"],
            "not_applicable": totals["not_applicable"], "no_data": totals["no_data"],
            "by_rule": {r: {"pass": c["pass"], "fail": c["fail"],
                            "not_applicable": c["not_applicable"], "no_data": c["no_data"]}
                        for r, c in by_rule.items()},
            "absent_tables": self.absent_tables(),
        }

    def absent_tables(self) -> list[str]:
        """The tables a rule needed that the dataset did not report (from ``no_data``
        findings' ``inputs["absent_tables"]``), sorted."""
        return sorted({t for f in self.findings if f.status is Status.NO_DATA
                       for t in f.inputs.get("absent_tables", ())})

    @property
    def no_data(self) -> list[Finding]:
        """Findings with status ``no_data``."""
        return [f for f in self.findings if f.status is Status.NO_DATA]

    @property
    def failed(self) -> list[Finding]:
        """Findings with status ``fail``."""
        return [f for f in self.findings if f.status is Status.FAIL]

    def by_rule(self, rule: str) -> list[Finding]:
        """Findings of one rule."""
        return [f for f in self.findings if f.rule == rule]

    def finding(self, rule: str, subject_id: str) -> Finding:
        """The finding of *rule* for *subject_id*.

        Raises:
            KeyError: there is none.
        """
        for f in self.findings:
            if f.rule == rule and f.subject_id == subject_id:
                return f
        raise KeyError((rule, subject_id))

