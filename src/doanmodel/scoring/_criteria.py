"""Criteria sets (bộ tiêu chí) and the scoring methods their criteria use."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..dataset._csvio import Problems, parse_toml, read_toml
from ..dataset._guards import check_criteria_signs
from ..exceptions import CriteriaError
from ..model._i18n import Text, nfc
from ..model._params import Scope
from ._ties import clean_tie_break

__all__ = [
    "BUILTIN_METHODS",
    "Award",
    "CriteriaSet",
    "Criterion",
    "MethodInput",
    "Penalty",
    "ScoringMethod",
    "Step",
    "load_criteria",
    "parse_criteria",
]

ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class Step:
    """One step of a ``steps`` criterion: *points* when ``min ≤ value`` or ``value ≤ max``."""

    points: Decimal
    min: Decimal | None = None
    max: Decimal | None = None

    def matches(self, value: Decimal) -> bool:
        """Whether *value* meets this step's bounds (a step with no bound always matches)."""
        if self.max is not None and value > self.max:
            return False
        return not (self.min is not None and value < self.min)


@attrs.frozen(kw_only=True)
class Criterion:
    """One criterion (tiêu chí / nội dung chấm điểm)."""

    id: str
    points: Decimal
    method: str
    indicator: str
    title: str | None = None
    group: str | None = None
    bonus: bool = False
    target: str | Decimal | None = None
    cap: Decimal = Decimal(1)
    min: Decimal | None = None
    steps: tuple[Step, ...] = ()
    points_each: Decimal | None = None
    points_by_rank: tuple[Decimal, ...] = ()
    order: str = "desc"
    source: str | None = None
    #: what a missing indicator or target means for a unit (docs/scoring.md, "Missing
    #: values"): ``unranked`` (default: the unit is not ranked, awarded or rated), ``zero``
    #: (0 points, said in a note) or ``error`` (the score stops with the unit and value named)
    missing: str = "unranked"
    #: keys for a plugin's method
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    line: int = attrs.field(default=0, eq=False)


@attrs.frozen(kw_only=True)
class Penalty:
    """A deduction (điểm trừ): *points_each* per unit of *indicator*, at most *max*."""

    id: str
    points_each: Decimal
    indicator: str
    max: Decimal | None = None
    title: str | None = None
    source: str | None = None
    line: int = attrs.field(default=0, eq=False)
    #: what a missing count means (docs/scoring.md, "Missing values"): ``unranked`` (the
    #: default: withholding a count against oneself must not help), ``zero`` (no deduction,
    #: ranked) or ``error``
    missing: str = "unranked"


@attrs.frozen(kw_only=True)
class Award:
    """An award for the units ranked *rank* … *rank_to* in their cluster."""

    rank: int
    title: str
    rank_to: int | None = None
    min_total: Decimal | None = None
    source: str | None = None
    #: the English name (``title_en``); without it English output marks a translation
    title_en: str | None = None

    def covers(self, rank: int) -> bool:
        """Whether *rank* earns this award."""
        return self.rank <= rank <= (self.rank_to or self.rank)


#: the values of a criterion's ``missing`` key
MISSING_POLICIES = ("unranked", "zero", "error")

#: tie-break keys a set may list (besides ``criterion:ID`` and ``indicator:NAME``); ``id`` is
#: accepted for old files and ignored with a warning (docs/scoring.md, "Ties")
TIE_KEYS = ("total", "core", "penalty", "bonus")


