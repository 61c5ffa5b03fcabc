"""Visit days under the "1+2" quota: who is bound, which days count, what is required.

A day *d* counts for cadre *c* when, on *d*, *c* holds a bound position (full-time, in a role of
``visits.bound_roles``) at a province-level unit *P*, and *c* is on a counted visit to a unit
below *P* as the tree stood on *d* (with a travel order when ``visits.require_order``).
Days are distinct: overlapping or repeated visits never count a day twice.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal

import attrs

from ._dataset import Dataset
from ._dates import days_in_year, intersect_days, merge_intervals
from ._engine import Context
from ._enums import Level

__all__ = ["QuotaRow", "quota_rows"]


@attrs.frozen(kw_only=True)
class QuotaRow:
    """One bound cadre's quota figures for a year."""

    cadre_id: str
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
    days_by_level: dict[str, int] = attrs.field(factory=dict, hash=False)

    @property
    def applicable(self) -> bool:
        """Whether the cadre had any eligible day."""
        return self.eligible_days > 0

    @property
    def met(self) -> bool:
        """Whether visit days reach the required days."""
        return self.visit_days >= self.required


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def quota_rows(ctx: Context) -> dict[str, QuotaRow]:
    """cadre id → :class:`QuotaRow` for every cadre bound during the context's year (cached)."""
    cached = ctx.cache.get("quota_rows")
    if cached is not None:
        return cached
    ds = ctx.dataset
    year = ctx.period.year
    y0 = _dt.date(year, 1, 1).toordinal()
    y1 = _dt.date(year, 12, 31).toordinal()
    # bound intervals per cadre: (first, last, province)
    bound: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for p in ds.positions:
        if not p.full_time:
            continue
        lo = max(p.start.toordinal(), y0)
        hi = min((p.end.toordinal() if p.end else y1), y1)
        if lo > hi:
            continue
        unit = ds.units.get(p.unit_id)
        if unit is None:
            continue
        for v in unit.versions:
            vlo = max(lo, v.valid_from.toordinal() if v.valid_from else lo)
            vhi = min(hi, v.valid_to.toordinal() if v.valid_to else hi)
            if vlo > vhi or v.level is not Level.PROVINCE:
                continue
            on = _dt.date.fromordinal(vhi)
            roles = ctx.param("visits.bound_roles", on, p.unit_id)
            if p.role.value in roles:
                bound[p.cadre_id].append((vlo, vhi, p.unit_id))
    points = ds._change_points()  # noqa: SLF001 - shared structural epochs
    below_cache: dict[tuple[str, int, str], bool] = {}

    def below(unit_id: str, day: int, province: str) -> bool:
        epoch = bisect.bisect_right(points, day)
        key = (unit_id, epoch, province)
        hit = below_cache.get(key)
        if hit is None:
            d = _dt.date.fromordinal(day)
            try:
                hit = province in ds.ancestors(unit_id, d)
            except LookupError:
                hit = False
            below_cache[key] = hit
        return hit

    rows: dict[str, QuotaRow] = {}
    for cadre_id, intervals in bound.items():
        # Work programmes (docs/rules.md, "Programme visits and 1+2"): their visits count toward
        # the quota, but a dataset with programmes judges only cadres who have a visit outside
        # them that year, so a programme record never counts against its team.
        if ds.programmes and not _outside_programmes(ds, cadre_id, y0, y1):
            continue
        merged_bound = merge_intervals((lo, hi) for lo, hi, _ in intervals)
        bound_days = sum(hi - lo + 1 for lo, hi in merged_bound)
        last_day = merged_bound[-1][1]
        last_prov = max(intervals, key=lambda t: t[1])[2]
        on = _dt.date.fromordinal(last_day)
        exempt = set(ctx.param("visits.exempt_reasons", on, last_prov))
        absent = merge_intervals(
            (max(a.start.toordinal(), y0), min(a.end.toordinal(), y1))
            for a in ds.absences_of(cadre_id)
            if a.reason.value in exempt and a.start.toordinal() <= y1 and a.end.toordinal() >= y0)
        exempt_days = intersect_days(merged_bound, absent)
        eligible = bound_days - exempt_days
        require_order = ctx.param("visits.require_order", on, last_prov)
        pieces: list[tuple[int, int]] = []
        by_level: dict[str, list[tuple[int, int]]] = defaultdict(list)
        counted: list[str] = []
        for visit in ds.visits_by_cadre(cadre_id):
            if require_order and not visit.order_ref:
                continue
            vs = visit.start.toordinal()
            ve = visit.last_day.toordinal()
            if ve < y0 or vs > y1:
                continue
            used = False
            for lo, hi, province in intervals:
                a, b = max(vs, lo), min(ve, hi)
                if a > b:
                    continue
                # cut at structural change points so each piece has one tree
                cuts = [c for c in points[bisect.bisect_right(points, a):] if c <= b]
                starts = [a, *cuts]
                ends = [c - 1 for c in cuts] + [b]
                for s, e in zip(starts, ends):
                    if below(visit.unit_id, s, province):
                        pieces.append((s, e))
                        version = ds.units[visit.unit_id].at(_dt.date.fromordinal(s))
                        if version is not None:
                            by_level[version.level.value].append((s, e))
                        used = True
            if used:
                counted.append(visit.id)
        visit_days = sum(hi - lo + 1 for lo, hi in merge_intervals(pieces))
        min_days = ctx.param("visits.min_days", on, last_prov)
        required = _ceil(Decimal(min_days) * eligible / days_in_year(year)) if eligible else 0
        rows[cadre_id] = QuotaRow(
            cadre_id=cadre_id, province=last_prov, bound_days=bound_days, exempt_days=exempt_days,
            eligible_days=eligible, visit_days=visit_days, required=required, min_days=min_days,
            visits_counted=tuple(sorted(counted)), evaluated_on=on,
            days_by_level={lv: sum(hi - lo + 1 for lo, hi in merge_intervals(iv))
                           for lv, iv in by_level.items()},
        )
    ctx.cache["quota_rows"] = rows
    return rows


def _outside_programmes(ds: Dataset, cadre_id: str, y0: int, y1: int) -> bool:
    """Whether *cadre_id* has a visit in [y0, y1] that belongs to no work programme."""
    from ._programmes import programme_visit_ids  # noqa: PLC0415

    ids = programme_visit_ids(ds)
    return any(v.id not in ids and v.start.toordinal() <= y1 and v.last_day.toordinal() >= y0
               for v in ds.visits_by_cadre(cadre_id))
