"""Derived indicators, rolled up the tree as it stood on each event's date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ._branches import active_members_by_branch, branch_months
from ._columns import count_by_branch, count_events, in_range
from ._engine import Context, IndicatorDef
from ._i18n import Text
from ._visits import quota_rows

__all__ = ["BUILTIN_INDICATORS"]

_HD03 = "Hướng dẫn 03-HD/TWĐTN-BTC ngày 21/3/2018"
_CHARTER = "Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XI, 2017), Điều 15"


def _share(num: Mapping[str, Any], den: Mapping[str, Any]) -> dict[str, Decimal]:
    return {uid: Decimal(num.get(uid, 0)) / Decimal(d) for uid, d in den.items() if d}


def _visit_days(ctx: Context) -> dict[str, Any]:
    """Cadre-days spent at units of each subtree; a cadre counts a unit and day once."""
    ds = ctx.dataset
    p0, p1 = ctx.period.start.toordinal(), ctx.period.end.toordinal()
    seen: set[tuple[str, int, int]] = set()
    amounts: dict[tuple[int, int], int] = defaultdict(int)
    index = ds.unit_index
    for v in ds.visits:
        lo = max(v.start.toordinal(), p0)
        hi = min(v.last_day.toordinal(), p1)
        code = index[v.unit_id]
        for day in range(lo, hi + 1):
            key = (v.cadre_id, code, day)
            if key not in seen:
                seen.add(key)
                amounts[(code, day)] += 1
    return ds.rollup(amounts)


def _quota_share(ctx: Context) -> dict[str, Decimal]:
    ds = ctx.dataset
    met: dict[tuple[int, int], int] = defaultdict(int)
    bound: dict[tuple[int, int], int] = defaultdict(int)
    for r in quota_rows(ctx).values():
        if not r.applicable:
            continue
        key = (ds.unit_index[r.province], r.evaluated_on.toordinal())
        bound[key] += 1
        met[key] += int(r.met)
    return _share(ds.rollup(met), ds.rollup(bound))


def _meeting_share(ctx: Context) -> dict[str, Decimal]:
    ds = ctx.dataset
    active: dict[tuple[int, int], int] = defaultdict(int)
    held: dict[tuple[int, int], int] = defaultdict(int)
    first_m, last_m = ctx.period.start.month, ctx.period.end.month
    p0, p1 = ctx.period.start.toordinal(), ctx.period.end.toordinal()
    # with no structural change inside the period, a branch's months add up before the roll-up
    one_tree = not any(p0 < c <= p1 for c in ds._change_points())  # noqa: SLF001
    for code, (_, mmask, first) in branch_months(ctx).items():
        for month in range(first_m, last_m + 1):
            day = first[month - 1]
            if not day:
                continue
            key = (code, first[first_m - 1] or day) if one_tree else (code, day)
            active[key] += 1
            if mmask >> (month - 1) & 1:
                held[key] += 1
    return _share(ds.rollup(held), ds.rollup(active))


def _member_event(column: str):
    def compute(ctx: Context) -> dict[str, Any]:
        ds = ctx.dataset
        p0, p1 = ctx.period.start.toordinal(), ctx.period.end.toordinal()
        if ds.one_tree(ctx.period.start, ctx.period.end):  # one structure all period long
            t = ds.members
            per_branch = count_by_branch(t, in_range(getattr(t, column), p0, p1))
            return ds.rollup({(code, p1): n for code, n in per_branch.items()})
        return ds.rollup(count_events(ds.members, column, p0, p1))

    return compute


def _active_members(ctx: Context) -> dict[str, Any]:
    ds = ctx.dataset
    end = ctx.period.end
    counts = active_members_by_branch(ctx, end)
    amounts: dict[tuple[int, int], int] = {}
    for code, n in counts.items():
        last = ctx.last_day(ds.unit_ids[code]) or end
        amounts[(code, last.toordinal())] = n
    return ds.rollup(amounts)


def _ind(ind_id: str, vi: str, en: str, source: str, fn, *requires: str) -> IndicatorDef:
    return IndicatorDef(id=ind_id, title=Text(vi, en), source=source, compute=fn,
                        requires=requires)


_PARTY = "Điều lệ Đảng Cộng sản Việt Nam, Điều 4 (Đoàn giới thiệu đoàn viên ưu tú)"

#: The built-in derived indicators.
BUILTIN_INDICATORS: tuple[IndicatorDef, ...] = (
    _ind("visit_days", "Số ngày cán bộ đi cơ sở", "Cadre-days of base visits", _HD03, _visit_days,
         "visits"),
    _ind("visit_quota_met_share", "Tỷ lệ cán bộ đạt chỉ tiêu 1+2",
         "Share of bound cadres meeting the 1+2 quota", _HD03, _quota_share, "positions"),
    _ind("branch_meeting_share", "Tỷ lệ tháng chi đoàn có sinh hoạt",
         "Share of branch-months with a meeting", _CHARTER, _meeting_share, "meetings"),
    _ind("new_members", "Số đoàn viên mới kết nạp", "New members admitted",
         "Hướng dẫn 22-HD/TWĐTN ngày 28/6/2013", _member_event("joined"), "members"),
    _ind("party_introductions", "Số đoàn viên ưu tú giới thiệu cho Đảng",
         "Outstanding members introduced to the Party", _PARTY, _member_event("introduced"),
         "members"),
    _ind("party_admissions", "Số đoàn viên ưu tú được kết nạp Đảng",
         "Introduced members admitted to the Party", _PARTY, _member_event("admitted"),
         "members"),
    _ind("active_members", "Số đoàn viên đang sinh hoạt (cuối kỳ)",
         "Active members at the end of the period", _CHARTER, _active_members, "members"),
)

