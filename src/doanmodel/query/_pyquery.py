"""The pure-Python backend of the query layer: answers :class:`doanmodel.query.Query` from the
in-memory dataset (column tables for members and meetings, indexed entities for the rest)."""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import add, ge, le, mul, or_, sub
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..dataset._columns import count_by_branch, in_range
from ..dataset._tables import MeetingTable
from ..exceptions import UnknownUnitError
from ..model._dates import Period, add_years
from ..model._entities import Cadre, Position, UnitVersion, Visit
from ..model._enums import Level, MeetingKind, VisitPurpose
from . import AgeProblem, BranchMonths, CadreGroup, MemberEvent, QuotaRow
from ._branches import active_members_by_branch, branch_months

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset
    from ._source import Source

__all__ = ["PythonQuery"]


@functools.cache
def _months(mask: int) -> tuple[int, ...]:
    """The months (ascending) of a month mask (bit m − 1: month m)."""
    return tuple(m for m in range(1, 13) if mask >> (m - 1) & 1)


_EVENT_COLUMN = {"joined": "joined", "introduced": "introduced", "admitted": "admitted",
                 "left": "left"}


def _level(ds: Dataset, unit_id: str, on: _dt.date) -> Level | None:
    version = ds.units[unit_id].at(on)
    return None if version is None else version.level


