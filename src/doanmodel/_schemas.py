"""
The JSON Schemas doanmodel ships: the dataset's TOML files and every JSON output.

Each is generated (:mod:`doanmodel._jsonschema`) from the attrs class the loader builds or the
output serialises; what exists only as a plain dict (a summary, provenance, the ``validate``
counts) is described here, once. ``doanmodel schema NAME`` prints one; the test suite validates
every example's files and every command's JSON against them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._jsonschema import DRAFT, TOML_DAY, View, nullable, object_schema, type_schema
from .dataset._dataset import OPTIONAL_TABLES, DatasetMeta
from .dataset._programmes import Coverage, Programme, Recommendation, Selector, Topic, TopicResult
from .dataset._programmes_toml import _ID, _MAX_DAYS
from .engine._boundary import KINDS, PluginFailure
from .engine._plugins import LoadedPlugin
from .engine._programme_report import OpenRecommendation, ProgrammeReport, ProgrammeSummary, UnitRow
from .exceptions import Problem
from .model._entities import Cluster
from .model._i18n import Text
from .model._params import ParamValue
from .rules._context import Finding, Report
from .scoring._census import GROUPS, Census, CensusRow
from .scoring._criteria import (
    BUILTIN_METHODS,
    MISSING_POLICIES,
    TIE_KEYS,
    Award,
    CriteriaSet,
    Criterion,
    Penalty,
    Step,
)
from .scoring._scoring import RATINGS, ClusterBoard, CriterionScore, Scoreboard, Standing

__all__ = ["NAMES", "SCHEMA_NAMES", "json_schema", "toml_instance"]

Schema = dict[str, Any]
_STR: Schema = {"type": "string"}
_INT: Schema = {"type": "integer"}
_NUM: Schema = {"type": "number"}
_STRS: Schema = {"type": "array", "items": _STR}
#: a day as TOML writes it (read as an ISO string, see toml_instance) or DD/MM/YYYY
_DAY: Schema = TOML_DAY
_COUNT: Schema = {"type": "integer", "minimum": 0}
#: an id in programmes.toml (programme, kind, topic, recommendation), as the loader checks it
_PROGRAMME_ID: Schema = {"type": "string", "pattern": _ID.pattern}

# ---------------------------------------------------------------------------- hand-described
_PARAM_ENTRY: Schema = {"type": "object", "properties": {"from": _DAY, "value": {}, "source": _STR},
                        "required": ["from", "value", "source"], "additionalProperties": False}
_PARAMETERS: Schema = {"type": "object", "additionalProperties": {
    "anyOf": [_PARAM_ENTRY, {"type": "array", "items": _PARAM_ENTRY, "minItems": 1}]}}
_QUALITY: Schema = {"type": "object", "additionalProperties": False, "properties": {
    k: {"type": "number", "minimum": 0, "maximum": 1}
    for k in ("excellent", "good", "complete", "excellent_cap")}}
_SUMMARY_COUNTS = dict.fromkeys(("pass", "fail", "not_applicable", "no_data"), _INT)
_SUMMARY: Schema = {"type": "object", "required": ["findings", *_SUMMARY_COUNTS, "by_rule"],
                    "properties": {"findings": _INT, **_SUMMARY_COUNTS,
                                   "absent_tables": {"type": "array",
                                                     "items": {"enum": list(OPTIONAL_TABLES)}},
                                   "by_rule": {
                        "type": "object", "additionalProperties": {
                            "type": "object", "properties": _SUMMARY_COUNTS,
                            "required": list(_SUMMARY_COUNTS)}}}}
#: what a finding's rounded, one-language shape loses, so that it reads back (docs/schemas.md)
_TEXT_PAIR: Schema = {"type": "array", "items": _STR, "minItems": 2, "maxItems": 2}
_FINDING_EXACT: Schema = {"type": "object", "additionalProperties": False, "properties": {
    "message": _TEXT_PAIR, "value": {}, "threshold": {}, "inputs": {"type": "object"}}}
_REPORT_EXACT: Schema = {"type": "object", "required": ["rules"], "properties": {
    "rules": {"type": "array", "items": {"type": "object", "required": ["id", "title", "source"],
                                         "properties": {"id": _STR, "source": _STR}}}}}
_PROGRAMME_EXACT: Schema = {"type": "object", "required": ["programmes"], "properties": {
    "programmes": {"type": "array", "items": {"type": "object"}}}}
_VALIDATE_COUNTS = ("units", "cadres", "positions", "visits", "meetings", "members", "clusters",
                    "programmes", "absences", "indicators", "targets")
#: the programme fields the report lifts to each programme's level (``doanmodel programme``)
_PROGRAMME_HEAD = ("id", "kind", "title", "start", "end", "document", "document_date", "lead",
                   "reconstructed")
#: the summary fields the report groups under ``coverage`` (``planned``, ``covered`` as counts)
_COVERAGE = ("planned", "covered", "by_level", "missing", "outside_plan")


def _views(ref: Callable[[type], Schema]) -> dict[type, View]:
    """How each attrs class appears; *ref* is how a view refers to another class."""
    criterion_keys = {k for m in BUILTIN_METHODS.values() for k in m.keys}
    crit_exclude = frozenset({"options", "line"} | ({"target", "cap", "min", "steps",
                                                     "points_each", "points_by_rank", "order"}
                                                    - criterion_keys))
    return {
        # -------------------------------------------------------------- TOML files
        DatasetMeta: View(cls=DatasetMeta, mode="toml", required=("format", "name", "root"),
                          extra={"format": {"const": 1}, "year": {"type": "integer",
                                                                  "minimum": 1900,
                                                                  "maximum": 2200},
                                 "parameters": _PARAMETERS,
                                 "not_collected": {"type": "array", "uniqueItems": True,
                                                   "items": {"enum": list(OPTIONAL_TABLES)}},
                                 "reconstructed": {"anyOf": [{"type": "boolean"}, {
                                     "type": "array", "uniqueItems": True,
                                     "items": {"enum": list(OPTIONAL_TABLES)}}]}},
                          open="^x_"),
        Cluster: View(cls=Cluster, mode="toml", extra={"members": {**_STRS, "minItems": 1}}),
        CriteriaSet: View(
            cls=CriteriaSet, mode="toml", exclude=frozenset({"origin", "scope"}),
            rename={"criteria": "criterion", "penalties": "penalty", "awards": "award"},
            extra={"valid_from": _DAY, "valid_to": _DAY, "quality": _QUALITY,
                   "tie_break": {"type": "array", "minItems": 1, "items": {"anyOf": [
                       {"enum": list(TIE_KEYS)}, {"type": "string", "pattern": "^criterion:"}]}},
                   "description": _STR, "scale": {}, "schema_version": _INT},
            required=("id", "title", "source", "criterion"), open="^x_"),
        Criterion: View(cls=Criterion, mode="toml", exclude=crit_exclude,
                        extra={"note": _STR, "method": _STR,
                               "missing": {"enum": list(MISSING_POLICIES)},
                               "target": {"anyOf": [{"const": "targets"}, _NUM]},
                               "order": {"enum": ["asc", "desc"]}}),
        Step: View(cls=Step, mode="toml"),
        Penalty: View(cls=Penalty, mode="toml", exclude=frozenset({"line"}),
                      extra={"note": _STR}),
        Award: View(cls=Award, mode="toml"),
        **_programme_toml_views(ref),
        # -------------------------------------------------------------- JSON outputs
        Problem: View(cls=Problem, mode="json", extra={"dataset": nullable(_STR)},
                      required=("file", "line", "column", "message"), open=True),
        Finding: View(cls=Finding, mode="json", open=True, extra={"exact": _FINDING_EXACT}),
        ParamValue: View(cls=ParamValue, mode="json", rename={"start": "from"},
                         exclude=frozenset({"scope", "note"}),
                         extra={"provinces": nullable(_STRS)}, open=True),
        CriterionScore: View(cls=CriterionScore, mode="json", exact=True, open=True),
        Standing: View(cls=Standing, mode="json", exact=True, open=True,
                       rename={"undecided": "award_undecided"},
                       exclude=frozenset({"award_en"}),  # under exact.award: [vi, en]
                       extra={"rating": {"enum": list(RATINGS)}, "rating_label": _STR,
                              "deviation_status": {"enum": ["pass", "fail", "no_data", None]}}),
        ClusterBoard: View(cls=ClusterBoard, mode="json", open=True),
        CensusRow: View(cls=CensusRow, mode="json", open=True,
                        extra={"group": {"enum": list(GROUPS)}, "label": _STR}),
        LoadedPlugin: View(cls=LoadedPlugin, mode="json", exclude=frozenset({"items"}),
                           flatten={"info": ("api", "provinces", "start", "end", "sources",
                                             "overrides")}, open=True),
        PluginFailure: View(cls=PluginFailure, mode="json", open=True,
                            extra={"kind": {"enum": list(KINDS)}},
                            required=tuple(f.name for f in attrs.fields(PluginFailure)
                                           if f.name != "traceback")),  # only when kept
        **_programme_json_views(ref),
    }


def _programme_toml_views(ref: Callable[[type], Schema]) -> dict[type, View]:
    """``programmes.toml``: every table refuses unknown keys but ``x_…`` ones, as the loader."""
    line = frozenset({"line"})
    # a checklist item is written as a title in each language (the class holds one Text)
    topic = object_schema(View(cls=Topic, mode="toml", extra={"id": _PROGRAMME_ID,
                                                              "title_en": _STR},
                               required=("id", "title", "title_en"), open="^x_"), ref)
    return {
        Programme: View(cls=Programme, mode="toml", exclude=line, open="^x_",
                        rename={"topics": "topic", "units": "unit"},
                        extra={"id": _PROGRAMME_ID, "kind": _PROGRAMME_ID,
                               "topic": {"type": "array", "items": topic},
                               "report_within_days": {**_COUNT, "maximum": _MAX_DAYS}}),
        Selector: View(cls=Selector, mode="toml", open="^x_"),
        Coverage: View(cls=Coverage, mode="toml", exclude=line, open="^x_",
                       rename={"unit_id": "unit", "recommendations": "recommendation"}),
        Recommendation: View(cls=Recommendation, mode="toml", exclude=line, open="^x_",
                             extra={"id": _PROGRAMME_ID}),
    }


def _programme_json_views(ref: Callable[[type], Schema]) -> dict[type, View]:
    """``doanmodel programme --format json``: the report's classes, reshaped as it writes them."""
    coverage = object_schema(View(
        cls=ProgrammeSummary, mode="json", open=True,
        exclude=frozenset(f.name for f in attrs.fields(ProgrammeSummary)) - set(_COVERAGE),
        extra={"text": _STR, "planned": _COUNT, "covered": _COUNT}), ref)
    return {
        ProgrammeSummary: View(cls=ProgrammeSummary, mode="json", open=True,
                               exclude=frozenset(_COVERAGE), rename={"rows": "matrix"},
                               flatten={"programme": _PROGRAMME_HEAD},
                               extra={"coverage": coverage}),
        # topic id → result, where the class keeps the results in the order of the topics
        UnitRow: View(cls=UnitRow, mode="json", open=True, extra={
            "results": type_schema(Mapping[str, TopicResult], "json", ref)}),
        OpenRecommendation: View(cls=OpenRecommendation, mode="json", open=True,
                                 flatten={"recommendation": ("id", "text", "addressee",
                                                             "addressee_name", "due",
                                                             "reconstructed")},
                                 extra={"addressee_label": _STR}),
    }


