"""
How solid is each rank? Monte Carlo over the criteria weights and the reported values.

The engine scores the board once. Each criterion's points per unit are then kept as float
vectors, so a draw re-weights by weighted sums (``map`` over ``operator`` functions, in C)
instead of re-running the engine: 1,000 units × 1,000 draws take well under 5 s
(benchmarks/sensitivity.py). A value draw multiplies a unit's value by a factor uniform in
``1 ± value_spread``, quantised to 16 levels whose points were computed once with the real
scoring method (so thresholds and steps are crossed exactly as the engine would). Methods
that rank a unit against the others (``rank``) keep their points under value draws.

Everything is reproducible: one ``random.Random(seed)`` drives every draw.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import add, getitem, mul, sub
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ..exceptions import DoanmodelError
from ..model._entities import used_indicators
from ..model._formats import Formats
from ..model._i18n import Text
from ._criteria import ZERO, CriteriaSet, Criterion, MethodInput, ScoringMethod
from ._reversal import RankReversal, reversals
from ._scoring import Scoreboard, Standing
from ._ties import INPUT_PREFIX, _refine, award_of

if TYPE_CHECKING:  # pragma: no cover
    from ..dataset._dataset import Dataset

__all__ = ["CriterionInfluence", "RankReversal", "Sensitivity", "UnitSensitivity",
           "sensitivity"]

LEVELS = 16


class _Methods(Protocol):
    @property
    def methods(self) -> Mapping[str, ScoringMethod]: ...


class Scorer(Protocol):
    """What :func:`sensitivity` asks of the :class:`~doanmodel.Engine` (scoring sits below the
    engine and names it only through this protocol)."""

    @property
    def registry(self) -> _Methods: ...

    def score(self, ds: Dataset, year: int | None = None, *,
              criteria: str | CriteriaSet | None = None,
              clusters: Sequence[str] | None = None) -> Scoreboard: ...

    def criteria_for(self, ds: Dataset, year: int,
                     criteria: str | CriteriaSet | None = None) -> CriteriaSet: ...
_HIGH_NIBBLE = bytes(b >> 4 for b in range(256))


@attrs.frozen(kw_only=True)
class UnitSensitivity:
    """One unit's rank across the draws."""

    cluster_id: str
    unit_id: str
    unit_name: str
    rank: int
    median_rank: int
    low: int
    high: int
    #: award title → share of draws in which the unit earned it
    awards: Mapping[str, float] = attrs.field(factory=dict, hash=False)
    #: share of draws in which a shared rank left an award undecided for the unit
    undecided: float = 0.0


@attrs.frozen(kw_only=True)
class CriterionInfluence:
    """How much the ranking leans on one criterion."""

    id: str
    title: str | None
    weight: Decimal
    #: Spearman correlation of the ranks with and without the criterion (1 = no influence)
    spearman: float | None
    #: units whose rank changes when the criterion is removed
    units_moved: int


@attrs.frozen(kw_only=True)
class Sensitivity(Formats):
    """The result of :meth:`Engine.sensitivity`: plain data; output lives in ``_output``."""

    dataset: str
    year: int
    criteria_id: str
    criteria_title: str
    draws: int
    seed: int
    weights_spread: float | None
    dirichlet: float | None
    value_spread: float
    awards: tuple[str, ...]
    units: tuple[UnitSensitivity, ...]
    criteria: tuple[CriterionInfluence, ...]
    reversals: tuple[RankReversal, ...]
    #: what the rank-reversal check did, or why it could not find any
    reversal_note: Text
    #: the board's provenance (doanmodel and plugin versions, parameters, criteria set)
    provenance: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)
    language: str | None = attrs.field(default=None, eq=False)
    #: award title → its English title (``title_en`` of the criteria set), when it has one
    awards_en: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False)

    def award_title(self, title: str, lang: str) -> str:
        """An award's title in *lang* (``Cờ thi đua …`` → its ``title_en`` in English)."""
        from ..model._labels import award_label  # noqa: PLC0415

        return award_label(title, self.awards_en.get(title), lang) or title

    def unit(self, unit_id: str) -> UnitSensitivity:
        """The result of one unit.

        Raises:
            KeyError: the unit is not ranked on this board.
        """
        for u in self.units:
            if u.unit_id == unit_id:
                return u
        raise KeyError(unit_id)

    def lang(self, code: str) -> Sensitivity:
        """The same result, shown in *code* (``"vi"`` or ``"en"``) in notebooks."""
        return attrs.evolve(self, language=code)


