"""The programme report as a table, JSON, CSV, HTML and a DataFrame (one language per call)."""

from __future__ import annotations

import datetime as _dt
import html
import json
from typing import Any

from ..dataset._programmes import TopicResult
from ..engine._programme_report import LevelCount, ProgrammeReport, ProgrammeSummary, UnitRow
from ..model._i18n import Text
from .text import csv_text, table

__all__ = [
    "coverage_text",
    "html_fragment",
    "span_text",
    "to_csv",
    "to_dataframe",
    "to_dict",
    "to_html",
    "to_json",
    "to_records",
    "to_table",
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MARK = {TopicResult.DONE: "✓", TopicResult.ISSUE: "!", TopicResult.NOT_COVERED: "·"}
_COLUMNS = ("programme_id", "unit_id", "unit_name", "level", "planned", "covered_on",
            "topics_done", "topics_issue", "topics_not_covered", "open_recommendations",
            "overdue_recommendations", "evidence")

_L = {
    "source": Text("Căn cứ", "Source"),
    "period": Text("Thời gian", "Period"),
    "lead": Text("Trưởng đoàn", "Lead"),
    "coverage": Text("Độ bao phủ", "Coverage"),
    "units": Text("đơn vị", "units"),
    "missing": Text("Chưa làm việc", "Not covered"),
    "outside": Text("Ngoài kế hoạch", "Outside the plan"),
    "reconstructed": Text("Chi tiết dựng lại (không công bố)", "Reconstructed (not published)"),
    "matrix": Text("Nội dung × đơn vị", "Topics × units"),
    "legend": Text("✓ đạt · ! có tồn tại · · chưa kiểm tra",
                   "✓ done · ! issue found · · not covered"),
    "open": Text("Kiến nghị còn mở", "Open recommendations"),
    "overdue": Text("quá hạn", "overdue"),
    "none": Text("không có", "none"),
    "closed": Text("đã giải quyết", "closed"),
    "as_of": Text("tính đến", "as of"),
    "unit": Text("đơn vị", "unit"), "id": Text("mã", "id"), "date": Text("ngày", "date"),
    "due": Text("hạn", "due"), "days": Text("quá hạn (ngày)", "days overdue"),
    "waits": Text("chờ", "waits on"), "text": Text("nội dung", "text"),
    "chair": Text("Chủ trì", "Chair"),
    "cluster": Text("Cụm thi đua", "Cluster"),
    "quarter": Text("quý", "quarter"),
    "reported": Text("Đơn vị báo cáo", "Units reporting"),
    "silent": Text("Chưa báo cáo", "Did not report"),
    "conclusions": Text("Kết luận", "Conclusions"),
    "figures": Text("Số liệu hội nghị nêu (so với `doanmodel check`: programmes.review_figures)",
                    "Figures reported (judged by `doanmodel check`: programmes.review_figures)"),
    "no_topics": Text("chương trình không có danh mục nội dung", "the programme has no topics"),
    "outside_mark": Text("(ngoài kế hoạch)", "(outside the plan)"),
    "no_programmes": Text("{dataset}: không có chương trình công tác nào (chương trình được "
                          "khai trong programmes.toml, hoặc trang programmes của sổ Excel)",
                          "{dataset}: no work programme (programmes are declared in "
                          "programmes.toml, or the programmes sheet of a workbook)"),
}


def _t(key: str, lang: str) -> str:
    return _L[key].get(lang)


def _day(day: _dt.date | None, lang: str) -> str:
    if day is None:
        return "—"
    if lang == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}/{day.month}/{day.year}"


def span_text(first: _dt.date, last: _dt.date, lang: str = "vi") -> str:
    """A period as people write it: ``7–10/11/2023`` or ``7–10 November 2023``."""
    if first == last:
        return _day(first, lang)
    if lang == "en":
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{last.day} {_MONTHS[last.month - 1]} {last.year}"
        if first.year == last.year:
            return f"{first.day} {_MONTHS[first.month - 1]} – {_day(last, lang)}"
        return f"{_day(first, lang)} – {_day(last, lang)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day}/{last.month}/{last.year}"
    if first.year == last.year:
        return f"{first.day}/{first.month}–{_day(last, lang)}"
    return f"{_day(first, lang)}–{_day(last, lang)}"