class PythonQuery:
    """The query layer over an in-memory :class:`~doanmodel.Dataset` (the default backend)."""

    def __init__(self, ctx: Source) -> None:
        self._ctx = ctx
        self._ds: Dataset = ctx.dataset
        self._memo: dict[Any, Any] = {}

    @property
    def period(self) -> Period:
        """The period every question is about unless it takes a date."""
        return self._ctx.period

    # ------------------------------------------------------------------ the tree
    @property
    def root(self) -> str:
        """The id of the dataset's top unit."""
        return self._ds.root

    def units(self, *, level: Level | None = None, under: str | None = None,
              on: _dt.date | None = None) -> list[str]:
        """Ids of the units existing on *on* (default: some day of the period)."""
        ds = self._ds
        if under is not None:
            day: _dt.date = on or self.last_day(under) or self.period.end
            found = ds.descendants(under, day)
            return sorted(u for u in found if level is None or _level(ds, u, day) is level)
        out = []
        for uid, unit in ds.units.items():
            when = on or self.last_day(uid)
            if when is None:
                continue
            version = unit.at(when)
            if version is not None and (level is None or version.level is level):
                out.append(uid)
        return sorted(out)

    def unit(self, unit_id: str, on: _dt.date | None = None) -> UnitVersion:
        """The version of *unit_id* in force on *on* (default: its last day in the period)."""
        if unit_id not in self._ds.units:
            raise UnknownUnitError(unit_id)
        return self._ds.unit(unit_id, on or self.last_day(unit_id))

    def last_day(self, unit_id: str) -> _dt.date | None:
        """The last day of the period on which *unit_id* exists."""
        key = ("last_day", unit_id)
        if key not in self._memo:
            self._memo[key] = self._ds.last_day(unit_id, self.period.start, self.period.end)
        return self._memo[key]  # type: ignore[no-any-return]

    def province_of(self, unit_id: str, on: _dt.date | None = None) -> str | None:
        """The province unit above (or equal to) *unit_id* on *on*."""
        day = on or self.last_day(unit_id)
        if day is None:
            return None
        try:
            return self._ds.province_of(unit_id, day)
        except LookupError:
            return None

    def descendants(self, unit_id: str, on: _dt.date, *,
                    level: Level | None = None) -> list[str]:
        """Units below *unit_id* on *on*, of *level* if given."""
        ds = self._ds
        found = ds.descendants(unit_id, on)
        if level is None:
            return found
        return [u for u in found if _level(ds, u, on) is level]

    def rollup(self, amounts: Mapping[tuple[str, _dt.date], int | Decimal]
               ) -> dict[str, int | Decimal]:
        """Add each amount to its unit and every ancestor it had on the amount's day."""
        index = self._ds.unit_index
        return self._ds.rollup({(index[uid], day.toordinal()): amount
                                for (uid, day), amount in amounts.items()})

    def same_tree(self) -> bool:
        """Whether no unit changes version inside the period."""
        return self._ds.one_tree(self.period.start, self.period.end)

    def tree_changes(self) -> tuple[_dt.date, ...]:
        """The days inside the period from which some unit has another version."""
        p0, p1 = self.period.start.toordinal(), self.period.end.toordinal()
        return tuple(_dt.date.fromordinal(c) for c in self._ds._change_points()  # noqa: SLF001
                     if p0 < c <= p1)

    # ------------------------------------------------------------------ cadres
    def cadre(self, cadre_id: str) -> Cadre | None:
        """The cadre, or ``None``."""
        return self._ds.cadres.get(cadre_id)

    def positions(self, *, cadre_id: str | None = None, unit_id: str | None = None,
                  on: _dt.date | None = None) -> list[Position]:
        """Positions of a cadre and/or in a unit, held on *on* (default: in the period)."""
        ds = self._ds
        if cadre_id is not None:
            found = ds.positions_of(cadre_id, on)
        elif unit_id is not None:
            found = ds.positions_in(unit_id, on)
        else:
            found = [p for p in ds.positions if on is None or p.covers(on)]
        if unit_id is not None:
            found = [p for p in found if p.unit_id == unit_id]
        if on is None:
            p0, p1 = self.period.start, self.period.end
            found = [p for p in found if p.start <= p1 and (p.end is None or p.end >= p0)]
        return found

    def visits(self, *, cadre_id: str | None = None, unit_id: str | None = None
               ) -> list[Visit]:
        """Visits overlapping the period, by start date."""
        ds = self._ds
        found: Sequence[Visit]
        if cadre_id is not None:
            found = ds.visits_by_cadre(cadre_id)
        elif unit_id is not None:
            found = ds.visits_by_unit(unit_id)
        else:
            found = ds.visits
        p0, p1 = self.period.start, self.period.end
        return sorted((v for v in found if (unit_id is None or v.unit_id == unit_id)
                       and v.start <= p1 and v.last_day >= p0), key=lambda v: (v.start, v.id))

    def visit(self, visit_id: str) -> Visit:
        """One visit by id."""
        index = self._memo.get("visits")
        if index is None:
            index = self._memo["visits"] = {v.id: v for v in self._ds.visits}
        return index[visit_id]  # type: ignore[no-any-return]

    def quota(self, group: CadreGroup = "full_time", *,
              purposes: Sequence[VisitPurpose] | None = None) -> Mapping[str, QuotaRow]:
        """cadre id → visit-day figures for every cadre of *group* bound during the year."""
        key = ("quota", group, tuple(sorted(p.value for p in purposes)) if purposes else None)
        found = self._memo.get(key)
        if found is None:
            # read-only: every rule of the run shares the answer (issue 23)
            found = self._memo[key] = MappingProxyType(self._ctx.visit_quota(group, purposes))
        return found

    def visit_days(self, *, rollup: bool = True) -> dict[str, int]:
        """Cadre-days spent at each unit, each cadre counting a unit and day once."""
        ds = self._ds
        p0, p1 = self.period.start.toordinal(), self.period.end.toordinal()
        seen: set[tuple[str, int, int]] = set()
        amounts: dict[tuple[int, int], int] = defaultdict(int)
        index = ds.unit_index
        for v in ds.visits:
            lo = max(v.start.toordinal(), p0)
            hi = min(v.last_day.toordinal(), p1)
            code = index[v.unit_id]
            for day in range(lo, hi + 1):
                k = (v.cadre_id, code, day)
                if k not in seen:
                    seen.add(k)
                    amounts[(code, day)] += 1
        if rollup:
            return ds.rollup(amounts)
        ids = ds.unit_ids
        out: dict[str, int] = defaultdict(int)
        for (code, _), n in amounts.items():
            out[ids[code]] += n
        return dict(out)

    # ------------------------------------------------------------------ meetings
    def has_meetings(self, kind: MeetingKind | None = None) -> bool:
        """Whether the dataset holds any meeting (of *kind*)."""
        t = self._ds.meetings
        if kind is None:
            return len(t) > 0
        return MeetingTable.kind_code(kind) in t.kind

    def branch_months(self) -> Mapping[str, BranchMonths]:
        """branch id → active months and months with a meeting in the year."""
        found = self._memo.get("branch_months")
        if found is None:
            ids = self._ds.unit_ids
            found = {}
            # branches share a few patterns of months: each pattern's tuples are built once
            days_of: dict[tuple[int, tuple[int, ...]], tuple[_dt.date, ...]] = {}
            for code, (active, met, first) in branch_months(self._ctx).items():
                months = _months(active)
                days = days_of.get((active, first))
                if days is None:
                    days = days_of[(active, first)] = tuple(
                        _dt.date.fromordinal(first[m - 1]) for m in months)
                found[ids[code]] = BranchMonths(
                    branch_id=ids[code], active=months, met=_months(met & active),
                    last_day=self.last_day(ids[code]) or _dt.date.fromordinal(max(first)),
                    first_days=days)
            found = self._memo["branch_months"] = MappingProxyType(found)
        return found

    def meeting_counts(self, kind: MeetingKind | None = None, *,
                       rollup: bool = True) -> dict[str, int]:
        """unit id → meetings (of *kind*) held in the period."""
        ds = self._ds
        t = ds.meetings
        p0, p1 = self.period.start.toordinal(), self.period.end.toordinal()
        code = MeetingTable.kind_code(kind) if kind is not None else None
        amounts: Counter[tuple[int, int]] = Counter(
            (u, d) for u, d, k in zip(t.unit, t.date, t.kind)
            if p0 <= d <= p1 and (code is None or k == code))
        if rollup:
            return ds.rollup(amounts)
        ids = ds.unit_ids
        out: Counter[str] = Counter()
        for (u, _), n in amounts.items():
            out[ids[u]] += n
        return dict(out)

    # ------------------------------------------------------------------ members
    def has_members(self) -> bool:
        """Whether the dataset holds any member."""
        return len(self._ds.members) > 0

    def active_members(self, on: _dt.date | None = None, *,
                       rollup: bool = False) -> Mapping[str, int]:
        """branch id → members active on *on* (default: period end), or rolled up (memoised
        per day: rules ask it for every branch; read-only, as every shared answer)."""
        day = on or self.period.end
        key = ("active_members", day, rollup)
        found: Mapping[str, int] | None = self._memo.get(key)
        if found is None:
            found = self._memo[key] = MappingProxyType(self._active_members(day, rollup))
        return found

    def _active_members(self, day: _dt.date, rollup: bool) -> dict[str, int]:
        ds = self._ds
        counts = active_members_by_branch(self._ctx, day)
        ids = ds.unit_ids
        if not rollup:
            return {ids[c]: n for c, n in counts.items() if n}
        amounts: dict[tuple[int, int], int] = {}
        for code, n in counts.items():
            last = self.last_day(ids[code]) or day
            amounts[(code, min(last, day).toordinal())] = n
        return ds.rollup(amounts)

    def _shared(self, key: tuple[Any, ...], compute: Callable[[], dict[str, int]]
                ) -> dict[str, int]:
        """A copy of the answer to a question that depends on the data and the period only,
        computed once per dataset (a check and a score in one process ask the same)."""
        answers: dict[Any, dict[str, int]] = self._ds._index.answers  # noqa: SLF001
        found = answers.get(key)
        if found is None:
            found = answers[key] = compute()
        return dict(found)

    def member_events(self, event: MemberEvent, *, rollup: bool = True) -> dict[str, int]:
        """unit id → members whose *event* date falls in the period."""
        return self._shared(("member_events", type(self).__name__, event, str(self.period),
                             rollup), lambda: self._member_events(event, rollup))

    def _member_events(self, event: MemberEvent, rollup: bool) -> dict[str, int]:
        ds = self._ds
        column = _EVENT_COLUMN[event]
        start, end = self.period.start, self.period.end
        p0, p1 = start.toordinal(), end.toordinal()
        t = ds.members
        if ds.one_tree(start, end):
            per_branch = count_by_branch(t, in_range(getattr(t, column), p0, p1))
            amounts: Mapping[tuple[int, int], int] = {(c, p1): n for c, n in per_branch.items()}
        else:
            amounts = _events_by_epoch(ds, getattr(t, column), t.branch, p0, p1)
        if rollup:
            return ds.rollup(amounts)
        ids = ds.unit_ids
        out: Counter[str] = Counter()
        for (c, _), n in amounts.items():
            out[ids[c]] += n
        return dict(out)

    def age_problems(self) -> tuple[int, list[AgeProblem]]:
        """(admissions checked, problems) for the period; see :class:`AgeProblem`."""
        return _age_problems(self._ctx)

    # ------------------------------------------------------------------ indicators
    def indicator(self, indicator: str, period: Period | None = None) -> Mapping[str, object]:
        """unit id → derived value of *indicator*."""
        return self._ctx.facts.derived(indicator, period)

    def value(self, indicator: str, unit_id: str,
              period: Period | None = None) -> tuple[object, str]:
        """The reported value, else the derived one, with how it was found."""
        return self._ctx.facts.value(indicator, unit_id, period)


