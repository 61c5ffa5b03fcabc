"""
The JSON Schemas doanmodel ships: the dataset's TOML files and every JSON output.

Each is generated (:mod:`doanmodel._jsonschema`) from the attrs class the loader builds or the
output serialises; what exists only as a plain dict (a summary, provenance, the ``validate``
counts) is described here, once. ``doanmodel schema NAME`` prints one; the test suite validates
every example's files and every command's JSON against them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ._census import GROUPS, Census, CensusRow
from ._criteria import BUILTIN_METHODS, TIE_KEYS, Award, CriteriaSet, Criterion, Penalty, Step
from ._dataset import DatasetMeta
from ._engine import Finding, Report
from ._entities import Cluster
from ._i18n import Text
from ._jsonschema import DRAFT, View, nullable, object_schema
from ._params import ParamValue
from ._plugins import LoadedPlugin
from ._scoring import RATINGS, ClusterBoard, CriterionScore, Scoreboard, Standing
from .exceptions import Problem

__all__ = ["NAMES", "SCHEMA_NAMES", "json_schema", "toml_instance"]

Schema = dict[str, Any]
_STR: Schema = {"type": "string"}
_INT: Schema = {"type": "integer"}
_NUM: Schema = {"type": "number"}
_STRS: Schema = {"type": "array", "items": _STR}
#: a day as TOML writes it (read as an ISO string, see toml_instance) or DD/MM/YYYY
_DAY: Schema = {"type": "string",
                "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$"}

# ---------------------------------------------------------------------------- hand-described
_PARAM_ENTRY: Schema = {"type": "object", "properties": {"from": _DAY, "value": {}, "source": _STR},
                        "required": ["from", "value", "source"], "additionalProperties": False}
_PARAMETERS: Schema = {"type": "object", "additionalProperties": {
    "anyOf": [_PARAM_ENTRY, {"type": "array", "items": _PARAM_ENTRY, "minItems": 1}]}}
_QUALITY: Schema = {"type": "object", "additionalProperties": False, "properties": {
    k: {"type": "number", "minimum": 0, "maximum": 1}
    for k in ("excellent", "good", "complete", "excellent_cap")}}
_SUMMARY_COUNTS = {k: _INT for k in ("pass", "fail", "not_applicable")}
_SUMMARY: Schema = {"type": "object", "required": ["findings", *_SUMMARY_COUNTS, "by_rule"],
                    "properties": {"findings": _INT, **_SUMMARY_COUNTS, "by_rule": {
                        "type": "object", "additionalProperties": {
                            "type": "object", "properties": _SUMMARY_COUNTS,
                            "required": list(_SUMMARY_COUNTS)}}}}
_VALIDATE_COUNTS = ("units", "cadres", "positions", "visits", "meetings", "members", "clusters")


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
                                 "parameters": _PARAMETERS}, open="^x_"),
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
                               "target": {"anyOf": [{"const": "targets"}, _NUM]},
                               "order": {"enum": ["asc", "desc"]}}),
        Step: View(cls=Step, mode="toml"),
        Penalty: View(cls=Penalty, mode="toml", exclude=frozenset({"line"}),
                      extra={"note": _STR}),
        Award: View(cls=Award, mode="toml"),
        # -------------------------------------------------------------- JSON outputs
        Problem: View(cls=Problem, mode="json", extra={"dataset": nullable(_STR)},
                      required=("file", "line", "column", "message"), open=True),
        Finding: View(cls=Finding, mode="json", open=True),
        ParamValue: View(cls=ParamValue, mode="json", rename={"start": "from"},
                         exclude=frozenset({"scope", "note"}),
                         extra={"provinces": nullable(_STRS)}, open=True),
        CriterionScore: View(cls=CriterionScore, mode="json", exact=True, open=True),
        Standing: View(cls=Standing, mode="json", exact=True, open=True,
                       extra={"rating": {"enum": list(RATINGS)}, "rating_label": _STR}),
        ClusterBoard: View(cls=ClusterBoard, mode="json", open=True),
        CensusRow: View(cls=CensusRow, mode="json", open=True,
                        extra={"group": {"enum": list(GROUPS)}, "label": _STR}),
        LoadedPlugin: View(cls=LoadedPlugin, mode="json", exclude=frozenset({"items"}),
                           flatten={"info": ("api", "provinces", "start", "end", "sources",
                                             "overrides")}, open=True),
    }


def _provenance(ref: Callable[[type], Schema]) -> Schema:
    return {"type": "object", "required": ["doanmodel", "plugins", "dataset_plugins",
                                           "parameters"], "properties": {
        "doanmodel": _STR,
        "plugins": {"type": "array", "items": {"type": "object", "required": ["name", "version"],
                                               "properties": {"name": _STR, "version": _STR}}},
        "dataset_plugins": _STRS, "parameters": {"type": "array", "items": ref(ParamValue)},
        "criteria_set": {"type": "object", "required": ["id", "title", "source", "origin"],
                         "properties": {k: _STR for k in ("id", "title", "source", "origin")}}}}


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
                             "provenance": _provenance(ref)}), ref)


def _validate(ref: Callable[[type], Schema]) -> Schema:
    props = {"dataset": _STR, **{k: {"type": "integer", "minimum": 0} for k in _VALIDATE_COUNTS},
             "errors": {"type": "array", "maxItems": 0}}
    return {"type": "object", "properties": props, "required": list(props)}


#: name → (title, builder of the root schema)
_ROOTS: dict[str, tuple[Text, Callable[[Callable[[type], Schema]], Schema]]] = {
    "dataset": (Text("Tệp dataset.toml", "The dataset.toml file"),
                lambda ref: _root(_views(ref)[DatasetMeta], ref)),
    "clusters": (Text("Tệp clusters.toml (cụm thi đua)", "The clusters.toml file"),
                 lambda ref: {"type": "object", "additionalProperties": False,
                              "properties": {"cluster": {"type": "array", "items": ref(Cluster)}}}),
    "criteria": (Text("Tệp criteria.toml (bộ tiêu chí)", "A criteria.toml file (criteria set)"),
                 lambda ref: _root(_views(ref)[CriteriaSet], ref)),
    "validate": (Text("JSON của doanmodel validate", "JSON of doanmodel validate"), _validate),
    "check": (Text("JSON của doanmodel check", "JSON of doanmodel check"), _check),
    "score": (Text("JSON của doanmodel score", "JSON of doanmodel score"), _score),
    "explain": (Text("JSON của doanmodel explain", "JSON of doanmodel explain"), _explain),
    "census": (Text("JSON của doanmodel census", "JSON of doanmodel census"),
               lambda ref: _root(View(cls=Census, mode="json", open=True), ref)),
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
    The JSON Schema *name* (one of :data:`NAMES`: ``dataset``, ``clusters``, ``criteria`` for
    the TOML files; ``validate``, ``check``, ``score``, ``explain``, ``census``, ``plugins``,
    ``errors`` for the JSON outputs), with its title in *lang*.

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
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


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
