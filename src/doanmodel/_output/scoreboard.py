"""JSON, records, CSV and the readable table of a :class:`~doanmodel.Scoreboard`, its standings,
criterion scores and cluster boards, and of an explanation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..model._failure import PluginFailure, failure_dict
from ..model._i18n import Text, language
from ..scoring._scoring import (
    RATINGS,
    ClusterBoard,
    CriterionScore,
    Explanation,
    Scoreboard,
    StageValue,
    Standing,
)
from .text import csv_text, fmt_number, json_number, table

__all__ = ["award_cell", "cluster_dict", "cluster_from_dict", "criterion_dict",
           "criterion_from_dict", "explanation_dict", "explanation_json", "from_dict",
           "from_json", "standing_dict", "standing_from_dict", "to_csv", "to_dict",
           "to_records", "to_table"]


def criterion_dict(cs: CriterionScore, lang: str = "vi") -> dict[str, Any]:
    """JSON form of a criterion score (points rounded for output; exact values under
    ``exact``)."""
    return {"id": cs.id, "title": cs.title, "group": cs.group, "method": cs.method,
            "bonus": cs.bonus, "penalty": cs.penalty,
            "points": json_number(cs.points), "max": json_number(cs.max),
            "value": json_number(cs.value), "how": cs.how,
            "target": json_number(cs.target),
            "note": cs.note.get(lang) if cs.note else None, "source": cs.source,
            "exact": {"points": str(cs.points), "max": str(cs.max),
                      "value": None if cs.value is None else str(cs.value),
                      "target": None if cs.target is None else str(cs.target),
                      "note": None if cs.note is None else [cs.note.vi, cs.note.en]}}


def criterion_from_dict(cls: type[CriterionScore], d: Mapping[str, Any]) -> CriterionScore:
    """Inverse of :func:`criterion_dict`."""
    e = d["exact"]
    return cls(id=d["id"], title=d["title"], group=d["group"], method=d["method"],
               bonus=d["bonus"], penalty=d["penalty"], points=Decimal(e["points"]),
               max=Decimal(e["max"]),
               value=None if e["value"] is None else Decimal(e["value"]), how=d["how"],
               target=None if e["target"] is None else Decimal(e["target"]),
               note=None if e["note"] is None else Text(*e["note"]), source=d["source"])


def _standing_exact(s: Standing) -> dict[str, Any]:
    """The lossless ``exact`` part of a standing's JSON form."""
    return {"total": str(s.total), "core": str(s.core), "bonus": str(s.bonus),
            "bonus_raw": str(s.bonus_raw), "penalty": str(s.penalty),
            "award": [s.award, s.award_en],
            "unranked_reason": None if s.unranked_reason is None else
            [s.unranked_reason.vi, s.unranked_reason.en],
            "undecided_reason": None if s.undecided_reason is None else
            [s.undecided_reason.vi, s.undecided_reason.en],
            "award_reason": None if s.award_reason is None else
            [s.award_reason.vi, s.award_reason.en],
            "deviation_note": None if s.deviation_note is None else
            [s.deviation_note.vi, s.deviation_note.en],
            "self_total": None if s.self_total is None else str(s.self_total),
            "deviation": None if s.deviation is None else str(s.deviation)}


def stage_dict(v: StageValue) -> dict[str, Any]:
    """JSON form of one stage of a reported figure (its value exact, as text too)."""
    return {"indicator": v.indicator, "stage": v.stage, "value": json_number(v.value),
            "by": v.by, "on": None if v.on is None else v.on.isoformat(),
            "evidence": v.evidence, "used": v.used, "exact": {"value": str(v.value)}}


def stage_from_dict(d: Mapping[str, Any]) -> StageValue:
    """Inverse of :func:`stage_dict`."""
    import datetime as _dt  # noqa: PLC0415

    return StageValue(indicator=d["indicator"], stage=d["stage"],
                      value=Decimal(d["exact"]["value"]), by=d["by"],
                      on=None if d["on"] is None else _dt.date.fromisoformat(d["on"]),
                      evidence=d["evidence"], used=d["used"])


