"""
doanmodel: a typed model of the Hồ Chí Minh Communist Youth Union (Đoàn TNCS Hồ Chí Minh).

Load a dataset directory, check it against the Union's rules, score emulation clusters::

    import doanmodel as dm

    ds = dm.load_dataset("examples/tra-vinh-2019")
    report = dm.Engine().check(ds, year=2019)
"""

from ._census import Census, CensusRow, census
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
from ._dates import Period, parse_date, parse_period, parse_term
from ._engine import Context, Facts, Finding, IndicatorDef, Report, Rule, Status
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
from ._host import Engine, WhatIf
from ._i18n import Text, fold, nfc
from ._loader import load_dataset
from ._params import NATIONAL, Parameters, ParamValue, Scope
from ._plugins import PluginInfo
from ._reference import CUTOVER, ProvinceRef, apply_2025, reorganise_2025, restate
from ._reference import provinces as reference_provinces
from ._reorg import dissolve, merge, move, rename, split, successor_chain
from ._scoring import ClusterBoard, CriterionScore, RankChange, Scoreboard, Standing
from ._serialization import (
    converter,
    dataset_from_json,
    dataset_to_json,
    write_dataset,
)
from ._synth import synth
from ._visits import QuotaRow, quota_rows
from ._tables import MeetingTable, MemberTable
from .exceptions import (
    CriteriaError,
    DatasetError,
    DoanmodelError,
    PluginContractError,
    PluginError,
    Problem,
    UnknownRuleError,
    UnknownUnitError,
)
from .hookspecs import PLUGIN_API, hookimpl

__all__ = [
    "CUTOVER",
    "NATIONAL",
    "PLUGIN_API",
    "Absence",
    "AbsenceReason",
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
    "CriterionScore",
    "Dataset",
    "DatasetError",
    "DatasetMeta",
    "DoanmodelError",
    "Engine",
    "Facts",
    "Finding",
    "Indicator",
    "IndicatorDef",
    "Level",
    "Meeting",
    "MeetingKind",
    "MeetingTable",
    "Member",
    "MemberTable",
    "MethodInput",
    "ParamValue",
    "Parameters",
    "Penalty",
    "Period",
    "PeriodKind",
    "PluginContractError",
    "PluginError",
    "PluginInfo",
    "Position",
    "ProvinceRef",
    "Problem",
    "QuotaRow",
    "RankChange",
    "Report",
    "Role",
    "Rule",
    "Scope",
    "Scoreboard",
    "ScoringMethod",
    "Sector",
    "Standing",
    "Status",
    "Step",
    "Target",
    "Text",
    "Unit",
    "UnitVersion",
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
    "fold",
    "hookimpl",
    "load_criteria",
    "load_dataset",
    "merge",
    "move",
    "nfc",
    "parse_criteria",
    "parse_date",
    "parse_period",
    "parse_term",
    "quota_rows",
    "reference_provinces",
    "rename",
    "reorganise_2025",
    "restate",
    "split",
    "successor_chain",
    "synth",
    "write_dataset",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - lazy, as pluggy does

        return version("doanmodel")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
