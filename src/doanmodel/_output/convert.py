"""
One converter for every result type, and the readers of each result's JSON.

Two JSON forms read back into an equal object:

- **the contract's JSON** (what ``result.to_json()`` writes by default and the CLI prints):
  the shape of ``../shared/CONTRACT.md`` and ``doanmodel schema NAME``, in one language, with
  numbers rounded for people, plus the additive ``exact`` keys that keep it lossless (exact
  decimals as strings, a text in both languages as ``[vi, en]``). :func:`read` rebuilds a result
  from it; computed keys (a report's ``summary`` and ``year``, labels) are ignored. A document
  without ``exact`` keys (written by hand, or an older doanmodel) still reads: a one-language
  text then stands for both languages and rounded numbers are taken as written.
- **the converter's form** (``to_json(exact=True)``, ``{"$type": "Report", ...}``): exact
  decimals, ISO dates, ``{"vi", "en"}`` texts and, where a field may hold any value (a finding's
  ``value``, ``threshold`` and ``inputs``), tagged decimals and dates.

The converter is the one of :mod:`doanmodel.model._convert` (the dataset's too), to which this
module registers the result types' hooks on import.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ..engine._engine import WhatIf
from ..engine._programme_report import ProgrammeReport, ProgrammeSummary
from ..exceptions import DoanmodelError
from ..model._convert import converter as _shared
from ..model._dates import parse_period
from ..model._failure import PluginFailure
from ..model._i18n import Text
from ..model._params import Scope
from ..model._rating import RatingReport
from ..rules._context import Finding, Report, Rule
from ..scoring._census import Census, CensusRow
from ..scoring._reversal import RankReversal
from ..scoring._scoring import (
    ClusterBoard,
    CriterionScore,
    Explanation,
    RankChange,
    Scoreboard,
    Standing,
)
from ..scoring._sensitivity import CriterionInfluence, Sensitivity, UnitSensitivity
from .exact import exact_text, finding_exact, read_text, report_exact, tag, untag

__all__ = ["RESULT_TYPES", "converter", "dumps", "exact_text", "finding_exact", "from_json",
           "loads", "read", "read_text", "register", "report_exact", "tag", "to_json", "untag"]

#: Every result type, by the name written in ``"$type"``.
RESULT_TYPES: dict[str, type] = {t.__name__: t for t in (
    Report, Finding, Scoreboard, ClusterBoard, Standing, CriterionScore, Explanation, WhatIf,
    RankChange, Census, CensusRow, PluginFailure, Sensitivity, UnitSensitivity,
    CriterionInfluence, RankReversal, ProgrammeReport, RatingReport)}


def _not_runnable(ctx: Any) -> Any:
    raise DoanmodelError("a rule read back from JSON describes a rule; it cannot run")


def register(c: cattrs.Converter) -> cattrs.Converter:
    """Add the result types' hooks to *c* (the shared converter of :mod:`doanmodel.model._convert`,
    which already knows dates, decimals, periods and texts)."""
    c.register_unstructure_hook(Scope, lambda v: {
        "provinces": None if v.provinces is None else sorted(v.provinces),
        "start": None if v.start is None else v.start.isoformat(),
        "end": None if v.end is None else v.end.isoformat()})
    # a rule read back describes a rule (id, title, source, dates, scope): it cannot run
    c.register_unstructure_hook(Rule, make_dict_unstructure_fn(
        Rule, c, evaluate=override(omit=True)))
    rule_in = make_dict_structure_fn(Rule, c, evaluate=override(struct_hook=lambda v, _: v))
    c.register_structure_hook(Rule, lambda v, _: rule_in({**v, "evaluate": _not_runnable}, Rule))
    anything = override(unstruct_hook=tag, struct_hook=lambda v, _: untag(v))
    for cls, fields in ((Finding, ("value", "threshold", "inputs")), (Report, ("provenance",)),
                        (Scoreboard, ("provenance",))):
        kw: dict[str, Any] = dict.fromkeys(fields, anything)
        c.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, c, **kw))
        c.register_structure_hook(cls, make_dict_structure_fn(cls, c, **kw))
    return c


#: The one converter (:data:`doanmodel.model._convert.converter`), with the result types' hooks.
converter = register(_shared)


def to_dict(result: Any) -> dict[str, Any]:
    """*result* as lossless JSON-ready data, with its type under ``"$type"``."""
    name = type(result).__name__
    if RESULT_TYPES.get(name) is not type(result):
        raise TypeError(f"{name} is not a doanmodel result type")
    return {"$type": name, **converter.unstructure(result, type(result))}


def from_dict(data: Mapping[str, Any], cls: type | None = None) -> Any:
    """Inverse of :func:`to_dict` (checks the type when *cls* is given)."""
    data = dict(data)
    name = data.pop("$type", None)
    target = RESULT_TYPES.get(str(name)) if name is not None else cls
    if target is None or (cls is not None and target is not cls):
        raise DoanmodelError(f"not a {cls.__name__ if cls else 'doanmodel result'}: "
                             f"$type is {name!r}")
    try:
        return converter.structure(data, target)
    except Exception as exc:  # noqa: BLE001 - a malformed document is the user's input
        msgs = "; ".join(cattrs.transform_error(exc)) if isinstance(
            exc, cattrs.BaseValidationError) else str(exc)
        raise DoanmodelError(f"cannot read a {target.__name__} from JSON: {msgs}") from None


def dumps(result: Any, lang: str = "vi", *, exact: bool = False, **kw: Any) -> str:
    """*result*'s contract JSON text (``result.to_dict(lang)``), or with *exact* the
    converter's form."""
    if exact:
        return to_json(result, **kw)
    return json.dumps(result.to_dict(lang), ensure_ascii=False, **kw)