def standing_dict(s: Standing, lang: str = "vi") -> dict[str, Any]:
    """JSON form of a standing (the contract's shape)."""
    return {
        "unit_id": s.unit_id, "unit_name": s.unit_name, "rank": s.rank,
        "total": json_number(s.total), "core": json_number(s.core),
        "bonus": json_number(s.bonus), "bonus_raw": json_number(s.bonus_raw),
        "penalty": json_number(s.penalty), "award": s.award_label(lang),
        "rating": s.rating,
        "rating_label": RATINGS[s.rating].get(lang),
        "unranked_reason": None if s.unranked_reason is None else
        s.unranked_reason.get(lang),
        "tied_with": list(s.tied_with), "award_undecided": list(s.undecided),
        "undecided_reason": None if s.undecided_reason is None else
        s.undecided_reason.get(lang),
        "criteria": [criterion_dict(c, lang) for c in s.criteria],
        "award_reason": None if s.award_reason is None else s.award_reason.get(lang),
        "self_total": json_number(s.self_total), "deviation": json_number(s.deviation),
        "deviation_status": s.deviation_status,
        "deviation_note": None if s.deviation_note is None else s.deviation_note.get(lang),
        "stages": [stage_dict(v) for v in s.stages],
        "exact": _standing_exact(s),
    }


def standing_from_dict(cls: type[Standing], d: Mapping[str, Any]) -> Standing:
    """Inverse of :func:`standing_dict`."""
    e = d["exact"]
    return cls(unit_id=d["unit_id"], unit_name=d["unit_name"], rank=d["rank"],
               total=Decimal(e["total"]), core=Decimal(e["core"]), bonus=Decimal(e["bonus"]),
               bonus_raw=Decimal(e["bonus_raw"]), penalty=Decimal(e["penalty"]),
               award=e["award"][0] if "award" in e else d["award"],
               award_en=e["award"][1] if "award" in e else None, rating=d["rating"],
               criteria=tuple(criterion_from_dict(CriterionScore, c) for c in d["criteria"]),
               unranked_reason=None if e["unranked_reason"] is None else
               Text(*e["unranked_reason"]), tied_with=tuple(d.get("tied_with", ())),
               undecided=tuple(d.get("award_undecided", ())),
               undecided_reason=None if e.get("undecided_reason") is None else
               Text(*e["undecided_reason"]),
               self_total=None if e.get("self_total") is None else Decimal(e["self_total"]),
               deviation=None if e.get("deviation") is None else Decimal(e["deviation"]),
               stages=tuple(stage_from_dict(v) for v in d.get("stages", ())),
               award_reason=None if e.get("award_reason") is None else
               Text(*e["award_reason"]), deviation_status=d.get("deviation_status"),
               deviation_note=None if e.get("deviation_note") is None else
               Text(*e["deviation_note"]))


def cluster_dict(c: ClusterBoard, lang: str = "vi") -> dict[str, Any]:
    """JSON form of a cluster board (the contract's shape)."""
    return {"id": c.id, "name": c.name, "year": c.year, "lead": c.lead,
            "criteria_id": c.criteria_id,
            "standings": [standing_dict(s, lang) for s in c.standings]}


def cluster_from_dict(cls: type[ClusterBoard], d: Mapping[str, Any]) -> ClusterBoard:
    """Inverse of :func:`cluster_dict`."""
    return cls(id=d["id"], name=d["name"], year=d["year"], lead=d["lead"],
               standings=tuple(standing_from_dict(Standing, s) for s in d["standings"]),
               criteria_id=d.get("criteria_id"))


