"""Scoring units in emulation clusters against a criteria set, and the Scoreboard."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

import attrs

from ..exceptions import DatasetError, Problem, UnknownUnitError
from ..model._dates import Period
from ..model._entities import Indicator
from ..model._enums import ScoreStage
from ..model._failure import PluginFailure
from ..model._formats import Formats
from ..model._i18n import Text
from ..model._labels import award_label
from ..query._source import FactSource, Source
from ._criteria import ZERO, CriteriaSet, Criterion, MethodInput, Penalty, ScoringMethod
from ._quality import ratings as _ratings
from ._ties import INPUT_PREFIX, assign_ranks, award_of, undecided_note

__all__ = ["ClusterBoard", "CriterionScore", "RankChange", "Scoreboard", "StageValue",
           "Standing", "score_clusters"]

RATINGS = {
    "excellent": Text("Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently"),
    "good": Text("Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    "complete": Text("Hoàn thành nhiệm vụ", "Completed tasks"),
    "incomplete": Text("Không hoàn thành nhiệm vụ", "Did not complete tasks"),
    # a unit left unranked for missing inputs is not rated (docs/scoring.md, "Missing values")
    "unrated": Text("Chưa xếp loại (thiếu số liệu)", "Not rated (inputs missing)"),
}


@attrs.frozen(kw_only=True)
class CriterionScore(Formats):
    """One unit's result on one criterion (or penalty)."""

    id: str
    points: Decimal
    max: Decimal
    value: Decimal | None
    how: str
    target: Decimal | None = None
    title: str | None = None
    group: str | None = None
    method: str = ""
    bonus: bool = False
    penalty: bool = False
    note: Text | None = None
    source: str = ""


@attrs.frozen(kw_only=True)
class StageValue:
    """One stage of one reported figure of a unit (a row of ``indicators.csv``)."""

    indicator: str
    #: ``self``, ``cross_check``, ``verified``, or ``None``: the final value (no stage given)
    stage: str | None
    value: Decimal
    #: who gave it, and when (the ``by`` and ``on`` columns)
    by: str | None = None
    on: _dt.date | None = None
    evidence: str | None = None
    #: whether the score uses this row (the latest stage of its figure)
    used: bool = False


@attrs.frozen(kw_only=True)
class Standing(Formats):
    """One unit's place in its cluster."""

    unit_id: str
    unit_name: str
    rank: int | None
    total: Decimal
    core: Decimal
    bonus: Decimal
    bonus_raw: Decimal
    penalty: Decimal
    award: str | None
    rating: str
    criteria: tuple[CriterionScore, ...]
    #: ``None``, or why the unit is listed but not ranked (it ended during the year)
    unranked_reason: Text | None = None
    #: the units sharing this rank, itself included (empty when the rank is its own)
    tied_with: tuple[str, ...] = ()
    #: awards the shared rank straddles: the emulation council must decide them
    undecided: tuple[str, ...] = ()
    #: why those awards are undecided
    undecided_reason: Text | None = None
    #: the award's English name, when the criteria set gives one (``title_en``)
    award_en: str | None = None
    #: the total the unit's own scores (stage ``self``) give, every other input as used;
    #: ``None`` when the unit gave no self-score this year
    self_total: Decimal | None = None
    #: ``self_total`` minus ``total`` (positive: the unit scored itself higher than the total
    #: used); ``None`` without a self-score
    deviation: Decimal | None = None
    #: every stage of the unit's reported figures for the year (empty when none has a stage)
    stages: tuple[StageValue, ...] = ()
    #: where the council decides awards by ballot: why the unit has its award, or none
    award_reason: Text | None = None
    #: the set's deviation check: ``pass``, ``fail``, ``no_data`` (no self-score), or ``None``
    #: when the set declares no tolerance
    deviation_status: str | None = None
    #: what the deviation check found, citing the set's source
    deviation_note: Text | None = None

    def award_label(self, lang: str = "vi") -> str | None:
        """The award's name in *lang* (docs/scoring.md: ``title_en``)."""
        return award_label(self.award, self.award_en, lang)