@attrs.frozen(kw_only=True)
class CriteriaSet:
    """A criteria set (bộ tiêu chí): criteria, bonus, penalties, awards and tie-breaks."""

    id: str
    title: str
    source: str
    criteria: tuple[Criterion, ...]
    year: int | None = None
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None
    bonus_cap: Decimal | None = None
    tie_break: tuple[str, ...] = ("total", "core", "penalty", "bonus")
    penalties: tuple[Penalty, ...] = ()
    awards: tuple[Award, ...] = ()
    #: quality bands as shares of the core maximum; ``None`` → dated parameters
    quality: Mapping[str, Decimal] = attrs.field(factory=dict, hash=False)
    origin: str = "dataset"
    scope: Scope = Scope()
    #: ``rank`` (awards follow the ranks) or ``ballot`` (the emulation council votes each
    #: award, ``ballots.csv``; docs/scoring.md, "Council ballots")
    award_by: str = "rank"
    #: with ``ballot``: the share of the voters the votes for must exceed (default one half)
    ballot_majority: Decimal | None = None
    #: with ``ballot``: the document that has the council decide (required)
    ballot_source: str | None = None
    #: a unit whose self-score exceeds the total used by more than these points, or this share
    #: of it, fails the deviation check (docs/scoring.md, "Stages of a score"); ``None``: none
    deviation_max_points: Decimal | None = None
    deviation_max_share: Decimal | None = None
    #: the document giving the tolerance (required with one)
    deviation_source: str | None = None

    @property
    def max_core(self) -> Decimal:
        """The most core (non-bonus) points a unit can get."""
        return sum((c.points for c in self.criteria if not c.bonus), ZERO)

    @property
    def max_bonus(self) -> Decimal:
        """The most bonus points that count."""
        raw = sum((c.points for c in self.criteria if c.bonus), ZERO)
        return raw if self.bonus_cap is None else min(raw, self.bonus_cap)

    @property
    def max_total(self) -> Decimal:
        """Core maximum plus counted bonus."""
        return self.max_core + self.max_bonus

    def applies_to(self, year: int) -> bool:
        """Whether the set is for *year*."""
        if self.year is not None:
            return self.year == year
        start = _dt.date(year, 1, 1)
        end = _dt.date(year, 12, 31)
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or start <= self.valid_to)


@attrs.frozen
class MethodInput:
    """What a scoring method gets for one unit: the value, how it was found, and the target."""

    value: Decimal | None
    how: str
    target: Decimal | None


#: (points, note) for one unit
Scored = tuple[Decimal, Text | None]


@attrs.frozen(kw_only=True)
class ScoringMethod:
    """
    A criterion method. *score* takes the criterion and unit id → :class:`MethodInput` for every
    unit of one cluster, and returns unit id → (points, note). *keys* are the criterion keys the
    method reads; *per_unit* says a unit's points depend only on its own input.
    """

    name: str
    score: Callable[[Criterion, Mapping[str, MethodInput]], Mapping[str, Scored]] = \
        attrs.field(eq=False)
    keys: tuple[str, ...] = ()
    per_unit: bool = True
    check: Callable[[Criterion], str | None] | None = attrs.field(default=None, eq=False)
    origin: str = "national"


_MISSING = Text("thiếu số liệu (không phải 0)", "missing (not zero)")


def _per_unit(fn: Callable[[Criterion, MethodInput], Scored]
              ) -> Callable[[Criterion, Mapping[str, MethodInput]], dict[str, Scored]]:
    def score(c: Criterion, inputs: Mapping[str, MethodInput]) -> dict[str, Scored]:
        out = {}
        for uid, inp in inputs.items():
            out[uid] = (ZERO, _MISSING) if inp.value is None else fn(c, inp)
        return out

    return score


def _ratio(c: Criterion, inp: MethodInput) -> Scored:
    if inp.target is None or inp.target == 0:
        return ZERO, Text("không có chỉ tiêu (hoặc chỉ tiêu 0): 0 điểm",
                          "no target (or a zero target): 0 points")
    assert inp.value is not None
    share = max(ZERO, min(inp.value / inp.target, c.cap))
    return c.points * share, None


def _threshold(c: Criterion, inp: MethodInput) -> Scored:
    assert inp.value is not None and c.min is not None
    return (c.points, None) if inp.value >= c.min else (ZERO, None)


def _steps(c: Criterion, inp: MethodInput) -> Scored:
    assert inp.value is not None
    for step in c.steps:
        if step.matches(inp.value):
            return step.points, None
    return ZERO, None  # unreachable: a fallback step is required at load


def _boolean(c: Criterion, inp: MethodInput) -> Scored:
    return (c.points, None) if inp.value else (ZERO, None)


def _count(c: Criterion, inp: MethodInput) -> Scored:
    assert inp.value is not None and c.points_each is not None
    return max(ZERO, min(c.points_each * inp.value, c.points)), None