def _provenance(ref: Callable[[type], Schema]) -> Schema:
    return {"type": "object", "required": ["doanmodel", "plugins", "dataset_plugins",
                                           "parameters"], "properties": {
        "doanmodel": _STR,
        "plugins": {"type": "array", "items": {"type": "object", "required": ["name", "version"],
                                               "properties": {"name": _STR, "version": _STR}}},
        "dataset_plugins": _STRS, "parameters": {"type": "array", "items": ref(ParamValue)},
        "reconstructed": {"type": "array", "items": {"enum": list(OPTIONAL_TABLES)}},
        "extended": {"type": "array", "items": {"allOf": [ref(ParamValue), {
            "type": "object", "required": ["until", "applied_until"],
            "properties": {"until": _STR, "applied_until": _STR}}]}},
        "criteria_set": {"type": "object", "required": ["id", "title", "source", "origin"],
                         "properties": dict.fromkeys(("id", "title", "source", "origin"), _STR)}}}


def _root(view: View, ref: Callable[[type], Schema]) -> Schema:
    return object_schema(view, ref)


def _score(ref: Callable[[type], Schema]) -> Schema:
    criteria = {"type": "object", "required": ["id", "title", "source", "max_total", "exact"],
                "properties": {"id": _STR, "title": _STR, "source": _STR, "max_total": _NUM,
                               "exact": {"type": "object", "required": ["max_total"],
                                         "properties": {"max_total": _STR}}}}
    gone = frozenset({"criteria_id", "criteria_title", "criteria_source", "max_total"})
    return _root(View(cls=Scoreboard, mode="json", exclude=gone, open=True,
                      extra={"criteria": criteria, "provenance": _provenance(ref)}), ref)


