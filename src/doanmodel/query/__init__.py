"""
The query layer: the only way rules, criteria methods, indicators and plugins read data.

A rule receives a :class:`~doanmodel.Context`; ``ctx.query`` answers domain questions about the
context's period, by ids and dates, as plain values (``dict`` of id → number, tuples, the frozen
result classes below). Nothing here exposes how the data is stored: the pure-Python backend
(:mod:`doanmodel.query._pyquery`) walks the in-memory column tables, the DuckDB backend answers
the same questions in SQL. Rules written on :class:`Query` run unchanged on both.

Every question is about ``query.period`` unless it takes a date. The tree is always the one in
force on the date concerned (a unit moved on 1/7/2025 rolls up to its old parent before and to its
new one after).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

import attrs

from ..model._dates import Period
from ..model._entities import Cadre, Position, UnitVersion, Visit
from ..model._enums import Level, MeetingKind, VisitPurpose

__all__ = [
    "AgeProblem",
    "BranchMonths",
    "CadreGroup",
    "MemberEvent",
    "Query",
    "QuotaRow",
]

#: which cadres a quota question is about: ``full_time`` (chuyên trách, the "1+2" rule's),
#: ``part_time`` (kiêm nhiệm) or ``all``
CadreGroup = Literal["full_time", "part_time", "all"]
#: the member dates a count can be taken on
MemberEvent = Literal["joined", "introduced", "admitted", "left"]


@attrs.frozen(kw_only=True)
class QuotaRow:
    """One bound cadre's base-visit figures for the year of the period."""

    cadre_id: str
    #: the province unit (id) of the cadre's last bound position in the year
    province: str
    bound_days: int
    exempt_days: int
    eligible_days: int
    visit_days: int
    required: int
    min_days: int | Decimal
    visits_counted: tuple[str, ...]
    evaluated_on: _dt.date
    #: distinct counted days by the level of the unit visited (``branch``, ``grassroots`` …);
    #: a day with visits at two levels counts for both
    days_by_level: Mapping[str, int] = attrs.field(factory=dict, hash=False)

    @property
    def applicable(self) -> bool:
        """Whether the cadre had any eligible day."""
        return self.eligible_days > 0

    @property
    def met(self) -> bool:
        """Whether visit days reach the required days."""
        return self.visit_days >= self.required


@attrs.frozen(kw_only=True)
class BranchMonths:
    """A branch's months in the year of the period: when it existed and when it met."""

    branch_id: str
    #: months (1–12) in which the unit was a branch on at least one day
    active: tuple[int, ...]
    #: active months with at least ``branches.meetings_per_month`` branch meetings
    met: tuple[int, ...]
    #: the last day of the year on which the unit was a branch
    last_day: _dt.date
    #: for each active month, the first day in it on which the unit was a branch
    first_days: tuple[_dt.date, ...] = ()

    @property
    def missing(self) -> tuple[int, ...]:
        """Active months without a meeting."""
        return tuple(sorted(set(self.active).difference(self.met)))


@attrs.frozen(kw_only=True)
class AgeProblem:
    """A member admitted outside the admission ages, or still active past the maximum age."""

    member_id: str
    branch_id: str
    #: ``admission`` or ``over``
    check: str
    age: int
    on: _dt.date
    #: the limit broken: minimum admission age (``admission``) or maximum age (``over``)
    limit: int
    #: days past the minimum age a member must be (``admission``; 0 otherwise)
    extra_days: int = 0


