"""Compact column tables for the two big files (members, meetings).

At national scale there are ~6.4M members and ~2M meetings a year; one Python object per row
would cost gigabytes. These tables keep ids in lists and dates as ``int`` ordinals in
``array('i')`` columns (0 = missing), and hand out :class:`Member`/:class:`Meeting` objects only
when a user iterates or indexes them.
"""

from __future__ import annotations

import datetime as _dt
import functools
import struct
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, overload

from ..exceptions import UnknownUnitError
from ..model._entities import Meeting, Member
from ..model._enums import MeetingKind

__all__ = ["MeetingTable", "MemberTable", "extend_column"]

T = TypeVar("T")
_KINDS = list(MeetingKind)
_KIND_CODE = {k: i for i, k in enumerate(_KINDS)}


def _d(ordinal: int) -> _dt.date | None:
    return _dt.date.fromordinal(ordinal) if ordinal else None


def _o(day: _dt.date | None) -> int:
    return day.toordinal() if day else 0


@functools.lru_cache(maxsize=64)
def _packer(typecode: str, n: int) -> Callable[..., bytes]:
    return struct.Struct(f"{n}{typecode}").pack


def extend_column(column: array[int], values: Sequence[int]) -> None:
    """``column.extend(values)`` in one C call (``array.extend`` converts item by item)."""
    column.frombytes(_packer(column.typecode, len(values))(*values))


class _RowTable(Sequence[T]):
    """The sequence protocol of a column table: rows are built on demand by ``row(i)``."""

    __slots__ = ()
    ids: list[str]

    def row(self, i: int) -> T:  # pragma: no cover - every table defines it
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self.row(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.row(i)

    def __iter__(self) -> Iterator[T]:
        return (self.row(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} rows={len(self)}>"


class MemberTable(_RowTable[Member]):
    """All members, column by column. Iterating yields :class:`Member` objects."""

    __slots__ = ("admitted", "birth", "branch", "branch_ids", "extra", "ids", "introduced",
                 "joined", "left", "left_reason")

    def __init__(self, branch_ids: list[str]) -> None:
        #: the unit ids that ``branch`` codes refer to
        self.branch_ids = branch_ids
        self.ids: list[str] = []
        self.branch = array("i")
        self.birth = array("i")
        self.joined = array("i")
        self.left = array("i")
        self.introduced = array("i")
        self.admitted = array("i")
        #: sparse: row → left reason
        self.left_reason: dict[int, str] = {}
        #: sparse: row → extra ``x_`` columns
        self.extra: dict[int, dict[str, str]] = {}

    @classmethod
    def from_members(cls, members: Iterable[Member], unit_index: dict[str, int],
                     unit_ids: list[str]) -> MemberTable:
        """Build a table from :class:`Member` objects."""
        table = cls(unit_ids)
        for m in members:
            if m.branch_id not in unit_index:
                raise UnknownUnitError(m.branch_id)
            table.append(m, unit_index[m.branch_id])
        return table

    def extend(self, ids: list[str], branch: list[int], birth: list[int], joined: list[int],
               left: list[int], introduced: list[int], admitted: list[int]) -> None:
        """Add rows given column by column (dates as day ordinals, 0 = missing)."""
        self.ids.extend(ids)
        for column, values in ((self.branch, branch), (self.birth, birth),
                               (self.joined, joined), (self.left, left),
                               (self.introduced, introduced), (self.admitted, admitted)):
            extend_column(column, values)

    def append(self, m: Member, branch_code: int) -> None:
        """Add one member whose branch has code *branch_code*."""
        row = len(self.ids)
        self.extend([m.id], [branch_code], [_o(m.birth_date)], [_o(m.joined_on)],
                    [_o(m.left_on)], [_o(m.party_introduced_on)], [_o(m.party_admitted_on)])
        if m.left_reason:
            self.left_reason[row] = m.left_reason
        if m.extra:
            self.extra[row] = dict(m.extra)

    def row(self, i: int) -> Member:
        """The member in row *i*."""
        return Member(
            id=self.ids[i],
            branch_id=self.branch_ids[self.branch[i]],
            birth_date=_d(self.birth[i]),
            joined_on=_dt.date.fromordinal(self.joined[i]),
            left_on=_d(self.left[i]),
            left_reason=self.left_reason.get(i),
            party_introduced_on=_d(self.introduced[i]),
            party_admitted_on=_d(self.admitted[i]),
            extra=dict(self.extra.get(i, {})),
        )



class MeetingTable(_RowTable[Meeting]):
    """All meetings, column by column. Iterating yields :class:`Meeting` objects."""

    __slots__ = ("attendees", "chair", "cluster", "date", "extra", "ids", "kind", "unit",
                 "unit_ids")

    def __init__(self, unit_ids: list[str]) -> None:
        self.unit_ids = unit_ids
        self.ids: list[str] = []
        self.unit = array("i")
        self.date = array("i")
        self.kind = array("b")
        self.chair: dict[int, str] = {}
        self.attendees: dict[int, tuple[str, ...]] = {}
        self.cluster: dict[int, str] = {}
        self.extra: dict[int, dict[str, str]] = {}

    @classmethod
    def from_meetings(cls, meetings: Iterable[Meeting], unit_index: dict[str, int],
                      unit_ids: list[str]) -> MeetingTable:
        """Build a table from :class:`Meeting` objects."""
        table = cls(unit_ids)
        for m in meetings:
            if m.unit_id not in unit_index:
                raise UnknownUnitError(m.unit_id)
            table.append(m, unit_index[m.unit_id])
        return table

    def append(self, m: Meeting, unit_code: int) -> None:
        """Add one meeting held by the unit with code *unit_code*."""
        row = len(self.ids)
        self.ids.append(m.id)
        self.unit.append(unit_code)
        self.date.append(m.date.toordinal())
        self.kind.append(_KIND_CODE[m.kind])
        if m.chair_id:
            self.chair[row] = m.chair_id
        if m.attendees:
            self.attendees[row] = tuple(m.attendees)
        if m.cluster_id:
            self.cluster[row] = m.cluster_id
        if m.extra:
            self.extra[row] = dict(m.extra)

    @staticmethod
    def kind_code(kind: MeetingKind) -> int:
        """The small integer that stands for *kind* in the ``kind`` column."""
        return _KIND_CODE[kind]

    def row(self, i: int) -> Meeting:
        """The meeting in row *i*."""
        return Meeting(
            id=self.ids[i],
            unit_id=self.unit_ids[self.unit[i]],
            date=_dt.date.fromordinal(self.date[i]),
            kind=_KINDS[self.kind[i]],
            chair_id=self.chair.get(i),
            attendees=self.attendees.get(i, ()),
            cluster_id=self.cluster.get(i),
            extra=dict(self.extra.get(i, {})),
        )

