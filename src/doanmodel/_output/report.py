"""A check's :class:`~doanmodel.Report` as contract JSON (streamed), CSV, records, a DataFrame and
a readable table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from ..model._failure import failure_dict
from ..model._labels import SUBJECTS, label
from .exact import finding_exact, report_exact
from .safe import CsvWriter
from .text import csv_text, fmt_number, table
from .values import cell, plain

if TYPE_CHECKING:
    from ..rules._context import Finding, Report

__all__ = ["COLUMNS", "finding_dict", "records", "report_dict", "to_csv", "to_dataframe",
           "to_table", "write_csv", "write_json"]

#: the CSV columns of a report, one row per finding
COLUMNS = ("rule", "subject_type", "subject_id", "status", "value", "threshold", "message",
           "source", "province", "origin")


def _plain(f: Finding, lang: str) -> dict[str, Any]:
    """A finding's contract shape without ``exact`` (the CSV row and the records)."""
    return {"rule": f.rule, "subject_type": f.subject_type, "subject_id": f.subject_id,
            "status": f.status.value, "value": plain(f.value, lang),
            "threshold": plain(f.threshold, lang), "message": f.message.get(lang),
            "source": f.source, "province": f.province, "origin": f.origin,
            "inputs": {k: plain(v, lang) for k, v in f.inputs.items()}}


def finding_dict(f: Finding, lang: str = "vi") -> dict[str, Any]:
    """The contract's JSON shape of a finding (plus ``province``, ``origin``, ``inputs`` and
    ``exact``: what the rounded, one-language shape loses, so that it reads back)."""
    d = _plain(f, lang)
    d["exact"] = finding_exact(f, d["value"], d["threshold"], d["inputs"])
    return d


def _head(report: Report) -> dict[str, Any]:
    return {"dataset": report.dataset, "year": report.period.year, "period": str(report.period)}


def _tail(report: Report) -> dict[str, Any]:
    return {"summary": report.summary(),
            "plugin_failures": [failure_dict(f) for f in report.plugin_failures],
            "provenance": dict(report.provenance), "exact": report_exact(report)}


def report_dict(report: Report, lang: str = "vi") -> dict[str, Any]:
    """The contract's JSON shape of a report."""
    return {**_head(report), "findings": [finding_dict(f, lang) for f in report.findings],
            **_tail(report)}


def _chunks(report: Report, lang: str) -> Iterator[str]:
    """The JSON text of :func:`report_dict`, key by key and finding by finding."""
    dump = json.JSONEncoder(ensure_ascii=False).encode
    yield "{"
    for key, value in _head(report).items():
        yield f"{dump(key)}: {dump(value)}, "
    yield '"findings": ['
    for i, f in enumerate(report.findings):
        yield (",\n  " if i else "\n  ") + dump(finding_dict(f, lang))
    yield "\n]"
    for key, value in _tail(report).items():
        yield f", {dump(key)}: {dump(value)}"
    yield "}\n"


def write_json(report: Report, stream: IO[str], lang: str = "vi") -> None:
    """Write :func:`report_dict` as JSON to *stream* one finding at a time (national reports
    hold hundreds of thousands of findings)."""
    for chunk in _chunks(report, lang):
        stream.write(chunk)


def _row(f: Finding, lang: str) -> list[Any]:
    d = _plain(f, lang)
    return [cell(d[c]) for c in COLUMNS]


def _failure_rows(report: Report) -> Iterator[list[Any]]:
    for pf in report.plugin_failures:  # one row each: rule = where it failed, status = error
        yield [pf.where, "plugin", pf.plugin, "error", "", "", f"{pf.error}: {pf.message}",
               f"{pf.package} {pf.version}", "", pf.plugin]


def write_csv(report: Report, stream: IO[str], lang: str = "vi") -> None:
    """Write the report as CSV to *stream*, one finding per row, then one row per plugin
    failure."""
    writer = CsvWriter(stream)  # text cells neutralised: no spreadsheet formula
    writer.writerow(COLUMNS)
    for f in report.findings:
        writer.writerow(_row(f, lang))
    writer.writerows(_failure_rows(report))


def to_csv(report: Report, lang: str = "vi") -> str:
    """CSV text, one row per finding."""
    return csv_text(COLUMNS, [_row(f, lang) for f in report.findings] +
                    list(_failure_rows(report)))


def records(report: Report, lang: str = "vi") -> list[dict[str, Any]]:
    """One flat dict per finding."""
    return [{k: v for k, v in _plain(f, lang).items() if k != "inputs"}
            for f in report.findings]


def to_dataframe(report: Report, lang: str = "vi") -> Any:
    """A pandas DataFrame of the findings (needs the ``notebook`` extra)."""
    try:
        import pandas as pd  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        from ..exceptions import DoanmodelError  # noqa: PLC0415

        raise DoanmodelError("a DataFrame needs pandas: pip install 'doanmodel[notebook]'"
                             ) from exc
    return pd.DataFrame.from_records(records(report, lang), columns=list(COLUMNS))


def to_table(report: Report, lang: str = "vi", *, only_failed: bool = False) -> str:
    """A readable text report: one section per rule, then the summary."""
    en = lang == "en"
    out: list[str] = []
    titles = {r.id: r for r in report.rules}
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(f.rule, []).append(f)
    for rule_id, findings in groups.items():
        if only_failed and not any(f.status.value == "fail" for f in findings):
            continue
        rule = titles.get(rule_id)
        out.append(f"## {rule_id} — {rule.title.get(lang) if rule else rule_id}")
        if rule:
            out.append(("Source: " if en else "Căn cứ: ") + rule.source)
        shown = [f for f in findings if not only_failed or f.status.value == "fail"]
        rows = [[label(SUBJECTS, f.subject_type, lang), f.subject_id, f.status.label.get(lang),
                 fmt_number(f.value),
                 fmt_number(f.threshold), f.message.get(lang)] for f in shown[:200]]
        headers = (["subject", "id", "status", "value", "threshold", "message"] if en else
                   ["đối tượng", "mã", "kết quả", "giá trị", "ngưỡng", "ghi chú"])
        if rows:
            out.append(table(headers, rows, right=(3, 4)))
        if len(shown) > 200:
            out.append(f"… {len(shown) - 200} " + ("more" if en else "dòng nữa"))
        out.append("")
    s = report.summary()
    out.append(("Summary: " if en else "Tổng hợp: ") +
               (f"{s['findings']} findings, {s['pass']} pass, {s['fail']} fail, "
                f"{s['not_applicable']} not applicable, {s['no_data']} no data" if en else
                f"{s['findings']} kết quả, {s['pass']} đạt, {s['fail']} không đạt, "
                f"{s['not_applicable']} không áp dụng, {s['no_data']} không đủ dữ liệu"))
    if s["absent_tables"]:
        out.append(("Tables not reported: " if en else "Bảng không báo cáo: ")
                   + ", ".join(s["absent_tables"]))
    return "\n".join(out)
