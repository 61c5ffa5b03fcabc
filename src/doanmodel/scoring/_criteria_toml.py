"""The sections of a ``criteria.toml`` table, each checked and parsed by its own helper."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..dataset._csvio import toml_line
from ..model._i18n import nfc
from ._criteria import MISSING_POLICIES, TIE_KEYS, Award, Criterion, Penalty, ScoringMethod, Step

__all__ = [
    "Bad",
    "check_top",
    "parse_awards",
    "parse_criterion_list",
    "parse_penalties",
    "parse_quality",
    "parse_tie_break",
    "top_line",
]

#: reports one problem: (line, column, Vietnamese message, English message)
Bad = Callable[[int, str, str, str], None]

_COMMON = {"id", "points", "method", "indicator", "title", "group", "bonus", "source", "note",
           "missing"}
_TOP = {"id", "title", "year", "valid_from", "valid_to", "source", "bonus_cap", "tie_break",
        "criterion", "penalty", "award", "quality", "description", "scale", "schema_version",
        "award_by", "ballot_majority", "ballot_source", "deviation_max_points",
        "deviation_max_share", "deviation_source"}
#: criterion keys with a field of their own (other keys a method reads go to ``options``)
_KNOWN = {"cap", "min", "points_each", "points_by_rank", "order", "steps", "target"}


def _dec(value: Any) -> Decimal | None:
    """*value* as a finite Decimal, or ``None`` (booleans and non-numbers included)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def top_line(text: str, key: str) -> int:
    """The line of the top-level ``key =`` in *text* (0 when not found)."""
    return toml_line(text, rf"^\s*{re.escape(key)}\s*=")


def _check_top_keys(data: Mapping[str, Any], text: str, bad: Bad) -> None:
    """Report unknown top-level keys, missing required ones, and a set with no year."""
    for key in data:
        if key not in _TOP and not key.startswith("x_"):
            bad(top_line(text, key) or toml_line(text, rf"\[\[?{re.escape(key)}"), key,
                "khóa không được biết", "unknown key")
    for key in ("id", "title", "source"):
        if not data.get(key):
            bad(0, key, "thiếu khóa bắt buộc", "required key is missing")
    if "year" not in data and "valid_from" not in data:
        bad(0, "year", "cần year hoặc valid_from", "needs year or valid_from")


def check_top(data: Mapping[str, Any], text: str, bad: Bad) -> tuple[Any, Decimal | None]:
    """Check the top-level keys; return the set's ``year`` and ``bonus_cap``."""
    _check_top_keys(data, text, bad)
    year = data.get("year")
    if year is not None and not isinstance(year, int):
        bad(top_line(text, "year"), "year", "năm phải là số nguyên", "year must be an integer")
    bonus_cap = _dec(data.get("bonus_cap")) if "bonus_cap" in data else None
    if "bonus_cap" in data and (bonus_cap is None or bonus_cap < 0):
        bad(top_line(text, "bonus_cap"), "bonus_cap", "phải là số ≥ 0", "must be a number ≥ 0")
    return year, bonus_cap


def parse_criterion_list(data: Mapping[str, Any], text: str,
                         methods: Mapping[str, ScoringMethod], bad: Bad
                         ) -> tuple[list[Criterion], set[str]]:
    """Parse every ``[[criterion]]``; return the good ones and the ids seen."""
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
    return crits, ids_seen


def parse_tie_break(data: Mapping[str, Any], text: str, ids_seen: set[str], bad: Bad
                    ) -> list[Any]:
    """Check ``tie_break`` against the known keys and criteria; return its keys."""
    tie = data.get("tie_break", list(TIE_KEYS))
    if not isinstance(tie, list) or not tie:
        bad(top_line(text, "tie_break"), "tie_break", "phải là danh sách khóa",
            "must be a list of keys")
        tie = list(TIE_KEYS)
    for key in tie:
        if key not in (*TIE_KEYS, "id") and not _tie_ref(key, ids_seen):
            bad(top_line(text, "tie_break"), "tie_break",
                f"khóa xếp hạng không biết: {key!r} (nhận: {', '.join(TIE_KEYS)}, criterion:ID, "
                "indicator:NAME)",
                f"unknown tie-break key {key!r} (allowed: {', '.join(TIE_KEYS)}, criterion:ID, "
                "indicator:NAME)")
    return tie


def _tie_ref(key: Any, criteria: set[str]) -> bool:
    """Whether *key* is ``criterion:ID`` of a known criterion or ``indicator:NAME``."""
    if not isinstance(key, str):
        return False
    if key.startswith("criterion:"):
        return key[len("criterion:"):] in criteria
    return key.startswith("indicator:") and len(key) > len("indicator:")


def parse_penalties(data: Mapping[str, Any], text: str, bad: Bad) -> list[Penalty]:
    """Parse every ``[[penalty]]``."""
    penalties = []
    for n, entry in enumerate(data.get("penalty", [])):
        line = toml_line(text, r"^\s*\[\[\s*penalty\s*\]\]", n)
        extra = set(entry) - {"id", "points_each", "max", "indicator", "title", "source", "note",
                              "missing"}
        for key in sorted(extra):
            bad(line, key, "khóa không được biết", "unknown key")
        if entry.get("missing", "unranked") not in MISSING_POLICIES:
            allowed = ", ".join(MISSING_POLICIES)
            bad(line, "missing", f"{entry.get('id', '?')}: missing là một trong {allowed}",
                f"{entry.get('id', '?')}: missing is one of {allowed}")
            continue
        each, cap = _dec(entry.get("points_each")), _dec(entry.get("max"))
        if not entry.get("id") or not entry.get("indicator") or each is None or each < 0:
            bad(line, "penalty", "điểm trừ cần id, indicator và points_each ≥ 0",
                "a penalty needs id, indicator and points_each ≥ 0")
            continue
        penalties.append(Penalty(id=nfc(entry["id"]), points_each=each, max=cap,
                                 indicator=entry["indicator"], title=entry.get("title"),
                                 source=entry.get("source"), line=line,
                                 missing=entry.get("missing", "unranked")))
    return penalties


