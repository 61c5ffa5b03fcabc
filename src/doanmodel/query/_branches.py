"""Branch activity for a year: active months, months with a meeting, active members."""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import compress, repeat
from operator import add, and_, eq, mul, sub
from typing import TYPE_CHECKING

from ..dataset._columns import active_mask, count_by_branch, in_range
from ..dataset._tables import MeetingTable
from ..model._enums import Level, MeetingKind

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset
    from ..model._entities import UnitVersion
    from ._source import Source

__all__ = ["active_members_by_branch", "branch_months"]

_BRANCH = Level.BRANCH


def branch_months(ctx: Source) -> dict[int, tuple[int, int, tuple[int, ...]]]:
    """
    unit code → (active month mask, month-with-meeting mask, first active day of each month)
    for every unit that is a branch (chi đoàn) at some day of the year (cached).

    Bit *m − 1* of a mask stands for month *m*; the third item has twelve day ordinals (0 for
    an inactive month). A month is active when the unit is a branch on at least one of its
    days; it has a meeting when the branch held at least ``branches.meetings_per_month``
    ``branch_meeting`` meetings in it.
    """
    year = ctx.period.year
    y0 = _dt.date(year, 1, 1)
    y1 = _dt.date(year, 12, 31)
    need = ctx.param("branches.meetings_per_month", y1)
    # the answer depends on the data, the year and that parameter only: kept with the dataset
    answers = ctx.dataset._index.answers  # noqa: SLF001
    key = ("branch_months", year, need)
    cached: dict[int, tuple[int, int, tuple[int, ...]]] | None = answers.get(key)
    if cached is not None:
        return cached
    active = _active_months(ctx.dataset, y0, y1)
    met = _met_months(ctx, y0, y1, need)
    out = {code: (mask, met.get(code, 0) & mask, days) for code, (mask, days) in active.items()}
    answers[key] = out
    return out


def _active_months(ds: Dataset, y0: _dt.date, y1: _dt.date
                   ) -> dict[int, tuple[int, tuple[int, ...]]]:
    """unit code → (active month mask, first active day of each month) for the branches."""
    month_starts = tuple(_dt.date(y0.year, m, 1).toordinal() for m in range(1, 13))
    full = (0xFFF, month_starts)
    active: dict[int, tuple[int, tuple[int, ...]]] = {}
    index = ds.unit_index
    for uid, unit in ds.units.items():
        versions = unit.versions
        if len(versions) == 1:
            v = versions[0]
            if v.level is not _BRANCH:
                continue
            if (v.valid_from is None or v.valid_from <= y0) and (v.valid_to is None or
                                                                 v.valid_to >= y1):
                active[index[uid]] = full  # the common case: a branch all year
                continue
        mask, days = _version_months(versions, y0, y1)
        if mask:
            active[index[uid]] = (mask, tuple(days))
    return active


def _version_months(versions: Sequence[UnitVersion], y0: _dt.date, y1: _dt.date
                    ) -> tuple[int, list[int]]:
    """The month mask and first days of the months in [y0, y1] a version is a branch in."""
    mask = 0
    days = [0] * 12
    for v in versions:
        if v.level is not _BRANCH:
            continue
        lo = max(v.valid_from or y0, y0)
        hi = min(v.valid_to or y1, y1)
        if lo > hi:
            continue
        for m in range(lo.month, hi.month + 1):
            mask |= 1 << (m - 1)
            if not days[m - 1]:
                days[m - 1] = (lo if m == lo.month else _dt.date(y0.year, m, 1)).toordinal()
    return mask, days


def _met_months(ctx: Source, y0: _dt.date, y1: _dt.date, need: int) -> dict[int, int]:
    """unit code → mask of the months with enough ``branch_meeting`` meetings."""
    table = ctx.dataset.meetings
    kind = MeetingTable.kind_code(MeetingKind.BRANCH_MEETING)
    o0, o1 = y0.toordinal(), y1.toordinal()
    month_of = [_dt.date.fromordinal(o).month for o in range(o0, o1 + 1)]
    mask = list(map(and_, map(eq, table.kind, repeat(kind)), in_range(table.date, o0, o1)))
    # one int key per (unit, month), counted in C: code × 16 + month
    months = map(month_of.__getitem__, map(sub, compress(table.date, mask), repeat(o0)))
    counts = Counter(map(add, map(mul, compress(table.unit, mask), repeat(16)), months))
    met: dict[int, int] = defaultdict(int)
    for key, n in counts.items():
        if n >= need:
            met[key >> 4] |= 1 << ((key & 15) - 1)
    return met


def active_members_by_branch(ctx: Source, on: _dt.date | None = None) -> dict[int, int]:
    """unit code → members active on *on* (default: period end) (cached per day)."""
    on = on or ctx.period.end
    answers = ctx.dataset._index.answers  # noqa: SLF001 - data-only answer
    key = ("active_members", on)
    hit: dict[int, int] | None = answers.get(key)
    if hit is not None:
        return hit
    t = ctx.dataset.members
    counts = dict(count_by_branch(t, active_mask(t, on.toordinal())))
    answers[key] = counts
    return counts