@attrs.frozen(kw_only=True)
class ClusterBoard(Formats):
    """The standings of one cluster."""

    id: str
    name: str
    year: int
    lead: str | None
    standings: tuple[Standing, ...]
    #: the criteria set this cluster was scored with (each cluster gets its province's set)
    criteria_id: str | None = None


@attrs.frozen(kw_only=True)
class RankChange:
    """How one unit's result changes under a what-if."""

    cluster_id: str
    unit_id: str
    rank_before: int | None
    rank_after: int | None
    total_before: Decimal
    total_after: Decimal


@attrs.frozen(kw_only=True)
class Scoreboard(Formats):
    """Standings per cluster for one year under one criteria set."""

    dataset: str
    year: int
    criteria_id: str
    criteria_title: str
    criteria_source: str
    max_total: Decimal
    clusters: tuple[ClusterBoard, ...]
    provenance: Mapping[str, Any] = attrs.field(factory=dict, eq=False)
    #: faults of plugins in this run (their contributions were dropped)
    plugin_failures: tuple[PluginFailure, ...] = ()

    def standing(self, unit_id: str) -> tuple[ClusterBoard, Standing]:
        """The cluster and standing of *unit_id*.

        Raises:
            UnknownUnitError: the unit is in no cluster this year.
        """
        for c in self.clusters:
            for s in c.standings:
                if s.unit_id == unit_id:
                    return c, s
        raise UnknownUnitError(unit_id, [s.unit_id for c in self.clusters for s in c.standings])

    def cluster(self, cluster_id: str) -> ClusterBoard:
        """One cluster's board.

        Raises:
            KeyError: no such cluster.
        """
        for c in self.clusters:
            if c.id == cluster_id:
                return c
        raise KeyError(cluster_id)

    @property
    def undecided(self) -> list[tuple[ClusterBoard, Standing]]:
        """The units whose shared rank straddles an award's places (the council decides)."""
        return [(c, s) for c in self.clusters for s in c.standings if s.undecided]

    def explain(self, unit_id: str, lang: str | None = None) -> Explanation:
        """The breakdown of *unit_id*'s score, criterion by criterion, with sources."""
        cluster, standing = self.standing(unit_id)
        return Explanation(board=self, cluster=cluster, standing=standing, lang=lang)


@attrs.frozen
class Explanation(Formats):
    """One unit's score explained; ``str()`` gives the readable form, ``to_dict()`` the JSON."""

    board: Scoreboard
    cluster: ClusterBoard
    standing: Standing
    #: the language of ``str()``, ``to_dict()`` and the notebook view (``lang=`` when built);
    #: ``None``: the session's (``dm.set_language``, Vietnamese by default)
    language: str | None = attrs.field(default=None, alias="lang")

    def lang(self, code: str) -> Explanation:
        """The same explanation in *code* (``"vi"`` or ``"en"``)."""
        return attrs.evolve(self, lang=code)


# ---------------------------------------------------------------------------- scoring
def _target(ctx: Source, crit_target: Any, unit_id: str, indicator: str,
            period: Period) -> Decimal | None:
    """A criterion's target for a unit: none, a fixed number, or the unit's row of
    ``targets`` (indexed once per run)."""
    if crit_target is None:
        return None
    if crit_target != "targets":
        return Decimal(crit_target)
    index: dict[tuple[str, str, str], list[Decimal]] | None = ctx.cache.get("targets_index")
    if index is None:
        index = ctx.cache["targets_index"] = {}
        for t in ctx.dataset.targets:
            index.setdefault((t.unit_id, str(t.period), t.indicator), []).append(t.value)
    return next(iter(index.get((unit_id, str(period), indicator), ())), None)


