"""Cadre statistics as of a date (the figures of a cadre-work review)."""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from typing import Any, ClassVar

import attrs

from .._render import csv_text, table
from ..dataset._dataset import Dataset
from ..model._enums import Level, Role, Sector
from ..model._i18n import Text
from ..model._labels import UNKNOWN

__all__ = ["Census", "CensusRow", "census"]

_COMMITTEE = {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_MEMBER, Role.COMMITTEE_MEMBER}
_STANDING = {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_MEMBER}
_TERRITORIAL = {Sector.RURAL, Sector.URBAN, None}

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
        return {"group": self.group, "label": GROUPS[self.group].get(lang), "units": self.units,
                "cadres": self.cadres, "committee": self.committee, "standing": self.standing,
                "secretaries": self.secretaries, "deputies": self.deputies,
                "full_time": self.full_time, "education": self.education,
                "age_bands": self.age_bands, "gender": self.gender}


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
        return {"dataset": self.dataset, "as_of": self.as_of.isoformat(),
                "rows": [r.to_dict(lang) for r in self.rows]}

    def to_json(self, lang: str = "vi", *, exact: bool = False, **kw: Any) -> str:
        """JSON text: the contract's shape, or with *exact* the lossless form
        :meth:`from_json` reads back."""
        if exact:
            from .._output.convert import to_json  # noqa: PLC0415

            return to_json(self, **kw)
        return json.dumps(self.to_dict(lang), ensure_ascii=False, **kw)

    @classmethod
    def from_json(cls, text: str) -> Census:
        """Read back the lossless JSON of ``to_json(exact=True)``."""
        from .._output.convert import from_json  # noqa: PLC0415

        return from_json(text, cls)  # type: ignore[no-any-return]

    _HEAD: ClassVar[dict[str, list[str]]] = {
        "vi": ["cấp", "đơn vị", "cán bộ", "UV BCH", "UV BTV", "Bí thư", "Phó Bí thư",
               "chuyên trách", "trình độ"],
        "en": ["level", "units", "cadres", "committee", "standing", "secretaries", "deputies",
               "full-time", "education"]}

    def _rows(self, lang: str) -> list[list[Any]]:
        return [[GROUPS[r.group].get(lang), r.units, r.cadres, r.committee, r.standing,
                 r.secretaries, r.deputies, r.full_time,
                 "; ".join(f"{UNKNOWN.get(lang) if k == 'unknown' else k}: {v}"
                           for k, v in sorted(r.education.items()))]
                for r in self.rows]

    def to_table(self, lang: str = "vi") -> str:
        """A readable table."""
        head = ("Cadre census of " if lang == "en" else "Thống kê cán bộ Đoàn ") + \
            f"{self.dataset} — {self.as_of:%d/%m/%Y}"
        return head + "\n\n" + table(self._HEAD[lang], self._rows(lang),
                                     right=(1, 2, 3, 4, 5, 6, 7)) + "\n"

    def to_csv(self, lang: str = "vi") -> str:
        """CSV text."""
        return csv_text(self._HEAD[lang], self._rows(lang))

    def to_dataframe(self, lang: str = "vi") -> Any:
        """A pandas DataFrame of the table (needs the ``notebook`` extra)."""
        from .._output.notebook import dataframe  # noqa: PLC0415 - optional dependency

        return dataframe([dict(zip(self._HEAD[lang], r)) for r in self._rows(lang)])

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
    cadres: dict[str, set[str]] = {}
    committee: dict[str, set[str]] = {}
    standing: dict[str, set[str]] = {}
    secretaries: dict[str, set[str]] = {}
    deputies: dict[str, set[str]] = {}
    full_time: dict[str, set[str]] = {}
    units: dict[str, set[str]] = {}
    for p in ds.positions:
        if not p.covers(as_of):
            continue
        unit = ds.units.get(p.unit_id)
        version = unit.at(as_of) if unit else None
        if version is None:
            continue
        group = version.level.value
        if version.level is Level.UPPER_GRASSROOTS:
            group += ".territorial" if version.sector in _TERRITORIAL else ".attached"
        cadres.setdefault(group, set()).add(p.cadre_id)
        units.setdefault(group, set()).add(p.unit_id)
        if p.role in _COMMITTEE:
            committee.setdefault(group, set()).add(p.cadre_id)
        if p.role in _STANDING:
            standing.setdefault(group, set()).add(p.cadre_id)
        if p.role is Role.SECRETARY:
            secretaries.setdefault(group, set()).add(p.cadre_id)
        if p.role is Role.DEPUTY_SECRETARY:
            deputies.setdefault(group, set()).add(p.cadre_id)
        if p.full_time:
            full_time.setdefault(group, set()).add(p.cadre_id)
    rows = []
    for group in GROUPS:
        if group not in cadres:
            continue
        people = [ds.cadres[c] for c in cadres[group] if c in ds.cadres]
        edu = Counter(c.education or "unknown" for c in people)
        ages = Counter(_band(None if c.birth_date is None else
                             as_of.year - c.birth_date.year - ((as_of.month, as_of.day) <
                                                               (c.birth_date.month,
                                                                c.birth_date.day)))
                       for c in people)
        gender = Counter(c.gender or "unknown" for c in people)
        rows.append(CensusRow(
            group=group, units=len(units[group]), cadres=len(cadres[group]),
            committee=len(committee.get(group, ())), standing=len(standing.get(group, ())),
            secretaries=len(secretaries.get(group, ())), deputies=len(deputies.get(group, ())),
            full_time=len(full_time.get(group, ())), education=dict(edu), age_bands=dict(ages),
            gender=dict(gender)))
    return Census(dataset=ds.meta.name, as_of=as_of, rows=tuple(rows))
