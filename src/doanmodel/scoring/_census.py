"""Cadre statistics as of a date (the figures of a cadre-work review)."""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from typing import Any

import attrs

from ..dataset._dataset import Dataset
from ..model._entities import Position
from ..model._enums import Level, Role, Sector
from ..model._i18n import Text

__all__ = ["Census", "CensusRow", "census"]

_COMMITTEE = {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_MEMBER, Role.COMMITTEE_MEMBER}
_STANDING = {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_MEMBER}
_TERRITORIAL = {Sector.RURAL, Sector.URBAN, None}
#: the cadre counts of a row, in the order :func:`_kinds` flags them
_KINDS = ("cadres", "committee", "standing", "secretaries", "deputies", "full_time")

GROUPS = {
    "central": Text("Trung ương", "central"),
    "province": Text("cấp tỉnh", "province"),
    "upper_grassroots.territorial": Text("huyện, thị, thành đoàn", "district-level unions"),
    "upper_grassroots.attached": Text("đoàn trực thuộc, đoàn khối", "directly-attached unions"),
    "grassroots": Text("cơ sở", "grassroots"),
    "branch_group": Text("liên chi đoàn", "branch groups"),
    "branch": Text("chi đoàn", "branches"),
    "sub_branch": Text("phân đoàn", "sub-branches"),
}


def _band(age: int | None) -> str:
    if age is None:
        return "unknown"
    if age <= 30:
        return "≤30"
    if age <= 35:
        return "31–35"
    if age <= 40:
        return "36–40"
    return ">40"


@attrs.frozen(kw_only=True)
class CensusRow:
    """Counts for one level (and, at upper-grassroots level, territorial or attached)."""

    group: str
    units: int
    cadres: int
    committee: int
    standing: int
    secretaries: int
    deputies: int
    full_time: int
    education: dict[str, int] = attrs.field(factory=dict, hash=False)
    age_bands: dict[str, int] = attrs.field(factory=dict, hash=False)
    gender: dict[str, int] = attrs.field(factory=dict, hash=False)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON form."""
        from .._output.census import row_dict  # noqa: PLC0415

        return row_dict(self, lang)


@attrs.frozen(kw_only=True)
class Census:
    """Cadre counts by level as of a date."""

    dataset: str
    as_of: _dt.date
    rows: tuple[CensusRow, ...]

    def row(self, group: str) -> CensusRow:
        """The row of *group* (``province``, ``upper_grassroots.territorial`` …).

        Raises:
            KeyError: no cadre holds a position at that level.
        """
        for r in self.rows:
            if r.group == group:
                return r
        raise KeyError(group)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON form."""
        from .._output.census import to_dict  # noqa: PLC0415

        return to_dict(self, lang)

    def to_json(self, lang: str = "vi", *, exact: bool = False, **kw: Any) -> str:
        """JSON text: the contract's shape, or with *exact* the lossless form
        :meth:`from_json` reads back."""
        if exact:
            from .._output.convert import to_json  # noqa: PLC0415

            return to_json(self, **kw)
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kw)

    @classmethod
    def from_json(cls, text: str) -> Census:
        """Read back the JSON of :meth:`to_json` (either form)."""
        from .._output.convert import loads  # noqa: PLC0415

        return loads(text, cls)  # type: ignore[no-any-return]

    def to_table(self, lang: str = "vi") -> str:
        """A readable table."""
        from .._output.census import to_table  # noqa: PLC0415

        return to_table(self, lang)

    def to_csv(self, lang: str = "vi") -> str:
        """CSV text."""
        from .._output.census import to_csv  # noqa: PLC0415

        return to_csv(self, lang)

    def to_dataframe(self, lang: str = "vi") -> Any:
        """A pandas DataFrame of the table (needs the ``notebook`` extra)."""
        from .._output.census import to_dataframe  # noqa: PLC0415

        return to_dataframe(self, lang)

    def lang(self, code: str) -> Any:
        """This census shown in *code* (``"vi"`` or ``"en"``) in a notebook."""
        from .._output.notebook import LangView  # noqa: PLC0415

        return LangView(self, code)

    def _repr_html_(self) -> str:
        from .._output.notebook import html_of  # noqa: PLC0415

        return html_of(self)


def census(ds: Dataset, as_of: _dt.date | None = None) -> Census:
    """
    Count cadres holding positions on *as_of* (default: today, or the end of the dataset's
    year), by level: committee (BCH) members, standing (BTV) members, secretaries, deputies,
    full-time cadres, and their education, age bands and gender.

    A cadre is counted once per group even with several roles; upper-grassroots units are split
    into territorial (district-level, sector rural/urban) and attached (blocs, schools, armed
    forces, enterprises) as cadre reviews report them.
    """
    if as_of is None:
        as_of = _dt.date(ds.meta.year, 12, 31) if ds.meta.year else _dt.date.today()
    held = _holders(ds, as_of)
    rows = tuple(_row(ds, group, held, as_of) for group in GROUPS if group in held["cadres"])
    return Census(dataset=ds.meta.name, as_of=as_of, rows=rows)


def _group_of(ds: Dataset, p: Position, as_of: _dt.date) -> str | None:
    """The census group of a position's unit on *as_of* (``None``: the unit is not there)."""
    unit = ds.units.get(p.unit_id)
    version = unit.at(as_of) if unit else None
    if version is None:
        return None
    group = version.level.value
    if version.level is Level.UPPER_GRASSROOTS:
        group += ".territorial" if version.sector in _TERRITORIAL else ".attached"
    return group


def _kinds(p: Position) -> list[str]:
    """The counts a position puts its cadre in (``cadres`` always, then by role)."""
    flags = (True, p.role in _COMMITTEE, p.role in _STANDING, p.role is Role.SECRETARY,
             p.role is Role.DEPUTY_SECRETARY, p.full_time)
    return [kind for kind, on in zip(_KINDS, flags) if on]


def _holders(ds: Dataset, as_of: _dt.date) -> dict[str, dict[str, set[str]]]:
    """Per count (``units``, ``cadres``, ``committee`` …) and group, the ids held on *as_of*."""
    held: dict[str, dict[str, set[str]]] = {kind: {} for kind in ("units", *_KINDS)}
    for p in ds.positions:
        group = _group_of(ds, p, as_of) if p.covers(as_of) else None
        if group is None:
            continue
        for kind in _kinds(p):
            held[kind].setdefault(group, set()).add(p.cadre_id)
        held["units"].setdefault(group, set()).add(p.unit_id)
    return held


def _age(birth: _dt.date | None, as_of: _dt.date) -> int | None:
    """Age in whole years on *as_of* (``None``: no birth date)."""
    if birth is None:
        return None
    return as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))


def _row(ds: Dataset, group: str, held: dict[str, dict[str, set[str]]],
         as_of: _dt.date) -> CensusRow:
    """The counts of one group, with its cadres' education, age bands and gender."""
    people = [ds.cadres[c] for c in held["cadres"][group] if c in ds.cadres]

    def count(kind: str) -> int:
        return len(held[kind].get(group, ()))

    return CensusRow(
        group=group, units=count("units"), cadres=count("cadres"),
        committee=count("committee"), standing=count("standing"),
        secretaries=count("secretaries"), deputies=count("deputies"),
        full_time=count("full_time"),
        education=dict(Counter(c.education or "unknown" for c in people)),
        age_bands=dict(Counter(_band(_age(c.birth_date, as_of)) for c in people)),
        gender=dict(Counter(c.gender or "unknown" for c in people)))