def _level_name(c: LevelCount, lang: str) -> str:
    return c.level.label.get(lang) if c.level is not None else "?"


def coverage_text(s: ProgrammeSummary, lang: str = "vi") -> str:
    """``24/24 đơn vị (12/12 cấp trên cơ sở, 12/12 cơ sở), 7–10/11/2023``."""
    p = s.programme
    parts = ", ".join(f"{c.covered}/{c.planned} {_level_name(c, lang)}" for c in s.by_level)
    head = f"{len(s.covered)}/{len(s.planned)} {_t('units', lang)}"
    return f"{head} ({parts}), {span_text(p.start, p.end, lang)}" if parts else \
        f"{head}, {span_text(p.start, p.end, lang)}"


# ---------------------------------------------------------------------------- dict / JSON
def _summary_dict(s: ProgrammeSummary, lang: str) -> dict[str, Any]:
    p = s.programme
    return {
        "id": p.id, "kind": p.kind, "kind_title": s.kind_title.get(lang),
        "title": p.get_title(lang), "start": p.start.isoformat(), "end": p.end.isoformat(),
        "document": p.document,
        "document_date": p.document_date.isoformat() if p.document_date else None,
        "lead": p.lead, "reconstructed": p.reconstructed,
        **({"cluster": p.cluster, "quarter": p.quarter} if p.kind == "cluster_briefing" else {}),
        **({"chair": p.chair} if p.chair else {}),
        **({"conclusions": list(p.conclusions)} if p.conclusions else {}),
        **({"figures": dict(p.figures)} if p.figures else {}),
        "coverage": {"text": coverage_text(s, lang), "planned": len(s.planned),
                     "covered": len(s.covered),
                     "by_level": [{"level": c.level.value if c.level else None,
                                   "covered": c.covered, "planned": c.planned}
                                  for c in s.by_level],
                     "missing": list(s.missing), "outside_plan": list(s.outside_plan)},
        "topics": [{"id": t.id, "title": t.title.get(lang)} for t in s.topics],
        "matrix": [_row_dict(s, r) for r in s.rows],
        "open_recommendations": [{
            "id": o.recommendation.id, "unit_id": o.unit_id, "unit_name": o.unit_name,
            "text": o.recommendation.get_text(lang),
            "addressee": o.recommendation.addressee.value,
            "addressee_label": o.recommendation.addressee.label.get(lang),
            "addressee_name": o.recommendation.addressee_name,
            "due": o.recommendation.due.isoformat() if o.recommendation.due else None,
            "overdue_days": o.overdue_days, "reconstructed": o.recommendation.reconstructed,
        } for o in s.open_recommendations],
        "closed_recommendations": s.closed_recommendations,
    }


def _row_dict(s: ProgrammeSummary, r: UnitRow) -> dict[str, Any]:
    return {"unit_id": r.unit_id, "unit_name": r.unit_name,
            "level": r.level.value if r.level else None, "planned": r.planned,
            "covered_on": r.covered_on.isoformat() if r.covered_on else None,
            "results": {t.id: res.value for t, res in zip(s.topics, r.results)},
            "conclusions": list(r.conclusions), "evidence": list(r.evidence)}


def to_dict(report: ProgrammeReport, lang: str = "vi") -> dict[str, Any]:
    """JSON-ready data: ``{"dataset", "as_of", "programmes": [...], "exact"}`` (``exact``
    keeps it lossless: ``ProgrammeReport.from_json`` reads it back)."""
    from .convert import programme_exact  # noqa: PLC0415 - the converter loads the engine

    return {"dataset": report.dataset, "as_of": report.as_of.isoformat(),
            "programmes": [_summary_dict(s, lang) for s in report.programmes],
            "exact": programme_exact(report)}


def to_json(report: ProgrammeReport, lang: str = "vi", **kw: Any) -> str:
    """JSON text of :func:`to_dict`."""
    return json.dumps(to_dict(report, lang), ensure_ascii=False, **kw)