def _explain(ref: Callable[[type], Schema]) -> Schema:
    out = _root(_views(ref)[Standing], ref)
    extra = {"dataset": _STR, "year": _INT, "criteria_set": _STR, "cluster": _STR,
             "provenance": _provenance(ref)}
    out["properties"] = {**extra, **out["properties"]}
    out["required"] = [*extra, *out["required"]]
    return out


def _check(ref: Callable[[type], Schema]) -> Schema:
    return _root(View(cls=Report, mode="json", exclude=frozenset({"rules"}), open=True,
                      extra={"year": _INT, "period": _STR, "summary": _SUMMARY,
                             "provenance": _provenance(ref), "exact": _REPORT_EXACT}), ref)


def _validate(ref: Callable[[type], Schema]) -> Schema:
    props = {"dataset": _STR, **{k: {"type": "integer", "minimum": 0} for k in _VALIDATE_COUNTS},
             "errors": {"type": "array", "maxItems": 0}}
    absent = {"type": "array", "items": {"enum": list(OPTIONAL_TABLES)}}
    return {"type": "object", "properties": {**props, "absent_tables": absent},
            "required": list(props)}


def _rating(ref: Callable[[type], Schema]) -> Schema:
    """``doanmodel rating --format json`` (:mod:`doanmodel._output.rating`), described by hand:
    the report's shape shows levels and stages as their values, with labels in one language."""
    from .model._rating import SUBJECT_TYPES, RatingLevel, RatingStage  # noqa: PLC0415

    opt_str: Schema = {"type": ["string", "null"]}
    levels = [lv.value for lv in RatingLevel]
    level: Schema = {"enum": levels}
    status: Schema = {"enum": ["fail", "pass", "no_data"]}
    stage: Schema = {"type": "object", "additionalProperties": False,
                     "required": ["stage", "level", "by", "on", "note"], "properties": {
                         "stage": {"enum": [st.value for st in RatingStage]},
                         "stage_label": _STR, "level": level, "level_label": _STR,
                         "by": opt_str, "on": {"type": ["string", "null"], "format": "date"},
                         "note": opt_str}}
    subject: Schema = {"type": "object", "additionalProperties": False, "required": [
        "subject_type", "subject_id", "stages", "decided", "ceiling", "status"], "properties": {
        "subject_type": {"enum": list(SUBJECT_TYPES)}, "subject_id": _STR,
        "stages": {"type": "array", "items": stage},
        "missing": {"type": "array", "items": {"enum": [st.value for st in RatingStage]}},
        "decided": {"enum": [*levels, None]}, "ceiling": {"enum": [*levels, None]},
        "ceiling_reason": opt_str, "status": status}}
    finding: Schema = {"type": "object", "additionalProperties": False, "required": [
        "rule", "status", "subject_type", "subject_id", "message", "source"], "properties": {
        "rule": _STR, "status": status, "subject_type": _STR, "subject_id": _STR,
        "message": _STR, "source": _STR}}
    return {"type": "object", "required": ["dataset", "year", "ok", "subjects", "findings",
                                           "sources", "exact"], "properties": {
        "dataset": _STR, "year": _INT, "ok": {"type": "boolean"},
        "subjects": {"type": "array", "items": subject},
        "findings": {"type": "array", "items": finding},
        "sources": {"type": "object", "additionalProperties": _STR},
        "exact": {"type": "object"}}}


