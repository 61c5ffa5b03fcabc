"""
doanmodel: a typed model of the Hồ Chí Minh Communist Youth Union (Đoàn TNCS Hồ Chí Minh).

Load a dataset directory, check it against the Union's rules, score emulation clusters::

    import doanmodel as dm

    ds = dm.load_dataset("examples/tra-vinh-2019")
    report = dm.Engine().check(ds, year=2019)

Only the entities are imported with the package; the engine, plugins, scoring, serialisation
and the rest load on first use, so ``import doanmodel`` stays fast for command-line tools.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._dates import Period, parse_date, parse_period, parse_term
from ._entities import (
    Absence,
    Cadre,
    Cluster,
    Indicator,
    Meeting,
    Member,
    Position,
    Target,
    Unit,
    UnitVersion,
    Visit,
)
from ._enums import AbsenceReason, Level, MeetingKind, PeriodKind, Role, Sector, VisitPurpose
from ._i18n import Text, fold, nfc
from ._version import __version__
from .exceptions import (
    CriteriaError,
    DatasetError,
    DoanmodelError,
    PluginContractError,
    PluginError,
    Problem,
    UnknownProvinceError,
    UnknownRuleError,
    UnknownUnitError,
)

#: public name → the private module that defines it, imported on first use
_LAZY: dict[str, str] = {
    "Census": "_census", "CensusRow": "_census", "census": "_census",
    "Award": "_criteria", "CriteriaSet": "_criteria", "Criterion": "_criteria",
    "MethodInput": "_criteria", "Penalty": "_criteria", "ScoringMethod": "_criteria",
    "Step": "_criteria", "load_criteria": "_criteria", "parse_criteria": "_criteria",
    "Dataset": "_dataset", "DatasetMeta": "_dataset",
    "Context": "_context", "Facts": "_context", "Finding": "_context", "IndicatorDef": "_context",
    "Report": "_context", "Rule": "_context", "Status": "_context",
    "Engine": "_engine", "WhatIf": "_engine", "PluginFailure": "_boundary",
    "load_dataset": "_loader",
    "NATIONAL": "_params", "Parameters": "_params", "ParamValue": "_params", "Scope": "_params",
    "PluginInfo": "_plugins",
    "ProgrammeReport": "_programme_report", "programme_topics_rule": "_programme_rules",
    "Addressee": "_programmes", "Programme": "_programmes", "ProgrammeKind": "_programmes",
    "ProgrammeSelector": "_programmes", "ProgrammeTopic": "_programmes",
    "ProgrammeUnit": "_programmes", "Recommendation": "_programmes",
    "RecommendationStatus": "_programmes", "TopicResult": "_programmes",
    "CUTOVER": "_reference", "ProvinceRef": "_reference", "apply_2025": "_reference",
    "reorganise_2025": "_reference", "restate": "_reference",
    "FormerName": "_reference", "find_province": "_reference", "lookup_provinces": "_reference",
    "dissolve": "_reorg", "merge": "_reorg", "move": "_reorg", "rename": "_reorg",
    "split": "_reorg", "successor_chain": "_reorg",
    "ClusterBoard": "_scoring", "CriterionScore": "_scoring", "RankChange": "_scoring",
    "Scoreboard": "_scoring", "Standing": "_scoring",
    "converter": "_serialization", "dataset_from_json": "_serialization",
    "dataset_to_json": "_serialization", "write_dataset": "_serialization",
    "synth": "_synth",
    "SCHEMA_NAMES": "_schemas", "json_schema": "_schemas",
    "write_excel": "_output.excel", "export_workbook": "_output.xlsxdata",
    "write_template": "_output.xlsxdata",
    "CriterionInfluence": "_sensitivity", "RankReversal": "_reversal",
    "Sensitivity": "_sensitivity", "UnitSensitivity": "_sensitivity",
    "MissingDependencyError": "_output.notebook", "set_language": "_output.notebook",
    "MeetingTable": "_tables", "MemberTable": "_tables",
    "QuotaRow": "query", "quota_rows": "_visits", "Query": "query",
    "PLUGIN_API": "hookspecs", "hookimpl": "hookspecs",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from ._boundary import PluginFailure
    from ._census import Census, CensusRow, census
    from ._context import Context, Finding, IndicatorDef, Report, Rule, Status
    from ._criteria import (
        Award,
        CriteriaSet,
        Criterion,
        MethodInput,
        Penalty,
        ScoringMethod,
        Step,
        load_criteria,
        parse_criteria,
    )
    from ._dataset import Dataset, DatasetMeta
    from ._engine import Engine, WhatIf
    from ._loader import load_dataset
    from ._output.excel import write_excel
    from ._output.notebook import MissingDependencyError, set_language
    from ._output.xlsxdata import export_workbook, write_template
    from ._params import NATIONAL, Parameters, ParamValue, Scope
    from ._plugins import PluginInfo
    from ._programme_report import ProgrammeReport
    from ._programme_rules import programme_topics_rule
    from ._programmes import (
        Addressee,
        Programme,
        ProgrammeKind,
        ProgrammeSelector,
        ProgrammeTopic,
        ProgrammeUnit,
        Recommendation,
        RecommendationStatus,
        TopicResult,
    )
    from ._reference import (
        FormerName,
        ProvinceRef,
        apply_2025,
        find_province,
        lookup_provinces,
        reorganise_2025,
        restate,
    )
    from ._reorg import dissolve, merge, move, rename, split, successor_chain
    from ._reversal import RankReversal
    from ._schemas import SCHEMA_NAMES, json_schema
    from ._scoring import ClusterBoard, CriterionScore, RankChange, Scoreboard, Standing
    from ._sensitivity import CriterionInfluence, Sensitivity, UnitSensitivity
    from ._serialization import converter, dataset_from_json, dataset_to_json, write_dataset
    from ._synth import synth
    from .hookspecs import PLUGIN_API, hookimpl
    from .query import Query, QuotaRow

__all__ = [
    "NATIONAL",
    "PLUGIN_API",
    "SCHEMA_NAMES",
    "Absence",
    "AbsenceReason",
    "Addressee",
    "Award",
    "Cadre",
    "Census",
    "CensusRow",
    "Cluster",
    "ClusterBoard",
    "Context",
    "CriteriaError",
    "CriteriaSet",
    "Criterion",
    "CriterionInfluence",
    "CriterionScore",
    "Dataset",
    "DatasetError",
    "DatasetMeta",
    "DoanmodelError",
    "Engine",
    "Finding",
    "FormerName",
    "Indicator",
    "IndicatorDef",
    "Level",
    "Meeting",
    "MeetingKind",
    "Member",
    "MethodInput",
    "MissingDependencyError",
    "ParamValue",
    "Parameters",
    "Penalty",
    "Period",
    "PeriodKind",
    "PluginContractError",
    "PluginError",
    "PluginFailure",
    "PluginInfo",
    "Position",
    "Problem",
    "Programme",
    "ProgrammeKind",
    "ProgrammeReport",
    "ProgrammeSelector",
    "ProgrammeTopic",
    "ProgrammeUnit",
    "ProvinceRef",
    "Query",
    "QuotaRow",
    "RankChange",
    "RankReversal",
    "Recommendation",
    "RecommendationStatus",
    "Report",
    "Role",
    "Rule",
    "Scope",
    "Scoreboard",
    "ScoringMethod",
    "Sector",
    "Sensitivity",
    "Standing",
    "Status",
    "Step",
    "Target",
    "Text",
    "TopicResult",
    "Unit",
    "UnitSensitivity",
    "UnitVersion",
    "UnknownProvinceError",
    "UnknownRuleError",
    "UnknownUnitError",
    "Visit",
    "VisitPurpose",
    "WhatIf",
    "__version__",
    "apply_2025",
    "census",
    "converter",
    "dataset_from_json",
    "dataset_to_json",
    "dissolve",
    "export_workbook",
    "find_province",
    "fold",
    "hookimpl",
    "json_schema",
    "load_criteria",
    "load_dataset",
    "lookup_provinces",
    "merge",
    "move",
    "nfc",
    "parse_criteria",
    "parse_date",
    "parse_period",
    "parse_term",
    "programme_topics_rule",
    "reference_provinces",
    "rename",
    "reorganise_2025",
    "restate",
    "set_language",
    "split",
    "successor_chain",
    "synth",
    "write_dataset",
    "write_excel",
    "write_template",
]


def reference_provinces() -> Any:
    """The 63 provinces before and the 34 after 1/7/2025 (see ``ProvinceRef``)."""
    from ._reference import provinces  # noqa: PLC0415

    return provinces()


#: names kept for one release as deprecated aliases (docs/api.md): name → what to use instead
_DEPRECATED: dict[str, str] = {
    "Facts": "ctx.facts (the class is internal)",
    "MemberTable": "the query layer (ctx.query.active_members(), member_events())",
    "MeetingTable": "the query layer (ctx.query.meeting_counts(), branch_months())",
    "CUTOVER": "datetime.date(2025, 7, 1); apply_2025() knows the date",
    "quota_rows": "ctx.query.quota()",
}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        import warnings  # noqa: PLC0415

        warnings.warn(f"doanmodel.{name} is deprecated and goes in 0.3: use {_DEPRECATED[name]}",
                      DeprecationWarning, stacklevel=2)
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
