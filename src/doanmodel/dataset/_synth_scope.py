"""Which provinces a synthetic dataset covers (``synth --province``, ``--scale region``)."""

from __future__ import annotations

import datetime as _dt

from ._reference import CUTOVER, ProvinceRef, find_province, provinces

__all__ = ["REGION_SIZE", "Shape", "resolve", "select"]

#: provinces in a ``region`` dataset: consecutive in GSO order (codes run north to south)
REGION_SIZE = 6

#: a province and how it appears in the year: ``old`` (before 1/7/2025, all year), ``new``
#: (after, all year), ``both`` (2025: exists until 30/6, ends if merged), ``newonly`` (2025:
#: created on 1/7)
Shape = tuple[ProvinceRef, str]


def _default(year: int) -> str:
    # Trà Vinh, whose 2019 figures the examples reproduce; Vĩnh Long after the merger
    return "VL-2025" if year > CUTOVER.year else "TV"


def resolve(query: str | None, year: int) -> ProvinceRef:
    """
    The province *query* (a doanmodel or GSO code, or a name) names for a dataset of *year*:
    one of the 63 before 2025, one of the 34 after, either in 2025 (the one that exists at the
    end of the year first). Raises :class:`~doanmodel.UnknownProvinceError` otherwise.
    """
    query = query or _default(year)
    if year < CUTOVER.year:
        return find_province(query, _dt.date(year, 12, 31))
    if year > CUTOVER.year:
        return find_province(query, _dt.date(year, 1, 1))
    try:
        return find_province(query, _dt.date(year, 12, 31))
    except LookupError:
        return find_province(query, _dt.date(year, 1, 1))


def _window(refs: list[ProvinceRef], centre: ProvinceRef) -> list[ProvinceRef]:
    ordered = sorted(refs, key=lambda p: (p.gso or "", p.code))
    at = next(i for i, p in enumerate(ordered) if p.gso == centre.gso)
    start = max(0, min(at - REGION_SIZE // 2 + 1, len(ordered) - REGION_SIZE))
    return ordered[start:start + REGION_SIZE]


def select(kind: str, year: int, province: str | None = None) -> list[Shape]:
    """
    The provinces of a dataset of *kind* (``one``, ``region`` or ``all``) for *year*, each with
    its shape, around *province* (default Trà Vinh, or Vĩnh Long after 2025).
    """
    refs = list(provinces())
    old = [p for p in refs if p.valid_from is None]
    if kind == "all":
        chosen_old = old
        chosen_now = [p for p in refs if p.valid_from] + [p for p in old if not p.valid_to]
    else:
        current = [p for p in refs if p.valid_to is None]
        chosen_old, chosen_now = _around(kind, year, resolve(province, year), old, current, refs)
    if year < CUTOVER.year:
        return [(p, "old") for p in chosen_old]
    if year > CUTOVER.year:
        return [(p, "new") for p in chosen_now]
    created = {p.successor for p in chosen_old if p.successor}
    return [(p, "both") for p in chosen_old] + [(p, "newonly") for p in refs if p.code in created]


def _around(kind: str, year: int, centre: ProvinceRef, old: list[ProvinceRef],
            current: list[ProvinceRef], refs: list[ProvinceRef]
            ) -> tuple[list[ProvinceRef], list[ProvinceRef]]:
    """The old and the current provinces of a one-province or a region dataset."""
    if kind == "one":
        if centre.valid_from is None:  # one of the 63 (merged or not)
            return [centre], [centre]
        return [p for p in refs if p.successor == centre.code], [centre]
    if year > CUTOVER.year:
        return [], _window(current, centre)
    # a new province in 2025 is centred on the partner whose GSO code it took
    return _window(old, next(p for p in old if p.gso == centre.gso)), []
