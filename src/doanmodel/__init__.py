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

from . import _moved
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
from .model._dates import Period, parse_date, parse_period, parse_term
from .model._entities import (
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
from .model._enums import AbsenceReason, Level, MeetingKind, PeriodKind, Role, Sector, VisitPurpose
from .model._i18n import Text

_moved.install()  # old private paths of moved modules (tests, scripts) keep working

#: public name → the private module that defines it, imported on first use
_LAZY: dict[str, str] = {
    "write_excel": "_output.excel",
    # the front door to every format of every result (results hold data only)
    "from_json": "_output.front", "plot": "_output.front", "to_csv": "_output.front",
    "to_dataframe": "_output.front", "to_dict": "_output.front", "to_html": "_output.front",
    "to_json": "_output.front", "to_records": "_output.front", "to_table": "_output.front",
    "MissingDependencyError": "_output.notebook", "set_language": "model._i18n",
    "export_workbook": "_output.xlsxdata", "write_template": "_output.xlsxdata",
    "SCHEMA_NAMES": "_schemas", "json_schema": "_schemas",
    "Dataset": "dataset._dataset", "DatasetMeta": "dataset._dataset",
    "load_dataset": "dataset._loader",
    "Manifest": "dataset._intake", "TableSource": "dataset._intake",
    "Addressee": "dataset._programmes", "Programme": "dataset._programmes",
    "ProgrammeKind": "dataset._programmes", "ProgrammeSelector": "dataset._programmes",
    "ProgrammeTopic": "dataset._programmes", "ProgrammeUnit": "dataset._programmes",
    "Recommendation": "dataset._programmes", "RecommendationStatus": "dataset._programmes",
    "TopicResult": "dataset._programmes",
    "CUTOVER": "dataset._reference", "ProvinceRef": "dataset._reference",
    "apply_2025": "dataset._reference", "reorganise_2025": "dataset._reference",
    "restate": "dataset._reference", "FormerName": "dataset._reference",
    "find_province": "dataset._reference", "lookup_provinces": "dataset._reference",
    "dissolve": "dataset._reorg", "merge": "dataset._reorg", "move": "dataset._reorg",
    "rename": "dataset._reorg", "split": "dataset._reorg", "successor_chain": "dataset._reorg",
    "converter": "_output.convert", "dataset_from_json": "dataset._serialization",
    "dataset_to_json": "dataset._serialization", "write_dataset": "dataset._serialization",
    "synth": "dataset._synth", "fold": "model._i18n", "nfc": "model._i18n",
    "dataset_problems": "dataset._inmemory",
    "MeetingTable": "dataset._tables", "MemberTable": "dataset._tables",
    "PluginFailure": "model._failure",
    "Engine": "engine._engine", "WhatIf": "engine._engine",
    "PluginInfo": "engine._plugins",
    "ProgrammeReport": "engine._programme_report",
    "RatingEntry": "model._rating", "RatingFinding": "model._rating",
    "RatingLevel": "model._rating", "RatingReport": "model._rating",
    "RatingStage": "model._rating", "SubjectRating": "model._rating",
    "Ballot": "model._ballot", "ScoreStage": "model._enums", "StageValue": "scoring._scoring",
    "PLUGIN_API": "hookspecs", "hookimpl": "hookspecs",
    "NATIONAL": "model._params", "Parameters": "model._params", "ParamValue": "model._params",
    "Scope": "model._params",
    "QuotaRow": "query", "Query": "query",
    "Context": "rules._context", "Facts": "rules._context", "Finding": "rules._context",
    "IndicatorDef": "rules._context", "Report": "rules._context", "Rule": "rules._context",
    "Status": "rules._context",
    "programme_topics_rule": "rules._programme_rules",
    "quota_rows": "rules._visits",
    "Census": "scoring._census", "CensusRow": "scoring._census", "census": "scoring._census",
    "Award": "scoring._criteria", "CriteriaSet": "scoring._criteria",
    "Criterion": "scoring._criteria", "MethodInput": "scoring._criteria",
    "Penalty": "scoring._criteria", "ScoringMethod": "scoring._criteria",
    "Step": "scoring._criteria", "load_criteria": "scoring._criteria",
    "parse_criteria": "scoring._criteria",
    "RankReversal": "scoring._reversal",
    "ClusterBoard": "scoring._scoring", "CriterionScore": "scoring._scoring",
    "Explanation": "scoring._scoring",
    "RankChange": "scoring._scoring", "Scoreboard": "scoring._scoring",
    "Standing": "scoring._scoring",
    "CriterionInfluence": "scoring._sensitivity", "Sensitivity": "scoring._sensitivity",
    "UnitSensitivity": "scoring._sensitivity",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from . import reorg
    from ._output.convert import converter
    from ._output.excel import write_excel
    from ._output.front import (
        from_json,
        plot,
        to_csv,
        to_dataframe,
        to_dict,
        to_html,
        to_json,
        to_records,
        to_table,
    )
    from ._output.notebook import MissingDependencyError
    from ._output.xlsxdata import export_workbook, write_template
    from ._schemas import SCHEMA_NAMES, json_schema
    from .dataset._dataset import Dataset, DatasetMeta
    from .dataset._inmemory import dataset_problems
    from .dataset._intake import Manifest, TableSource
    from .dataset._loader import load_dataset
    from .dataset._programmes import (
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
    from .dataset._reference import (
        FormerName,
        ProvinceRef,
        apply_2025,
        find_province,
        lookup_provinces,
        reorganise_2025,
        restate,
    )
    from .dataset._serialization import dataset_from_json, dataset_to_json, write_dataset
    from .dataset._synth import synth
    from .engine._engine import Engine, WhatIf
    from .engine._plugins import PluginInfo
    from .engine._programme_report import ProgrammeReport
    from .hookspecs import PLUGIN_API, hookimpl
    from .model._ballot import Ballot
    from .model._enums import ScoreStage
    from .model._failure import PluginFailure
    from .model._i18n import set_language
    from .model._params import NATIONAL, Parameters, ParamValue, Scope
    from .model._rating import (
        RatingEntry,
        RatingFinding,
        RatingLevel,
        RatingReport,
        RatingStage,
        SubjectRating,
    )
    from .query import Query, QuotaRow
    from .rules._context import Context, Finding, IndicatorDef, Report, Rule, Status
    from .rules._programme_rules import programme_topics_rule
    from .scoring._census import Census, CensusRow, census
    from .scoring._criteria import (
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
    from .scoring._reversal import RankReversal
    from .scoring._scoring import (
        ClusterBoard,
        CriterionScore,
        Explanation,
        RankChange,
        Scoreboard,
        StageValue,
        Standing,
    )
    from .scoring._sensitivity import CriterionInfluence, Sensitivity, UnitSensitivity

__all__ = [
    "NATIONAL",
    "PLUGIN_API",
    "SCHEMA_NAMES",
    "Absence",
    "AbsenceReason",
    "Addressee",
    "Award",
    "Ballot",
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
    "Explanation",
    "Finding",
    "FormerName",
    "Indicator",
    "IndicatorDef",
    "Level",
    "Manifest",
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
    "RatingEntry",
    "RatingFinding",
    "RatingLevel",
    "RatingReport",
    "RatingStage",
    "Recommendation",
    "RecommendationStatus",
    "Report",
    "Role",
    "Rule",
    "Scope",
    "ScoreStage",
    "Scoreboard",
    "ScoringMethod",
    "Sector",
    "Sensitivity",
    "StageValue",
    "Standing",
    "Status",
    "Step",
    "SubjectRating",
    "TableSource",
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
    "dataset_problems",
    "dataset_to_json",
    "export_workbook",
    "find_province",
    "from_json",
    "hookimpl",
    "json_schema",
    "load_criteria",
    "load_dataset",
    "lookup_provinces",
    "parse_criteria",
    "parse_date",
    "parse_period",
    "parse_term",
    "plot",
    "programme_topics_rule",
    "reference_provinces",
    "reorg",
    "reorganise_2025",
    "restate",
    "set_language",
    "synth",
    "to_csv",
    "to_dataframe",
    "to_dict",
    "to_html",
    "to_json",
    "to_records",
    "to_table",
    "write_dataset",
    "write_excel",
    "write_template",
]


def reference_provinces() -> Any:
    """The 63 provinces before and the 34 after 1/7/2025 (see ``ProvinceRef``)."""
    from .dataset._reference import provinces  # noqa: PLC0415

    return provinces()


#: names kept for one release as deprecated aliases (docs/api.md): name → what to use instead
_DEPRECATED: dict[str, str] = {
    "Facts": "ctx.facts (the class is internal)",
    "MemberTable": "the query layer (ctx.query.active_members(), member_events())",
    "MeetingTable": "the query layer (ctx.query.meeting_counts(), branch_months())",
    "CUTOVER": "datetime.date(2025, 7, 1); apply_2025() knows the date",
    "quota_rows": "ctx.query.quota()",
    "fold": "doanmodel.find_province for accent-insensitive look-ups (the helper is internal)",
    "nfc": "unicodedata.normalize('NFC', text) (the loader already normalises; internal)",
    **{name: f"doanmodel.reorg.{name}" for name in (
        "dissolve", "merge", "move", "rename", "split", "successor_chain")},
}


def __getattr__(name: str) -> Any:
    if name == "reorg":
        value = import_module(".reorg", __name__)
        globals()[name] = value
        return value
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
