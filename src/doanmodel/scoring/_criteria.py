"""Criteria sets (bộ tiêu chí) and the scoring methods their criteria use."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ..dataset._csvio import Problems, parse_toml, read_toml, toml_line
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

_COMMON = {"id", "points", "method", "indicator", "title", "group", "bonus", "source", "note"}
_TOP = {"id", "title", "year", "valid_from", "valid_to", "source", "bonus_cap", "tie_break",
        "criterion", "penalty", "award", "quality", "description", "scale", "schema_version"}


def _dec(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def parse_criteria(data: Mapping[str, Any], *, file: str = "criteria.toml", text: str = "",
                   methods: Mapping[str, ScoringMethod] | None = None,
                   origin: str = "dataset", scope: Scope | None = None) -> CriteriaSet:
    """
    Build a :class:`CriteriaSet` from a parsed TOML table (contract §1 ``criteria.toml``).

    Raises:
        CriteriaError: every problem at once, each with the file and the line of its
            ``[[criterion]]`` (found in *text*).
    """
    methods = methods if methods is not None else BUILTIN_METHODS
    problems = Problems()

    def bad(line: int, col: str, vi: str, en: str) -> None:
        problems.add(file, line, col, vi, en)

    def top_line(key: str) -> int:
        return toml_line(text, rf"^\s*{re.escape(key)}\s*=")

    check_criteria_signs(dict(data), text, file, problems)

    for key in data:
        if key not in _TOP and not key.startswith("x_"):
            bad(top_line(key) or toml_line(text, rf"\[\[?{re.escape(key)}"), key,
                "khóa không được biết", "unknown key")
    for key in ("id", "title", "source"):
        if not data.get(key):
            bad(0, key, "thiếu khóa bắt buộc", "required key is missing")
    if "year" not in data and "valid_from" not in data:
        bad(0, "year", "cần year hoặc valid_from", "needs year or valid_from")
    year = data.get("year")
    if year is not None and not isinstance(year, int):
        bad(top_line("year"), "year", "năm phải là số nguyên", "year must be an integer")
    bonus_cap = _dec(data.get("bonus_cap")) if "bonus_cap" in data else None
    if "bonus_cap" in data and (bonus_cap is None or bonus_cap < 0):
        bad(top_line("bonus_cap"), "bonus_cap", "phải là số ≥ 0", "must be a number ≥ 0")
    tie = data.get("tie_break", list(TIE_KEYS))
    ids_seen: set[str] = set()
    crits: list[Criterion] = []
    for n, entry in enumerate(data.get("criterion", [])):
        line = toml_line(text, r"^\s*\[\[\s*criterion\s*\]\]", n)
        c = _parse_criterion(entry, line, methods, bad)
        if c is None:
            continue
        if c.id in ids_seen:
            bad(line, "id", f"tiêu chí {c.id!r} bị trùng", f"duplicate criterion {c.id!r}")
            continue
        ids_seen.add(c.id)
        crits.append(c)
    if not data.get("criterion"):
        bad(0, "criterion", "bộ tiêu chí không có tiêu chí nào", "the set has no criterion")
    if not isinstance(tie, list) or not tie:
        bad(top_line("tie_break"), "tie_break", "phải là danh sách khóa", "must be a list of keys")
        tie = list(TIE_KEYS)
    for key in tie:
        if key not in (*TIE_KEYS, "id") and not _tie_ref(key, ids_seen):
            bad(top_line("tie_break"), "tie_break",
                f"khóa xếp hạng không biết: {key!r} (nhận: {', '.join(TIE_KEYS)}, criterion:ID, "
                "indicator:NAME)",
                f"unknown tie-break key {key!r} (allowed: {', '.join(TIE_KEYS)}, criterion:ID, "
                "indicator:NAME)")
    penalties = []
    for n, entry in enumerate(data.get("penalty", [])):
        line = toml_line(text, r"^\s*\[\[\s*penalty\s*\]\]", n)
        extra = set(entry) - {"id", "points_each", "max", "indicator", "title", "source", "note"}
        for key in sorted(extra):
            bad(line, key, "khóa không được biết", "unknown key")
        each, cap = _dec(entry.get("points_each")), _dec(entry.get("max"))
        if not entry.get("id") or not entry.get("indicator") or each is None or each < 0:
            bad(line, "penalty", "điểm trừ cần id, indicator và points_each ≥ 0",
                "a penalty needs id, indicator and points_each ≥ 0")
            continue
        penalties.append(Penalty(id=nfc(entry["id"]), points_each=each, max=cap,
                                 indicator=entry["indicator"], title=entry.get("title"),
                                 source=entry.get("source"), line=line))
    awards = []
    for n, entry in enumerate(data.get("award", [])):
        line = toml_line(text, r"^\s*\[\[\s*award\s*\]\]", n)
        extra = set(entry) - {"rank", "rank_to", "title", "title_en", "min_total", "source"}
        for key in sorted(extra):
            bad(line, key, "khóa không được biết", "unknown key")
        if not isinstance(entry.get("rank"), int) or not entry.get("title"):
            bad(line, "award", "giải thưởng cần rank (số) và title",
                "an award needs rank and title")
            continue
        awards.append(Award(rank=entry["rank"], rank_to=entry.get("rank_to"),
                            title=nfc(entry["title"]), min_total=_dec(entry.get("min_total")),
                            title_en=nfc(str(entry["title_en"])) if entry.get("title_en") else None,
                            source=entry.get("source")))
    quality: dict[str, Decimal] = {}
    for key, value in (data.get("quality") or {}).items():
        d = _dec(value)
        if key not in ("excellent", "good", "complete", "excellent_cap") or d is None \
                or not 0 <= d <= 1:
            bad(toml_line(text, r"^\s*\[quality\]"), f"quality.{key}",
                "chỉ nhận excellent, good, complete, excellent_cap là tỷ lệ 0–1",
                "only excellent, good, complete, excellent_cap as shares from 0 to 1")
            continue
        quality[key] = d
    valid_from = data.get("valid_from")
    valid_to = data.get("valid_to")
    problems.raise_if_any(CriteriaError)
    tie = list(clean_tie_break(tie, file, top_line("tie_break")) or TIE_KEYS)
    return CriteriaSet(
        id=nfc(str(data["id"])), title=nfc(str(data["title"])), source=nfc(str(data["source"])),
        criteria=tuple(crits), year=year,
        valid_from=valid_from if isinstance(valid_from, _dt.date) else None,
        valid_to=valid_to if isinstance(valid_to, _dt.date) else None,
        bonus_cap=bonus_cap, tie_break=tuple(tie), penalties=tuple(penalties),
        awards=tuple(awards), quality=quality, origin=origin, scope=scope or Scope(),
    )


def _tie_ref(key: Any, criteria: set[str]) -> bool:
    """Whether *key* is ``criterion:ID`` of a known criterion or ``indicator:NAME``."""
    if not isinstance(key, str):
        return False
    if key.startswith("criterion:"):
        return key[len("criterion:"):] in criteria
    return key.startswith("indicator:") and len(key) > len("indicator:")


def _parse_criterion(entry: Mapping[str, Any], line: int, methods: Mapping[str, ScoringMethod],
                     bad: Callable[[int, str, str, str], None]) -> Criterion | None:
    cid = entry.get("id")
    if not cid:
        bad(line, "id", "tiêu chí thiếu id", "criterion has no id")
        return None
    method_name = entry.get("method")
    method = methods.get(method_name) if isinstance(method_name, str) else None
    if method is None:
        bad(line, "method", f"{cid}: phương pháp không biết {method_name!r} (có: "
            f"{', '.join(sorted(methods))})",
            f"{cid}: unknown method {method_name!r} (known: {', '.join(sorted(methods))})")
        return None
    ok = True
    for key in sorted(set(entry) - _COMMON - set(method.keys)):
        bad(line, key, f"{cid}: khóa không dùng cho phương pháp {method_name}",
            f"{cid}: key not used by method {method_name}")
        ok = False
    if not entry.get("indicator"):
        bad(line, "indicator", f"{cid}: thiếu chỉ số (indicator)", f"{cid}: no indicator")
        ok = False
    points = _dec(entry.get("points"))
    if points is None or points < 0:
        bad(line, "points", f"{cid}: điểm phải là số ≥ 0", f"{cid}: points must be a number ≥ 0")
        ok = False
    steps: list[Step] = []
    for s in entry.get("steps", []) or []:
        if not isinstance(s, dict) or _dec(s.get("points")) is None or set(s) - {"min", "max",
                                                                                  "points"}:
            bad(line, "steps", f"{cid}: mỗi bậc là {{ min|max, points }}",
                f"{cid}: each step is {{ min|max, points }}")
            ok = False
            continue
        steps.append(Step(points=_dec(s["points"]), min=_dec(s.get("min")),  # type: ignore[arg-type]
                          max=_dec(s.get("max"))))
    target = entry.get("target")
    if target is not None and target != "targets":
        target = _dec(target)
        if target is None:
            bad(line, "target", f"{cid}: target là số hoặc \"targets\"",
                f"{cid}: target is a number or \"targets\"")
            ok = False
    if not ok:
        return None
    known = {"cap", "min", "points_each", "points_by_rank", "order", "steps", "target"}
    c = Criterion(
        id=nfc(cid), points=points, method=method_name, indicator=entry["indicator"],  # type: ignore[arg-type]
        title=nfc(entry["title"]) if entry.get("title") else None,
        group=nfc(entry["group"]) if entry.get("group") else None,
        bonus=bool(entry.get("bonus", False)), target=target,
        cap=_dec(entry.get("cap", 1)) or Decimal(1), min=_dec(entry.get("min")),
        steps=tuple(steps), points_each=_dec(entry.get("points_each")),
        points_by_rank=tuple(d for d in (_dec(p) for p in entry.get("points_by_rank", []))
                             if d is not None),
        order=entry.get("order", "desc"), source=entry.get("source"),
        options={k: v for k, v in entry.items() if k in method.keys and k not in known},
        line=line,
    )
    if method.check is not None:
        missing = method.check(c)
        if missing == "steps: fallback":
            bad(line, "steps", f"{cid}: danh sách bậc không có bậc dự phòng (không min, không max)",
                f"{cid}: the step list has no fallback step (one with no min and no max)")
            return None
        if missing:
            bad(line, missing, f"{cid}: phương pháp {method_name} cần {missing}",
                f"{cid}: method {method_name} needs {missing}")
            return None
    return c


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
