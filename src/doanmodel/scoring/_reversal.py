"""
The rank-reversal check: remove one unit from its cluster and list the pairs of others whose
order flips. Only criteria scored relative to the cluster (``per_unit = False``, e.g. ``rank``)
can cause one; with none, the check says so without re-scoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..model._i18n import Text
from ._criteria import ZERO, CriteriaSet, Criterion, MethodInput, ScoringMethod
from ._scoring import Scoreboard, Standing

__all__ = ["REVERSAL_MAX_UNITS", "RankReversal", "reversals"]

#: clusters larger than this are not checked (the check is cubic in size; emulation clusters
#: have 3 to 15 members)
REVERSAL_MAX_UNITS = 60


@attrs.frozen(kw_only=True)
class RankReversal:
    """Removing *removed* from its cluster puts *behind* ahead of *ahead*."""

    cluster_id: str
    removed: str
    ahead: str
    behind: str


def reversals(board: Scoreboard, cset: CriteriaSet, methods: Mapping[str, ScoringMethod]
              ) -> tuple[tuple[RankReversal, ...], Text]:
    """Every flip found by removing each unit of each cluster in turn, and what was checked."""
    relative = [c for c in cset.criteria if not methods[c.method].per_unit]
    if not relative:
        return (), Text(
            "không thể có đảo hạng: mọi tiêu chí chấm một đơn vị trên số liệu của chính nó",
            "no rank reversal is possible: every criterion scores a unit on its own data")
    found: list[RankReversal] = []
    skipped = []
    for cl in board.clusters:
        ranked = [s for s in cl.standings if s.rank is not None]
        if len(ranked) > REVERSAL_MAX_UNITS:
            skipped.append(cl.id)
            continue
        for gone in ranked:
            rest = [s for s in ranked if s is not gone]
            after = _rescore_without(rest, relative, methods, cset)
            for a in rest:
                for z in rest:
                    if (a.rank or 0) < (z.rank or 0) and after[z.unit_id] > after[a.unit_id]:
                        found.append(RankReversal(cluster_id=cl.id, removed=gone.unit_id,
                                                  ahead=a.unit_id, behind=z.unit_id))
    rel = ", ".join(c.id for c in relative)
    note = Text(f"đã thử bỏ từng đơn vị khỏi cụm; tiêu chí tương đối: {rel}",
                f"each unit was removed from its cluster in turn; relative criteria: {rel}")
    if skipped:
        note = note + Text(
            f"; bỏ qua {len(skipped)} cụm trên {REVERSAL_MAX_UNITS} đơn vị",
            f"; {len(skipped)} cluster(s) over {REVERSAL_MAX_UNITS} units not checked")
    return tuple(found), note


def _rescore_without(rest: list[Standing], relative: list[Criterion],
                     methods: Mapping[str, ScoringMethod], cset: CriteriaSet
                     ) -> dict[str, Decimal]:
    """Each remaining unit's total with the relative criteria re-scored among *rest*."""
    new: dict[tuple[str, str], Decimal] = {}
    for c in relative:
        inputs = {s.unit_id: MethodInput(cs.value, cs.how, cs.target)
                  for s in rest for cs in s.criteria if cs.id == c.id}
        scored = methods[c.method].score(c, inputs)
        for uid in inputs:
            new[(uid, c.id)] = max(ZERO, min(Decimal(scored[uid][0]), c.points))
    totals = {}
    for s in rest:
        pts = [(x, new.get((s.unit_id, x.id), x.points)) for x in s.criteria if not x.penalty]
        core = sum((p for x, p in pts if not x.bonus), ZERO)
        raw = sum((p for x, p in pts if x.bonus), ZERO)
        bonus = raw if cset.bonus_cap is None else min(raw, cset.bonus_cap)
        totals[s.unit_id] = max(ZERO, core + bonus - s.penalty)
    return totals