def _rank(c: Criterion, inputs: Mapping[str, MethodInput]) -> dict[str, Scored]:
    present = {uid: i.value for uid, i in inputs.items() if i.value is not None}
    desc = c.order != "asc"
    ordered = sorted(present.values(), reverse=desc)
    out: dict[str, Scored] = {}
    for uid, inp in inputs.items():
        if inp.value is None:
            out[uid] = (ZERO, _MISSING)
            continue
        rank = 1 + sum(1 for v in ordered if (v > inp.value if desc else v < inp.value))
        pts = c.points_by_rank[rank - 1] if rank <= len(c.points_by_rank) else ZERO
        out[uid] = (min(pts, c.points), Text(f"hạng {rank} trong cụm", f"rank {rank} in cluster"))
    return out


def _need(*keys: str) -> Callable[[Criterion], str | None]:
    def check(c: Criterion) -> str | None:
        for k in keys:
            if getattr(c, k) in (None, ()):
                return k
        return None

    return check


def _steps_check(c: Criterion) -> str | None:
    if not c.steps:
        return "steps"
    if not any(s.min is None and s.max is None for s in c.steps):
        return "steps: fallback"
    return None


#: The built-in methods of the contract.
BUILTIN_METHODS: dict[str, ScoringMethod] = {
    "ratio": ScoringMethod(name="ratio", score=_per_unit(_ratio), keys=("target", "cap")),
    "threshold": ScoringMethod(name="threshold", score=_per_unit(_threshold), keys=("min",),
                               check=_need("min")),
    "steps": ScoringMethod(name="steps", score=_per_unit(_steps), keys=("steps",),
                           check=_steps_check),
    "boolean": ScoringMethod(name="boolean", score=_per_unit(_boolean)),
    "count": ScoringMethod(name="count", score=_per_unit(_count), keys=("points_each",),
                           check=_need("points_each")),
    "rank": ScoringMethod(name="rank", score=_rank, keys=("points_by_rank", "order"),
                          per_unit=False, check=_need("points_by_rank")),
}

def parse_criteria(data: Mapping[str, Any], *, file: str = "criteria.toml", text: str = "",
                   methods: Mapping[str, ScoringMethod] | None = None,
                   origin: str = "dataset", scope: Scope | None = None) -> CriteriaSet:
    """
    Build a :class:`CriteriaSet` from a parsed TOML table (contract §1 ``criteria.toml``).

    Raises:
        CriteriaError: every problem at once, each with the file and the line of its
            ``[[criterion]]`` (found in *text*).
    """
    # the section parsers build this module's classes: imported here, not at the top
    from ._criteria_toml import (  # noqa: PLC0415
        check_top,
        parse_awards,
        parse_criterion_list,
        parse_penalties,
        parse_quality,
        parse_tie_break,
        top_line,
    )

    methods = methods if methods is not None else BUILTIN_METHODS
    problems = Problems()

    def bad(line: int, col: str, vi: str, en: str) -> None:
        problems.add(file, line, col, vi, en)

    check_criteria_signs(dict(data), text, file, problems)
    year, bonus_cap = check_top(data, text, bad)
    crits, ids_seen = parse_criterion_list(data, text, methods, bad)
    tie = parse_tie_break(data, text, ids_seen, bad)
    penalties = parse_penalties(data, text, bad)
    awards = parse_awards(data, text, bad)
    quality = parse_quality(data, text, bad)
    valid_from = data.get("valid_from")
    valid_to = data.get("valid_to")
    award_by, majority, ballot_source = _ballot_keys(data, text, bad, top_line)
    dev_points, dev_share, dev_source = _deviation_keys(data, text, bad, top_line)
    problems.raise_if_any(CriteriaError)
    tie = list(clean_tie_break(tie, file, top_line(text, "tie_break")) or TIE_KEYS)
    return CriteriaSet(
        id=nfc(str(data["id"])), title=nfc(str(data["title"])), source=nfc(str(data["source"])),
        criteria=tuple(crits), year=year,
        valid_from=valid_from if isinstance(valid_from, _dt.date) else None,
        valid_to=valid_to if isinstance(valid_to, _dt.date) else None,
        bonus_cap=bonus_cap, tie_break=tuple(tie), penalties=tuple(penalties),
        awards=tuple(awards), quality=quality, origin=origin, scope=scope or Scope(),
        award_by=award_by, ballot_majority=majority, ballot_source=ballot_source,
        deviation_max_points=dev_points, deviation_max_share=dev_share,
        deviation_source=dev_source,
    )


