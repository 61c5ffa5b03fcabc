"""Scoring units in emulation clusters against a criteria set, and the Scoreboard."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .._render import csv_text, fmt_number, json_number, table
from ..engine._boundary import PluginFailure, failure_dict
from ..exceptions import UnknownUnitError
from ..model._dates import Period
from ..model._i18n import Text
from ..model._labels import award_label
from ..rules._context import Context
from ._criteria import ZERO, CriteriaSet, MethodInput, ScoringMethod
from ._ties import INPUT_PREFIX, assign_ranks, award_of, undecided_note

__all__ = ["ClusterBoard", "CriterionScore", "RankChange", "Scoreboard", "Standing",
           "score_clusters"]

RATINGS = {
    "excellent": Text("Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently"),
    "good": Text("Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    "complete": Text("Hoàn thành nhiệm vụ", "Completed tasks"),
    "incomplete": Text("Không hoàn thành nhiệm vụ", "Did not complete tasks"),
}


@attrs.frozen(kw_only=True)
class CriterionScore:
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

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON form (points rounded for output; exact values under ``exact``)."""
        return {"id": self.id, "title": self.title, "group": self.group, "method": self.method,
                "bonus": self.bonus, "penalty": self.penalty,
                "points": json_number(self.points), "max": json_number(self.max),
                "value": json_number(self.value), "how": self.how,
                "target": json_number(self.target),
                "note": self.note.get(lang) if self.note else None, "source": self.source,
                "exact": {"points": str(self.points), "max": str(self.max),
                          "value": None if self.value is None else str(self.value),
                          "target": None if self.target is None else str(self.target),
                          "note": None if self.note is None else [self.note.vi, self.note.en]}}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CriterionScore:
        """Inverse of :meth:`to_dict`."""
        e = d["exact"]
        return cls(id=d["id"], title=d["title"], group=d["group"], method=d["method"],
                   bonus=d["bonus"], penalty=d["penalty"], points=Decimal(e["points"]),
                   max=Decimal(e["max"]),
                   value=None if e["value"] is None else Decimal(e["value"]), how=d["how"],
                   target=None if e["target"] is None else Decimal(e["target"]),
                   note=None if e["note"] is None else Text(*e["note"]), source=d["source"])