def score_clusters(ctx: Source, cset: CriteriaSet, methods: Mapping[str, ScoringMethod],
                   cluster_ids: Sequence[str] | None = None,
                   weights: Mapping[str, Decimal] | None = None) -> tuple[ClusterBoard, ...]:
    """
    Score every cluster of the context's year under *cset*.

    A unit that no longer exists at the end of the year (merged or dissolved mid-year) is scored
    on the data it has but not ranked and given no award (docs/scoring.md).
    """
    year = ctx.period.year
    period = Period(year)
    end = _dt.date(year, 12, 31)
    crits = cset.criteria
    if weights:
        crits = tuple(attrs.evolve(c, points=Decimal(weights[c.id])) if c.id in weights else c
                      for c in crits)
    clusters = [c for c in ctx.dataset.clusters_of_year(year)
                if cluster_ids is None or c.id in cluster_ids]
    errors: list[Problem] = []
    per_cluster = [_score_cluster(ctx, cset, crits, methods, sorted(cl.members), period, end,
                                  errors) for cl in clusters]
    if errors:  # a criterion with missing = "error": every missing value at once, exit 2
        raise DatasetError(errors)
    _self_totals(ctx, cset, crits, methods, per_cluster, period, end)
    rated = [r for ordered in per_cluster for r in ordered if not r["missing"]]
    ratings = dict.fromkeys((r["unit_id"] for o in per_cluster for r in o), "unrated")
    ratings.update(_ratings(ctx, cset, rated, end))
    tie_names = [k[len(INPUT_PREFIX):] for k in cset.tie_break if k.startswith(INPUT_PREFIX)]
    return tuple(ClusterBoard(id=cl.id, name=cl.name, year=cl.year, lead=cl.lead,
                              standings=tuple(_standing(cset, r, ratings[r["unit_id"]],
                                                        tie_names) for r in ordered))
                 for cl, ordered in zip(clusters, per_cluster))


class _SelfFacts:
    """The facts with some units' self-scores in place of the values used."""

    def __init__(self, facts: FactSource, own: Mapping[tuple[str, str], Decimal],
                 period: Period) -> None:
        self._facts, self._own, self._period = facts, own, str(period)

    def derived(self, indicator: str, period: Period | None = None) -> Mapping[str, Any]:
        return self._facts.derived(indicator, period)

    def value(self, indicator: str, unit_id: str,
              period: Period | None = None) -> tuple[Any, str]:
        if period is None or str(period) == self._period:
            own = self._own.get((unit_id, indicator))
            if own is not None:
                return own, "reported"
        return self._facts.value(indicator, unit_id, period)


class _SelfView:
    """A scoring source whose facts read the self-scores of *own*; the rest is *ctx*'s."""

    def __init__(self, ctx: Source, own: Mapping[tuple[str, str], Decimal],
                 period: Period) -> None:
        self._ctx = ctx
        self.facts = _SelfFacts(ctx.facts, own, period)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def _stage_rows(ctx: Source, period: Period) -> dict[str, list[Indicator]]:
    """unit id → its rows of *period* in ``indicators.csv``, when any row has a stage."""
    rows = ctx.dataset.indicators
    out: dict[str, list[Indicator]] = {}
    if not any(i.stage is not None for i in rows):
        return out
    shown = str(period)
    for i in rows:
        if str(i.period) == shown:
            out.setdefault(i.unit_id, []).append(i)
    return {uid: found for uid, found in out.items() if any(i.stage is not None for i in found)}


def _self_totals(ctx: Source, cset: CriteriaSet, crits: Sequence[Criterion],
                 methods: Mapping[str, ScoringMethod], per_cluster: list[list[dict[str, Any]]],
                 period: Period, end: _dt.date) -> None:
    """
    Each row's ``self_total`` (its total with its own ``self``-stage figures in place of the
    ones used, every other unit's as used) and ``stages``; ``None`` without a self-score.

    A method whose points depend on the other units (``rank``) scores the unit against the
    others' used values: the cluster is scored once per unit with a self-score.
    """
    by_unit = _stage_rows(ctx, period)
    for ordered in per_cluster:
        for r in ordered:
            r["self_total"], r["stages"] = None, _stages_of(by_unit.get(r["unit_id"], ()))
        own = {r["unit_id"]: {(i.unit_id, i.indicator): i.value
                              for i in by_unit.get(r["unit_id"], ())
                              if i.stage is ScoreStage.SELF}
               for r in ordered}
        own = {uid: values for uid, values in own.items() if values}
        if not own:
            continue
        members = sorted(r["unit_id"] for r in ordered)
        alone = all(methods[c.method].per_unit for c in crits)
        groups = [dict(kv for v in own.values() for kv in v.items())] if alone else \
            list(own.values())
        for values in groups:
            view = cast("Source", _SelfView(ctx, values, period))
            scored = _score_cluster(view, cset, crits, methods, members, period, end, [])
            units = {uid for uid, _ in values}
            totals = {x["unit_id"]: x["total"] for x in scored if x["unit_id"] in units}
            for r in ordered:
                if r["unit_id"] in totals:
                    r["self_total"] = totals[r["unit_id"]]