# ---------------------------------------------------------------------------- the draws
@attrs.define
class _Board:
    """Every ranked unit of every cluster as float vectors, in one global order."""

    ids: list[str]
    names: list[str]
    cluster_of: list[str]
    base_rank: list[int]
    spans: list[tuple[int, int]]
    crits: list[Criterion]
    points: list[list[float]]
    grids: list[list[tuple[float, ...]]] | None
    penalty: list[float]
    neg_penalty: list[float]
    input_names: list[str]
    bonus_cap: float | None
    tie_break: tuple[str, ...]
    inputs: list[dict[str, Decimal | None]]


def _check(draws: int, weights_spread: float | None, dirichlet: float | None,
           value_spread: float) -> None:
    if draws < 1:
        raise DoanmodelError("--draws must be at least 1")
    if weights_spread is not None and not 0 <= weights_spread < 1:
        raise DoanmodelError("--weights-spread must be at least 0 and below 1")
    if dirichlet is not None and not dirichlet > 0:
        raise DoanmodelError("--dirichlet must be above 0")
    if not 0 <= value_spread < 1:
        raise DoanmodelError("--value-spread must be at least 0 and below 1")


def sensitivity(engine: Scorer, ds: Dataset, year: int | None = None, *,
                criteria: str | CriteriaSet | None = None,
                clusters: Sequence[str] | None = None, draws: int = 1000, seed: int = 1,
                weights_spread: float | None = 0.1, dirichlet: float | None = None,
                value_spread: float = 0.0, board: Scoreboard | None = None) -> Sensitivity:
    """
    Rank every unit *draws* times under random weights and values, from *seed*.

    Weights are each multiplied by a factor uniform in ``1 ± weights_spread``, or drawn from a
    Dirichlet distribution centred on the set's weights with concentration *dirichlet* (the
    sum of the weights is kept). Values are multiplied by a factor uniform in
    ``1 ± value_spread``. Pass the *board* ``engine.score`` already returned for the same
    dataset, year and criteria to skip scoring it again (on national data scoring is most of
    the time).

    Raises:
        DoanmodelError: an option is out of range, or the board cannot be scored.
    """
    _check(draws, weights_spread, dirichlet, value_spread)
    if dirichlet is not None:
        weights_spread = None
    if board is None:
        board = engine.score(ds, year, criteria=criteria, clusters=clusters)
    cset = engine.criteria_for(ds, board.year, criteria)
    b = _extract(board, cset, engine.registry.methods, value_spread, ds)
    rnd = random.Random(seed)
    titles = tuple(dict.fromkeys(a.title for a in cset.awards))
    last = _last_place(cset)
    per_draw: list[list[int]] = []
    won: list[dict[str, int]] = [{} for _ in b.ids]
    undecided = [0] * len(b.ids)
    for _ in range(draws):
        factors = _weight_draw(rnd, b.crits, weights_spread, dirichlet)
        idx = ([rnd.randbytes(len(b.ids)).translate(_HIGH_NIBBLE) for _ in b.crits]
               if b.grids is not None else None)
        total, core, bonus = _totals(b, factors, idx)
        ranks_, tied, top = _rank_all(b, total, core, bonus, factors, idx, last)
        per_draw.append(ranks_)
        for i in top:
            award, open_ = award_of(ranks_[i], tied[i], Decimal(repr(total[i])), cset.awards)
            if award:
                won[i][award] = won[i].get(award, 0) + 1
            undecided[i] += bool(open_)
    ranks = list(zip(*per_draw))
    units = tuple(_unit_result(b, i, ranks[i], won[i], undecided[i], draws)
                  for i in range(len(b.ids)))
    found, note = reversals(board, cset, engine.registry.methods)
    return Sensitivity(
        dataset=board.dataset, year=board.year, criteria_id=cset.id,
        criteria_title=cset.title, draws=draws, seed=seed, weights_spread=weights_spread,
        dirichlet=dirichlet, value_spread=value_spread, awards=titles, units=units,
        criteria=_influence(b), reversals=found, reversal_note=note,
        provenance=dict(board.provenance),
        awards_en={a.title: a.title_en for a in cset.awards if a.title_en})


def _last_place(cset: CriteriaSet) -> int:
    return max((a.rank_to or a.rank for a in cset.awards), default=0)


def _unit_result(b: _Board, i: int, ranks: Sequence[int], won: dict[str, int], undecided: int,
                 draws: int) -> UnitSensitivity:
    ordered = sorted(ranks)

    def pct(q: float) -> int:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return UnitSensitivity(cluster_id=b.cluster_of[i], unit_id=b.ids[i], unit_name=b.names[i],
                           rank=b.base_rank[i], median_rank=pct(0.5), low=pct(0.05),
                           high=pct(0.95), awards={t: n / draws for t, n in won.items()},
                           undecided=undecided / draws)


