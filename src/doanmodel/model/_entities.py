"""The typed entities of the Youth Union model (contract §1)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs

from ._dates import Period
from ._enums import AbsenceReason, Level, MeetingKind, Role, ScoreStage, Sector, VisitPurpose

__all__ = [
    "Absence",
    "Cadre",
    "Cluster",
    "Indicator",
    "Meeting",
    "Member",
    "Position",
    "Target",
    "Unit",
    "UnitVersion",
    "Visit",
    "used_indicators",
]

_extra: Any = attrs.field(factory=dict, hash=False, repr=False)


def _covers(start: _dt.date | None, end: _dt.date | None, day: _dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@attrs.frozen(kw_only=True)
class UnitVersion:
    """
    One dated version of a union unit (one row of ``units.csv``).

    ``valid_from``/``valid_to`` are inclusive; ``None`` means open-ended.
    """

    id: str
    name: str
    level: Level
    parent_id: str | None = None
    sector: Sector | None = None
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None
    successor_id: str | None = None
    #: a short code (e.g. the province code ``TV``) plugins may name instead of the id
    code: str | None = None
    extra: dict[str, str] = _extra

    def covers(self, day: _dt.date) -> bool:
        """Whether this version is in force on *day*."""
        return _covers(self.valid_from, self.valid_to, day)


@attrs.frozen(kw_only=True)
class Unit:
    """A union unit (tổ chức Đoàn) with its dated versions, oldest first."""

    id: str
    versions: tuple[UnitVersion, ...]

    def at(self, day: _dt.date) -> UnitVersion | None:
        """The version in force on *day*, or ``None``."""
        for v in self.versions:  # covers() inlined: asked millions of times at national scale
            start, end = v.valid_from, v.valid_to
            if (start is None or start <= day) and (end is None or day <= end):
                return v
        return None

    @property
    def latest(self) -> UnitVersion:
        """The newest version."""
        return self.versions[-1]

    @property
    def name(self) -> str:
        """The newest name."""
        return self.latest.name

    @property
    def level(self) -> Level:
        """The newest level."""
        return self.latest.level

    @property
    def valid_from(self) -> _dt.date | None:
        """First day of the first version (``None``: always existed)."""
        return self.versions[0].valid_from

    @property
    def valid_to(self) -> _dt.date | None:
        """Last day of the last version (``None``: still exists)."""
        return self.versions[-1].valid_to

    @property
    def successor_id(self) -> str | None:
        """The unit that carries on this unit's history after it ended."""
        return self.versions[-1].successor_id


@attrs.frozen(kw_only=True)
class Cadre:
    """A Youth Union cadre (cán bộ Đoàn)."""

    id: str
    name: str
    birth_date: _dt.date | None = None
    gender: str | None = None
    education: str | None = None
    extra: dict[str, str] = _extra


@attrs.frozen(kw_only=True)
class Position:
    """A cadre holding a role in a unit from *start* to *end* (inclusive; ``None``: still)."""

    cadre_id: str
    unit_id: str
    role: Role
    start: _dt.date
    full_time: bool = False
    end: _dt.date | None = None
    term: str | None = None
    extra: dict[str, str] = _extra

    def covers(self, day: _dt.date) -> bool:
        """Whether the position is held on *day*."""
        return _covers(self.start, self.end, day)


@attrs.frozen(kw_only=True)
class Absence:
    """An exempt absence of a cadre (maternity, long study, long sick leave)."""

    cadre_id: str
    start: _dt.date
    end: _dt.date
    reason: AbsenceReason
    extra: dict[str, str] = _extra


@attrs.frozen(kw_only=True)
class Visit:
    """A base visit (đi công tác cơ sở); *end* defaults to *start*."""

    id: str
    cadre_id: str
    unit_id: str
    start: _dt.date
    purpose: VisitPurpose
    end: _dt.date | None = None
    order_ref: str | None = None
    report_on: _dt.date | None = None
    extra: dict[str, str] = _extra

    @property
    def last_day(self) -> _dt.date:
        """The last day of the visit (*end*, or *start* for a one-day visit)."""
        return self.end or self.start


@attrs.frozen(kw_only=True)
class Meeting:
    """A meeting: sinh hoạt chi đoàn, giao ban cụm, hội nghị …"""

    id: str
    unit_id: str
    date: _dt.date
    kind: MeetingKind
    chair_id: str | None = None
    attendees: tuple[str, ...] = ()
    cluster_id: str | None = None
    extra: dict[str, str] = _extra


@attrs.frozen(kw_only=True)
class Member:
    """A union member (đoàn viên) of a branch."""

    id: str
    branch_id: str
    joined_on: _dt.date
    birth_date: _dt.date | None = None
    left_on: _dt.date | None = None
    left_reason: str | None = None
    party_introduced_on: _dt.date | None = None
    party_admitted_on: _dt.date | None = None
    extra: dict[str, str] = _extra

    def active_on(self, day: _dt.date) -> bool:
        """Whether the member belongs to the union on *day*."""
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@attrs.frozen(kw_only=True)
class Indicator:
    """A number a unit reported for a period (one row of ``indicators.csv``).

    *stage* says which score it is (the unit's own, the cluster lead's cross-check, the
    verified one); ``None`` (no ``stage`` column, or an empty cell) is the final value, as
    before stages were recorded (docs/decisions.md, "Stages of an emulation score").
    """

    unit_id: str
    period: Period
    indicator: str
    value: Decimal
    evidence: str | None = None
    stage: ScoreStage | None = None
    #: who gave this stage's value (the unit, the cluster lead, the appraising office)
    by: str | None = None
    #: when it was given
    on: _dt.date | None = None
    extra: dict[str, str] = _extra

    @property
    def stage_order(self) -> int:
        """The stage's place (``self`` 0 … ``verified`` 2); no stage is the final value, 2."""
        return 2 if self.stage is None else self.stage.order


@attrs.frozen(kw_only=True)
class Target:
    """A target (chỉ tiêu) set for a unit and period."""

    unit_id: str
    period: Period
    indicator: str
    value: Decimal
    source: str | None = None
    extra: dict[str, str] = _extra


@attrs.frozen(kw_only=True)
class Cluster:
    """An emulation cluster (cụm thi đua) for one year."""

    id: str
    name: str
    year: int
    members: tuple[str, ...]
    lead: str | None = None
    source: str | None = None


def used_indicators(rows: Any, stage: ScoreStage | None = None) -> dict[tuple[str, str, str],
                                                                       Indicator]:
    """
    (unit id, period, indicator) → the row a score uses: the latest stage present (a row with
    no stage is the final value). With *stage*, that stage's row where there is one (the
    self-score view), else the latest.
    """
    out: dict[tuple[str, str, str], Indicator] = {}
    for row in rows:
        key = (row.unit_id, str(row.period), row.indicator)
        had = out.get(key)
        if had is None or (row.stage_order > had.stage_order
                           and (stage is None or had.stage is not stage)) or (
                               stage is not None and row.stage is stage):
            out[key] = row
    return out
