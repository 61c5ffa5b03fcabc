"""The 30/20/10 split rule, read from split.toml."""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import doanmodel as dm

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SPLIT: dict[str, Any] = tomllib.loads(
    (files("doanmodel_bariavungtau") / "split.toml").read_text(encoding="utf-8"))


def evaluate(ctx: dm.Context) -> Iterator[dm.Finding]:
    """One finding per bound cadre: days at each level against its prorated share."""
    rows = ctx.query.quota()
    diy = 366 if ctx.year % 4 == 0 and (ctx.year % 100 or ctx.year % 400 == 0) else 365
    for cadre_id in sorted(rows):
        r = rows[cadre_id]
        if not r.applicable or not ctx.covers(r.province, r.evaluated_on):
            continue  # exempt all year, or a cadre of another province
        parts = []
        ok = True
        for level in SPLIT["level"]:
            need = math.ceil(level["days"] * r.eligible_days / diy)
            got = sum(r.days_by_level.get(lv, 0) for lv in level["levels"])
            ok = ok and got >= need
            parts.append((level, got, need))
        short = [(lv, got, need) for lv, got, need in parts if got < need]
        yield dm.Finding(
            rule="brvt.visits.split", subject_type="cadre", subject_id=cadre_id,
            status=dm.Status.PASS if ok else dm.Status.FAIL,
            value={lv["name_en"]: got for lv, got, _ in parts},
            threshold={lv["name_en"]: need for lv, _, need in parts},
            province=r.province, source=SPLIT["source"],
            inputs={"eligible_days": r.eligible_days, "days_by_level": dict(r.days_by_level)},
            message=dm.Text(
                "; ".join(f"{lv['name']}: {got}/{need} ngày" for lv, got, need in parts)
                + ("" if ok else " — thiếu ở " + ", ".join(lv["name"] for lv, _, _ in short)),
                "; ".join(f"{lv['name_en']}: {got}/{need} days" for lv, got, need in parts)
                + ("" if ok else " — short at " + ", ".join(lv["name_en"] for lv, _, _ in short))))


SPLIT_RULE = dm.Rule(
    id="brvt.visits.split",
    title=dm.Text("Phân bổ 60 ngày đi cơ sở: 30 chi đoàn, 20 xã, 10 huyện",
                  "Split of the 60 base-visit days: 30 branch, 20 commune, 10 district"),
    source=SPLIT["source"], evaluate=evaluate,
    valid_from=SPLIT["from"] if isinstance(SPLIT["from"], _dt.date) else None,
)
