"""Reorganising the tree: merge, split, move, rename, dissolve — as new dated versions.

History is never edited: each operation ends the version in force the day before *on* and starts
a new one on *on*. A changed version is joined to the one just before it when they end up the
same, so an operation followed by its inverse on the same day gives back the same versions.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..exceptions import DoanmodelError, UnknownUnitError
from ..model._entities import Unit, UnitVersion
from ..model._enums import Level
from ._dataset import Dataset

__all__ = ["dissolve", "merge", "move", "rename", "split", "successor_chain"]

_DAY = _dt.timedelta(days=1)


def _same(a: UnitVersion, b: UnitVersion) -> bool:
    keys = ("name", "level", "parent_id", "sector", "successor_id", "code", "extra")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def coalesce(versions: Sequence[UnitVersion]) -> tuple[UnitVersion, ...]:
    """Join adjacent versions that differ only in their dates."""
    out: list[UnitVersion] = []
    for v in sorted(versions, key=lambda v: v.valid_from or _dt.date.min):
        if out and _same(out[-1], v) and out[-1].valid_to is not None and v.valid_from is not None \
                and out[-1].valid_to + _DAY == v.valid_from:
            out[-1] = attrs.evolve(out[-1], valid_to=v.valid_to)
        else:
            out.append(v)
    return tuple(out)


def _change(unit: Unit, on: _dt.date, **changes: Any) -> Unit:
    """
    *unit* with *changes* applied from *on* to the end of the version in force on *on* (that
    version is cut in two). The changed part is joined to the version just before it when they
    are now the same, so a change and its inverse on the same day give back the same versions.
    """
    current = unit.at(on)
    if current is None:
        raise UnknownUnitError(f"{unit.id} on {on.isoformat()}")
    if _same(current, attrs.evolve(current, **changes)):
        return unit  # nothing changes (a move to the parent it has): no version is cut
    out: list[UnitVersion] = []
    for v in unit.versions:
        if v is not current:
            out.append(v)
            continue
        if current.valid_from is None or current.valid_from < on:
            out.append(attrs.evolve(current, valid_to=on - _DAY))
        changed = attrs.evolve(current, valid_from=on, **changes)
        before = out[-1] if out else None
        if before is not None and before.valid_to == on - _DAY and _same(before, changed):
            out[-1] = attrs.evolve(before, valid_to=changed.valid_to)
        else:
            out.append(changed)
    return Unit(id=unit.id, versions=tuple(out))



def _end(unit: Unit, on: _dt.date, successor: str | None) -> Unit:
    """*unit* ending the day before *on*."""
    versions = []
    for v in unit.versions:
        if v.valid_from is not None and v.valid_from >= on:
            continue
        if v.covers(on):
            v = attrs.evolve(v, valid_to=on - _DAY, successor_id=successor or v.successor_id)
        versions.append(v)
    if not versions:
        raise DoanmodelError(f"{unit.id} does not exist before {on.isoformat()}")
    return Unit(id=unit.id, versions=tuple(versions))


def _rebuild(ds: Dataset, units: Mapping[str, Unit]) -> Dataset:
    return Dataset.build(ds.meta, units.values(), cadres=ds.cadres.values(),
                         positions=ds.positions, absences=ds.absences, visits=ds.visits,
                         meetings=ds.meetings, members=ds.members, indicators=ds.indicators,
                         targets=ds.targets, clusters=ds.clusters, criteria=ds.criteria,
                         validate=False)


def _children_from(units: Mapping[str, Unit], parent: str, on: _dt.date) -> list[str]:
    """Units with a version under *parent* on *on* or later (a later move included)."""
    return [u.id for u in units.values() if any(
        v.parent_id == parent and (v.valid_to is None or v.valid_to >= on) for v in u.versions)]


def _repoint(unit: Unit, olds: set[str], into: str, on: _dt.date) -> Unit:
    """*unit* under *into* instead of any of *olds* from *on* on, in every version in force
    then or later (a version that straddles *on* is cut in two)."""
    out: list[UnitVersion] = []
    for v in unit.versions:
        if v.parent_id not in olds or (v.valid_to is not None and v.valid_to < on):
            out.append(v)
        elif v.valid_from is None or v.valid_from < on:
            out += [attrs.evolve(v, valid_to=on - _DAY),
                    attrs.evolve(v, valid_from=on, parent_id=into)]
        else:
            out.append(attrs.evolve(v, parent_id=into))
    return Unit(id=unit.id, versions=coalesce(out))


def move(ds: Dataset, unit_id: str, parent_id: str | None, on: _dt.date) -> Dataset:
    """*unit_id* is under *parent_id* from *on* (a re-parenting; earlier history unchanged)."""
    units = dict(ds.units)
    units[unit_id] = _change(_get(ds, unit_id), on, parent_id=parent_id)
    return _rebuild(ds, units)


def rename(ds: Dataset, unit_id: str, name: str, on: _dt.date) -> Dataset:
    """*unit_id* is called *name* from *on*."""
    units = dict(ds.units)
    units[unit_id] = _change(_get(ds, unit_id), on, name=name)
    return _rebuild(ds, units)


def dissolve(ds: Dataset, unit_id: str, on: _dt.date, successor: str | None = None) -> Dataset:
    """
    *unit_id* ends the day before *on*; *successor* carries on its history.

    Raises:
        DoanmodelError: units are still under it on *on* (move them first).
    """
    left = _children_from(ds.units, unit_id, on)
    if left:
        raise DoanmodelError(f"{unit_id} still has units under it on {on.isoformat()} or "
                             f"later: {', '.join(sorted(left))}; move them first")
    units = dict(ds.units)
    units[unit_id] = _end(_get(ds, unit_id), on, successor)
    return _rebuild(ds, units)


def merge(ds: Dataset, unit_ids: Sequence[str], into: str, on: _dt.date, *,
          name: str | None = None, parent_id: str | None = None, level: Level | None = None,
          code: str | None = None) -> Dataset:
    """
    Merge *unit_ids* into *into* from *on*: their children move under *into*, and each merged
    unit ends the day before with ``successor_id = into``. *into* may be one of them (it absorbs
    the others) or a new unit, created from *on* with *name*, *parent_id* (default: the first
    unit's parent), *level* (default: the first unit's level) and *code*.
    """
    first = _get(ds, unit_ids[0]).at(on - _DAY)
    if first is None:
        raise UnknownUnitError(f"{unit_ids[0]} on {(on - _DAY).isoformat()}")
    units = dict(ds.units)
    if into not in units:
        if name is None:
            raise DoanmodelError(f"a new unit {into!r} needs a name")
        units[into] = Unit(id=into, versions=(UnitVersion(
            id=into, name=name, level=level or first.level,
            parent_id=parent_id if parent_id is not None else first.parent_id,
            sector=first.sector, valid_from=on, code=code),))
    # their children move under *into* from *on*, also those that move under one of them
    # later (else the later version would point at a unit that has ended)
    olds = set(unit_ids) - {into}
    for uid in sorted(olds):
        for child in _children_from(units, uid, on):
            units[child] = _repoint(units[child], olds, into, on)
    for uid in unit_ids:
        if uid != into:
            units[uid] = _end(units[uid], on, into)
    return _rebuild(ds, units)


def split(ds: Dataset, unit_id: str, parts: Mapping[str, tuple[str, Iterable[str]]],
          on: _dt.date) -> Dataset:
    """
    Split *unit_id* from *on* into new units: *parts* maps each new id to its name and the ids of
    the children it takes. The old unit ends the day before; its ``successor_id`` is the first
    part. Every child (on *on* or later) must be given to a part.
    """
    old = _get(ds, unit_id).at(on - _DAY)
    if old is None:
        raise UnknownUnitError(f"{unit_id} on {(on - _DAY).isoformat()}")
    units = dict(ds.units)
    children = set(_children_from(units, unit_id, on))
    given = [c for _, kids in parts.values() for c in kids]
    if set(given) != children or len(given) != len(set(given)):
        raise DoanmodelError(f"the parts must take each child of {unit_id} exactly once: "
                             f"{', '.join(sorted(children))}")
    for new_id, (name, kids) in parts.items():
        if new_id in units:
            raise DoanmodelError(f"{new_id} already exists")
        units[new_id] = Unit(id=new_id, versions=(UnitVersion(
            id=new_id, name=name, level=old.level, parent_id=old.parent_id, sector=old.sector,
            valid_from=on),))
        for child in kids:
            units[child] = _repoint(units[child], {unit_id}, new_id, on)
    units[unit_id] = _end(units[unit_id], on, next(iter(parts)))
    return _rebuild(ds, units)


def successor_chain(ds: Dataset, unit_id: str) -> list[str]:
    """*unit_id* followed by its successor, that one's successor, … (stops at a loop)."""
    chain = [unit_id]
    seen = {unit_id}
    nxt = _get(ds, unit_id).successor_id
    while nxt is not None and nxt in ds.units and nxt not in seen:
        chain.append(nxt)
        seen.add(nxt)
        nxt = ds.units[nxt].successor_id
    return chain


def _get(ds: Dataset, unit_id: str) -> Unit:
    try:
        return ds.units[unit_id]
    except KeyError:
        raise UnknownUnitError(unit_id) from None