def to_json(result: Any, **kw: Any) -> str:
    """*result* as lossless JSON text."""
    return json.dumps(to_dict(result), ensure_ascii=False, **kw)


def from_json(text: str, cls: type | None = None) -> Any:
    """Inverse of :func:`to_json`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DoanmodelError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DoanmodelError("not a doanmodel result: the JSON is not an object")
    return from_dict(data, cls)


# ---------------------------------------------------------------------------- the contract's JSON
def read_finding(d: Mapping[str, Any]) -> Finding:
    """A finding from its contract JSON (:func:`doanmodel._output.report.finding_dict`)."""
    from ..rules._context import Status  # noqa: PLC0415

    e = d.get("exact") or {}
    return Finding(rule=d["rule"], subject_type=d["subject_type"], subject_id=d["subject_id"],
                   status=Status(d["status"]),
                   value=untag(e["value"]) if "value" in e else d["value"],
                   threshold=untag(e["threshold"]) if "threshold" in e else d["threshold"],
                   message=read_text(e.get("message", d["message"])), source=d["source"],
                   province=d.get("province"),
                   inputs=untag(e["inputs"]) if "inputs" in e else dict(d.get("inputs") or {}),
                   origin=d.get("origin", "national"))


def read_failure(d: Mapping[str, Any]) -> PluginFailure:
    """A plugin failure from its JSON (:func:`doanmodel.engine._boundary.failure_dict`)."""
    return converter.structure(dict(d), PluginFailure)


def _read_report(d: Mapping[str, Any]) -> Report:
    e = d.get("exact") or {}
    period = parse_period(str(d["period"] if "period" in d else d["year"]))
    return Report(dataset=d["dataset"], period=period,
                  findings=tuple(read_finding(f) for f in d["findings"]),
                  rules=tuple(converter.structure(r, Rule) for r in e.get("rules", ())),
                  provenance=dict(d.get("provenance") or {}),
                  plugin_failures=tuple(read_failure(f) for f in d.get("plugin_failures", ())))


def _read_census(d: Mapping[str, Any]) -> Census:
    rows = [{k: v for k, v in r.items() if k != "label"} for r in d["rows"]]
    return converter.structure({"dataset": d["dataset"], "as_of": d["as_of"], "rows": rows},
                               Census)


def _read_explanation(d: Mapping[str, Any]) -> Explanation:
    if "board" not in d:
        raise DoanmodelError(
            "this explanation's JSON has no board (doanmodel explain prints the unit's part "
            "only): Explanation.to_json() writes the JSON that reads back")
    board = Scoreboard.from_dict(d["board"])
    cluster = next((c for c in board.clusters if c.id == d["cluster"]), None)
    standing = None if cluster is None else next(
        (s for s in cluster.standings if s.unit_id == d["unit_id"]), None)
    if cluster is None or standing is None:
        raise DoanmodelError(f"this explanation's board has no unit {d['unit_id']!r} in a "
                             f"cluster {d['cluster']!r}")
    return Explanation(board=board, cluster=cluster, standing=standing, lang=d.get("language"))


def explanation_document(e: Explanation, lang: str) -> dict[str, Any]:
    """An explanation's contract JSON plus its board and language, so that it reads back."""
    from .scoreboard import explanation_dict, to_dict  # noqa: PLC0415

    return {**explanation_dict(e, lang), "board": to_dict(e.board, lang),
            "language": e.language}


