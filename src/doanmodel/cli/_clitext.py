"""
The command line's checks before it runs (ids, years, ``--set``, ``--weight``) and its bilingual
summary lines; kept out of ``_core.py`` so the commands stay short.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..exceptions import DatasetError
from ..model._i18n import Text
from ._cliargs import (
    CLUSTER,
    CRITERIA_SET,
    RULE,
    UNIT,
    InputError,
    check_ids,
    parse_set,
    parse_weights,
    period_warnings,
    unknown,
    warn,
)
from ._paramcheck import parameter_problems

__all__ = ["check_inputs", "counts_line", "dataset_parameters", "explain_inputs",
           "json_with_warnings", "result_warnings", "score_inputs"]

#: the table names of ``validate``'s summary
TABLES: dict[str, Text] = {
    "units": Text("đơn vị", "units"),
    "cadres": Text("cán bộ", "cadres"),
    "positions": Text("chức vụ", "positions"),
    "visits": Text("đợt đi cơ sở", "visits"),
    "meetings": Text("cuộc họp", "meetings"),
    "members": Text("đoàn viên", "members"),
    "clusters": Text("cụm thi đua", "clusters"),
    "programmes": Text("chương trình công tác", "programmes"),
    "absences": Text("đợt vắng mặt", "absences"),
    "indicators": Text("chỉ số", "indicators"),
    "targets": Text("chỉ tiêu", "targets"),
}

#: the tables ``validate`` counts, in its order (the first eight as before)
_COUNTED = ("units", "cadres", "positions", "visits", "meetings", "members", "clusters",
            "programmes", "absences", "indicators", "targets")
_FILE_OF = {"clusters": "clusters.toml", "programmes": "programmes.toml"}


def table_counts(ds: Any) -> dict[str, int]:
    """Rows of every table, as the manifest recorded them (members and meetings counted where
    they live: in DuckDB for a Parquet folder or a store), else as the dataset holds them."""
    manifest = getattr(ds, "manifest", None)
    out: dict[str, int] = {}
    for key in _COUNTED:
        rows = manifest.rows(_FILE_OF.get(key, f"{key}.csv")) if manifest is not None else None
        out[key] = rows if rows is not None else len(getattr(ds, key))
    return out


def counts_line(name: str, summary: Mapping[str, Any], lang: str) -> str:
    """``Hợp lệ: NAME — 87 đơn vị, 14 cán bộ, …`` in *lang*; a table not reported says so
    rather than 0 (``đợt đi cơ sở: không báo cáo``)."""
    head = "OK: " if lang == "en" else "Hợp lệ: "
    absent = set(summary.get("absent_tables", ()))
    gone = "not reported" if lang == "en" else "không báo cáo"
    return head + f"{name} — " + ", ".join(
        f"{TABLES[k].get(lang) if k in TABLES else k}: {gone}" if k in absent else
        f"{v} {TABLES[k].get(lang) if k in TABLES else k}" for k, v in summary.items()
        if isinstance(v, int))


def json_with_warnings(text: str, warnings: Sequence[Text], lang: str) -> str:
    """*text* (a JSON object) with a ``warnings`` list added when there are warnings."""
    if not warnings:
        return text
    data = json.loads(text)
    data["warnings"] = [w.get(lang) for w in warnings]
    return json.dumps(data, ensure_ascii=False, indent=2)


def _year(args: argparse.Namespace, ds: Any) -> int | None:
    year: int | None = getattr(args, "year", None) or ds.meta.year
    return year


def _no_data(args: argparse.Namespace, ds: Any) -> list[Text]:
    loaded: list[Text] = list(getattr(ds, "load_warnings", ()))  # a sheet that looks renamed
    period = getattr(args, "period", None)
    if period is not None:
        start, end = period.start, period.end
    else:
        year = _year(args, ds)
        if year is None:
            return loaded
        start, end = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    return loaded + period_warnings(ds, start, end) + _ends_early(ds, start, end) + \
        _data_end(ds, start, end)


def _data_end(ds: Any, start: _dt.date, end: _dt.date) -> list[Text]:
    """A warning per table (visits, meetings) whose data stop well before the period ends:
    what they cannot show is no data, not a fail (docs/rules.md, "Part of a year")."""
    from ..rules._rules import data_end  # noqa: PLC0415

    out = []
    for table in ("visits", "meetings"):
        last = data_end(ds, table, start, end)
        if last is not None:
            out.append(Text(
                f"{table}.csv chỉ có số liệu đến {last:%d/%m/%Y}, trước khi kỳ kết thúc "
                f"({end:%d/%m/%Y}): những gì phần còn lại của kỳ mới cho biết là không đủ dữ liệu,"
                " không phải không đạt",
                f"{table}.csv holds data only to {last.isoformat()}, before the period ends "
                f"({end.isoformat()}): what only the rest of the period could show is no data, "
                "not a fail"))
    return out


def _ends_early(ds: Any, start: _dt.date, end: _dt.date) -> list[Text]:
    """A warning when the dataset's top unit ends inside the period (a merged province): the
    data stop there, and rules that allow it are judged pro rata (docs/rules.md)."""
    root = ds.units.get(ds.meta.root)
    last = root.valid_to if root is not None else None
    if last is None or not start <= last < end:
        return []
    return [Text(f"đơn vị {ds.meta.root} kết thúc ngày {last:%d/%m/%Y}, trước khi kỳ kết thúc "
                 f"({end:%d/%m/%Y}): số liệu chỉ đến ngày đó; chỉ tiêu 1+2 tính theo tỷ lệ thời "
                 "gian",
                 f"unit {ds.meta.root} ended on {last.isoformat()}, before the period ends "
                 f"({end.isoformat()}): the data stop there; the 1+2 quota is prorated")]


def result_warnings(report: Any) -> list[Text]:
    """After a check: one warning per absent table a rule needed (naming the rules), and one
    counting the findings that rest on a value past its source's end (extended, no document)."""
    from ..model._params import EXTENDED  # noqa: PLC0415
    from ..rules._context import Status  # noqa: PLC0415

    out: list[Text] = []
    by_table: dict[str, dict[str, int]] = {}
    for f in report.findings:
        if f.status is Status.NO_DATA:
            for t in f.inputs.get("absent_tables", ()):
                rules = by_table.setdefault(t, {})
                rules[f.rule] = rules.get(f.rule, 0) + 1
    for table in sorted(by_table):
        rules = by_table[table]
        n = sum(rules.values())
        names = ", ".join(sorted(rules))
        out.append(Text(f"không có bảng {table} (không báo cáo): {n} kết quả không đủ dữ liệu "
                        f"({names})",
                        f"table {table} not reported: {n} findings with no data ({names})"))
    extended = report.provenance.get("extended", ())
    if extended:
        resting = sum(1 for f in report.findings if f.inputs.get("extended"))
        by_source: dict[tuple[str, str], list[str]] = {}
        for e in extended:
            by_source.setdefault((e["source"], e["until"]), []).append(e["name"])

        def listed(vi: bool) -> str:
            return "; ".join(
                ", ".join(names) + f" — {source} ("
                + (f"đến {_dt.date.fromisoformat(until):%d/%m/%Y})" if vi else f"until {until})")
                for (source, until), names in by_source.items())

        out.append(Text(f"{len(extended)} tham số dùng quá thời hạn của văn bản ({EXTENDED.vi}), "
                        f"{resting} kết quả dựa trên đó: {listed(True)}",
                        f"{len(extended)} parameters used past their source's end "
                        f"({EXTENDED.en}), {resting} findings rest on them: {listed(False)}"))
    return out