# ---------------------------------------------------------------------------- member events
def _events_by_epoch(ds: Dataset, column: Sequence[int], branch: Sequence[int], p0: int,
                     p1: int) -> dict[tuple[int, int], int]:
    """(branch code, first day in [p0, p1] of an epoch) → rows whose date in *column* falls in
    [p0, p1] and in that epoch: one int key per row, counted in C (a national year: ~1M rows
    in ~0.3M keys, where (branch, day) tuples made ~1M)."""
    points = ds._change_points()  # noqa: SLF001 - shared structural epochs
    span = p1 - p0 + 1
    first = [0] * span  # offset → offset of the first day of its epoch inside the period
    epoch, start = -1, 0
    for o in range(span):
        e = bisect.bisect_right(points, p0 + o)
        if e != epoch:
            epoch, start = e, o
        first[o] = start
    mask = list(map(range(p0, p1 + 1).__contains__, column))
    offsets = map(first.__getitem__, map(sub, compress(column, mask), repeat(p0)))
    counts = Counter(map(add, map(mul, compress(branch, mask), repeat(span)), offsets))
    return {(k // span, p0 + k % span): n for k, n in counts.items()}


# ---------------------------------------------------------------------------- member ages
def _age(born: _dt.date, day: _dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_problems(ctx: Source) -> tuple[int, list[AgeProblem]]:
    """
    Candidates are picked column-wise with a two-day slack around each limit, then every
    candidate is checked with exact calendar arithmetic (29 February included).
    """
    ds = ctx.dataset
    t = ds.members
    y0, y1 = ctx.period.start.toordinal(), ctx.period.end.toordinal()
    end = ctx.period.end
    max_age = int(ctx.param("members.max_age", end))
    limits: dict[int, tuple[int, int, int, int, int]] = {}

    def limit(j: int) -> tuple[int, int, int, int, int]:
        day = _dt.date.fromordinal(j)
        lo_age = int(ctx.param("members.min_admission_age", day))
        extra = int(ctx.param("members.min_admission_extra_days", day))
        hi_age = int(ctx.param("members.max_age", day))
        youngest = add_years(day - _dt.timedelta(days=extra), -lo_age).toordinal()
        oldest = add_years(day, -(hi_age + 1)).toordinal()
        limits[j] = out = (youngest, oldest, lo_age, extra, hi_age)
        return out

    birth, joined = t.birth, t.joined
    found: list[tuple[int, str]] = []
    # admissions in the period with a birth date; candidates within two days of a limit are
    # picked in C (per-day bounds looked up by offset), then checked exactly below
    in_period = compress(range(len(t)), map(range(y0, y1 + 1).__contains__, joined))
    sel = [i for i in in_period if birth[i]]
    checked = len(sel)
    offsets = list(map(sub, map(joined.__getitem__, sel), repeat(y0)))
    young, old = [0] * (y1 - y0 + 1), [0] * (y1 - y0 + 1)
    for k in dict.fromkeys(offsets):  # the days with an admission, as DuckDB asks them
        youngest, oldest, *_ = limit(y0 + k)
        young[k], old[k] = youngest - 2, oldest + 2
    births = list(map(birth.__getitem__, sel))
    near = map(or_, map(ge, births, map(young.__getitem__, offsets)),
               map(le, births, map(old.__getitem__, offsets)))
    for i in compress(sel, near):
        b, j = birth[i], joined[i]
        _, _, lo_age, extra, hi_age = limits[j]
        born, day = _dt.date.fromordinal(b), _dt.date.fromordinal(j)
        earliest = add_years(born, lo_age) + _dt.timedelta(days=extra)
        if day < earliest or day >= add_years(born, hi_age + 1):
            found.append((i, "admission"))
    cutoff = add_years(end, -(max_age + 1)).toordinal() + 2
    flagged = {i for i, _ in found}
    # candidates born by the cutoff (or with no birth date) picked in one pass in C: a few
    # out of millions; then those with a birth date, active at the end, checked exactly
    left = t.left
    for i in compress(range(len(t)), map(cutoff.__ge__, birth)):
        b, gone = birth[i], left[i]
        if b and joined[i] <= y1 and (not gone or gone > y1) and i not in flagged and \
                end >= add_years(_dt.date.fromordinal(b), max_age + 1):
            found.append((i, "over"))
    found.sort()
    ids = ds.unit_ids
    out = []
    for i, kind in found:
        born = _dt.date.fromordinal(birth[i])
        if kind == "admission":
            day = _dt.date.fromordinal(joined[i])
            _, _, lo_age, extra, _ = limits[joined[i]]
            out.append(AgeProblem(member_id=t.ids[i], branch_id=ids[t.branch[i]],
                                  check=kind, age=_age(born, day), on=day, limit=lo_age,
                                  extra_days=extra))
        else:
            out.append(AgeProblem(member_id=t.ids[i], branch_id=ids[t.branch[i]], check=kind,
                                  age=_age(born, end), on=end, limit=max_age))
    return checked, out
