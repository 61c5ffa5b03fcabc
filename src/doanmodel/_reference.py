"""Reference data shipped with the package: the provinces before and after 1/7/2025."""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

import attrs

from ._dataset import Dataset
from ._entities import Unit, UnitVersion
from ._enums import Level, Sector
from ._reorg import _rebuild, coalesce

__all__ = ["CUTOVER", "ProvinceRef", "apply_2025", "provinces", "reorganise_2025", "restate"]

#: The first day of the two-tier local government (Nghị quyết 60-NQ/TW; NQ 202/2025/QH15).
CUTOVER = _dt.date(2025, 7, 1)
_LAST = CUTOVER - _dt.timedelta(days=1)
_TERRITORIAL = {Sector.RURAL, Sector.URBAN}


@attrs.frozen(kw_only=True)
class ProvinceRef:
    """A province-level unit of the reference list, with its dates and successor."""

    code: str
    name: str
    gso: str | None
    valid_from: _dt.date | None
    valid_to: _dt.date | None
    successor: str | None
    source: str


@cache
def provinces() -> tuple[ProvinceRef, ...]:
    """
    The 63 provinces before 1/7/2025 and the 23 created then (34 in all from that day), each
    with its successor: Nghị quyết 202/2025/QH15 of 12/6/2025 (DOMAIN.md appendix, [M] — the
    list is checked against the resolution's summary, not its full text).
    """
    text = (files("doanmodel") / "data" / "provinces.csv").read_text(encoding="utf-8")
    out = []
    for r in csv.DictReader(text.splitlines()):
        out.append(ProvinceRef(
            code=r["code"], name=r["name"], gso=r["gso"] or None,
            valid_from=_dt.date.fromisoformat(r["valid_from"]) if r["valid_from"] else None,
            valid_to=_dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            successor=r["successor"] or None, source=r["source"]))
    return tuple(out)


def reorganise_2025(units: Iterable[Unit]) -> list[Unit]:
    """
    Apply the 1/7/2025 change to a list of units (the tree before it):

    - a province whose ``code`` (or id) is a merged province of the reference list ends on
      30/6/2025 with the new province as successor; the new province is created from 1/7/2025
      (under the same parent) unless it is already there;
    - district-level unions (upper-grassroots, sector rural/urban) end on 30/6/2025 with their
      province's successor as successor; the units under them move under that province;
    - other upper-grassroots units (blocs, schools, armed forces) move under the new province.

    Units that do not exist on 30/6/2025 are left alone.
    """
    refs = {p.code: p for p in provinces()}
    out: dict[str, Unit] = {u.id: u for u in units}

    def on_last(u: Unit) -> UnitVersion | None:
        return u.at(_LAST)

    new_of: dict[str, str] = {}
    for u in list(out.values()):
        v = on_last(u)
        if v is None or v.level is not Level.PROVINCE:
            continue
        ref = refs.get(v.code or "") or refs.get(u.id)
        if ref is None or ref.valid_to is None:
            new_of[u.id] = u.id  # unchanged province
            continue
        succ = ref.successor
        assert succ is not None
        if succ not in out:
            sref = refs[succ]
            out[succ] = Unit(id=succ, versions=(UnitVersion(
                id=succ, name=f"Tỉnh đoàn {sref.name}", level=Level.PROVINCE,
                parent_id=v.parent_id, valid_from=CUTOVER, code=succ),))
        out[u.id] = _end_at(u, succ)
        new_of[u.id] = succ
    # upper-grassroots units
    for u in list(out.values()):
        v = on_last(u)
        if v is None or v.level is not Level.UPPER_GRASSROOTS or v.parent_id not in new_of:
            continue
        target = new_of[v.parent_id]
        if v.sector in _TERRITORIAL:
            for child in list(out.values()):
                cv = on_last(child)
                if cv is not None and cv.parent_id == u.id and cv.valid_to is None:
                    out[child.id] = _move_at(child, target)
            out[u.id] = _end_at(u, target)
        elif target != v.parent_id:
            out[u.id] = _move_at(u, target)
    # grassroots units directly under a merged province
    for u in list(out.values()):
        v = on_last(u)
        if v is not None and v.level is not Level.PROVINCE and v.parent_id in new_of and \
                new_of[v.parent_id] != v.parent_id and v.valid_to is None:
            out[u.id] = _move_at(u, new_of[v.parent_id])
    return list(out.values())


def _end_at(u: Unit, successor: str) -> Unit:
    versions = tuple(attrs.evolve(v, valid_to=_LAST, successor_id=successor)
                     if v.covers(_LAST) else v for v in u.versions
                     if v.valid_from is None or v.valid_from <= _LAST)
    return Unit(id=u.id, versions=versions)


def _move_at(u: Unit, parent: str) -> Unit:
    versions: list[UnitVersion] = []
    for v in u.versions:
        if v.covers(_LAST) and v.valid_to is None:
            versions.append(attrs.evolve(v, valid_to=_LAST))
            versions.append(attrs.evolve(v, valid_from=CUTOVER, parent_id=parent))
        else:
            versions.append(v)
    return Unit(id=u.id, versions=coalesce(versions))


def apply_2025(ds: Dataset) -> Dataset:
    """*ds* with :func:`reorganise_2025` applied to its units (new versions, history kept)."""
    return _rebuild(ds, {u.id: u for u in reorganise_2025(ds.units.values())})


def restate(values: Mapping[str, Any], ds: Dataset, on: _dt.date,
            level: Level | None = None) -> dict[str, Any]:
    """
    Restate per-unit figures in the structure in force on *on*: each unit's figure goes to the
    unit that carries on its history then (itself, or the end of its successor chain), so that
    "the same unit" can be compared year over year — e.g. 2023 figures of Trà Vinh, Bến Tre and
    Vĩnh Long add up under the Vĩnh Long of 1/7/2025. With *level*, only units of that level
    are restated (pass figures of one level, or the roll-up counts them twice).
    """
    out: dict[str, Any] = {}
    for uid, value in values.items():
        unit = ds.units.get(uid)
        if unit is None:
            continue
        if level is not None and unit.latest.level is not level and all(
                v.level is not level for v in unit.versions):
            continue
        target = uid
        seen = {uid}
        while ds.units[target].at(on) is None:
            nxt = ds.units[target].successor_id
            if nxt is None or nxt not in ds.units or nxt in seen:
                target = None  # type: ignore[assignment]
                break
            seen.add(nxt)
            target = nxt
        if target is None:
            continue
        out[target] = out.get(target, Decimal(0) if isinstance(value, Decimal) else 0) + value
    return out