def _stages_of(rows: Sequence[Indicator]) -> tuple[StageValue, ...]:
    """The stage rows of one unit, figure by figure, earliest stage first."""
    used: dict[str, Indicator] = {}
    for i in rows:
        had = used.get(i.indicator)
        if had is None or i.stage_order > had.stage_order:
            used[i.indicator] = i
    return tuple(StageValue(indicator=i.indicator, stage=None if i.stage is None else
                            i.stage.value, value=i.value, by=i.by, on=i.on,
                            evidence=i.evidence, used=used[i.indicator] is i)
                 for i in sorted(rows, key=lambda i: (i.indicator, i.stage_order)))


def _score_cluster(ctx: Source, cset: CriteriaSet, crits: Sequence[Criterion],
                   methods: Mapping[str, ScoringMethod], members: list[str], period: Period,
                   end: _dt.date, errors: list[Problem]) -> list[dict[str, Any]]:
    """One cluster's rows, scored, totalled and ranked (units that ended, or whose inputs are
    missing, last and unranked)."""
    results: dict[str, list[CriterionScore]] = {uid: [] for uid in members}
    missing: dict[str, list[Text]] = {uid: [] for uid in members}
    for c in crits:
        scores, gaps = _score_criterion(ctx, cset, c, methods[c.method], members, period)
        for uid, score in scores.items():
            results[uid].append(score)
        for uid, what in gaps.items():
            if c.missing == "error":
                errors.append(_missing_problem(c, uid, what, period))
            elif c.missing == "unranked":
                missing[uid].append(what)
            # "zero": scored 0 with the method's note, and ranked
    for uid in members:  # a unit with no input on any criterion is never ranked
        if crits and all(s.value is None for s in results[uid]) and not missing[uid]:
            missing[uid].append(Text("không tiêu chí nào có số liệu",
                                     "no criterion has an input"))
    for p in cset.penalties:
        for uid in members:
            score = _score_penalty(ctx, cset, p, uid, period)
            results[uid].append(score)
            if score.value is not None or p.missing == "zero":
                continue
            what = Text(f"{p.id}: thiếu số liệu {p.indicator} (điểm trừ)",
                        f"{p.id}: no value of {p.indicator} (penalty)")
            if p.missing == "error":
                errors.append(Problem(file="indicators.csv", line=0, column=p.indicator,
                                      message=Text(f"{uid}: {what.vi} {period} "
                                                   "(missing = \"error\")",
                                                   f"{uid}: {what.en} for {period} "
                                                   "(missing = \"error\")")))
            else:  # a count against the unit, withheld, must not lift it in the ranking
                missing[uid].append(what)
    rows = [_unit_row(ctx, cset, uid, results[uid], end) for uid in members]
    for r in rows:
        r["missing"] = tuple(missing[r["unit_id"]])
    _tie_inputs(ctx, cset.tie_break, rows, period)
    ranked = assign_ranks([r for r in rows if r["ended"] is None and not r["missing"]],
                          cset.tie_break)
    for r in rows:
        r.setdefault("rank", None)
        r.setdefault("tied", ())
    return ranked + sorted((r for r in rows if r["ended"] is not None or r["missing"]),
                           key=lambda r: r["unit_id"])