def _extract(board: Scoreboard, cset: CriteriaSet, methods: Mapping[str, ScoringMethod],
             value_spread: float, ds: Dataset) -> _Board:
    rows = _ranked_rows(board)
    crits = list(cset.criteria)
    by_unit = [{cs.id: cs for cs in s.criteria} for _, s in rows]
    points = [[float(u[c.id].points) for u in by_unit] for c in crits]
    grids = None
    if value_spread > 0:
        grids = [_grid(c, methods[c.method], by_unit, value_spread, points[n])
                 for n, c in enumerate(crits)]
    names, inputs = _tie_inputs(board, cset, ds, rows)
    standings = [s for _, s in rows]
    return _Board(ids=[s.unit_id for s in standings], names=[s.unit_name for s in standings],
                  cluster_of=[c for c, _ in rows], base_rank=[s.rank or 0 for s in standings],
                  spans=_spans(board), crits=crits, points=points, grids=grids,
                  penalty=[float(s.penalty) for s in standings],
                  neg_penalty=[-float(s.penalty) for s in standings], input_names=names,
                  bonus_cap=None if cset.bonus_cap is None else float(cset.bonus_cap),
                  tie_break=cset.tie_break, inputs=inputs)


def _ranked_rows(board: Scoreboard) -> list[tuple[str, Standing]]:
    """(cluster id, standing) of every ranked unit, cluster by cluster."""
    return [(c.id, s) for c in board.clusters for s in c.standings if s.rank is not None]


def _spans(board: Scoreboard) -> list[tuple[int, int]]:
    """Each cluster's [start, end) in the order of :func:`_ranked_rows`."""
    spans, start = [], 0
    for c in board.clusters:
        n = sum(1 for s in c.standings if s.rank is not None)
        spans.append((start, start + n))
        start += n
    return spans


def _tie_inputs(board: Scoreboard, cset: CriteriaSet, ds: Dataset,
                rows: list[tuple[str, Standing]]
                ) -> tuple[list[str], list[dict[str, Decimal | None]]]:
    """The input indicators the tie-break reads, and each row's values of them."""
    names = [k[len(INPUT_PREFIX):] for k in cset.tie_break if k.startswith(INPUT_PREFIX)]
    found = {(i.unit_id, i.indicator): Decimal(i.value)
             for i in used_indicators(ds.indicators).values()
             if names and i.indicator in names and str(i.period) == str(board.year)}
    inputs = [{n: found.get((s.unit_id, n)) for n in names} for _, s in rows]
    return names, inputs


def _grid(c: Criterion, method: ScoringMethod, by_unit: list[dict[str, Any]], spread: float,
          base: list[float]) -> list[tuple[float, ...]]:
    """Each unit's points at the 16 value levels (its base points where values cannot move)."""
    if not method.per_unit:
        return [(p,) * LEVELS for p in base]
    levels = [Decimal(repr(1 - spread + (2 * k + 1) * spread / LEVELS)) for k in range(LEVELS)]
    cols = []
    for f in levels:
        inputs = {str(n): MethodInput(None if u[c.id].value is None else u[c.id].value * f,
                                      u[c.id].how, u[c.id].target)
                  for n, u in enumerate(by_unit)}
        scored = method.score(c, inputs)
        cols.append([float(max(ZERO, min(Decimal(scored[str(n)][0]), c.points)))
                     for n in range(len(by_unit))])
    return [tuple(col[n] for col in cols) for n in range(len(by_unit))]


def _weight_draw(rnd: random.Random, crits: Sequence[Criterion], spread: float | None,
                 concentration: float | None) -> list[float]:
    """One factor per criterion: its drawn weight over its set weight."""
    if concentration is not None:
        weights = [float(c.points) for c in crits]
        total = sum(weights) or 1.0
        gammas = [rnd.gammavariate(concentration * w / total, 1.0) if w > 0 else 0.0
                  for w in weights]
        norm = sum(gammas) or 1.0
        return [(total * g / norm) / w if w > 0 else 1.0 for g, w in zip(gammas, weights)]
    x = spread or 0.0
    return [1.0 + rnd.uniform(-x, x) for _ in crits]


def _totals(b: _Board, factors: Sequence[float], idx: Sequence[bytes] | None
            ) -> tuple[list[float], list[float], list[float]]:
    n = len(b.ids)
    core: list[float] = [0.0] * n
    bonus: list[float] = [0.0] * n
    for k, c in enumerate(b.crits):
        col: Any = b.points[k] if idx is None or b.grids is None else \
            map(getitem, b.grids[k], idx[k])
        scaled = map(mul, col, repeat(factors[k]))
        if c.bonus:
            bonus = list(map(add, bonus, scaled))
        else:
            core = list(map(add, core, scaled))
    counted = bonus if b.bonus_cap is None else list(map(min, bonus, repeat(b.bonus_cap)))
    total = list(map(max, map(sub, map(add, core, counted), b.penalty), repeat(0.0)))
    return total, core, counted