def parse_awards(data: Mapping[str, Any], text: str, bad: Bad) -> list[Award]:
    """Parse every ``[[award]]``."""
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
    return awards


def parse_quality(data: Mapping[str, Any], text: str, bad: Bad) -> dict[str, Decimal]:
    """Parse the ``[quality]`` bands (shares from 0 to 1)."""
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
    return quality


def _criterion_method(entry: Mapping[str, Any], line: int, methods: Mapping[str, ScoringMethod],
                      bad: Bad) -> ScoringMethod | None:
    """The criterion's method, or ``None`` (reported) when it has no id or an unknown method."""
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
    return method


def _check_criterion_keys(entry: Mapping[str, Any], line: int, method: ScoringMethod,
                          bad: Bad) -> bool:
    """Report keys the method does not use and a missing indicator; whether all was well."""
    cid, method_name = entry["id"], entry["method"]
    ok = True
    for key in sorted(set(entry) - _COMMON - set(method.keys)):
        bad(line, key, f"{cid}: khóa không dùng cho phương pháp {method_name}",
            f"{cid}: key not used by method {method_name}")
        ok = False
    if not entry.get("indicator"):
        bad(line, "indicator", f"{cid}: thiếu chỉ số (indicator)", f"{cid}: no indicator")
        ok = False
    if entry.get("missing", "unranked") not in MISSING_POLICIES:
        allowed = ", ".join(MISSING_POLICIES)
        bad(line, "missing", f"{cid}: missing là một trong {allowed}",
            f"{cid}: missing is one of {allowed}")
        ok = False
    return ok


def _criterion_points(entry: Mapping[str, Any], line: int, bad: Bad) -> Decimal | None:
    """The criterion's ``points``, or ``None`` (reported) when not a number ≥ 0."""
    points = _dec(entry.get("points"))
    if points is None or points < 0:
        cid = entry["id"]
        bad(line, "points", f"{cid}: điểm phải là số ≥ 0", f"{cid}: points must be a number ≥ 0")
        return None
    return points


def _criterion_steps(entry: Mapping[str, Any], line: int, bad: Bad) -> tuple[list[Step], bool]:
    """The criterion's ``steps``, and whether every step was well formed."""
    cid = entry["id"]
    ok = True
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
    return steps, ok


def _criterion_target(entry: Mapping[str, Any], line: int, bad: Bad
                      ) -> tuple[str | Decimal | None, bool]:
    """The criterion's ``target`` (a number or ``"targets"``), and whether it was valid."""
    target = entry.get("target")
    if target is not None and target != "targets":
        target = _dec(target)
        if target is None:
            cid = entry["id"]
            bad(line, "target", f"{cid}: target là số hoặc \"targets\"",
                f"{cid}: target is a number or \"targets\"")
            return None, False
    return target, True


def _build_criterion(entry: Mapping[str, Any], line: int, method: ScoringMethod,
                     points: Decimal, steps: list[Step], target: str | Decimal | None
                     ) -> Criterion:
    """A :class:`Criterion` from an entry whose keys have been checked."""
    return Criterion(
        id=nfc(entry["id"]), points=points, method=entry["method"], indicator=entry["indicator"],
        title=nfc(entry["title"]) if entry.get("title") else None,
        group=nfc(entry["group"]) if entry.get("group") else None,
        bonus=bool(entry.get("bonus", False)), target=target,
        cap=_dec(entry.get("cap", 1)) or Decimal(1), min=_dec(entry.get("min")),
        steps=tuple(steps), points_each=_dec(entry.get("points_each")),
        points_by_rank=tuple(d for d in (_dec(p) for p in entry.get("points_by_rank", []))
                             if d is not None),
        order=entry.get("order", "desc"), source=entry.get("source"),
        missing=entry.get("missing", "unranked"),
        options={k: v for k, v in entry.items() if k in method.keys and k not in _KNOWN},
        line=line,
    )


def _method_check(c: Criterion, entry: Mapping[str, Any], line: int, method: ScoringMethod,
                  bad: Bad) -> bool:
    """Run the method's own check of *c*; whether it passed (a failure is reported)."""
    if method.check is None:
        return True
    missing = method.check(c)
    cid, method_name = entry["id"], entry["method"]
    if missing == "steps: fallback":
        bad(line, "steps", f"{cid}: danh sách bậc không có bậc dự phòng (không min, không max)",
            f"{cid}: the step list has no fallback step (one with no min and no max)")
        return False
    if missing:
        bad(line, missing, f"{cid}: phương pháp {method_name} cần {missing}",
            f"{cid}: method {method_name} needs {missing}")
        return False
    return True


def _parse_criterion(entry: Mapping[str, Any], line: int, methods: Mapping[str, ScoringMethod],
                     bad: Bad) -> Criterion | None:
    """One ``[[criterion]]``, or ``None`` when it has problems (each reported)."""
    method = _criterion_method(entry, line, methods, bad)
    if method is None:
        return None
    ok = _check_criterion_keys(entry, line, method, bad)
    points = _criterion_points(entry, line, bad)
    steps, steps_ok = _criterion_steps(entry, line, bad)
    target, target_ok = _criterion_target(entry, line, bad)
    if not (ok and steps_ok and target_ok) or points is None:
        return None
    c = _build_criterion(entry, line, method, points, steps, target)
    return c if _method_check(c, entry, line, method, bad) else None