def dataset_parameters(engine: Any, ds: Any) -> None:
    """Raise :class:`DatasetError` when the dataset's ``[parameters]`` are unknown or mistyped."""
    problems = parameter_problems(ds.meta.parameters, engine.registry.params, ds.path)
    if problems:
        raise DatasetError(problems)


def check_inputs(args: argparse.Namespace, engine: Any, ds: Any) -> list[Text]:
    """Check ``check``'s rule ids and ``--set`` values (kept as ``args.parameters``); the
    warnings (printed to stderr) for its period."""
    dataset_parameters(engine, ds)
    check_ids(ids=args.rule, known=[r.id for r in engine.rules()], what=RULE, option="--rule")
    year = _year(args, ds) or _dt.date.today().year
    on = args.period.start if getattr(args, "period", None) else _dt.date(year, 1, 1)
    args.parameters, _ = parse_set(getattr(args, "set", None), engine.parameters(ds), on)
    warnings = _no_data(args, ds)
    warn(warnings, args.lang)
    return warnings


def _criteria_ids(engine: Any, ds: Any) -> list[str]:
    own = [str(ds.criteria.get("id"))] if isinstance(ds.criteria, dict) else []
    return own + [cs.id for cs in engine.criteria_sets()]


def _common(args: argparse.Namespace, engine: Any, ds: Any) -> None:
    dataset_parameters(engine, ds)
    if args.criteria is not None:
        check_ids(ids=[args.criteria], known=_criteria_ids(engine, ds), what=CRITERIA_SET,
                  option="--criteria")
    year = _year(args, ds)
    if year is not None and getattr(args, "cluster", None):
        check_ids(ids=args.cluster, known=[c.id for c in ds.clusters_of_year(year)], what=CLUSTER,
                  option="--cluster")