@runtime_checkable
class Query(Protocol):
    """
    The domain questions a rule may ask, for one period.

    Implementations: the pure-Python backend (default) and the DuckDB backend
    (``Engine(backend="duckdb")``). All answers are plain values keyed by ids.
    """

    @property
    def period(self) -> Period:
        """The period every question is about unless it takes a date."""
        ...

    # ------------------------------------------------------------------ the tree
    @property
    def root(self) -> str:
        """The id of the dataset's top unit."""
        ...

    def units(self, *, level: Level | None = None, under: str | None = None,
              on: _dt.date | None = None) -> list[str]:
        """Ids of the units existing on *on* (default: any day of the period), of *level* if
        given, below *under* (itself excluded) if given, sorted."""
        ...

    def unit(self, unit_id: str, on: _dt.date | None = None) -> UnitVersion:
        """The version of *unit_id* in force on *on* (default: its last day in the period, else
        its last version). Raises :class:`~doanmodel.UnknownUnitError`."""
        ...

    def last_day(self, unit_id: str) -> _dt.date | None:
        """The last day of the period on which *unit_id* exists (``None``: not at all)."""
        ...

    def province_of(self, unit_id: str, on: _dt.date | None = None) -> str | None:
        """The province unit above (or equal to) *unit_id* on *on* (default: its last day in
        the period); ``None`` when it has none."""
        ...

    def descendants(self, unit_id: str, on: _dt.date, *,
                    level: Level | None = None) -> list[str]:
        """Units below *unit_id* on *on*, of *level* if given."""
        ...

    def rollup(self, amounts: Mapping[tuple[str, _dt.date], int | Decimal]
               ) -> dict[str, int | Decimal]:
        """Add amounts attached to (unit id, day) to that unit and every ancestor it had on
        that day. Returns unit id → total."""
        ...

    def same_tree(self) -> bool:
        """Whether no unit changes version inside the period (so every day of it has the same
        tree, and amounts may be rolled up once per unit)."""
        ...

    def tree_changes(self) -> tuple[_dt.date, ...]:
        """The days inside the period (after its first) from which some unit has another
        version, sorted: between two of them every day has the same tree, so amounts of those
        days may be rolled up once."""
        ...

    # ------------------------------------------------------------------ cadres
    def cadre(self, cadre_id: str) -> Cadre | None:
        """The cadre, or ``None``."""
        ...

    def positions(self, *, cadre_id: str | None = None, unit_id: str | None = None,
                  on: _dt.date | None = None) -> list[Position]:
        """Positions of a cadre and/or in a unit, held on *on* (default: overlapping the
        period)."""
        ...

    def quota(self, group: CadreGroup = "full_time", *,
              purposes: Sequence[VisitPurpose] | None = None) -> Mapping[str, QuotaRow]:
        """
        cadre id → visit-day figures for every cadre of *group* bound during the year.

        A cadre is bound on a day when it holds a position of *group* in a role of
        ``visits.bound_roles`` at a province-level unit. A day counts when the cadre is on a
        visit (of *purposes* if given; with a travel order when ``visits.require_order``) to a
        unit below that province as the tree stood that day. Overlapping visits count a day once.
        """
        ...

    def visits(self, *, cadre_id: str | None = None, unit_id: str | None = None
               ) -> list[Visit]:
        """Visits overlapping the period, by cadre and/or unit visited, by start date."""
        ...

    def visit(self, visit_id: str) -> Visit:
        """One visit by id (KeyError when unknown)."""
        ...

    def visit_days(self, *, rollup: bool = True) -> dict[str, int]:
        """Cadre-days spent at each unit (each cadre counts a unit and day once), rolled up the
        tree when *rollup*."""
        ...

    # ------------------------------------------------------------------ meetings
    def has_meetings(self, kind: MeetingKind | None = None) -> bool:
        """Whether the dataset holds any meeting (of *kind*) at all, in any period."""
        ...

    def branch_months(self) -> Mapping[str, BranchMonths]:
        """branch id → its active months and months with a meeting, for every unit that is a
        branch on some day of the year."""
        ...

    def meeting_counts(self, kind: MeetingKind | None = None, *,
                       rollup: bool = True) -> dict[str, int]:
        """unit id → meetings (of *kind*) held in the period, rolled up when *rollup*."""
        ...

    # ------------------------------------------------------------------ members
    def has_members(self) -> bool:
        """Whether the dataset holds any member at all."""
        ...

    def active_members(self, on: _dt.date | None = None, *,
                       rollup: bool = False) -> Mapping[str, int]:
        """branch id → members active on *on* (default: period end); rolled up the tree as it
        stood on *on* when *rollup*."""
        ...

    def member_events(self, event: MemberEvent, *, rollup: bool = True) -> dict[str, int]:
        """unit id → members whose *event* date falls in the period, each counted at its branch
        as the tree stood that day, rolled up when *rollup*."""
        ...

    def age_problems(self) -> tuple[int, list[AgeProblem]]:
        """(admissions checked, problems): members admitted in the period outside the admission
        ages in force on their admission day, and members active at period end past
        ``members.max_age``; sorted by member."""
        ...

    # ------------------------------------------------------------------ indicators
    def indicator(self, indicator: str, period: Period | None = None) -> Mapping[str, object]:
        """unit id → the derived value of *indicator* for *period* (default: the query's)."""
        ...

    def value(self, indicator: str, unit_id: str,
              period: Period | None = None) -> tuple[object, str]:
        """The reported value of *indicator* for *unit_id*, else the derived one:
        ``(value, how)`` with *how* ∈ ``reported``, ``derived``, ``missing``."""
        ...
