"""Quality ratings (Hoàn thành xuất sắc / tốt / Hoàn thành / Không hoàn thành) and the cap
on excellent ratings (docs/scoring.md)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._ties import _refine

if TYPE_CHECKING:
    from ..query._source import Source
    from ._criteria import CriteriaSet

__all__ = ["ratings"]


def ratings(ctx: Source, cset: CriteriaSet, rows: list[dict[str, Any]],
            end: _dt.date) -> dict[str, str]:
    """
    Quality ratings by share of the core maximum. The share rated "excellent" is capped at
    ``excellent_cap`` × the number rated good or better, across the whole board; the units over
    the cap (lowest totals first) are rated "good" instead, and so is a group of units equal on
    the total and every tie-break key that the cap would cut in two.
    """
    q = dict(cset.quality)

    def band(name: str, param: str) -> Decimal:
        if name in q:
            return q[name]
        try:
            return Decimal(ctx.param(param, end))
        except KeyError:
            return {"excellent": Decimal("0.9"), "good": Decimal("0.8"),
                    "complete": Decimal("0.5"), "excellent_cap": Decimal("0.2")}[name]

    exc, good, comp = (band("excellent", "quality.excellent_share"),
                       band("good", "quality.good_share"),
                       band("complete", "quality.complete_share"))
    cap = band("excellent_cap", "quality.excellent_cap")
    top = cset.max_core or Decimal(1)
    out: dict[str, str] = {}
    for r in rows:
        share = r["total"] / top
        out[r["unit_id"]] = ("excellent" if share >= exc else "good" if share >= good else
                             "complete" if share >= comp else "incomplete")
    good_or_better = [r for r in rows if out[r["unit_id"]] in ("excellent", "good")]
    allowed = int(cap * len(good_or_better))
    excellent = [r for r in rows if out[r["unit_id"]] == "excellent"]
    # by total, then the set's tie-break keys (never the unit id): a group of equal units that
    # the cap would cut in two is rated good as a whole, since which of them to keep would be
    # arbitrary (a council vote recorded as a tie-break input separates them)
    kept = 0
    for run in _refine(excellent, ("total", *cset.tie_break)) if excellent else []:
        if kept + len(run) > allowed:
            kept = allowed  # nobody after a cut group is kept either
            for r in run:
                out[r["unit_id"]] = "good"
            continue
        kept += len(run)
    return out
