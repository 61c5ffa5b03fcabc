"""The programme report: coverage, the topic × unit matrix and open recommendations.

Plain data only; every format (table, JSON, CSV, HTML, DataFrame) is written by
:mod:`doanmodel._output.programme`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..dataset._dataset import Dataset
from ..dataset._programmes import (
    Programme,
    ProgrammeKind,
    Recommendation,
    RecStatus,
    Topic,
    TopicResult,
    briefing_members,
    coverage_evidence,
    planned_units,
)
from ..exceptions import Problem, bilingual
from ..model._enums import Level
from ..model._formats import Formats
from ..model._i18n import Text

__all__ = ["LevelCount", "OpenRecommendation", "ProgrammeReport", "ProgrammeSummary", "UnitRow",
           "programme_problems", "programme_report"]


@attrs.frozen(kw_only=True)
class LevelCount:
    """Planned units of one level, and how many of them the programme covered in its period."""

    level: Level | None
    covered: int
    planned: int


@attrs.frozen(kw_only=True)
class UnitRow:
    """One unit of the topic × unit matrix."""

    unit_id: str
    unit_name: str
    level: Level | None
    planned: bool
    #: the first day the programme covered the unit in its period (``None``: not covered)
    covered_on: _dt.date | None
    results: tuple[TopicResult, ...]
    conclusions: tuple[str, ...] = ()
    #: ids of the meetings and visits that covered the unit in the period
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class OpenRecommendation:
    """A recommendation still open on the report's date."""

    unit_id: str
    unit_name: str
    recommendation: Recommendation
    #: days past the due date on the report's date (0: not due yet or no due date)
    overdue_days: int


@attrs.frozen(kw_only=True)
class ProgrammeSummary:
    """One programme's coverage, matrix and open recommendations."""

    programme: Programme
    kind_title: Text
    topics: tuple[Topic, ...]
    planned: tuple[str, ...]
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    outside_plan: tuple[str, ...]
    by_level: tuple[LevelCount, ...]
    rows: tuple[UnitRow, ...]
    open_recommendations: tuple[OpenRecommendation, ...]
    closed_recommendations: int = 0


@attrs.frozen(kw_only=True)
class ProgrammeReport(Formats):
    """The programmes of a dataset as of a date (``doanmodel programme``)."""

    dataset: str
    as_of: _dt.date
    programmes: tuple[ProgrammeSummary, ...]


# ---------------------------------------------------------------------------- building
def programme_report(ds: Dataset, kinds: Mapping[str, ProgrammeKind], id: str | None = None,  # noqa: A002
                     *, as_of: _dt.date | None = None) -> ProgrammeReport:
    """
    The report of every programme of *ds* (or only *id*) as of *as_of* (default: today).

    Raises:
        DoanmodelError: *id* is not a programme of the dataset.
    """
    chosen = list(ds.programmes)
    if id is not None:
        chosen = [p for p in chosen if p.id == id]
        if not chosen:
            known = ", ".join(p.id for p in ds.programmes) or "—"
            raise bilingual(f"không có chương trình {id!r} trong bộ dữ liệu (có: {known})",
                            f"no programme {id!r} in the dataset (programmes: {known})")
    day = as_of or _dt.date.today()
    return ProgrammeReport(dataset=ds.meta.name, as_of=day,
                           programmes=tuple(_summary(ds, p, kinds, day) for p in chosen))


def _level(ds: Dataset, uid: str, on: _dt.date) -> Level | None:
    unit = ds.units.get(uid)
    if unit is None:
        return None
    version = unit.at(on) or unit.latest
    return version.level


def _summary(ds: Dataset, p: Programme, kinds: Mapping[str, ProgrammeKind],
             day: _dt.date) -> ProgrammeSummary:
    kind = kinds.get(p.kind)
    topics = p.topics or (kind.topics if kind else ())
    planned = planned_units(ds, p)
    evidence = coverage_evidence(ds, p, kinds)
    if p.kind == "cluster_briefing":  # covered = reported (the unit's entry)
        planned = briefing_members(ds, p) or []
        evidence = {c.unit_id: (p.start, ()) for c in p.units}
    elif p.kind == "review_conference":  # judged on its figures, not on units covered
        planned, evidence = [], {}
    covered = {uid: day for uid, (day, _) in evidence.items()}
    outside = sorted(set(covered) - set(planned))
    by_level: dict[Level | None, list[int]] = {}
    for uid in planned:
        counts = by_level.setdefault(_level(ds, uid, p.start), [0, 0])
        counts[0] += uid in covered
        counts[1] += 1
    order = {lv: i for i, lv in enumerate(Level)}
    levels = tuple(LevelCount(level=lv, covered=c, planned=n) for lv, (c, n) in
                   sorted(by_level.items(), key=lambda kv: order.get(kv[0], 99)))  # type: ignore[arg-type]
    rows = tuple(_row(ds, p, uid, uid in planned, evidence.get(uid), topics)
                 for uid in [*planned, *outside])
    open_recs, closed = _open(ds, p, day)
    return ProgrammeSummary(
        programme=p, kind_title=kind.title if kind else Text(p.kind, p.kind), topics=topics,
        planned=tuple(planned), covered=tuple(u for u in planned if u in covered),
        missing=tuple(u for u in planned if u not in covered), outside_plan=tuple(outside),
        by_level=levels, rows=rows, open_recommendations=open_recs,
        closed_recommendations=closed)