# ---------------------------------------------------------------------------- records / CSV
def to_records(report: ProgrammeReport, lang: str = "vi") -> list[dict[str, Any]]:
    """One flat dict per programme and unit of its matrix."""
    out = []
    for s in report.programmes:
        open_by: dict[str, tuple[int, int]] = {}
        for o in s.open_recommendations:
            n, late = open_by.get(o.unit_id, (0, 0))
            open_by[o.unit_id] = (n + 1, late + (o.overdue_days > 0))
        for r in s.rows:
            n, late = open_by.get(r.unit_id, (0, 0))
            out.append({
                "programme_id": s.programme.id, "unit_id": r.unit_id, "unit_name": r.unit_name,
                "level": r.level.label.get(lang) if r.level else "", "planned": r.planned,
                "covered_on": r.covered_on.isoformat() if r.covered_on else "",
                "topics_done": r.results.count(TopicResult.DONE),
                "topics_issue": r.results.count(TopicResult.ISSUE),
                "topics_not_covered": r.results.count(TopicResult.NOT_COVERED),
                "open_recommendations": n, "overdue_recommendations": late,
                "evidence": ";".join(r.evidence)})
    return out


def to_csv(report: ProgrammeReport, lang: str = "vi") -> str:
    """CSV text of :func:`to_records`."""
    rows = [[str(r[c]).lower() if isinstance(r[c], bool) else r[c] for c in _COLUMNS]
            for r in to_records(report, lang)]
    return csv_text(_COLUMNS, rows)


def to_dataframe(report: ProgrammeReport, lang: str = "vi") -> Any:
    """A pandas DataFrame of :func:`to_records` (needs the ``notebook`` extra)."""
    try:
        import pandas as pd  # noqa: PLC0415 - optional dependency
    except ImportError:  # pragma: no cover - depends on the environment
        msg = "to_dataframe needs pandas: pip install 'doanmodel[notebook]'"
        raise ImportError(msg) from None
    return pd.DataFrame.from_records(to_records(report, lang), columns=list(_COLUMNS))


# ---------------------------------------------------------------------------- text table
def _head(s: ProgrammeSummary, lang: str) -> list[str]:
    p = s.programme
    if p.kind in ("cluster_briefing", "review_conference"):
        return _own_head(s, lang)
    out = [f"# {p.id} — {p.get_title(lang)} ({s.kind_title.get(lang)})",
           f"{_t('source', lang)}: {p.document}",
           f"{_t('period', lang)}: {span_text(p.start, p.end, lang)}"
           + (f"; {_t('lead', lang)}: {p.lead}" if p.lead else ""),
           f"{_t('coverage', lang)}: {coverage_text(s, lang)}",
           f"{_t('missing', lang)}: {', '.join(s.missing) or _t('none', lang)}",
           f"{_t('outside', lang)}: {', '.join(s.outside_plan) or _t('none', lang)}"]
    if p.reconstructed:
        out.append(f"{_t('reconstructed', lang)}: {p.reconstructed}")
    return out


def _own_head(s: ProgrammeSummary, lang: str) -> list[str]:
    """The head of a cluster briefing (who reported) or a review conference (its figures)."""
    p = s.programme
    out = [f"# {p.id} — {p.get_title(lang)} ({s.kind_title.get(lang)})",
           f"{_t('source', lang)}: {p.document}",
           f"{_t('period', lang)}: {span_text(p.start, p.end, lang)}"
           + (f"; {_t('chair', lang)}: {p.chair}" if p.chair else "")]
    if p.kind == "cluster_briefing":
        key = p.quarter_key()
        q = (f"{_t('quarter', lang)} {key[1]}/{key[0]}" if lang == "vi" else f"Q{key[1]} {key[0]}"
             ) if key else ""
        out += [f"{_t('cluster', lang)}: {p.cluster}, {q}",
                f"{_t('reported', lang)}: {len(s.covered)}/{len(s.planned)} {_t('units', lang)}",
                f"{_t('silent', lang)}: {', '.join(s.missing) or _t('none', lang)}"]
    elif p.figures:
        out.append(f"{_t('figures', lang)}: "
                   + "; ".join(f"{k} = {v}" for k, v in p.figures.items()))
    if p.conclusions:
        out.append(f"{_t('conclusions', lang)}: " + " ".join(p.conclusions))
    if p.reconstructed:
        out.append(f"{_t('reconstructed', lang)}: {p.reconstructed}")
    return out