def to_dict(board: Scoreboard, lang: str = "vi") -> dict[str, Any]:
    """The contract's JSON shape of a scoreboard."""
    return {"dataset": board.dataset, "year": board.year,
            "criteria": {"id": board.criteria_id, "title": board.criteria_title,
                         "source": board.criteria_source,
                         "max_total": json_number(board.max_total),
                         "exact": {"max_total": str(board.max_total)}},
            "clusters": [cluster_dict(c, lang) for c in board.clusters],
            "plugin_failures": [failure_dict(f) for f in board.plugin_failures],
            "provenance": dict(board.provenance)}


def from_dict(cls: type[Scoreboard], d: Mapping[str, Any]) -> Scoreboard:
    """Rebuild a scoreboard from :func:`to_dict` output (exact values are kept)."""
    c = d["criteria"]
    return cls(dataset=d["dataset"], year=d["year"], criteria_id=c["id"],
               criteria_title=c["title"], criteria_source=c["source"],
               max_total=Decimal(c["exact"]["max_total"]),
               clusters=tuple(cluster_from_dict(ClusterBoard, x) for x in d["clusters"]),
               provenance=d.get("provenance", {}),
               plugin_failures=tuple(PluginFailure(**f)
                                     for f in d.get("plugin_failures", ())))


def from_json(cls: type[Scoreboard], text: str) -> Scoreboard:
    """Rebuild a scoreboard from its JSON text (the contract's shape, whose ``exact`` values
    keep it lossless) or from the converter's ``$type`` form."""
    from .convert import loads  # noqa: PLC0415

    return loads(text, cls)  # type: ignore[no-any-return]


def to_records(board: Scoreboard, lang: str = "vi") -> list[dict[str, Any]]:
    """One flat dict per unit: cluster, rank, totals, award, rating, and each criterion."""
    out = []
    for c in board.clusters:
        for s in c.standings:
            row: dict[str, Any] = {
                "cluster_id": c.id, "cluster_name": c.name, "unit_id": s.unit_id,
                "unit_name": s.unit_name, "rank": s.rank, "total": float(s.total),
                "core": float(s.core), "bonus": float(s.bonus), "penalty": float(s.penalty),
                "award": s.award_label(lang),
                "award_undecided": "; ".join(s.undecided) or None,
                "rating": RATINGS[s.rating].get(lang),
                "self_total": None if s.self_total is None else float(s.self_total),
                "deviation": None if s.deviation is None else float(s.deviation)}
            for cs in s.criteria:
                row[cs.id] = float(cs.points)
            out.append(row)
    return out


def to_csv(board: Scoreboard, lang: str = "vi") -> str:
    """CSV, one row per unit."""
    records = to_records(board, lang)
    if not records:
        return csv_text(["cluster_id", "unit_id"], [])
    headers = list(records[0])
    for r in records[1:]:
        headers.extend(k for k in r if k not in headers)
    return csv_text(headers, [[_csv_cell(r.get(h)) for h in headers] for r in records])


def _cluster_table(c: ClusterBoard, headers: list[str], lang: str) -> list[str]:
    """The heading, board and notes of one cluster in the readable table."""
    en = lang == "en"
    out = [f"## {c.name} ({c.id}, {c.year})" +
           (f" — {'lead' if en else 'cụm trưởng'}: {c.lead}" if c.lead else "")]
    rows = [[s.rank if s.rank is not None else "—", s.unit_id, s.unit_name,
             fmt_number(s.total), fmt_number(s.core), fmt_number(s.bonus),
             fmt_number(s.penalty), award_cell(s, lang), RATINGS[s.rating].get(lang)]
            for s in c.standings]
    if any(s.self_total is not None for s in c.standings):  # the stages of the score
        headers = [*headers, *(("self-score", "deviation") if en else ("tự chấm", "chênh lệch"))]
        for row, s in zip(rows, c.standings):
            row += ["—" if s.self_total is None else fmt_number(s.self_total),
                    "—" if s.deviation is None else signed(s.deviation)]
    out.append(table(headers, rows, right=(0, 3, 4, 5, 6, 9, 10)))
    for s in c.standings:
        if s.unranked_reason:
            out.append(f"  {s.unit_id}: {s.unranked_reason.get(lang)}")
        if s.undecided_reason:
            out.append(f"  {s.unit_id}: {s.undecided_reason.get(lang)}")
        if s.award_reason:
            out.append(f"  {s.unit_id}: {s.award_reason.get(lang)}")
        if s.deviation_status == "fail" and s.deviation_note:
            out.append(f"  {s.unit_id}: {s.deviation_note.get(lang)}")
    out.append("")
    return out