def _criterion_points(b: _Board, cid: str, factors: Sequence[float],
                      idx: Sequence[bytes] | None, i: int) -> float:
    for k, c in enumerate(b.crits):
        if c.id == cid:
            p = b.points[k][i] if idx is None or b.grids is None else b.grids[k][i][idx[k][i]]
            return p * factors[k]
    return 0.0


_R9, _ONE = repeat(9), repeat(1)


def _rank_all(b: _Board, total: list[float], core: list[float], bonus: list[float],
              factors: Sequence[float], idx: Sequence[bytes] | None, last: int = 0
              ) -> tuple[list[int], list[int], list[int]]:
    """
    Each unit's rank and how many units share it, by the set's tie-break keys; and the units
    ranked at or above place *last* (the ones an award may reach).
    """
    cols: list[list[float]] = []
    for key in b.tie_break:  # every column: larger is better
        if key in ("total", "core", "bonus"):
            cols.append(list(map(round, {"total": total, "core": core, "bonus": bonus}[key],
                                 _R9)))
        elif key == "penalty":
            cols.append(b.neg_penalty)
        elif key.startswith("criterion:"):
            cols.append([round(_criterion_points(b, key[10:], factors, idx, i), 9)
                         for i in range(len(b.ids))])
    keys: list[tuple[float, ...]] = list(zip(*cols)) if cols else [()] * len(b.ids)
    ranks, tied, top = [0] * len(b.ids), [1] * len(b.ids), []
    for lo, hi in b.spans:
        order = sorted(range(lo, hi), key=keys.__getitem__, reverse=True)
        if len(set(keys[lo:hi])) == hi - lo:  # no tie: ranks are the positions, in C
            ranks[lo:hi] = map(add, sorted(range(hi - lo), key=order.__getitem__), _ONE)
            top.extend(order[:last])
            continue
        start, prev = 0, None
        for pos, i in enumerate(order):
            k = keys[i]
            if k != prev:
                if pos - start > 1:
                    _close(order[start:pos], start, ranks, tied, b)
                start, prev = pos, k
            ranks[i] = start + 1
        if len(order) - start > 1:
            _close(order[start:], start, ranks, tied, b)
        for i in order:
            if ranks[i] > last:
                break
            top.append(i)
    return ranks, tied, top


def _close(run: list[int], start: int, ranks: list[int], tied: list[int], b: _Board) -> None:
    """Ranks of a run equal on the domain keys, split by the declared final inputs if any."""
    for offset, part in _split(run, b.input_names, b.inputs):
        for i in part:
            ranks[i], tied[i] = start + offset + 1, len(part)


def _split(run: list[int], names: Sequence[str], inputs: list[dict[str, Decimal | None]]
           ) -> list[tuple[int, list[int]]]:
    """A tied run split by the declared final inputs as :mod:`._ties` does, with offsets."""
    if len(run) == 1 or not names:
        return [(0, run)]
    rows = [{"unit_id": i, "tie_inputs": inputs[i]} for i in run]
    out, offset = [], 0
    for part in _refine(rows, [INPUT_PREFIX + n for n in names]):
        out.append((offset, [r["unit_id"] for r in part]))
        offset += len(part)
    return out


# ---------------------------------------------------------------------------- influence
def _average_ranks(values: Sequence[tuple[Any, ...]]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    pos = 0
    while pos < len(order):
        end = pos + 1
        while end < len(order) and values[order[end]] == values[order[pos]]:
            end += 1
        for j in order[pos:end]:
            out[j] = (pos + end + 1) / 2
        pos = end
    return out


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Spearman's rank correlation of two rankings (Pearson on average ranks); ``None``
    when either is constant."""
    ra, rb = _average_ranks([(x,) for x in a]), _average_ranks([(x,) for x in b])
    n = len(ra)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    if va == 0 or vb == 0:
        return None
    return cov / math.sqrt(va * vb)


def _influence(b: _Board) -> tuple[CriterionInfluence, ...]:
    ones = [1.0] * len(b.crits)
    base = _rank_all(b, *_totals(b, ones, None), ones, None)[0]
    out = []
    for k, c in enumerate(b.crits):
        factors = list(ones)
        factors[k] = 0.0
        ranks = _rank_all(b, *_totals(b, factors, None), factors, None)[0]
        rhos, weights = [], []
        for lo, hi in b.spans:
            rho = spearman(base[lo:hi], ranks[lo:hi]) if hi - lo > 1 else None
            if rho is not None:
                rhos.append(rho * (hi - lo))
                weights.append(hi - lo)
        out.append(CriterionInfluence(
            id=c.id, title=c.title, weight=c.points,
            spearman=sum(rhos) / sum(weights) if weights else None,
            units_moved=sum(1 for x, y in zip(base, ranks) if x != y)))
    return tuple(out)
