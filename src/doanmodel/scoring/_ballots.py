"""Awards decided by the emulation council's secret ballot (``award_by = "ballot"``).

The ranks stay what the points say; only the awards change: a unit gets an award when its
ballot for it has more votes for than the set's majority of the voters (more than half by
default); an even split is no award; a ballot for a unit that is not ranked (its data missing,
or it ended) gives no award; without a ballot the award is "no data", never taken from the rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..model._ballot import Ballot
from ..model._i18n import Text
from ._criteria import CriteriaSet
from ._scoring import ClusterBoard, Standing

__all__ = ["apply_ballots"]

_HALF = Decimal("0.5")


def apply_ballots(board: ClusterBoard, cset: CriteriaSet,
                  ballots: Sequence[Ballot] | None) -> ClusterBoard:
    """*board* with its awards decided by *ballots* (``None``: no ``ballots.csv``)."""
    mine = [b for b in ballots or () if b.cluster_id == board.id and b.year == board.year]
    return attrs.evolve(board, standings=tuple(_decide(s, cset, mine, ballots is None)
                                               for s in board.standings))


def _decide(s: Standing, cset: CriteriaSet, ballots: Sequence[Ballot],
            no_file: bool) -> Standing:
    majority = cset.ballot_majority if cset.ballot_majority is not None else _HALF
    source = cset.ballot_source or ""
    own = {b.award: b for b in ballots if b.unit_id == s.unit_id}

    def done(award: str | None, why: Text) -> Standing:
        award_en = next((a.title_en for a in cset.awards if a.title == award), None)
        return attrs.evolve(s, award=award, award_en=award_en if award else None,
                            undecided=(), undecided_reason=None,
                            award_reason=Text(f"{why.vi} ({source})", f"{why.en} ({source})"))

    if not own:
        return done(None, Text(
            "không đủ dữ liệu: " + ("không có tệp ballots.csv" if no_file else
                                   "không có phiếu bầu của hội đồng thi đua cho đơn vị")
            + "; danh hiệu do hội đồng bỏ phiếu quyết định, không theo thứ hạng",
            "no data: " + ("no ballots.csv" if no_file else "the council's ballot for the unit is "
                           "not recorded") + "; the council votes the award, it does not "
            "follow the rank"))
    if s.rank is None:
        return done(None, Text("có phiếu bầu nhưng đơn vị không xếp hạng (thiếu số liệu hoặc "
                               "đã kết thúc): không khen thưởng",
                               "a ballot, but the unit is not ranked (inputs missing or it "
                               "ended): no award"))
    for a in cset.awards:  # the highest award the council voted for the unit
        b = own.get(a.title)
        if b is None:
            continue
        if b.voters and Decimal(b.votes_for) > majority * b.voters:
            share = f"{(majority * 100).normalize():f}"
            return done(a.title, Text(
                f"hội đồng bỏ phiếu: {b.votes_for}/{b.voters} đồng ý {a.title} (cần hơn "
                f"{share}% số người bỏ phiếu)",
                f"council ballot: {b.votes_for} of {b.voters} for {a.title} (more than "
                f"{share}% of the voters needed)"))
    said = "; ".join(f"{b.award} {b.votes_for}/{b.voters}" for b in own.values())
    return done(None, Text(f"hội đồng bỏ phiếu: {said}, không đạt quá bán: không khen thưởng",
                           f"council ballot: {said}, no majority: no award"))
