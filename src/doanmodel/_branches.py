"""Branch activity for a year: active months, months with a meeting, active members."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict

from ._engine import Context
from ._enums import Level, MeetingKind
from ._tables import MeetingTable

__all__ = ["active_members_by_branch", "branch_months"]

_BRANCH = Level.BRANCH


def branch_months(ctx: Context) -> dict[int, tuple[int, int, dict[int, int]]]:
    """
    unit code → (active month mask, month-with-meeting mask, month → first active day ordinal)
    for every unit that is a branch (chi đoàn) at some day of the year (cached).

    Bit *m − 1* of a mask stands for month *m*. A month is active when the unit is a branch on at
    least one of its days; it has a meeting when the branch held at least
    ``branches.meetings_per_month`` ``branch_meeting`` meetings in it.
    """
    cached = ctx.cache.get("branch_months")
    if cached is not None:
        return cached
    ds = ctx.dataset
    year = ctx.period.year
    y0 = _dt.date(year, 1, 1)
    y1 = _dt.date(year, 12, 31)
    active: dict[int, int] = {}
    first_day: dict[int, dict[int, int]] = {}
    for uid, unit in ds.units.items():
        for v in unit.versions:
            if v.level is not _BRANCH:
                continue
            lo = max(v.valid_from or y0, y0)
            hi = min(v.valid_to or y1, y1)
            if lo > hi:
                continue
            code = ds.unit_index[uid]
            mask = active.get(code, 0)
            days = first_day.setdefault(code, {})
            for m in range(lo.month, hi.month + 1):
                mask |= 1 << (m - 1)
                start = lo if m == lo.month else _dt.date(year, m, 1)
                days.setdefault(m, start.toordinal())
            active[code] = mask
    counts: dict[tuple[int, int], int] = defaultdict(int)
    table = ds.meetings
    kind = MeetingTable.kind_code(MeetingKind.BRANCH_MEETING)
    o0, o1 = y0.toordinal(), y1.toordinal()
    month_of = [_dt.date.fromordinal(o).month for o in range(o0, o1 + 1)]
    for code, day, k in zip(table.unit, table.date, table.kind):
        if k == kind and o0 <= day <= o1 and code in active:
            counts[(code, month_of[day - o0])] += 1
    need = ctx.param("branches.meetings_per_month", y1)
    met: dict[int, int] = defaultdict(int)
    for (code, month), n in counts.items():
        if n >= need:
            met[code] |= 1 << (month - 1)
    out = {code: (mask, met.get(code, 0) & mask, first_day[code]) for code, mask in active.items()}
    ctx.cache["branch_months"] = out
    return out


def active_members_by_branch(ctx: Context, on: _dt.date | None = None) -> dict[int, int]:
    """unit code → members active on *on* (default: period end) (cached per day)."""
    on = on or ctx.period.end
    key = f"active_members:{on.isoformat()}"
    cached = ctx.cache.get(key)
    if cached is not None:
        return cached
    t = ctx.dataset.members
    day = on.toordinal()
    counts: dict[int, int] = defaultdict(int)
    for code, joined, left in zip(t.branch, t.joined, t.left):
        if joined <= day and (left == 0 or day < left):
            counts[code] += 1
    ctx.cache[key] = counts = dict(counts)
    return counts
