"""
The command line's checks before it runs (ids, years, ``--set``, ``--weight``) and its bilingual
summary lines; kept out of ``_cli.py`` so the commands stay short.
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
           "json_with_warnings", "score_inputs"]

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
}


def counts_line(name: str, summary: Mapping[str, Any], lang: str) -> str:
    """``Hợp lệ: NAME — 87 đơn vị, 14 cán bộ, …`` in *lang*."""
    head = "OK: " if lang == "en" else "Hợp lệ: "
    return head + f"{name} — " + ", ".join(
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
    period = getattr(args, "period", None)
    if period is not None:
        return period_warnings(ds, period.start, period.end)
    year = _year(args, ds)
    if year is None:
        return []
    return period_warnings(ds, _dt.date(year, 1, 1), _dt.date(year, 12, 31))


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