def _deviation_keys(data: Mapping[str, Any], text: str, bad: Callable[..., None],
                    top_line: Callable[[str, str], int]
                    ) -> tuple[Decimal | None, Decimal | None, str | None]:
    """``deviation_max_points``, ``deviation_max_share`` and ``deviation_source``, checked."""
    found: list[Decimal | None] = []
    for key, top in (("deviation_max_points", None), ("deviation_max_share", Decimal(1))):
        raw = data.get(key)
        value = None
        if raw is not None:
            try:
                value = None if isinstance(raw, bool) else Decimal(str(raw))
            except ArithmeticError:
                value = None
            if value is None or value < 0 or (top is not None and value > top):
                bad(top_line(text, key), key, "là số ≥ 0" + (" và ≤ 1" if top else ""),
                    "is a number ≥ 0" + (" and ≤ 1" if top else ""))
                value = None
        found.append(value)
    source = data.get("deviation_source")
    if any(k in data for k in ("deviation_max_points", "deviation_max_share")) and (
            not isinstance(source, str) or not source.strip()):
        bad(top_line(text, "deviation_max"), "deviation_source",
            "mức chênh lệch cho phép cần văn bản căn cứ (deviation_source); không có văn bản "
            "thì không áp dụng", "a deviation tolerance needs its source (deviation_source); "
            "without a document none is applied")
    elif "deviation_source" in data and not any(v is not None for v in found):
        bad(top_line(text, "deviation_source"), "deviation_source",
            "không có mức chênh lệch (deviation_max_points hoặc deviation_max_share)",
            "no tolerance given (deviation_max_points or deviation_max_share)")
    return found[0], found[1], nfc(source) if isinstance(source, str) and source else None


def _ballot_keys(data: Mapping[str, Any], text: str, bad: Callable[..., None],
                 top_line: Callable[[str, str], int]
                 ) -> tuple[str, Decimal | None, str | None]:
    """``award_by``, ``ballot_majority`` and ``ballot_source``, checked."""
    award_by = data.get("award_by", "rank")
    if award_by not in ("rank", "ballot"):
        bad(top_line(text, "award_by"), "award_by", "là rank hoặc ballot",
            "is rank or ballot")
        return "rank", None, None
    if award_by == "rank":
        for key in ("ballot_majority", "ballot_source"):
            if key in data:
                bad(top_line(text, key), key, 'chỉ dùng với award_by = "ballot"',
                    'only with award_by = "ballot"')
        return "rank", None, None
    source = data.get("ballot_source")
    if not isinstance(source, str) or not source.strip():
        bad(top_line(text, "award_by"), "ballot_source",
            "hội đồng bỏ phiếu quyết định khen thưởng cần văn bản căn cứ (ballot_source)",
            "a council deciding awards by ballot needs its source (ballot_source)")
        source = None
    raw = data.get("ballot_majority", Decimal("0.5"))
    try:
        majority = Decimal(str(raw)) if not isinstance(raw, bool) else None
    except ArithmeticError:
        majority = None
    if majority is None or not Decimal(0) <= majority < 1:
        bad(top_line(text, "ballot_majority"), "ballot_majority",
            "là tỉ lệ từ 0 đến dưới 1 (0.5: quá nửa số người bỏ phiếu)",
            "is a share from 0 to below 1 (0.5: more than half of the voters)")
        majority = None
    return "ballot", majority, nfc(source) if source else None


def load_criteria(path: str | Path, *, methods: Mapping[str, ScoringMethod] | None = None,
                  origin: str = "dataset", scope: Scope | None = None) -> CriteriaSet:
    """
    Read a criteria set from a TOML file (or a packaged resource with ``read_text``).

    Raises:
        CriteriaError: listing every problem with its line.
    """
    problems = Problems()
    name = getattr(path, "name", str(path))
    data: dict[str, Any] | None
    if hasattr(path, "read_text") and not isinstance(path, (str, Path)):
        text: str = path.read_text(encoding="utf-8")
        data = parse_toml(text, name, problems)
    else:
        data, text = read_toml(Path(path), name, problems)
    problems.raise_if_any(CriteriaError)
    assert data is not None
    return parse_criteria(data, file=name, text=text, methods=methods, origin=origin, scope=scope)