#: name → (title, builder of the root schema)
_ROOTS: dict[str, tuple[Text, Callable[[Callable[[type], Schema]], Schema]]] = {
    "dataset": (Text("Tệp dataset.toml", "The dataset.toml file"),
                lambda ref: _root(_views(ref)[DatasetMeta], ref)),
    "clusters": (Text("Tệp clusters.toml (cụm thi đua)", "The clusters.toml file"),
                 lambda ref: {"type": "object", "additionalProperties": False,
                              "properties": {"cluster": {"type": "array", "items": ref(Cluster)}}}),
    "criteria": (Text("Tệp criteria.toml (bộ tiêu chí)", "A criteria.toml file (criteria set)"),
                 lambda ref: _root(_views(ref)[CriteriaSet], ref)),
    "programmes": (Text("Tệp programmes.toml (chương trình kiểm tra, làm việc)",
                        "The programmes.toml file (work programmes)"),
                   lambda ref: {"type": "object", "additionalProperties": False, "properties": {
                       "programme": {"type": "array", "items": ref(Programme)}}}),
    "validate": (Text("JSON của doanmodel validate", "JSON of doanmodel validate"), _validate),
    "check": (Text("JSON của doanmodel check", "JSON of doanmodel check"), _check),
    "score": (Text("JSON của doanmodel score", "JSON of doanmodel score"), _score),
    "explain": (Text("JSON của doanmodel explain", "JSON of doanmodel explain"), _explain),
    "census": (Text("JSON của doanmodel census", "JSON of doanmodel census"),
               lambda ref: _root(View(cls=Census, mode="json", open=True), ref)),
    "programme": (Text("JSON của doanmodel programme", "JSON of doanmodel programme"),
                  lambda ref: _root(View(cls=ProgrammeReport, mode="json", open=True,
                                         extra={"exact": _PROGRAMME_EXACT}), ref)),
    "rating": (Text("JSON của doanmodel rating", "JSON of doanmodel rating"), _rating),
    "plugins": (Text("JSON của doanmodel plugins", "JSON of doanmodel plugins"),
                lambda ref: {"type": "object", "required": ["plugins"], "properties": {
                    "plugins": {"type": "array", "items": ref(LoadedPlugin)}}}),
    "synth": (Text("JSON của doanmodel synth", "JSON of doanmodel synth"),
              lambda ref: {"type": "object", "required": ["out", "rows"], "properties": {
                  "out": _STR, "rows": {"type": "object", "additionalProperties": {
                      "type": "integer", "minimum": 0}}}}),
    "errors": (Text("JSON của một lỗi dữ liệu hay tham số (mã thoát 2, 3)",
                    "JSON of a data or argument error (exit 2, 3)"),
               lambda ref: {"type": "object", "required": ["errors"], "properties": {
                   "errors": {"type": "array", "minItems": 1, "items": ref(Problem)}}}),
}

