"""The rating report as a table, JSON, CSV and HTML (one language per call)."""

from __future__ import annotations

import html
import json
from typing import Any

from ..model._i18n import Text
from ..model._rating import RatingFinding, RatingLevel, RatingReport, RatingStage, SubjectRating
from .text import csv_text, table

__all__ = ["CSV_COLUMNS", "records", "to_csv", "to_dict", "to_html", "to_json", "to_table"]

CSV_COLUMNS = ("subject_type", "subject_id", "self", "collective", "appraisal", "decision",
               "ceiling", "status", "findings")

_L = {
    "title": Text("Xếp loại chất lượng năm", "Quality rating of"),
    "subject": Text("đối tượng", "subject"), "id": Text("mã", "id"),
    "decided": Text("quyết định", "decided"), "ceiling": Text("mức trần dữ liệu", "ceiling"),
    "status": Text("kết quả", "status"), "findings": Text("Kết luận", "Findings"),
    "rule": Text("quy tắc", "rule"), "message": Text("nội dung", "message"),
    "sources": Text("Căn cứ", "Sources"), "none": Text("không có", "none"),
}
_STATUS = {"fail": Text("không đạt", "fail"), "pass": Text("đạt", "pass"),
           "no_data": Text("không đủ dữ liệu", "no data")}
_SUBJECT = {"member": Text("đoàn viên", "member"), "branch": Text("chi đoàn", "branch"),
            "grassroots": Text("đoàn cơ sở", "grassroots union"),
            "unit": Text("đơn vị", "unit"), "collective": Text("tập thể", "collective")}


def _t(key: str, lang: str) -> str:
    return _L[key].get(lang)


def _level(level: RatingLevel | None, lang: str) -> str:
    return "—" if level is None else level.label.get(lang)


def _stage_level(s: SubjectRating, stage: RatingStage, lang: str) -> str:
    for e in s.stages:
        if e.stage is stage:
            return e.level.label.get(lang)
    return "—"


def _by_subject(report: RatingReport) -> dict[tuple[str, str], list[RatingFinding]]:
    """The findings of each subject, in one pass (a national report holds millions)."""
    out: dict[tuple[str, str], list[RatingFinding]] = {}
    for f in report.findings:
        out.setdefault((f.subject_type, f.subject_id), []).append(f)
    return out


def _status(mine: list[RatingFinding]) -> str:
    statuses = {f.status for f in mine}
    if "fail" in statuses:
        return "fail"
    return "pass" if "pass" in statuses else "no_data"


def _finding_dict(f: RatingFinding, lang: str) -> dict[str, Any]:
    return {"rule": f.rule, "status": f.status, "subject_type": f.subject_type,
            "subject_id": f.subject_id, "message": f.message.get(lang),
            "source": f.source.get(lang)}


def _subject_dict(s: SubjectRating, mine: list[RatingFinding], lang: str) -> dict[str, Any]:
    return {"subject_type": s.subject_type, "subject_id": s.subject_id,
            "stages": [{"stage": e.stage.value, "stage_label": e.stage.label.get(lang),
                        "level": e.level.value, "level_label": e.level.label.get(lang),
                        "by": e.by, "on": e.on.isoformat() if e.on else None, "note": e.note}
                       for e in s.stages],
            "missing": [st.value for st in s.missing],
            "decided": s.decided.value if s.decided else None,
            "ceiling": s.ceiling.value if s.ceiling else None,
            "ceiling_reason": s.ceiling_reason.get(lang) if s.ceiling_reason else None,
            "status": _status(mine)}


def to_dict(report: RatingReport, lang: str = "vi") -> dict[str, Any]:
    """JSON-ready data: ``{"dataset", "year", "ok", "subjects", "findings", "sources",
    "exact"}`` (``exact`` keeps it lossless: ``RatingReport.from_json`` reads it back)."""
    from .convert import converter  # noqa: PLC0415 - the converter loads the engine

    index = _by_subject(report)
    return {"dataset": report.dataset, "year": report.year, "ok": report.ok,
            "subjects": [_subject_dict(s, index.get((s.subject_type, s.subject_id), []), lang)
                         for s in report.subjects],
            "findings": [_finding_dict(f, lang) for f in report.findings],
            "sources": {k: v.get(lang) for k, v in report.sources.items()},
            "exact": converter.unstructure(report, RatingReport)}