def sensitivity_exact(s: Sensitivity) -> dict[str, Any]:
    """The ``exact`` key of a sensitivity's JSON: the unrounded units and criteria, the
    criteria set's title and the note in both languages."""
    return {"criteria_title": s.criteria_title,
            "units": converter.unstructure(s.units, tuple[UnitSensitivity, ...]),
            "criteria": converter.unstructure(s.criteria, tuple[CriterionInfluence, ...]),
            "reversal_note": exact_text(s.reversal_note)}


def _read_sensitivity(d: Mapping[str, Any]) -> Sensitivity:
    e = d.get("exact")
    if e is None:
        raise DoanmodelError("this sensitivity's JSON has no exact key: "
                             "Sensitivity.to_json() writes the JSON that reads back")
    return converter.structure({
        "dataset": d["dataset"], "year": d["year"], "criteria_id": d["criteria_set"],
        "criteria_title": e["criteria_title"], "draws": d["draws"], "seed": d["seed"],
        "weights_spread": d["weights_spread"], "dirichlet": d["dirichlet"],
        "value_spread": d["value_spread"], "awards": d["awards"], "units": e["units"],
        "criteria": e["criteria"], "reversals": d["rank_reversals"],
        "reversal_note": converter.unstructure(read_text(e["reversal_note"]), Text),
        "provenance": d.get("provenance") or {}}, Sensitivity)


def programme_exact(report: ProgrammeReport) -> dict[str, Any]:
    """The ``exact`` key of a programme report's JSON: each programme's summary as the
    converter writes it (the shape shows it in one language, partly as counts)."""
    return {"programmes": converter.unstructure(report.programmes,
                                                tuple[ProgrammeSummary, ...])}


def _read_programme(d: Mapping[str, Any]) -> ProgrammeReport:
    e = d.get("exact")
    if e is None:
        raise DoanmodelError("this programme report's JSON has no exact key: "
                             "ProgrammeReport.to_json() writes the JSON that reads back")
    return ProgrammeReport(dataset=d["dataset"], as_of=_dt.date.fromisoformat(d["as_of"]),
                           programmes=converter.structure(e["programmes"],
                                                          tuple[ProgrammeSummary, ...]))


def _read_rating(d: Mapping[str, Any]) -> RatingReport:
    e = d.get("exact")
    if e is None:
        raise DoanmodelError("this rating report's JSON has no exact key: "
                             "RatingReport.to_json() writes the JSON that reads back")
    out: RatingReport = converter.structure(e, RatingReport)
    return out


def _readers() -> dict[type, Any]:
    return {Report: _read_report, Finding: read_finding, Census: _read_census,
            CensusRow: lambda d: converter.structure(
                {k: v for k, v in d.items() if k != "label"}, CensusRow),
            Explanation: _read_explanation, Scoreboard: Scoreboard.from_dict,
            ClusterBoard: ClusterBoard.from_dict, Standing: Standing.from_dict,
            CriterionScore: CriterionScore.from_dict, PluginFailure: read_failure,
            Sensitivity: _read_sensitivity, ProgrammeReport: _read_programme,
            RatingReport: _read_rating}


def read(data: Mapping[str, Any], cls: type) -> Any:
    """A *cls* from its JSON data: the converter's form (``"$type"``) or the contract's."""
    if "$type" in data:
        return from_dict(data, cls)
    reader = _readers().get(cls)
    if reader is None:
        return from_dict(data, cls)
    try:
        return reader(data)
    except DoanmodelError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed document is the user's input
        msgs = "; ".join(cattrs.transform_error(exc)) if isinstance(
            exc, cattrs.BaseValidationError) else f"{type(exc).__name__}: {exc}"
        raise DoanmodelError(f"cannot read a {cls.__name__} from JSON: {msgs}") from None


def loads(text: str | bytes, cls: type) -> Any:
    """A *cls* from JSON text, either form (see the module's docstring)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DoanmodelError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DoanmodelError(f"not a {cls.__name__}: the JSON is not an object")
    return read(data, cls)