@attrs.frozen(kw_only=True)
class Standing:
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

    def award_label(self, lang: str = "vi") -> str | None:
        """The award's name in *lang* (docs/scoring.md: ``title_en``)."""
        return award_label(self.award, self.award_en, lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON form of the contract."""
        return {
            "unit_id": self.unit_id, "unit_name": self.unit_name, "rank": self.rank,
            "total": json_number(self.total), "core": json_number(self.core),
            "bonus": json_number(self.bonus), "bonus_raw": json_number(self.bonus_raw),
            "penalty": json_number(self.penalty), "award": self.award_label(lang),
            "rating": self.rating,
            "rating_label": RATINGS[self.rating].get(lang),
            "unranked_reason": None if self.unranked_reason is None else
            self.unranked_reason.get(lang),
            "tied_with": list(self.tied_with), "award_undecided": list(self.undecided),
            "undecided_reason": None if self.undecided_reason is None else
            self.undecided_reason.get(lang),
            "criteria": [c.to_dict(lang) for c in self.criteria],
            "exact": {"total": str(self.total), "core": str(self.core), "bonus": str(self.bonus),
                      "bonus_raw": str(self.bonus_raw), "penalty": str(self.penalty),
                      "award": [self.award, self.award_en],
                      "unranked_reason": None if self.unranked_reason is None else
                      [self.unranked_reason.vi, self.unranked_reason.en],
                      "undecided_reason": None if self.undecided_reason is None else
                      [self.undecided_reason.vi, self.undecided_reason.en]},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Standing:
        """Inverse of :meth:`to_dict`."""
        e = d["exact"]
        return cls(unit_id=d["unit_id"], unit_name=d["unit_name"], rank=d["rank"],
                   total=Decimal(e["total"]), core=Decimal(e["core"]), bonus=Decimal(e["bonus"]),
                   bonus_raw=Decimal(e["bonus_raw"]), penalty=Decimal(e["penalty"]),
                   award=e["award"][0] if "award" in e else d["award"],
                   award_en=e["award"][1] if "award" in e else None, rating=d["rating"],
                   criteria=tuple(CriterionScore.from_dict(c) for c in d["criteria"]),
                   unranked_reason=None if e["unranked_reason"] is None else
                   Text(*e["unranked_reason"]), tied_with=tuple(d.get("tied_with", ())),
                   undecided=tuple(d.get("award_undecided", ())),
                   undecided_reason=None if e.get("undecided_reason") is None else
                   Text(*e["undecided_reason"]))


@attrs.frozen(kw_only=True)
class ClusterBoard:
    """The standings of one cluster."""

    id: str
    name: str
    year: int
    lead: str | None
    standings: tuple[Standing, ...]
    #: the criteria set this cluster was scored with (each cluster gets its province's set)
    criteria_id: str | None = None

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON form of the contract."""
        return {"id": self.id, "name": self.name, "year": self.year, "lead": self.lead,
                "criteria_id": self.criteria_id,
                "standings": [s.to_dict(lang) for s in self.standings]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ClusterBoard:
        """Inverse of :meth:`to_dict`."""
        return cls(id=d["id"], name=d["name"], year=d["year"], lead=d["lead"],
                   standings=tuple(Standing.from_dict(s) for s in d["standings"]),
                   criteria_id=d.get("criteria_id"))


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
class Scoreboard:
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

    # ------------------------------------------------------------------ output
    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The contract's JSON shape."""
        return {"dataset": self.dataset, "year": self.year,
                "criteria": {"id": self.criteria_id, "title": self.criteria_title,
                             "source": self.criteria_source,
                             "max_total": json_number(self.max_total),
                             "exact": {"max_total": str(self.max_total)}},
                "clusters": [c.to_dict(lang) for c in self.clusters],
                "plugin_failures": [failure_dict(f) for f in self.plugin_failures],
                "provenance": dict(self.provenance)}

    def to_json(self, lang: str = "vi", **kw: Any) -> str:
        """JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kw)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scoreboard:
        """Rebuild a scoreboard from :meth:`to_dict` output (exact values are kept)."""
        c = d["criteria"]
        return cls(dataset=d["dataset"], year=d["year"], criteria_id=c["id"],
                   criteria_title=c["title"], criteria_source=c["source"],
                   max_total=Decimal(c["exact"]["max_total"]),
                   clusters=tuple(ClusterBoard.from_dict(x) for x in d["clusters"]),
                   provenance=d.get("provenance", {}),
                   plugin_failures=tuple(PluginFailure(**f)
                                         for f in d.get("plugin_failures", ())))

    @classmethod
    def from_json(cls, text: str) -> Scoreboard:
        """Rebuild a scoreboard from :meth:`to_json` output (the contract's shape, whose
        ``exact`` values keep it lossless) or from the converter's ``$type`` form."""
        data = json.loads(text)
        if isinstance(data, dict) and "$type" in data:
            from .._output.convert import from_dict  # noqa: PLC0415

            return from_dict(data, cls)  # type: ignore[no-any-return]
        return cls.from_dict(data)

    def to_records(self, lang: str = "vi") -> list[dict[str, Any]]:
        """One flat dict per unit: cluster, rank, totals, award, rating, and each criterion."""
        out = []
        for c in self.clusters:
            for s in c.standings:
                row: dict[str, Any] = {
                    "cluster_id": c.id, "cluster_name": c.name, "unit_id": s.unit_id,
                    "unit_name": s.unit_name, "rank": s.rank, "total": float(s.total),
                    "core": float(s.core), "bonus": float(s.bonus), "penalty": float(s.penalty),
                    "award": s.award_label(lang),
                    "award_undecided": "; ".join(s.undecided) or None,
                    "rating": RATINGS[s.rating].get(lang)}
                for cs in s.criteria:
                    row[cs.id] = float(cs.points)
                out.append(row)
        return out

    def to_dataframe(self, lang: str = "vi") -> Any:
        """A pandas DataFrame of :meth:`to_records` (needs the ``notebook`` extra)."""
        from .._output.notebook import dataframe  # noqa: PLC0415 - optional dependency

        return dataframe(self.to_records(lang))

    def to_csv(self, lang: str = "vi") -> str:
        """CSV, one row per unit."""
        records = self.to_records(lang)
        if not records:
            return csv_text(["cluster_id", "unit_id"], [])
        headers = list(records[0])
        for r in records[1:]:
            headers.extend(k for k in r if k not in headers)
        return csv_text(headers, [[_csv_cell(r.get(h)) for h in headers] for r in records])

    def to_table(self, lang: str = "vi") -> str:
        """Readable boards, one per cluster."""
        en = lang == "en"
        out = [f"{self.criteria_title} ({self.criteria_id}) — " +
               (f"max {fmt_number(self.max_total)} points; source: " if en else
                f"tối đa {fmt_number(self.max_total)} điểm; căn cứ: ") + self.criteria_source, ""]
        headers = (["rank", "unit", "name", "total", "core", "bonus", "penalty", "award",
                    "rating"] if en else
                   ["hạng", "mã", "đơn vị", "tổng", "điểm chính", "thưởng", "trừ", "khen thưởng",
                    "xếp loại"])
        for c in self.clusters:
            out.append(f"## {c.name} ({c.id}, {c.year})" +
                       (f" — {'lead' if en else 'cụm trưởng'}: {c.lead}" if c.lead else ""))
            rows = [[s.rank if s.rank is not None else "—", s.unit_id, s.unit_name,
                     fmt_number(s.total), fmt_number(s.core), fmt_number(s.bonus),
                     fmt_number(s.penalty), award_cell(s, lang), RATINGS[s.rating].get(lang)]
                    for s in c.standings]
            out.append(table(headers, rows, right=(0, 3, 4, 5, 6)))
            for s in c.standings:
                if s.unranked_reason:
                    out.append(f"  {s.unit_id}: {s.unranked_reason.get(lang)}")
                if s.undecided_reason:
                    out.append(f"  {s.unit_id}: {s.undecided_reason.get(lang)}")
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def to_excel(self, path: Any, lang: str = "vi", force: bool = False) -> None:
        """
        Write the board to an office-ready .xlsx workbook (needs openpyxl, the ``excel``
        extra); see :func:`doanmodel._output.excel.score_workbook`. Refuses to overwrite an
        existing file unless *force*, and never writes through a symbolic link.
        """
        from .._output.excel import save, score_workbook  # noqa: PLC0415

        save(score_workbook(self, lang), path, force=force)

    def plot(self, ax: Any = None, lang: str | None = None) -> Any:
        """
        A horizontal bar per unit whose length is its total (core after penalties, then the
        bonus counted), with value labels (needs matplotlib, the ``notebook`` extra). Returns
        the matplotlib Axes.
        """
        from .._output.notebook import plot_scoreboard  # noqa: PLC0415

        return plot_scoreboard(self, ax, lang)

    def lang(self, code: str) -> Any:
        """This board shown in *code* (``"vi"`` or ``"en"``) in a notebook."""
        from .._output.notebook import LangView  # noqa: PLC0415

        return LangView(self, code)

    def _repr_html_(self) -> str:
        from .._output.notebook import html_of  # noqa: PLC0415

        return html_of(self)

    def explain(self, unit_id: str, lang: str | None = None) -> Explanation:
        """The breakdown of *unit_id*'s score, criterion by criterion, with sources."""
        cluster, standing = self.standing(unit_id)
        return Explanation(board=self, cluster=cluster, standing=standing, lang=lang)


def award_cell(s: Standing, lang: str = "vi") -> str:
    """The award column: the award, and any undecided one marked as such."""
    mark = " (undecided)" if lang == "en" else " (chưa quyết định)"
    award = s.award_label(lang)
    parts = ([award] if award else []) + [f"{t}?{mark}" for t in s.undecided]
    return "; ".join(parts)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float):
        return fmt_number(value)
    return value


@attrs.frozen
class Explanation:
    """One unit's score explained; ``str()`` gives the readable form, ``to_dict()`` the JSON."""

    board: Scoreboard
    cluster: ClusterBoard
    standing: Standing
    #: the language of ``str()``, ``to_dict()`` and the notebook view (``lang=`` when built);
    #: ``None``: the session's (``dm.set_language``, Vietnamese by default)
    language: str | None = attrs.field(default=None, alias="lang")

    @property
    def _code(self) -> str:
        from .._output.notebook import language  # noqa: PLC0415

        return self.language or language()

    def lang(self, code: str) -> Explanation:
        """The same explanation in *code* (``"vi"`` or ``"en"``)."""
        return attrs.evolve(self, lang=code)

    def _repr_html_(self) -> str:
        from .._output.notebook import html_of  # noqa: PLC0415

        return html_of(self)

    def to_json(self, *, exact: bool = False, **kw: Any) -> str:
        """JSON text: :meth:`to_dict`, or with *exact* the lossless form :meth:`from_json`
        reads back."""
        if exact:
            from .._output.convert import to_json  # noqa: PLC0415

            return to_json(self, **kw)
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    @classmethod
    def from_json(cls, text: str) -> Explanation:
        """Read back the lossless JSON of ``to_json(exact=True)``."""
        from .._output.convert import from_json  # noqa: PLC0415

        return from_json(text, cls)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        s = self.standing
        return {"dataset": self.board.dataset, "year": self.board.year,
                "criteria_set": self.board.criteria_id, "cluster": self.cluster.id,
                **s.to_dict(self._code), "provenance": dict(self.board.provenance)}

    def __str__(self) -> str:
        from ..cli._explain_text import render  # noqa: PLC0415

        return render(self)


# ---------------------------------------------------------------------------- scoring
def _target(ctx: Context, crit_target: Any, unit_id: str, indicator: str,
            period: Period) -> Decimal | None:
    if crit_target is None:
        return None
    if crit_target == "targets":
        index = ctx.cache.get("targets_index")
        if index is None:
            index = ctx.cache["targets_index"] = _target_index(ctx)
        for t in index.get((unit_id, str(period), indicator), ()):
            return t
        return None
    return Decimal(crit_target)


def _target_index(ctx: Context) -> dict[tuple[str, str, str], list[Decimal]]:
    out: dict[tuple[str, str, str], list[Decimal]] = {}
    for t in ctx.dataset.targets:
        out.setdefault((t.unit_id, str(t.period), t.indicator), []).append(t.value)
    return out


def score_clusters(ctx: Context, cset: CriteriaSet, methods: Mapping[str, ScoringMethod],
                   cluster_ids: Sequence[str] | None = None,
                   weights: Mapping[str, Decimal] | None = None) -> tuple[ClusterBoard, ...]:
    """
    Score every cluster of the context's year under *cset*.

    A unit that no longer exists at the end of the year (merged or dissolved mid-year) is scored
    on the data it has but not ranked and given no award (docs/scoring.md).
    """
    ds = ctx.dataset
    year = ctx.period.year
    period = Period(year)
    end = _dt.date(year, 12, 31)
    crits = cset.criteria
    if weights:
        crits = tuple(attrs.evolve(c, points=Decimal(weights[c.id])) if c.id in weights else c
                      for c in crits)
    boards: list[ClusterBoard] = []
    raw_units: list[tuple[int, dict[str, Any]]] = []
    clusters = [c for c in ds.clusters_of_year(year)
                if cluster_ids is None or c.id in cluster_ids]
    per_cluster: list[list[dict[str, Any]]] = []
    for cl in clusters:
        members = sorted(cl.members)
        results: dict[str, list[CriterionScore]] = {uid: [] for uid in members}
        for c in crits:
            inputs = {}
            for uid in members:
                value, how = ctx.facts.value(c.indicator, uid, period)
                target = _target(ctx, c.target, uid, c.indicator, period)
                inputs[uid] = MethodInput(None if value is None else Decimal(value), how, target)
            scored = methods[c.method].score(c, inputs)
            for uid in members:
                pts, note = scored[uid]
                pts = max(ZERO, min(Decimal(pts), c.points))
                inp = inputs[uid]
                results[uid].append(CriterionScore(
                    id=c.id, points=pts, max=c.points, value=inp.value, how=inp.how,
                    target=inp.target, title=c.title, group=c.group, method=c.method,
                    bonus=c.bonus, note=note, source=c.source or cset.source))
        for p in cset.penalties:
            for uid in members:
                value, how = ctx.facts.value(p.indicator, uid, period)
                v = None if value is None else Decimal(value)
                pts = ZERO if v is None else max(ZERO, p.points_each * v)
                if p.max is not None:
                    pts = min(pts, p.max)
                results[uid].append(CriterionScore(
                    id=p.id, points=pts, max=p.max if p.max is not None else pts, value=v,
                    how=how, title=p.title, method="penalty", penalty=True,
                    note=Text("thiếu số liệu (không trừ)", "missing (no deduction)")
                    if v is None else None, source=p.source or cset.source))
        rows: list[dict[str, Any]] = []
        for uid in members:
            scores = results[uid]
            core = sum((s.points for s in scores if not s.bonus and not s.penalty), ZERO)
            bonus_raw = sum((s.points for s in scores if s.bonus), ZERO)
            bonus = bonus_raw if cset.bonus_cap is None else min(bonus_raw, cset.bonus_cap)
            penalty = sum((s.points for s in scores if s.penalty), ZERO)
            total = max(ZERO, core + bonus - penalty)
            unit = ds.units[uid]
            ended = unit.valid_to is not None and unit.valid_to < end
            shown = unit.at(min(end, unit.valid_to or end))
            rows.append({"unit_id": uid, "name": shown.name if shown else unit.name,
                         "core": core, "bonus": bonus, "bonus_raw": bonus_raw,
                         "penalty": penalty, "total": total, "scores": tuple(scores),
                         "by_id": {s.id: s.points for s in scores},
                         "ended": unit.valid_to if ended else None})
        _tie_inputs(ctx, cset.tie_break, rows, period)
        ranked = assign_ranks([r for r in rows if r["ended"] is None], cset.tie_break)
        for r in rows:
            r.setdefault("rank", None)
            r.setdefault("tied", ())
        ordered = ranked + sorted((r for r in rows if r["ended"] is not None),
                                  key=lambda r: r["unit_id"])
        per_cluster.append(ordered)
        raw_units.extend((len(per_cluster) - 1, r) for r in ordered)
    ratings = _ratings(ctx, cset, [r for _, r in raw_units], end)
    for cl, ordered in zip(clusters, per_cluster):
        standings = []
        for r in ordered:
            award: str | None = None
            undecided: tuple[str, ...] = ()
            rank: int | None = r["rank"]
            if rank is not None:
                award, undecided = award_of(rank, len(r["tied"]), r["total"], cset.awards)
            award_en = next((x.title_en for x in cset.awards if x.title == award), None) \
                if award else None
            reason = None
            if r["ended"] is not None:
                reason = Text(f"đơn vị kết thúc ngày {r['ended']:%d/%m/%Y}: có điểm nhưng không "
                              "xếp hạng, không khen thưởng",
                              f"unit ended on {r['ended'].isoformat()}: scored but not ranked "
                              "and given no award")
            standings.append(Standing(
                unit_id=r["unit_id"], unit_name=r["name"], rank=r["rank"], total=r["total"],
                core=r["core"], bonus=r["bonus"], bonus_raw=r["bonus_raw"],
                penalty=r["penalty"], award=award, award_en=award_en,
                rating=ratings[r["unit_id"]],
                criteria=r["scores"], unranked_reason=reason, tied_with=r["tied"],
                undecided=undecided,
                undecided_reason=undecided_note(
                    r["unit_id"], rank, r["tied"], undecided,
                    [k[len(INPUT_PREFIX):] for k in cset.tie_break if k.startswith(INPUT_PREFIX)])
                if undecided and rank is not None else None))
        boards.append(ClusterBoard(id=cl.id, name=cl.name, year=cl.year, lead=cl.lead,
                                   standings=tuple(standings)))
    return tuple(boards)


def _tie_inputs(ctx: Context, keys: Sequence[str], rows: list[dict[str, Any]],
                period: Period) -> None:
    """Read each declared final tie-break input (``indicator:NAME``) for every row."""
    names = [k[len(INPUT_PREFIX):] for k in keys if k.startswith(INPUT_PREFIX)]
    for r in rows:
        found = {}
        for name in names:
            value, _ = ctx.facts.value(name, r["unit_id"], period)
            found[name] = None if value is None else Decimal(value)
        r["tie_inputs"] = found


def _ratings(ctx: Context, cset: CriteriaSet, rows: list[dict[str, Any]],
             end: _dt.date) -> dict[str, str]:
    """
    Quality ratings by share of the core maximum. The share rated "excellent" is capped at
    ``excellent_cap`` × the number rated good or better, across the whole board; the units over
    the cap (lowest totals first) are rated "good" instead.
    """
    q = dict(cset.quality)

    def band(name: str, param: str) -> Decimal:
        if name in q:
            return q[name]
        try:
            return Decimal(ctx.param(param, end))
        except KeyError:
            return {"excellent": Decimal("0.9"), "good": Decimal("0.8"),
                    "complete": Decimal("0.5"), "excellent_cap": Decimal("0.2")}[name]

    exc, good, comp = (band("excellent", "quality.excellent_share"),
                       band("good", "quality.good_share"),
                       band("complete", "quality.complete_share"))
    cap = band("excellent_cap", "quality.excellent_cap")
    top = cset.max_core or Decimal(1)
    out: dict[str, str] = {}
    for r in rows:
        share = r["total"] / top
        out[r["unit_id"]] = ("excellent" if share >= exc else "good" if share >= good else
                             "complete" if share >= comp else "incomplete")
    good_or_better = [r for r in rows if out[r["unit_id"]] in ("excellent", "good")]
    allowed = int(cap * len(good_or_better))
    excellent = sorted((r for r in rows if out[r["unit_id"]] == "excellent"),
                       key=lambda r: (-r["total"], -r["core"], r["penalty"], r["unit_id"]))
    for r in excellent[allowed:]:
        out[r["unit_id"]] = "good"
    return out
