"""The dated parameter tree (like OpenFisca's): every value has a start date and a source."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._i18n import Text

__all__ = ["EXTENDED", "NATIONAL", "ParamValue", "Parameters", "Scope", "extended_note", "shown"]


@attrs.frozen(kw_only=True)
class Scope:
    """
    Where a contributed value applies: a set of province unit ids (or province codes) and the
    dates, inclusive. ``provinces=None`` means everywhere.
    """

    provinces: frozenset[str] | None = None
    start: _dt.date | None = None
    end: _dt.date | None = None

    def covers_date(self, day: _dt.date) -> bool:
        """Whether *day* is inside the scope's dates."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def covers(self, province: str | None, day: _dt.date) -> bool:
        """Whether the scope covers a unit of *province* on *day*."""
        if not self.covers_date(day):
            return False
        return self.provinces is None or (province is not None and province in self.provinces)

    def overlaps(self, other: Scope) -> bool:
        """Whether some unit and day fall in both scopes."""
        lo = max(self.start or _dt.date.min, other.start or _dt.date.min)
        hi = min(self.end or _dt.date.max, other.end or _dt.date.max)
        if lo > hi:
            return False
        if self.provinces is None or other.provinces is None:
            return True
        return bool(self.provinces & other.provinces)


EVERYWHERE = Scope()


