"""Reference data shipped with the package: the provinces before and after 1/7/2025."""

from __future__ import annotations

import csv
import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

import attrs

from ..exceptions import UnknownProvinceError
from ..model._entities import Unit, UnitVersion
from ..model._enums import Level, Sector
from ..model._i18n import fold, nfc
from ._dataset import Dataset
from ._reorg import _rebuild, coalesce

__all__ = ["CUTOVER", "FormerName", "ProvinceRef", "apply_2025", "find_province",
           "lookup_provinces", "provinces", "reorganise_2025", "restate"]

#: The first day of the two-tier local government (Nghị quyết 60-NQ/TW; NQ 202/2025/QH15).
CUTOVER = _dt.date(2025, 7, 1)
_LAST = CUTOVER - _dt.timedelta(days=1)
_TERRITORIAL = {Sector.RURAL, Sector.URBAN}


@attrs.frozen(kw_only=True)
class FormerName:
    """A name (and kind) a province bore until *valid_to*, e.g. Thừa Thiên Huế until 2024."""

    name: str
    kind: str
    valid_to: _dt.date
    source: str


#: the Youth Union body's name where "Tỉnh đoàn/Thành đoàn + name" is not it
_UNION_NAMES = {"Hồ Chí Minh": "Thành đoàn Thành phố Hồ Chí Minh"}


@attrs.frozen(kw_only=True)
class ProvinceRef:
    """
    A province-level unit of the reference list, with its dates and successor.

    ``code`` is doanmodel's id (``QT``, ``QT-2025``), ``gso`` the two-digit code of the General
    Statistics Office; ``name`` is the proper name as on the official list, without "Tỉnh" or
    "Thành phố" (docs/reference.md); ``kind`` is ``province`` (tỉnh) or ``city`` (thành phố
    trực thuộc trung ương); ``names`` the earlier names, oldest first.
    """

    code: str
    name: str
    gso: str | None
    valid_from: _dt.date | None
    valid_to: _dt.date | None
    successor: str | None
    source: str
    kind: str = "province"
    names: tuple[FormerName, ...] = ()

    def covers(self, day: _dt.date) -> bool:
        """Whether the province exists on *day*."""
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_to is None or day <= self.valid_to)

    def name_on(self, day: _dt.date | None = None) -> str:
        """The name in force on *day* (the latest one without a day)."""
        former = self._former(day)
        return former.name if former else self.name

    def kind_on(self, day: _dt.date | None = None) -> str:
        """``province`` or ``city`` on *day* (the latest without a day)."""
        former = self._former(day)
        return former.kind if former else self.kind

    def full_name(self, day: _dt.date | None = None) -> str:
        """The official full name: "Tỉnh Quảng Trị", "Thành phố Huế"."""
        prefix = "Thành phố" if self.kind_on(day) == "city" else "Tỉnh"
        return f"{prefix} {self.name_on(day)}"

    def union_name(self, day: _dt.date | None = None) -> str:
        """The province's Youth Union body: "Tỉnh đoàn Quảng Trị", "Thành đoàn Huế"."""
        name = self.name_on(day)
        if name in _UNION_NAMES:
            return _UNION_NAMES[name]
        return f"{'Thành đoàn' if self.kind_on(day) == 'city' else 'Tỉnh đoàn'} {name}"

    def _former(self, day: _dt.date | None) -> FormerName | None:
        if day is None:
            return None
        return next((n for n in self.names if day <= n.valid_to), None)


