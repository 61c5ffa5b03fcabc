"""
Ranks and ties as the regulation treats them (docs/scoring.md, "Ties").

Units are ordered by the criteria set's tie-break keys, all of them domain keys: ``total``,
``core``, ``penalty``, ``bonus``, ``criterion:ID`` and an explicit final input
``indicator:NAME`` (e.g. a council vote the committee recorded in ``indicators.csv``). Units
equal on every key share a rank (1, 2, 2, 4). The unit id is never a key: alphabetical order
must not decide an honour. When a shared rank straddles the places of an award, the award is
*undecided* for the tied units; it is shown in every output, never resolved silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..model._i18n import Text

if TYPE_CHECKING:  # pragma: no cover
    from ._criteria import Award

__all__ = ["DOMAIN_KEYS", "TieBreakWarning", "assign_ranks", "award_of", "clean_tie_break"]

#: the default tie-break: total, then core points, then fewer penalties, then bonus
DOMAIN_KEYS: tuple[str, ...] = ("total", "core", "penalty", "bonus")

INPUT_PREFIX = "indicator:"


class TieBreakWarning(UserWarning):
    """A criteria set declared a tie-break key that doanmodel ignores (``id``)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        #: the message in both languages, for the command line's chosen one
        self.text = text


def clean_tie_break(keys: Sequence[str], file: str, line: int) -> tuple[str, ...]:
    """
    *keys* without ``id``, warning once when it was there: a unit code is not a merit, so
    units equal on every domain key share their rank instead of being split alphabetically.
    """
    if "id" not in keys:
        return tuple(keys)
    where = f"{file}:{line}: tie_break"
    warnings.warn(TieBreakWarning(Text(
        f"{where}: khóa 'id' bị bỏ qua: đơn vị bằng nhau trên mọi tiêu chí xếp đồng hạng, "
        "không xếp theo mã (docs/scoring.md)",
        f"{where}: the key 'id' is ignored: units equal on every domain key share a rank "
        "instead of being ordered by their code (docs/scoring.md)")), stacklevel=3)
    return tuple(k for k in keys if k != "id")


def _value(key: str, row: Mapping[str, Any]) -> Decimal | None:
    """The sort value of *row* for *key*: smaller is better; ``None`` when an input is missing."""
    if key == "penalty":
        return row["penalty"]  # type: ignore[no-any-return]
    if key in ("total", "core", "bonus"):
        return -row[key]  # type: ignore[no-any-return]
    if key.startswith("criterion:"):
        return -row["by_id"].get(key[len("criterion:"):], Decimal(0))  # type: ignore[no-any-return]
    if key.startswith(INPUT_PREFIX):
        v = row.get("tie_inputs", {}).get(key[len(INPUT_PREFIX):])
        return None if v is None else -v
    return Decimal(0)  # an unknown key (refused at load) orders nothing


def _refine(group: list[dict[str, Any]], keys: Sequence[str]) -> list[list[dict[str, Any]]]:
    """Split *group* into ordered runs of rows equal on *keys*."""
    if len(group) == 1 or not keys:
        return [group]
    key, rest = keys[0], keys[1:]
    values = [_value(key, r) for r in group]
    if any(v is None for v in values):
        # a declared input not recorded for every tied unit decides nothing among them
        return [group]
    order = sorted(zip(values, range(len(group))), key=lambda p: p[0])  # type: ignore[arg-type,return-value]
    runs: list[list[dict[str, Any]]] = []
    last: Any = object()
    for v, i in order:
        if v != last:
            runs.append([])
            last = v
        runs[-1].append(group[i])
    return [sub for run in runs for sub in _refine(run, rest)]


def assign_ranks(rows: list[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """
    *rows* in rank order; each gets ``rank`` (shared by equal units: 1, 2, 2, 4) and
    ``tied`` (the ids of the units sharing its rank, itself included; empty when alone).
    """
    ordered: list[dict[str, Any]] = []
    for run in _refine(list(rows), keys) if rows else []:
        rank = len(ordered) + 1
        ids = tuple(sorted(r["unit_id"] for r in run)) if len(run) > 1 else ()
        for r in sorted(run, key=lambda r: r["unit_id"]):  # display order only
            r["rank"], r["tied"] = rank, ids
            ordered.append(r)
    return ordered


def award_of(rank: int, tied: int, total: Decimal, awards: Sequence[Award]
             ) -> tuple[str | None, tuple[str, ...]]:
    """
    The award a unit at *rank* earns, sharing it with *tied* units (1 when alone), and the
    awards left undecided because the tied units occupy places on both sides of an award's
    last (or first) place.
    """
    lo, hi = rank, rank + max(tied, 1) - 1
    award: str | None = None
    undecided: list[str] = []
    for a in awards:
        a_lo, a_hi = a.rank, a.rank_to or a.rank
        if (a.min_total is not None and total < a.min_total) or hi < a_lo or lo > a_hi:
            continue
        if a_lo <= lo and hi <= a_hi:
            if award is None:
                award = a.title
        elif a.title not in undecided:
            undecided.append(a.title)
    return award, tuple(undecided)


def undecided_note(unit_id: str, rank: int, tied: Sequence[str], titles: Sequence[str],
                   inputs: Sequence[str]) -> Text:
    """Why an award is undecided for *unit_id*, in both languages."""
    others = ", ".join(t for t in tied if t != unit_id)
    names = "; ".join(titles)
    if inputs:
        how_vi = f"thiếu {', '.join(inputs)} để phân định"
        how_en = f"{', '.join(inputs)} is not recorded for every tied unit"
    else:
        how_vi = ("bộ tiêu chí không khai báo tiêu chí phân định cuối (ví dụ biểu quyết của "
                  "Hội đồng thi đua, indicator:NAME)")
        how_en = ("the criteria set declares no final tie-break input (e.g. the emulation "
                  "council's vote, indicator:NAME)")
    return Text(
        f"CHƯA QUYẾT ĐỊNH: {names} — đồng hạng {rank} với {others} trên mọi khóa xếp hạng; "
        f"{how_vi}. Hội đồng thi đua quyết định.",
        f"UNDECIDED: {names} — tied at rank {rank} with {others} on every tie-break key; "
        f"{how_en}. The emulation council decides.")