@attrs.frozen(kw_only=True)
class ParamValue:
    """One dated value of a parameter."""

    name: str
    start: _dt.date
    value: Any
    source: str
    #: who set it: ``national``, ``dataset`` or a plugin's name
    origin: str = "national"
    scope: Scope = EVERYWHERE
    note: str | None = None
    #: the last day the source document covers (``None``: no end given); used later, the value
    #: is "extended, no document" (kéo dài, chưa có văn bản) and says so (docs/parameters.md)
    until: _dt.date | None = None

    def extended_on(self, day: _dt.date) -> bool:
        """Whether *day* is past the end of this value's source (the value is extended)."""
        return self.until is not None and day > self.until

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used in provenance."""
        value = self.value
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, tuple):
            value = list(value)
        return {"name": self.name, "from": self.start.isoformat(), "value": value,
                "source": self.source, "origin": self.origin,
                "provinces": sorted(self.scope.provinces) if self.scope.provinces else None,
                "until": self.until.isoformat() if self.until else None}


#: how an extended value is shown (docs/parameters.md, "Validity")
EXTENDED = Text("kéo dài, chưa có văn bản", "extended, no document")


def extended_note(pv: ParamValue) -> Text:
    """``visits.min_days = 60 (Hướng dẫn 03…, đến 31/12/2022): kéo dài, chưa có văn bản``."""
    assert pv.until is not None  # noqa: S101 - only asked of an extended value
    return Text(f"{pv.name} = {_shown(pv.value)} theo {pv.source} (hiệu lực đến "
                f"{pv.until:%d/%m/%Y}): {EXTENDED.vi}",
                f"{pv.name} = {_shown(pv.value)} from {pv.source} (valid until "
                f"{pv.until.isoformat()}): {EXTENDED.en}")


def _shown(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def shown(value: Any) -> str:
    """A parameter value as a warning writes it (``[a, b]``, ``true``, ``60``)."""
    return _shown(value)


def _normal(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, list):
        return tuple(value)
    return value


class Parameters:
    """
    A dated parameter tree.

    ``params.get("visits.min_days", on=date(2019, 6, 1))`` gives the value in force that day;
    a value scoped to a province (set by a plugin) wins over the national one for units of that
    province. Every value looked up is recorded for the provenance of a report.
    """

    def __init__(self, values: Iterable[ParamValue] = ()) -> None:
        self._values: dict[str, list[ParamValue]] = defaultdict(list)
        self.used: dict[tuple[str, str, _dt.date], ParamValue] = {}
        #: the values looked up for a day past their source's end, with the latest such day
        self.extended: dict[tuple[str, str, _dt.date], tuple[ParamValue, _dt.date]] = {}
        for v in values:
            self.add(v)

    def add(self, value: ParamValue) -> None:
        """Add one dated value."""
        value = attrs.evolve(value, value=_normal(value.value))
        self._values[value.name].append(value)
        self._values[value.name].sort(key=lambda v: v.start)

    def names(self) -> list[str]:
        """Every parameter name, sorted."""
        return sorted(self._values)

    def history(self, name: str) -> list[ParamValue]:
        """Every value of *name*, oldest first."""
        return list(self._values.get(name, ()))

    def entry(self, name: str, on: _dt.date, province: str | None = None) -> ParamValue:
        """
        The value of *name* in force on *on* for a unit of *province*.

        Precedence: a value set by the dataset (or a what-if); then a plugin's value scoped to
        the province and date; then the national one. Within a kind, the latest start wins.

        Raises:
            KeyError: no value of *name* is in force on *on*.
        """
        best: ParamValue | None = None
        best_rank = -1
        for v in self._values.get(name, ()):
            if v.start > on or not v.scope.covers_date(on):
                continue
            if v.origin == "dataset":
                rank = 2
            elif v.scope.provinces is not None:
                if province is None or province not in v.scope.provinces:
                    continue
                rank = 1
            else:
                rank = 0
            later = best is not None and v.start >= best.start
            if rank > best_rank or (rank == best_rank and later):
                best, best_rank = v, rank
        if best is None:
            msg = f"no value of parameter {name!r} in force on {on.isoformat()}"
            raise KeyError(msg)
        key = (name, best.origin, best.start)
        self.used[key] = best
        if best.extended_on(on):
            seen = self.extended.get(key)
            if seen is None or seen[1] < on:
                self.extended[key] = (best, on)
        return best

    def get(self, name: str, on: _dt.date, province: str | None = None) -> Any:
        """The value of *name* in force on *on* for a unit of *province*."""
        return self.entry(name, on, province).value

    def copy(self) -> Parameters:
        """An independent copy (used values are not copied)."""
        return Parameters(v for vs in self._values.values() for v in vs)

    def with_overrides(self, overrides: Mapping[str, Any], on: _dt.date,
                       source: str = "what-if") -> Parameters:
        """A copy where each *overrides* name takes the given value from *on* (for what-if)."""
        out = self.copy()
        for name, value in overrides.items():
            out.add(ParamValue(name=name, start=on, value=value, source=source, origin="dataset"))
        return out


_HD03 = "Hướng dẫn 03-HD/TWĐTN-BTC ngày 21/3/2018 của Ban Bí thư Trung ương Đoàn"
_CHARTER = "Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XI, 2017), Điều 15"


def _p(name: str, start: str, value: Any, source: str, note: str | None = None,
       until: str | None = None) -> ParamValue:
    return ParamValue(name=name, start=_dt.date.fromisoformat(start), value=value, source=source,
                      note=note, until=_dt.date.fromisoformat(until) if until else None)


#: HD 03 covers 2018–2022 (its title: "giai đoạn 2018–2022"); no successor was found
_HD03_END = "2022-12-31"
_CHARTER_XI_ART1 = ("Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XI, 2017), Điều 1: đoàn viên quá 30 tuổi, "
                    "chi đoàn làm lễ trưởng thành Đoàn; có nguyện vọng thì chi đoàn xem xét, quyết "
                    "định cho tiếp tục sinh hoạt, nhưng không quá 35 tuổi; được bầu vào cơ quan "
                    "lãnh đạo các cấp của Đoàn hoặc làm công tác chuyên trách thì tiếp tục "
                    "hoạt động")

#: National defaults, each from DOMAIN.md with its source document and the dates it covers.
NATIONAL: tuple[ParamValue, ...] = (
    _p("visits.min_days", "2018-01-01", 60, _HD03,
       "1+2: mỗi cán bộ đi cơ sở ít nhất 2 tháng (60 ngày)/năm", until=_HD03_END),
    _p("visits.bound_roles", "2018-01-01",
       ("secretary", "deputy_secretary", "standing_member", "committee_member"), _HD03,
       "Ủy viên BCH chuyên trách Tỉnh đoàn (Quảng Trị KH 167-KH/TĐTN-XDĐ, 13/4/2020)",
       until=_HD03_END),
    _p("visits.require_order", "2018-01-01", False, _HD03,
       "nationally any recorded visit counts; Bà Rịa–Vũng Tàu requires a công lệnh",
       until=_HD03_END),
    # the exemptions (maternity, long study, long sick leave) are Bà Rịa – Vũng Tàu's plan's,
    # not the national guidance's: that plugin sets them (docs/decisions.md, "No data")
    _p("visits.exempt_reasons", "2018-01-01", (),
       "doanmodel default [M]: no national exemption found (the exemptions are provincial)",
       "absences.csv counts nationally only when a plugin or the dataset names exempt reasons"),
    _p("visits.exempt_whole_year", "2018-01-01", False,
       "doanmodel default [M]: an exempt absence lowers the quota pro rata",
       "Bà Rịa – Vũng Tàu exempts such a cadre entirely (its plugin sets this to true)"),
    _p("branches.meetings_per_month", "2017-12-13", 1, _CHARTER,
       "chi đoàn sinh hoạt mỗi tháng 1 lần"),
    _p("branches.min_members", "2017-12-13", 3, _CHARTER, "chi đoàn có ít nhất 3 đoàn viên"),
    _p("grassroots.min_branches", "2017-12-13", 2, _CHARTER, "đoàn cơ sở có ít nhất 2 chi đoàn"),
    _p("grassroots.min_members", "2017-12-13", 30, _CHARTER, "đoàn cơ sở có ít nhất 30 đoàn viên"),
    _p("members.min_admission_age", "1900-01-01", 15,
       "Điều lệ Đoàn trước 1/1/2011: đủ 15 tuổi", "start date not documented"),
    _p("members.min_admission_extra_days", "1900-01-01", 0,
       "Điều lệ Đoàn trước 1/1/2011: đủ 15 tuổi", "start date not documented"),
    _p("members.min_admission_age", "2011-01-01", 15,
       "BTV TW Đoàn, kỳ họp 12 khóa IX (28/9/2010); Hướng dẫn 22-HD/TWĐTN ngày 28/6/2013",
       "tuổi 16 = đủ 15 tuổi + 1 ngày"),
    _p("members.min_admission_extra_days", "2011-01-01", 1,
       "BTV TW Đoàn, kỳ họp 12 khóa IX (28/9/2010); Hướng dẫn 22-HD/TWĐTN ngày 28/6/2013",
       "tuổi 16 = đủ 15 tuổi + 1 ngày"),
    _p("members.max_age", "2011-01-01", 30,
       "BTV TW Đoàn, kỳ họp 12 khóa IX (28/9/2010): tuổi đoàn viên từ 16 đến 30"),
    _p("members.max_age_kept", "2017-12-13", 35, _CHARTER_XI_ART1,
       "past max_age a member may stay by the chi đoàn's decision up to this age; an elected or "
       "full-time Union cadre stays with no limit [P: the Charter text via a secondary page; "
       "khóa XII (2022) assumed unchanged, M]"),
    _p("targets.pace_tolerance", "2011-01-01", Decimal("1"),
       "doanmodel default (not documented): on track when achieved ≥ target × share of the year"),
    _p("quality.excellent_share", "2023-01-01", Decimal("0.9"),
       "doanmodel default [M]: thresholds of Hướng dẫn 25-HD/TWĐTN-BTC (2023) not retrieved"),
    _p("quality.good_share", "2023-01-01", Decimal("0.8"),
       "doanmodel default [M]: thresholds of Hướng dẫn 25-HD/TWĐTN-BTC (2023) not retrieved"),
    _p("quality.complete_share", "2023-01-01", Decimal("0.5"),
       "doanmodel default [M]: thresholds of Hướng dẫn 25-HD/TWĐTN-BTC (2023) not retrieved"),
    _p("quality.excellent_cap", "2023-01-01", Decimal("0.2"),
       "Quy định 124-QĐ/TW (2023) [M]: Hoàn thành xuất sắc ≤ 20% of those rated Hoàn thành tốt",
       "not confirmed inside HD 25-HD/TWĐTN-BTC; configurable"),
)

PARAM_TITLES: dict[str, Text] = {
    "visits.min_days": Text("Số ngày đi cơ sở tối thiểu/năm", "Minimum base-visit days a year"),
    "visits.bound_roles": Text("Chức danh phải thực hiện 1+2", "Roles bound by the 1+2 quota"),
    "visits.require_order": Text("Chỉ tính ngày có công lệnh",
                                 "Count only visits with a travel order"),
    "visits.exempt_reasons": Text("Lý do được miễn", "Exempt absence reasons"),
    "visits.exempt_whole_year": Text("Miễn cả năm khi có lý do được miễn",
                                     "An exempt absence exempts the whole year"),
    "members.max_age_kept": Text("Tuổi tối đa chi đoàn cho tiếp tục sinh hoạt",
                                 "Oldest age a branch may keep a member"),
    "branches.meetings_per_month": Text("Số lần sinh hoạt chi đoàn/tháng",
                                        "Branch meetings a month"),
    "branches.min_members": Text("Số đoàn viên tối thiểu của chi đoàn", "Minimum branch members"),
    "grassroots.min_branches": Text("Số chi đoàn tối thiểu của đoàn cơ sở",
                                    "Minimum branches of a grassroots union"),
    "grassroots.min_members": Text("Số đoàn viên tối thiểu của đoàn cơ sở",
                                   "Minimum members of a grassroots union"),
}