def _missing_problem(c: Criterion, uid: str, what: Text, period: Period) -> Problem:
    """The problem a criterion with ``missing = "error"`` raises for one unit."""
    target = "targets.csv" in what.en
    return Problem(file="targets.csv" if target else "indicators.csv",
                   line=0, column=c.indicator, message=Text(
                       f"{uid}: tiêu chí {c.id}: thiếu {'chỉ tiêu' if target else 'số liệu'} "
                       f"{c.indicator} {period} (missing = \"error\")",
                       f"{uid}: criterion {c.id}: no {'target' if target else 'value'} of "
                       f"{c.indicator} for {period} (missing = \"error\")"))


def _score_criterion(ctx: Source, cset: CriteriaSet, c: Criterion, method: ScoringMethod,
                     members: list[str], period: Period
                     ) -> tuple[dict[str, CriterionScore], dict[str, Text]]:
    """Every member's score on one criterion (points clamped to ``0..max``), and for each
    member whose indicator or target is missing, what is missing."""
    inputs = {}
    gaps: dict[str, Text] = {}
    for uid in members:
        value, how = ctx.facts.value(c.indicator, uid, period)
        target = _target(ctx, c.target, uid, c.indicator, period)
        inputs[uid] = MethodInput(None if value is None else Decimal(value), how, target)
        if value is None:
            gaps[uid] = Text(f"{c.id} ({c.indicator})", f"{c.id} ({c.indicator})")
        elif c.target == "targets" and target is None:
            gaps[uid] = Text(f"{c.id} (chỉ tiêu {c.indicator}, targets.csv)",
                             f"{c.id} (target of {c.indicator}, targets.csv)")
    scored = method.score(c, inputs)
    out = {}
    for uid in members:
        pts, note = scored[uid]
        pts = max(ZERO, min(Decimal(pts), c.points))
        inp = inputs[uid]
        if uid in gaps and c.missing != "zero":
            pts = ZERO
            note = _NOT_SCORED if note is None else Text(f"{note.vi}; {_NOT_SCORED.vi}",
                                                         f"{note.en}; {_NOT_SCORED.en}")
        out[uid] = CriterionScore(
            id=c.id, points=pts, max=c.points, value=inp.value, how=inp.how,
            target=inp.target, title=c.title, group=c.group, method=c.method,
            bonus=c.bonus, note=note, source=c.source or cset.source)
    return out, gaps


_NOT_SCORED = Text("thiếu số liệu: không chấm (đơn vị không xếp hạng)",
                   "missing: not scored (the unit is not ranked)")


def _score_penalty(ctx: Source, cset: CriteriaSet, p: Penalty, uid: str,
                   period: Period) -> CriterionScore:
    """One unit's deduction under one penalty (none when its count is missing)."""
    value, how = ctx.facts.value(p.indicator, uid, period)
    v = None if value is None else Decimal(value)
    pts = ZERO if v is None else max(ZERO, p.points_each * v)
    if p.max is not None:
        pts = min(pts, p.max)
    return CriterionScore(
        id=p.id, points=pts, max=p.max if p.max is not None else pts, value=v,
        how=how, title=p.title, method="penalty", penalty=True,
        note=Text("thiếu số liệu (không trừ)", "missing (no deduction)")
        if v is None else None, source=p.source or cset.source)


def _unit_row(ctx: Source, cset: CriteriaSet, uid: str, scores: list[CriterionScore],
              end: _dt.date) -> dict[str, Any]:
    """A unit's totals (core, capped bonus, penalties), its name and whether it ended."""
    core = sum((s.points for s in scores if not s.bonus and not s.penalty), ZERO)
    bonus_raw = sum((s.points for s in scores if s.bonus), ZERO)
    bonus = bonus_raw if cset.bonus_cap is None else min(bonus_raw, cset.bonus_cap)
    penalty = sum((s.points for s in scores if s.penalty), ZERO)
    total = max(ZERO, core + bonus - penalty)
    unit = ctx.dataset.units[uid]
    ended = unit.valid_to is not None and unit.valid_to < end
    shown = unit.at(min(end, unit.valid_to or end))
    return {"unit_id": uid, "name": shown.name if shown else unit.name, "core": core,
            "bonus": bonus, "bonus_raw": bonus_raw, "penalty": penalty, "total": total,
            "scores": tuple(scores), "by_id": {s.id: s.points for s in scores},
            "ended": unit.valid_to if ended else None}


