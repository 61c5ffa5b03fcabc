"""The 1+2 visit quota of the Python query backend (see :meth:`PythonQuery.quota`)."""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from ..model._dates import days_in_year, intersect_days, merge_intervals
from ..model._entities import Visit
from ..model._enums import Level, VisitPurpose
from ..query import CadreGroup, QuotaRow

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset
    from ._context import Context

__all__: list[str] = []


def _ceil(value: Decimal) -> int:
    """*value* rounded up to an integer."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))


# ---------------------------------------------------------------------------- the 1+2 quota
def _bound(ctx: Context, group: CadreGroup, y0: int, y1: int
           ) -> dict[str, list[tuple[int, int, str]]]:
    """cadre id → (first, last, province) intervals in which it holds a bound position."""
    ds = ctx.dataset
    bound: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for p in ds.positions:
        if (group == "full_time" and not p.full_time) or (group == "part_time" and p.full_time):
            continue
        lo = max(p.start.toordinal(), y0)
        hi = min((p.end.toordinal() if p.end else y1), y1)
        unit = ds.units.get(p.unit_id)
        if lo > hi or unit is None:
            continue
        for v in unit.versions:
            vlo = max(lo, v.valid_from.toordinal() if v.valid_from else lo)
            vhi = min(hi, v.valid_to.toordinal() if v.valid_to else hi)
            if vlo > vhi or v.level is not Level.PROVINCE:
                continue
            roles = ctx.param("visits.bound_roles", _dt.date.fromordinal(vhi), p.unit_id)
            if p.role.value in roles:
                bound[p.cadre_id].append((vlo, vhi, p.unit_id))
    return bound


class _Below:
    """Whether a unit lies below a province on a day, memoised per structural epoch."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.points = ds._change_points()  # noqa: SLF001 - shared structural epochs
        self.memo: dict[tuple[str, int, str], bool] = {}

    def __call__(self, unit_id: str, day: int, province: str) -> bool:
        key = (unit_id, bisect.bisect_right(self.points, day), province)
        hit = self.memo.get(key)
        if hit is None:
            try:
                hit = province in self.ds.ancestors(unit_id, _dt.date.fromordinal(day))
            except LookupError:
                hit = False
            self.memo[key] = hit
        return hit

    def pieces(self, a: int, b: int) -> list[tuple[int, int]]:
        """[a, b] cut at structural change points, so each piece has one tree."""
        cuts = [c for c in self.points[bisect.bisect_right(self.points, a):] if c <= b]
        return list(zip([a, *cuts], [c - 1 for c in cuts] + [b]))


def _quota(ctx: Context, group: CadreGroup, purposes: Sequence[VisitPurpose] | None
           ) -> dict[str, QuotaRow]:
    """cadre id → visit-day figures for every cadre of *group* bound during the year."""
    ds = ctx.dataset
    year = ctx.period.year
    y0, y1 = _dt.date(year, 1, 1).toordinal(), _dt.date(year, 12, 31).toordinal()
    below = _Below(ds)
    wanted = set(purposes) if purposes else None
    rows: dict[str, QuotaRow] = {}
    for cadre_id, intervals in _bound(ctx, group, y0, y1).items():
        # Work programmes (docs/rules.md, "Programme visits and 1+2"): their visits count toward
        # the quota, but a dataset with programmes judges only cadres who have a visit outside
        # them that year, so a programme record never counts against its team.
        if ds.programmes and not _outside_programmes(ds, cadre_id, y0, y1):
            continue
        rows[cadre_id] = _quota_row(ctx, below, wanted, cadre_id, intervals)
    return rows


