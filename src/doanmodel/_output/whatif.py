"""The readable table of a :class:`~doanmodel.engine._engine.WhatIf`: who moved."""

from __future__ import annotations

from ..engine._engine import WhatIf
from .text import fmt_number, table

__all__ = ["to_table"]


def to_table(w: WhatIf, lang: str = "vi") -> str:
    """The rank changes as a readable table."""
    en = lang == "en"
    headers = (["cluster", "unit", "rank before", "rank after", "total before",
                "total after"] if en else
               ["cụm", "đơn vị", "hạng trước", "hạng sau", "điểm trước", "điểm sau"])
    rows = [[c.cluster_id, c.unit_id, c.rank_before or "—", c.rank_after or "—",
             fmt_number(c.total_before), fmt_number(c.total_after)] for c in w.changes]
    if not rows:
        return "No rank changes." if en else "Không có thay đổi thứ hạng."
    return table(headers, rows, right=(2, 3, 4, 5))
