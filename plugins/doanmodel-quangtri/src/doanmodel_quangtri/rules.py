"""The visit-report deadline rule; its number of days is the parameter in parameters.toml."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import doanmodel as dm

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PARAMETERS: list[dict[str, Any]] = tomllib.loads(
    (files("doanmodel_quangtri") / "parameters.toml").read_text(encoding="utf-8"))["parameter"]
SOURCE = "Kế hoạch 167-KH/TĐTN-XDĐ ngày 13/4/2020, Tỉnh đoàn Quảng Trị (hạn báo cáo 10 ngày)"
RULE_ID = "quangtri.visits.report_deadline"


def evaluate(ctx: dm.Context) -> Iterator[dm.Finding]:
    """One finding per counted visit that ended in the year while a deadline was in force."""
    rows = ctx.query.quota()
    for cadre_id in sorted(rows):
        r = rows[cadre_id]
        if not ctx.covers(r.province, r.evaluated_on):
            continue  # a cadre of another province
        for vid in r.visits_counted:
            finding = _finding(ctx, ctx.query.visit(vid), cadre_id, r.province)
            if finding is not None:
                yield finding


def _finding(ctx: dm.Context, v: dm.Visit, cadre_id: str, province: str) -> dm.Finding | None:
    if v.last_day.year != ctx.year:
        return None
    try:
        entry = ctx.params.entry("visits.report_within_days", v.last_day, province)
    except KeyError:  # no deadline was in force when the visit ended
        return None
    within = int(entry.value)
    due = v.last_day + _dt.timedelta(days=within)
    inputs: dict[str, Any] = {"end": v.last_day, "due": due, "report_on": v.report_on,
                              "cadre_id": cadre_id}
    # KH 167 is the 2020 plan: a later visit (and the province merged on 1/7/2025) is judged by
    # an extended value, and the finding says so (docs/parameters.md, "Validity")
    note = None
    if entry.until is not None and v.last_day > entry.until:
        inputs["extended"] = ["visits.report_within_days"]
        note = dm.Text(f" [kéo dài, chưa có văn bản: KH 167 đến {entry.until:%d/%m/%Y}]",
                       f" [extended, no document: KH 167 until {entry.until.isoformat()}]")
    common: dict[str, Any] = {"rule": RULE_ID, "subject_type": "visit", "subject_id": v.id,
                              "threshold": within, "province": province, "source": SOURCE,
                              "inputs": inputs}
    vi, en = note.vi if note else "", note.en if note else ""
    if v.report_on is None:
        return dm.Finding(status=dm.Status.FAIL, value=None, **common,
                          message=dm.Text(f"chưa có báo cáo (hạn {due:%d/%m/%Y}){vi}",
                                          f"no report filed (due {due.isoformat()}){en}"))
    late = (v.report_on - v.last_day).days
    return dm.Finding(
        status=dm.Status.PASS if late <= within else dm.Status.FAIL, value=late, **common,
        message=dm.Text(f"báo cáo sau {late} ngày (hạn {within} ngày){vi}",
                        f"report filed {late} days after the visit (limit {within}){en}"))


REPORT_RULE = dm.Rule(
    id=RULE_ID,
    title=dm.Text("Báo cáo kết quả đi cơ sở trong 10 ngày (Quảng Trị)",
                  "Visit reports filed within 10 days (Quảng Trị)"),
    source=SOURCE, evaluate=evaluate, valid_from=_dt.date(2020, 4, 13),
    description=dm.Text(
        "Báo cáo kết quả (report_on) nộp trong visits.report_within_days ngày sau khi kết thúc "
        "đợt đi cơ sở; chưa có báo cáo là không đạt.",
        "A counted visit's report (report_on) is due within visits.report_within_days days of "
        "the visit's end; a missing report fails."),
)
