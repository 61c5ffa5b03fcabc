"""
Rolling amounts up the dated tree (:meth:`Dataset.rollup`).

Amounts attached to (unit, day) are first added up per unit and *structural epoch* (the
stretches of time between two version changes: the tree is the same on every day of one). Then
each epoch is rolled up one of two ways, with the same result:

- **bottom-up**, when the epoch has many keys (a national roll-up has one per branch): the
  epoch's (child, parent) pairs, deepest first, are walked once and each child's total is added
  to its parent. One step per unit of the tree, whatever its depth.
- **by chain**, when it has few: each key's ancestor chain is added to. The chains are kept in
  the dataset's cache and shared with :meth:`Dataset.province_of`.

A national 2025 roll-up of ~330k keys took 0.8 s by chain and takes 0.1 s bottom-up.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..model._enums import Level

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["epoch_day", "rollup"]

#: an epoch is rolled up bottom-up when it has at least this share of the tree's units as
#: keys (below it, the chains of the keys are fewer steps than the whole tree)
BOTTOM_UP_SHARE = 16


def epoch_day(points: list[int], epoch: int) -> int:
    """A day ordinal inside *epoch* (the tree is the same on every one of its days)."""
    if epoch > 0:
        return points[epoch - 1]
    return points[0] - 1 if points else _dt.date(2000, 1, 1).toordinal()


def _by_epoch(amounts: Mapping[tuple[int, int], Any], points: list[int]
              ) -> tuple[dict[tuple[int, int], Any], dict[tuple[int, int], int]]:
    by_epoch: dict[tuple[int, int], Any] = {}
    day_of: dict[tuple[int, int], int] = {}
    epoch_of: dict[int, int] = {}
    for (code, ordinal), amount in amounts.items():
        if points:
            epoch = epoch_of.get(ordinal)
            if epoch is None:
                epoch = epoch_of[ordinal] = bisect.bisect_right(points, ordinal)
        else:  # one structure for all time
            epoch = 0
        key = (code, epoch)
        if key in by_epoch:
            by_epoch[key] += amount
        else:
            by_epoch[key] = amount
            day_of[key] = ordinal
    return by_epoch, day_of


def edges(ds: Dataset, epoch: int) -> list[tuple[int, int]]:
    """The (child code, parent code) pairs of the tree in *epoch*, deepest child first
    (a child always before its parent). Cached per epoch."""
    cache = ds._index.edges  # noqa: SLF001
    found = cache.get(epoch)
    if found is not None:
        return found
    day = _dt.date.fromordinal(epoch_day(ds._change_points(), epoch))  # noqa: SLF001
    index, ids = ds.unit_index, ds.unit_ids
    parent: dict[int, int] = {}
    for code, uid in enumerate(ids):
        version = ds.units[uid].at(day)
        if version is not None and version.parent_id is not None:
            p = index.get(version.parent_id)
            if p is not None:
                parent[code] = p
    depth: dict[int, int] = {}
    for code in parent:
        path = []
        c: int | None = code
        while c is not None and c not in depth:
            path.append(c)
            c = parent.get(c)
        d = 0 if c is None else depth[c]
        for c2 in reversed(path):
            d += 1
            depth[c2] = d
    found = cache[epoch] = sorted(parent.items(), key=lambda cp: -depth[cp[0]])
    return found


def rollup(ds: Dataset, amounts: Mapping[tuple[int, int], Any]) -> dict[str, Any]:
    """Unit id → the sum of the amounts at it and below it, each (unit code, day ordinal)
    amount added to the unit and every ancestor it had on that day."""
    points = ds._change_points()  # noqa: SLF001 - shared structural epochs
    by_epoch, day_of = _by_epoch(amounts, points)
    per_epoch: dict[int, dict[int, Any]] = defaultdict(dict)
    for (code, epoch), amount in by_epoch.items():
        per_epoch[epoch][code] = amount
    many = max(1, len(ds.unit_ids) // BOTTOM_UP_SHARE)
    totals: dict[int, Any] = {}
    chains = ds._index.chains  # noqa: SLF001
    for epoch, found in per_epoch.items():
        if len(found) >= many:
            _bottom_up(found, edges(ds, epoch))
            items = found.items()
        else:
            items = _by_chain(ds, found, epoch, day_of, chains, points).items()
        for code, amount in items:
            if code in totals:
                totals[code] += amount
            else:
                totals[code] = amount
    ids = ds.unit_ids
    return {ids[c]: v for c, v in totals.items()}


def _bottom_up(found: dict[int, Any], pairs: list[tuple[int, int]]) -> None:
    get = found.get
    for child, parent in pairs:
        amount = get(child)
        if amount is not None:
            above = get(parent)
            found[parent] = amount if above is None else above + amount


def _by_chain(ds: Dataset, found: dict[int, Any], epoch: int,
              day_of: dict[tuple[int, int], int], chains: dict[tuple[int, int], tuple[int, ...]],
              points: list[int]) -> dict[int, Any]:
    out: dict[int, Any] = defaultdict(int)
    for code, amount in found.items():
        key = (code, epoch)
        chain = chains.get(key)
        if chain is None:
            chain = chains[key] = ds._chain(code, day_of[key], chains, epoch, points)  # noqa: SLF001
        for c in chain:
            out[c] += amount
    return out


def provinces(ds: Dataset, epoch: int) -> dict[tuple[int, int], str | None]:
    """(unit code, *epoch*) → the province unit above or equal to it in *epoch*, for every
    unit existing in it (as :meth:`Dataset.province_of`), found top-down in one pass."""
    day = _dt.date.fromordinal(epoch_day(ds._change_points(), epoch))  # noqa: SLF001
    ids, units = ds.unit_ids, ds.units
    province = Level.PROVINCE
    found: dict[int, str | None] = {}
    for code, uid in enumerate(ids):
        version = units[uid].at(day)
        if version is not None:
            found[code] = uid if version.level is province else None
    for child, parent in reversed(edges(ds, epoch)):  # parents before their children
        if found.get(child) is None:
            found[child] = found.get(parent)
    return {(code, epoch): p for code, p in found.items()}