def _row(ds: Dataset, p: Programme, uid: str, planned: bool,
         found: tuple[_dt.date, tuple[str, ...]] | None, topics: tuple[Topic, ...]) -> UnitRow:
    entry = p.entry(uid)
    unit = ds.units.get(uid)
    return UnitRow(unit_id=uid, unit_name=unit.name if unit else uid,
                   level=_level(ds, uid, p.start), planned=planned,
                   covered_on=found[0] if found else None, evidence=found[1] if found else (),
                   results=tuple(entry.result(t.id) if entry else TopicResult.NOT_COVERED
                                 for t in topics),
                   conclusions=entry.conclusions if entry else ())


def _open(ds: Dataset, p: Programme,
          day: _dt.date) -> tuple[tuple[OpenRecommendation, ...], int]:
    out: list[OpenRecommendation] = []
    closed = 0
    for c in p.units:
        unit = ds.units.get(c.unit_id)
        for rec in c.recommendations:
            if rec.status is RecStatus.CLOSED:
                closed += 1
                continue
            late = (day - rec.due).days if rec.due is not None and rec.due < day else 0
            out.append(OpenRecommendation(unit_id=c.unit_id,
                                          unit_name=unit.name if unit else c.unit_id,
                                          recommendation=rec, overdue_days=late))
    out.sort(key=lambda o: (-o.overdue_days, o.unit_id, o.recommendation.id))
    return tuple(out), closed


# ---------------------------------------------------------------------------- kinds in scope
def kinds_for(ds: Dataset, p: Programme, kinds: Iterable[ProgrammeKind],
              provinces: Mapping[str, frozenset[str] | None]) -> dict[str, ProgrammeKind]:
    """
    The kinds *p* may use: the national ones, and a plugin's where the programme lies inside
    the plugin's provinces (*provinces*: origin → resolved province unit ids) and dates.
    """
    where = _provinces(ds, p)
    out: dict[str, ProgrammeKind] = {}
    for k in kinds:
        if k.origin != "national":
            ids = provinces.get(k.origin)
            if ids is not None and not (where and where <= ids):
                continue
            if not (k.scope.covers_date(p.start) or k.scope.covers_date(p.end)):
                continue
        out[k.id] = k
    return out


def _provinces(ds: Dataset, p: Programme) -> set[str | None]:
    """The provinces of every unit the programme names, as the tree stood at its start."""
    units = [*p.targets, *(c.unit_id for c in p.units)]
    if p.selector is not None:
        units.append(p.selector.under)
    out: set[str | None] = set()
    for uid in units:
        try:
            out.add(ds.province_of(uid, p.start))
        except LookupError:
            out.add(None)
    return out


def programme_problems(ds: Dataset, usable: Mapping[str, Mapping[str, ProgrammeKind]],
                       every: Iterable[str]) -> list[Problem]:
    """
    Problems only the plugins can tell: a programme's kind unknown, or a plugin's kind used
    outside that plugin's provinces or dates. *usable*: programme id → kinds it may use.
    """
    known = set(every)
    out: list[Problem] = []
    for p in ds.programmes:
        if p.kind in usable.get(p.id, {}):
            continue
        if p.kind in known:
            msg = Text(f"{p.id}: loại chương trình {p.kind!r} của plugin không áp dụng cho tỉnh "
                       "hoặc thời gian này", f"{p.id}: programme kind {p.kind!r} belongs to a "
                       "plugin that does not apply to this province or time")
        else:
            msg = Text(f"{p.id}: không có loại chương trình {p.kind!r}; có: "
                       f"{', '.join(sorted(known))}", f"{p.id}: unknown programme kind "
                       f"{p.kind!r}; known: {', '.join(sorted(known))}")
        out.append(Problem("programmes.toml", p.line, "kind", msg))
    return out


# ---------------------------------------------------------------------------- engine glue
def _usable(engine: Any, ds: Dataset) -> dict[str, dict[str, ProgrammeKind]]:
    from ._run import resolve_scope  # noqa: PLC0415

    kinds = list(engine.registry.programme_kinds)
    memo: dict[frozenset[str], frozenset[str]] = {}
    provinces = {k.origin: resolve_scope(ds, k.scope, memo).provinces
                 for k in kinds if k.origin != "national"}
    return {p.id: kinds_for(ds, p, kinds, provinces) for p in ds.programmes}


def engine_programme(engine: Any, ds: Dataset, id: str | None = None,  # noqa: A002
                     *, as_of: _dt.date | None = None) -> ProgrammeReport:
    """:meth:`doanmodel.Engine.programme`: the report with the kinds in scope of each."""
    engine._require(ds)  # noqa: SLF001
    usable = _usable(engine, ds)
    merged: dict[str, ProgrammeKind] = {}
    for p in ds.programmes:
        kind = usable[p.id].get(p.kind)
        if kind is not None:
            merged[p.kind] = kind
    return programme_report(ds, merged, id, as_of=as_of)


def engine_problems(engine: Any, ds: Dataset) -> list[Problem]:
    """Programme problems for :meth:`doanmodel.Engine.validate`."""
    if not ds.programmes:
        return []
    return programme_problems(ds, _usable(engine, ds),
                              {k.id for k in engine.registry.programme_kinds})
