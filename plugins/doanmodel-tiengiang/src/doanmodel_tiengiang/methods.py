"""The target-band scoring method and the working-session indicator."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import doanmodel as dm

ZERO = Decimal(0)
NO_TARGET = dm.Text("không có chỉ tiêu: 0 điểm", "no target: 0 points")
MISSING = dm.Text("thiếu số liệu (không phải 0)", "missing (not zero)")


def _bands(c: dm.Criterion) -> list[tuple[Decimal, Decimal]]:
    return sorted(((Decimal(str(b["share"])), Decimal(str(b["points_share"])))
                   for b in c.options["bands"]), reverse=True)


def target_bands(c: dm.Criterion, inputs: Mapping[str, dm.MethodInput]
                 ) -> dict[str, tuple[Decimal, dm.Text | None]]:
    """Points × the share of the first band whose share of the target the value reaches."""
    out: dict[str, tuple[Decimal, dm.Text | None]] = {}
    for uid, inp in inputs.items():
        if inp.value is None:
            out[uid] = (ZERO, MISSING)
        elif not inp.target:
            out[uid] = (ZERO, NO_TARGET)
        else:
            share = inp.value / inp.target
            pts = next((c.points * ps for s, ps in _bands(c) if share >= s), ZERO)
            pct = (share * 100).quantize(Decimal(1))
            out[uid] = (pts, dm.Text(f"đạt {pct}% chỉ tiêu", f"{pct}% of target"))
    return out


def _check(c: dm.Criterion) -> str | None:
    bands = c.options.get("bands")
    if not isinstance(bands, list) or not bands or not all(
            isinstance(b, dict) and {"share", "points_share"} <= set(b) for b in bands):
        return "bands"
    return None


TARGET_BANDS = dm.ScoringMethod(name="target_bands", score=target_bands,
                                keys=("target", "bands"), check=_check)


def working_sessions(ctx: dm.Context) -> dict[str, Any]:
    """Working sessions (buổi làm việc) held at each unit's subtree in the period."""
    return dict(ctx.query.meeting_counts(dm.MeetingKind.WORKING_SESSION))


WORKING_SESSIONS = dm.IndicatorDef(
    id="tg.working_sessions",
    title=dm.Text("Số buổi làm việc, củng cố và nâng chất cơ sở Đoàn",
                  "Working sessions to consolidate base unions"),
    source="Tỉnh Đoàn Tiền Giang: làm việc, củng cố và nâng chất cơ sở Đoàn năm 2024",
    compute=working_sessions, requires=("meetings",))