def _date(text: str) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def _read(name: str) -> list[dict[str, str]]:
    text = (files("doanmodel") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def provinces() -> tuple[ProvinceRef, ...]:
    """
    The 63 provinces before 1/7/2025 and the 23 created then (34 in all from that day), each
    with its GSO code, kind, earlier names and successor: Nghị quyết 202/2025/QH15 of
    12/6/2025; Thừa Thiên Huế became the city of Huế on 1/1/2025 (Nghị quyết 175/2024/QH15).
    Checked against the ``vietnam-provinces`` package by the test suite (docs/reference.md).
    """
    former: dict[str, list[FormerName]] = {}
    for r in _read("province-names.csv"):
        former.setdefault(r["code"], []).append(FormerName(
            name=r["name"], kind=r["kind"], valid_to=_dt.date.fromisoformat(r["valid_to"]),
            source=r["source"]))
    return tuple(ProvinceRef(
        code=r["code"], name=r["name"], kind=r["kind"], gso=r["gso"] or None,
        valid_from=_date(r["valid_from"]), valid_to=_date(r["valid_to"]),
        successor=r["successor"] or None, source=r["source"],
        names=tuple(sorted(former.get(r["code"], []), key=lambda n: n.valid_to)))
        for r in _read("provinces.csv"))


_PREFIXES = ("thanh pho ", "tp ", "tinh ")


def _key(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key: "TP. Hồ Chí Minh" → "hochiminh"."""
    key = re.sub(r"[^0-9a-z]+", " ", fold(nfc(text))).strip()
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    key = key.replace(" ", "")
    return key.zfill(2) if key.isdigit() else key


@cache
def _index() -> dict[str, tuple[ProvinceRef, ...]]:
    out: dict[str, list[ProvinceRef]] = {}
    for p in provinces():
        keys = {_key(p.code), _key(p.name), *(_key(n.name) for n in p.names)}
        if p.gso:
            keys.add(p.gso)
        for k in keys:
            out.setdefault(k, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def lookup_provinces(query: str) -> tuple[ProvinceRef, ...]:
    """
    Every province whose doanmodel code, GSO code, name or earlier name matches *query*,
    ignoring case, accents, punctuation, spaces and a leading "Tỉnh"/"Thành phố"/"TP.":
    ``"quang tri"`` finds Quảng Trị before and after 1/7/2025, ``"44"`` Quảng Bình and the
    new Quảng Trị, ``"Thua Thien - Hue"`` Huế.
    """
    return _index().get(_key(query), ())


def find_province(query: str, on: _dt.date | None = None) -> ProvinceRef:
    """
    The one province *query* names (see :func:`lookup_provinces`) that exists on *on*; without
    *on*, the latest one. Raises :class:`~doanmodel.UnknownProvinceError` if there is none.
    """
    found = lookup_provinces(query)
    if on is not None:
        dated = [p for p in found if p.covers(on)]
        if not dated:
            raise UnknownProvinceError(query, on, [_label(p) for p in found])
        return dated[0]
    if not found:
        raise UnknownProvinceError(query)
    return max(found, key=lambda p: p.valid_to or _dt.date.max)


def _label(p: ProvinceRef) -> str:
    span = f"{p.valid_from or '…'}–{p.valid_to or '…'}"
    return f"{p.code} ({p.gso}, {p.name}, {span})"


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
    new_of = _merge_provinces(out, refs)
    _move_upper_grassroots(out, new_of)
    _move_under_merged(out, new_of)
    return list(out.values())


def _merge_provinces(out: dict[str, Unit], refs: Mapping[str, ProvinceRef]) -> dict[str, str]:
    """End merged provinces in *out* (adding their successors); province → its new province."""
    new_of: dict[str, str] = {}
    for u in list(out.values()):
        v = u.at(_LAST)
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
                id=succ, name=sref.union_name(CUTOVER), level=Level.PROVINCE,
                parent_id=v.parent_id, valid_from=CUTOVER, code=succ),))
        out[u.id] = _end_at(u, succ)
        new_of[u.id] = succ
    return new_of


def _move_upper_grassroots(out: dict[str, Unit], new_of: dict[str, str]) -> None:
    """End district-level unions (their units move up) and move the others, in *out*."""
    for u in list(out.values()):
        v = u.at(_LAST)
        if v is None or v.level is not Level.UPPER_GRASSROOTS or v.parent_id not in new_of:
            continue
        target = new_of[v.parent_id]
        if v.sector in _TERRITORIAL:
            for child in list(out.values()):
                cv = child.at(_LAST)
                if cv is not None and cv.parent_id == u.id and cv.valid_to is None:
                    out[child.id] = _move_at(child, target)
            out[u.id] = _end_at(u, target)
        elif target != v.parent_id:
            out[u.id] = _move_at(u, target)


def _move_under_merged(out: dict[str, Unit], new_of: dict[str, str]) -> None:
    """Move the units directly under a merged province to its new province, in *out*."""
    for u in list(out.values()):
        v = u.at(_LAST)
        if v is not None and v.level is not Level.PROVINCE and v.parent_id in new_of and \
                new_of[v.parent_id] != v.parent_id and v.valid_to is None:
            out[u.id] = _move_at(u, new_of[v.parent_id])


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
