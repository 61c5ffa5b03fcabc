"""Derived indicators, rolled up the tree as it stood on each event's date."""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ..model._i18n import Text
from ..query import MemberEvent
from ._context import Context, IndicatorDef

__all__ = ["BUILTIN_INDICATORS"]

_HD03 = "Hướng dẫn 03-HD/TWĐTN-BTC ngày 21/3/2018"
_CHARTER = "Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XI, 2017), Điều 15"


def _share(num: Mapping[str, Any], den: Mapping[str, Any]) -> dict[str, Decimal]:
    return {uid: Decimal(num.get(uid, 0)) / Decimal(d) for uid, d in den.items() if d}


def _visit_days(ctx: Context) -> dict[str, Any]:
    """Cadre-days spent at units of each subtree; a cadre counts a unit and day once."""
    return dict(ctx.query.visit_days())


def _quota_share(ctx: Context) -> dict[str, Decimal]:
    met: dict[tuple[str, _dt.date], int] = defaultdict(int)
    bound: dict[tuple[str, _dt.date], int] = defaultdict(int)
    for r in ctx.query.quota().values():
        if not r.applicable:
            continue
        key = (r.province, r.evaluated_on)
        bound[key] += 1
        met[key] += int(r.met)
    return _share(ctx.query.rollup(met), ctx.query.rollup(bound))


def _meeting_share(ctx: Context) -> dict[str, Decimal]:
    q = ctx.query
    active: dict[tuple[str, _dt.date], int] = {}
    held: dict[tuple[str, _dt.date], int] = {}
    # months of one stretch with the same tree add up before the roll-up (one key per stretch,
    # not per month: a national 2025 roll-up had 1.9M keys); branches share a few patterns of
    # months, so each pattern is split into stretches once
    stretches = _Stretches(q.tree_changes(), ctx.period.start.month, ctx.period.end.month)
    for uid, bm in q.branch_months().items():
        for day, n_active, n_held in stretches.of(bm.active, bm.first_days, bm.met):
            active[(uid, day)] = n_active
            held[(uid, day)] = n_held
    return _share(q.rollup(held), q.rollup(active))


class _Stretches:
    """Active and met months of a branch counted per stretch between tree changes."""

    def __init__(self, changes: tuple[_dt.date, ...], first: int, last: int) -> None:
        self._changes, self._first, self._last = changes, first, last
        self._memo: dict[tuple[Any, ...], list[tuple[_dt.date, int, int]]] = {}

    def of(self, months: tuple[int, ...], first_days: tuple[_dt.date, ...],
           met: tuple[int, ...]) -> list[tuple[_dt.date, int, int]]:
        """(first day of the stretch, active months, met months) per stretch, in order."""
        key = (months, first_days, met)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._split(months, first_days, set(met))
        return found

    def _split(self, months: tuple[int, ...], first_days: tuple[_dt.date, ...],
               met: set[int]) -> list[tuple[_dt.date, int, int]]:
        out: dict[int, list[Any]] = {}
        for month, day in zip(months, first_days):
            if not self._first <= month <= self._last:
                continue
            counts = out.setdefault(bisect.bisect_right(self._changes, day), [day, 0, 0])
            counts[1] += 1
            counts[2] += month in met
        return [(d, a, h) for d, a, h in out.values()]


def _member_event(column: MemberEvent) -> Callable[[Context], dict[str, Any]]:
    def compute(ctx: Context) -> dict[str, Any]:
        return dict(ctx.query.member_events(column))

    return compute


def _active_members(ctx: Context) -> dict[str, Any]:
    return dict(ctx.query.active_members(rollup=True))


def _ind(ind_id: str, vi: str, en: str, source: str, fn: Callable[[Context], Mapping[str, Any]],
         *requires: str, share: bool = False) -> IndicatorDef:
    # a share leaves out the units with no denominator: for them it is missing, not 0
    return IndicatorDef(id=ind_id, title=Text(vi, en), source=source, compute=fn,
                        requires=requires, zero_when_absent=not share)


_PARTY = "Điều lệ Đảng Cộng sản Việt Nam, Điều 4 (Đoàn giới thiệu đoàn viên ưu tú)"

#: The built-in derived indicators.
BUILTIN_INDICATORS: tuple[IndicatorDef, ...] = (
    _ind("visit_days", "Số ngày cán bộ đi cơ sở", "Cadre-days of base visits", _HD03, _visit_days,
         "visits"),
    _ind("visit_quota_met_share", "Tỷ lệ cán bộ đạt chỉ tiêu 1+2",
         "Share of bound cadres meeting the 1+2 quota", _HD03, _quota_share, "positions",
         "visits", share=True),
    _ind("branch_meeting_share", "Tỷ lệ tháng chi đoàn có sinh hoạt",
         "Share of branch-months with a meeting", _CHARTER, _meeting_share, "meetings",
         share=True),
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