def score_inputs(args: argparse.Namespace, engine: Any, ds: Any
                 ) -> tuple[dict[str, Any], dict[str, Decimal], list[Text]]:
    """``score``'s checked ``--set`` and ``--weight`` values, and its warnings (printed)."""
    _common(args, engine, ds)
    _score_year(args, engine, ds)  # a year that cannot be scored: one clear error, no warning
    warnings = _no_data(args, ds)
    params: dict[str, Any] = {}
    weights: dict[str, Decimal] = {}
    if args.set or args.weight:
        year = _year(args, ds) or _dt.date.today().year
        cset = engine.criteria_for(ds, year, args.criteria)
        weights = parse_weights(args.weight, [c.id for c in cset.criteria])
        params, shadowed = parse_set(args.set, engine.parameters(ds), _dt.date(year, 1, 1),
                                     cset.quality)
        warnings.extend(shadowed)
    warn(warnings, args.lang)
    return params, weights, warnings


def _score_year(args: argparse.Namespace, engine: Any, ds: Any) -> None:
    """Refuse a year with no emulation cluster (naming the years that have some) and a year
    the criteria set is not for, before any warning about that year's data."""
    year = _year(args, ds)
    if year is None or not ds.clusters:
        return
    if not ds.clusters_of_year(year):
        years = ", ".join(str(y) for y in sorted({c.year for c in ds.clusters}))
        raise InputError(Text(f"--year {year}: bộ dữ liệu không có cụm thi đua nào năm {year} "
                              f"(có cho {years})",
                              f"--year {year}: the dataset has no emulation cluster in {year} "
                              f"(it has some for {years})"))
    engine.criteria_for(ds, year, args.criteria)


def explain_inputs(args: argparse.Namespace, engine: Any, ds: Any) -> list[Text]:
    """Refuse an unknown unit (with a did-you-mean) before scoring; the warnings (printed)."""
    _common(args, engine, ds)
    year = _year(args, ds)
    if year is None:
        return []
    members = [m for c in ds.clusters_of_year(year) for m in c.members]
    if not members:
        raise InputError(Text(f"--year: bộ dữ liệu không có cụm thi đua nào năm {year}",
                              f"--year: the dataset has no emulation cluster in {year}"))
    if args.unit_id not in members:
        what = UNIT
        if args.unit_id in ds.units:
            what = Text(f"đơn vị trong cụm thi đua năm {year}:", f"unit in a {year} cluster:")
        raise unknown(what, args.unit_id, members, "UNIT_ID")
    warnings = _no_data(args, ds)
    warn(warnings, args.lang)
    return warnings