def _standing(cset: CriteriaSet, r: dict[str, Any], rating: str,
              tie_names: list[str]) -> Standing:
    """A scored row as a :class:`Standing`, with its award (or undecided awards)."""
    award: str | None = None
    undecided: tuple[str, ...] = ()
    rank: int | None = r["rank"]
    if rank is not None:
        award, undecided = award_of(rank, len(r["tied"]), r["total"], cset.awards)
    award_en = next((x.title_en for x in cset.awards if x.title == award), None) \
        if award else None
    reason = None if r["ended"] is None else Text(
        f"đơn vị kết thúc ngày {r['ended']:%d/%m/%Y}: có điểm nhưng không xếp hạng, không khen "
        "thưởng", f"unit ended on {r['ended'].isoformat()}: scored but not ranked and given no "
        "award")
    if r["missing"]:
        gaps = r["missing"]
        why = Text(f"thiếu số liệu {len(gaps)} tiêu chí — " + "; ".join(g.vi for g in gaps)
                   + ": không xếp hạng, không khen thưởng, không xếp loại",
                   f"inputs missing for {len(gaps)} criteria — " + "; ".join(g.en for g in gaps)
                   + ": not ranked, given no award and no rating")
        reason = why if reason is None else Text(f"{reason.vi}; {why.vi}", f"{reason.en}; {why.en}")
    return Standing(
        unit_id=r["unit_id"], unit_name=r["name"], rank=r["rank"], total=r["total"],
        core=r["core"], bonus=r["bonus"], bonus_raw=r["bonus_raw"],
        penalty=r["penalty"], award=award, award_en=award_en, rating=rating,
        criteria=r["scores"], unranked_reason=reason, tied_with=r["tied"],
        undecided=undecided,
        undecided_reason=undecided_note(r["unit_id"], rank, r["tied"], undecided, tie_names)
        if undecided and rank is not None else None,
        self_total=r.get("self_total"), stages=r.get("stages", ()),
        deviation=None if r.get("self_total") is None else r["self_total"] - r["total"],
        **_deviation_check(cset, r))


def _deviation_check(cset: CriteriaSet, r: dict[str, Any]) -> dict[str, Any]:
    """The standing's ``deviation_status`` and ``deviation_note`` under the set's tolerance."""
    points, share = cset.deviation_max_points, cset.deviation_max_share
    if points is None and share is None:
        return {}
    src = cset.deviation_source or ""
    own = r.get("self_total")
    if own is None:
        return {"deviation_status": "no_data", "deviation_note": Text(
            f"không đủ dữ liệu: không có điểm tự chấm để so ({src})",
            f"no data: no self-score to compare ({src})")}
    dev = own - r["total"]
    limits = [x for x in (points, None if share is None else share * r["total"])
              if x is not None]
    limit = min(limits)
    shown = f"{limit.quantize(Decimal('0.01')).normalize():f}"
    gap = f"{dev.quantize(Decimal('0.01')).normalize():f}"
    if dev > limit:
        return {"deviation_status": "fail", "deviation_note": Text(
            f"tự chấm cao hơn điểm được dùng {gap} điểm, quá mức cho phép {shown} ({src})",
            f"self-score {gap} points above the total used, more than the {shown} allowed "
            f"({src})")}
    return {"deviation_status": "pass", "deviation_note": Text(
        f"chênh lệch {gap} điểm, trong mức cho phép {shown} ({src})",
        f"deviation {gap} points, within the {shown} allowed ({src})")}


def _tie_inputs(ctx: Source, keys: Sequence[str], rows: list[dict[str, Any]],
                period: Period) -> None:
    """Read each declared final tie-break input (``indicator:NAME``) for every row."""
    names = [k[len(INPUT_PREFIX):] for k in keys if k.startswith(INPUT_PREFIX)]
    for r in rows:
        values = {name: ctx.facts.value(name, r["unit_id"], period)[0] for name in names}
        r["tie_inputs"] = {n: None if v is None else Decimal(v) for n, v in values.items()}
