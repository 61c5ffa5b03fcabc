"""Derived indicators, rolled up the tree as it stood on each event's date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ._branches import branch_months
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
    p = ctx.period
    for code, (amask, mmask, first) in branch_months(ctx).items():
        for month, day in first.items():
            if not p.start.month <= month <= p.end.month:
                continue
            active[(code, day)] += 1
            if mmask >> (month - 1) & 1:
                held[(code, day)] += 1
    return _share(ds.rollup(held), ds.rollup(active))


def _member_event(column: str):
    def compute(ctx: Context) -> dict[str, Any]:
        ds = ctx.dataset
        t = ds.members
        p0, p1 = ctx.period.start.toordinal(), ctx.period.end.toordinal()
        amounts: dict[tuple[int, int], int] = defaultdict(int)
        for code, day in zip(t.branch, getattr(t, column)):
            if p0 <= day <= p1:
                amounts[(code, day)] += 1
        return ds.rollup(amounts)

    return compute


def _active_members(ctx: Context) -> dict[str, Any]:
    ds = ctx.dataset
    t = ds.members
    end = ctx.period.end
    day = end.toordinal()
    counts: dict[int, int] = defaultdict(int)
    for code, joined, left in zip(t.branch, t.joined, t.left):
        if joined <= day and (left == 0 or day < left):
            counts[code] += 1
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