def _quota_row(ctx: Context, below: _Below, wanted: set[VisitPurpose] | None, cadre_id: str,
               intervals: list[tuple[int, int, str]]) -> QuotaRow:
    """One bound cadre's visit-day figures for the year."""
    ds = ctx.dataset
    year = ctx.period.year
    y0, y1 = _dt.date(year, 1, 1).toordinal(), _dt.date(year, 12, 31).toordinal()
    merged_bound = merge_intervals((lo, hi) for lo, hi, _ in intervals)
    bound_days = sum(hi - lo + 1 for lo, hi in merged_bound)
    last_prov = max(intervals, key=lambda t: t[1])[2]
    on = _dt.date.fromordinal(merged_bound[-1][1])
    exempt = set(ctx.param("visits.exempt_reasons", on, last_prov))
    eligible = bound_days - _exempt_days(ds, cadre_id, exempt, merged_bound, y0, y1)
    if eligible < bound_days and ctx.param("visits.exempt_whole_year", on, last_prov):
        eligible = 0  # the province's plan exempts such a cadre entirely (not pro rata)
    require_order = ctx.param("visits.require_order", on, last_prov)
    pieces: list[tuple[int, int]] = []
    by_level: dict[str, list[tuple[int, int]]] = defaultdict(list)
    counted: list[str] = []
    for visit in ds.visits_by_cadre(cadre_id):
        if (require_order and not visit.order_ref) or \
                (wanted is not None and visit.purpose not in wanted):
            continue
        vs, ve = visit.start.toordinal(), visit.last_day.toordinal()
        if ve < y0 or vs > y1:
            continue
        if _count_visit(ds, below, visit, intervals, pieces, by_level):
            counted.append(visit.id)
    visit_days = sum(hi - lo + 1 for lo, hi in merge_intervals(pieces))
    min_days = ctx.param("visits.min_days", on, last_prov)
    required = _ceil(Decimal(min_days) * eligible / days_in_year(year)) if eligible else 0
    return QuotaRow(
        cadre_id=cadre_id, province=last_prov, bound_days=bound_days,
        exempt_days=bound_days - eligible, eligible_days=eligible, visit_days=visit_days,
        required=required, min_days=min_days, visits_counted=tuple(sorted(counted)),
        evaluated_on=on,
        days_by_level={lv: sum(hi - lo + 1 for lo, hi in merge_intervals(iv))
                       for lv, iv in by_level.items()})


def _exempt_days(ds: Dataset, cadre_id: str, exempt: set[str],
                 merged_bound: list[tuple[int, int]], y0: int, y1: int) -> int:
    """Bound days of *cadre_id* in [y0, y1] covered by an absence of an exempt reason."""
    absent = merge_intervals(
        (max(a.start.toordinal(), y0), min(a.end.toordinal(), y1))
        for a in ds.absences_of(cadre_id)
        if a.reason.value in exempt and a.start.toordinal() <= y1 and a.end.toordinal() >= y0)
    return intersect_days(merged_bound, absent)


def _count_visit(ds: Dataset, below: _Below, visit: Visit, intervals: list[tuple[int, int, str]],
                 pieces: list[tuple[int, int]], by_level: dict[str, list[tuple[int, int]]]
                 ) -> bool:
    """Add the days of *visit* below a bound province to *pieces*; whether it has any."""
    vs, ve = visit.start.toordinal(), visit.last_day.toordinal()
    used = False
    for lo, hi, province in intervals:
        a, b = max(vs, lo), min(ve, hi)
        if a > b:
            continue
        for s, e in below.pieces(a, b):
            if below(visit.unit_id, s, province):
                pieces.append((s, e))
                version = ds.units[visit.unit_id].at(_dt.date.fromordinal(s))
                if version is not None:
                    by_level[version.level.value].append((s, e))
                used = True
    return used


def _outside_programmes(ds: Dataset, cadre_id: str, y0: int, y1: int) -> bool:
    """Whether *cadre_id* has a visit in [y0, y1] that belongs to no work programme."""
    from ..dataset._programmes import programme_visit_ids  # noqa: PLC0415

    ids = programme_visit_ids(ds)
    return any(v.id not in ids and v.start.toordinal() <= y1 and v.last_day.toordinal() >= y0
               for v in ds.visits_by_cadre(cadre_id))