#: the names ``doanmodel schema`` knows
NAMES: tuple[str, ...] = tuple(_ROOTS)
SCHEMA_NAMES = NAMES


def json_schema(name: str, lang: str = "vi") -> Schema:
    """
    The JSON Schema *name* (one of :data:`NAMES`: ``dataset``, ``clusters``, ``criteria``,
    ``programmes`` for the TOML files; ``validate``, ``check``, ``score``, ``explain``,
    ``census``, ``programme``, ``plugins``, ``synth``, ``errors`` for the JSON outputs), with its
    title in *lang*.

    Raises:
        KeyError: no schema of that name.
    """
    title, build = _ROOTS[name]
    defs: dict[str, Schema] = {}
    views: dict[type, View] = {}

    def ref(cls: type) -> Schema:
        if cls.__name__ not in defs:
            defs[cls.__name__] = {}  # placeholder: classes may refer to each other
            view = views.get(cls) or View(cls=cls, mode="json", open=True)
            defs[cls.__name__] = object_schema(view, ref)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    views.update(_views(ref))
    body = build(ref)
    if "Criterion" in defs:
        defs["Criterion"] = _criterion_any_method(defs["Criterion"])
    out: Schema = {"$schema": DRAFT, "$id": f"urn:doanmodel:schema:{name}",
                   "title": title.get(lang), **body}
    used = _reachable(body, defs)  # views built for other schemas may have added some
    if used:
        out["$defs"] = {k: defs[k] for k in sorted(used)}
    return out


def _refs(node: Any) -> Iterator[str]:
    """The names of the ``$defs`` that *node* refers to directly."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _reachable(body: Schema, defs: Mapping[str, Schema]) -> set[str]:
    """The ``$defs`` *body* needs, directly or through other definitions."""
    seen: set[str] = set()
    todo = list(_refs(body))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs(defs[name]))
    return seen


def _criterion_any_method(closed: Schema) -> Schema:
    """A criterion of a built-in method has only that method's keys; a plugin's method may
    add its own (the loader checks them against the method)."""
    builtin = sorted(BUILTIN_METHODS)
    props = closed["properties"]
    return {"anyOf": [
        {**closed, "properties": {**props, "method": {"enum": builtin}}},
        {**closed, "properties": {**props, "method": {"not": {"enum": builtin}}},
         "additionalProperties": True}]}


def toml_instance(data: Mapping[str, Any]) -> Any:
    """*data* as parsed by tomllib, with dates and times as ISO strings (JSON has none)."""
    return _plain(data)


def _plain(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