def _matrix(s: ProgrammeSummary, lang: str) -> list[str]:
    if not s.topics:
        return [_t("no_topics", lang)]
    codes = [f"T{i}" for i in range(1, len(s.topics) + 1)]
    headers = [_t("id", lang), _t("unit", lang), _t("date", lang), *codes]
    rows = [[r.unit_id, r.unit_name + ("" if r.planned else " " + _t("outside_mark", lang)),
             _day(r.covered_on, lang), *(_MARK[x] for x in r.results)] for r in s.rows]
    out = [f"## {_t('matrix', lang)} ({_t('legend', lang)})", table(headers, rows)]
    out.extend(f"{c} = {t.title.get(lang)}" for c, t in zip(codes, s.topics))
    return out


def _recs(s: ProgrammeSummary, report: ProgrammeReport, lang: str) -> list[str]:
    late = sum(1 for o in s.open_recommendations if o.overdue_days > 0)
    out = [(f"## {_t('open', lang)} ({_t('as_of', lang)} {_day(report.as_of, lang)}): "
            f"{len(s.open_recommendations)}, {_t('overdue', lang)} {late}; "
            f"{_t('closed', lang)} {s.closed_recommendations}")]
    if s.open_recommendations:
        headers = [_t("unit", lang), _t("id", lang), _t("due", lang), _t("days", lang),
                   _t("waits", lang), _t("text", lang)]
        rows = []
        for o in s.open_recommendations:
            rec = o.recommendation
            who = rec.addressee.label.get(lang) + (f" ({rec.addressee_name})"
                                                   if rec.addressee_name else "")
            rows.append([o.unit_id, rec.id, _day(rec.due, lang), o.overdue_days or "",
                         who, rec.get_text(lang)])
        out.append(table(headers, rows, right=(3,)))
    return out


def to_table(report: ProgrammeReport, lang: str = "vi") -> str:
    """The readable report: per programme its coverage, matrix and open recommendations."""
    out: list[str] = []
    for s in report.programmes:
        out += [*_head(s, lang), "", *_matrix(s, lang), "", *_recs(s, report, lang), ""]
    if not out:
        return _none(report, lang) + "\n"
    return "\n".join(out).rstrip() + "\n"


def _none(report: ProgrammeReport, lang: str) -> str:
    return _L["no_programmes"].get(lang).format(dataset=report.dataset)


# ---------------------------------------------------------------------------- HTML
def _html_table(headers: list[str], rows: list[list[Any]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: ProgrammeReport, lang: str = "vi") -> str:
    """A self-contained HTML page (every value escaped)."""
    e = html.escape
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{e(report.dataset)}</title></head><body>\n"
            + html_fragment(report, lang, level=1) + "</body></html>\n")


def html_fragment(report: ProgrammeReport, lang: str = "vi", level: int = 4) -> str:
    """The report as HTML without a page around it (a notebook cell); headings from
    ``<h{level}>``."""
    e = html.escape
    h1, h2 = f"h{level}", f"h{min(level + 1, 6)}"
    parts: list[str] = []
    if not report.programmes:
        parts.append(f"<p>{e(_none(report, lang))}</p>")
    for s in report.programmes:
        head = _head(s, lang)
        parts.append(f"<{h1}>{e(head[0][2:])}</{h1}>")
        parts.extend(f"<p>{e(line)}</p>" for line in head[1:])
        if s.topics:
            parts.append(f"<{h2}>{e(_t('matrix', lang))}</{h2}>")
            parts.append(_html_table(
                [_t("id", lang), _t("unit", lang), _t("date", lang),
                 *(t.title.get(lang) for t in s.topics)],
                [[r.unit_id, r.unit_name, _day(r.covered_on, lang),
                  *(x.label.get(lang) for x in r.results)] for r in s.rows]))
        parts.append(f"<{h2}>{e(_recs(s, report, lang)[0][3:])}</{h2}>")
        parts.append(_html_table(
            [_t("unit", lang), _t("id", lang), _t("due", lang), _t("days", lang),
             _t("waits", lang), _t("text", lang)],
            [[o.unit_id, o.recommendation.id, _day(o.recommendation.due, lang),
              o.overdue_days, o.recommendation.addressee.label.get(lang),
              o.recommendation.get_text(lang)] for o in s.open_recommendations]))
    return "\n".join(parts) + "\n"