def to_table(board: Scoreboard, lang: str = "vi") -> str:
    """Readable boards, one per cluster."""
    en = lang == "en"
    out = [f"{board.criteria_title} ({board.criteria_id}) — " +
           (f"max {fmt_number(board.max_total)} points; source: " if en else
            f"tối đa {fmt_number(board.max_total)} điểm; căn cứ: ") + board.criteria_source, ""]
    headers = (["rank", "unit", "name", "total", "core", "bonus", "penalty", "award",
                "rating"] if en else
               ["hạng", "mã", "đơn vị", "tổng", "điểm chính", "thưởng", "trừ", "khen thưởng",
                "xếp loại"])
    made_up = reconstructed_line(board, lang)
    if made_up:
        out[1:1] = [made_up]
    for c in board.clusters:
        out.extend(_cluster_table(c, headers, lang))
    return "\n".join(out).rstrip() + "\n"


def reconstructed_line(board: Any, lang: str = "vi", unit: str | None = None) -> str | None:
    """The line a board (or an explanation of *unit*) resting on reconstructed values
    carries: the tables marked whole, and the rows marked one by one (*unit*'s own)."""
    tables = [t for t in board.provenance.get("reconstructed", ())
              if t in ("indicators", "targets", "members", "meetings", "visits", "positions")]
    rows = [r for r in board.provenance.get("reconstructed_rows", ())
            if r.split(" ")[0] not in tables  # a row of a table marked whole is said already
            and (unit is None or r.split(" ")[1] == unit)]
    if rows:
        tables = [*tables, *rows[:8], *([f"+{len(rows) - 8}"] if len(rows) > 8 else [])]
    if not tables:
        return None
    return ("Rests on values reconstructed, not in the source: " if lang == "en" else
            "Dựa trên số liệu dựng lại, không có trong nguồn: ") + ", ".join(tables)


def signed(value: Decimal) -> str:
    """A deviation as people write it: ``+2``, ``-1,5``, ``0``."""
    return ("+" if value > 0 else "") + fmt_number(value)


def award_cell(s: Standing, lang: str = "vi") -> str:
    """The award column: the award, and any undecided one marked as such."""
    mark = " (undecided)" if lang == "en" else " (chưa quyết định)"
    award = s.award_label(lang)
    parts = ([award] if award else []) + [f"{t}?{mark}" for t in s.undecided]
    return "; ".join(parts)


def _csv_cell(value: Any) -> Any:
    """A CSV cell: floats written as people read numbers."""
    if isinstance(value, float):
        return fmt_number(value)
    return value


def explanation_dict(e: Explanation, lang: str) -> dict[str, Any]:
    """JSON form of an explanation in *lang*."""
    s = e.standing
    return {"dataset": e.board.dataset, "year": e.board.year,
            "criteria_set": e.board.criteria_id, "cluster": e.cluster.id,
            **standing_dict(s, lang), "provenance": dict(e.board.provenance)}


def explanation_json(e: Explanation, *, exact: bool = False, **kw: Any) -> str:
    """JSON text of an explanation: its :meth:`~Explanation.to_dict`, or with *exact* the
    lossless form the converter reads back."""
    if exact:
        from .convert import to_json  # noqa: PLC0415

        return to_json(e, **kw)
    from .convert import explanation_document  # noqa: PLC0415

    return json.dumps(explanation_document(e, e.language or language()), ensure_ascii=False,
                      **kw)