def to_json(report: RatingReport, lang: str = "vi", **kw: Any) -> str:
    """JSON text of :func:`to_dict`."""
    return json.dumps(to_dict(report, lang), ensure_ascii=False, **kw)


def records(report: RatingReport, lang: str = "vi") -> list[dict[str, Any]]:
    """One row per subject, in :data:`CSV_COLUMNS`."""
    out = []
    index = _by_subject(report)
    for s in report.subjects:
        mine = index.get((s.subject_type, s.subject_id), [])
        failed = [f.rule for f in mine if f.status == "fail"]
        out.append({"subject_type": s.subject_type, "subject_id": s.subject_id,
                    **{st.value: _stage_level(s, st, lang) for st in RatingStage},
                    "ceiling": _level(s.ceiling, lang),
                    "status": _STATUS[_status(mine)].get(lang),
                    "findings": "; ".join(failed)})
    return out


def to_csv(report: RatingReport, lang: str = "vi") -> str:
    """CSV: one row per subject (the stages' levels, the ceiling, the status)."""
    return csv_text(list(CSV_COLUMNS), [[r[c] for c in CSV_COLUMNS]
                                        for r in records(report, lang)])


def _headers(lang: str) -> list[str]:
    return [_t("subject", lang), _t("id", lang),
            *(st.label.get(lang) for st in RatingStage), _t("ceiling", lang), _t("status", lang)]


def _rows(report: RatingReport, lang: str) -> list[list[str]]:
    index = _by_subject(report)
    return [[_SUBJECT.get(s.subject_type, Text(s.subject_type, s.subject_type)).get(lang),
             s.subject_id, *(_stage_level(s, st, lang) for st in RatingStage),
             _level(s.ceiling, lang),
             _STATUS[_status(index.get((s.subject_type, s.subject_id), []))].get(lang)]
            for s in report.subjects]


def _finding_rows(report: RatingReport, lang: str) -> list[list[str]]:
    return [[f.rule, f"{f.subject_id}", _STATUS[f.status].get(lang), f.message.get(lang)]
            for f in report.findings if f.status != "pass"]


def to_table(report: RatingReport, lang: str = "vi") -> str:
    """The subjects, then the findings that did not pass, then the sources."""
    parts = [f"{_t('title', lang)} {report.year} — {report.dataset}", ""]
    parts.append(table(_headers(lang), _rows(report, lang)) if report.subjects
                 else _t("none", lang))
    rows = _finding_rows(report, lang)
    parts += ["", _t("findings", lang)]
    parts.append(table([_t("rule", lang), _t("id", lang), _t("status", lang),
                        _t("message", lang)], rows) if rows else _t("none", lang))
    parts += ["", _t("sources", lang)]
    parts += [f"- {rule}: {src.get(lang)}" for rule, src in sorted(report.sources.items())]
    return "\n".join(parts) + "\n"


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: RatingReport, lang: str = "vi") -> str:
    """A self-contained HTML page (every value escaped), in *lang* only."""
    e = html.escape
    title = f"{_t('title', lang)} {report.year} — {report.dataset}"
    return "".join([
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title></head><body><h1>{e(title)}</h1>",
        _html_table(_headers(lang), _rows(report, lang)),
        f"<h2>{e(_t('findings', lang))}</h2>",
        _html_table([_t("rule", lang), _t("id", lang), _t("status", lang),
                     _t("message", lang)], _finding_rows(report, lang)),
        f"<h2>{e(_t('sources', lang))}</h2><ul>",
        "".join(f"<li>{e(r)}: {e(s.get(lang))}</li>"
                for r, s in sorted(report.sources.items())),
        "</ul></body></html>"])
