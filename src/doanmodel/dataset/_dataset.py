"""The Dataset: every entity of one dataset directory, with the indexes users need."""

from __future__ import annotations

import bisect
import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..exceptions import DatasetError, UnknownUnitError
from ..model._entities import (
    Absence,
    Cadre,
    Cluster,
    Indicator,
    Meeting,
    Member,
    Position,
    Target,
    Unit,
    UnitVersion,
    Visit,
)
from ..model._enums import Level
from ._index import DatasetIndex
from ._intake import Manifest
from ._rollup import provinces as _provinces
from ._rollup import rollup as _rollup
from ._tables import MeetingTable, MemberTable

__all__ = ["OPTIONAL_TABLES", "Dataset", "DatasetMeta", "unwrap"]


def unwrap(ds: Any) -> Any:
    """The dataset behind a read-only view, or *ds* itself (doanmodel's own helpers, called by a
    plugin with its view, use the real dataset's indexes; the plugin itself never sees them).

    A view's class names its dataset with a ``_behind`` static method
    (:class:`doanmodel.engine._views.DatasetView`), so this layer needs no import of it.
    """
    behind = getattr(type(ds), "_behind", None)
    return ds if behind is None else behind(ds)

#: the optional tables a dataset may leave out (contract §1); an absent one is "not reported"
OPTIONAL_TABLES: tuple[str, ...] = ("cadres", "positions", "absences", "visits", "meetings",
                                    "members", "indicators", "targets", "clusters")

_MAX_ORD = _dt.date.max.toordinal()


@attrs.frozen(kw_only=True)
class DatasetMeta:
    """The contents of ``dataset.toml``."""

    name: str
    root: str
    year: int | None = None
    format: int = 1
    plugins: tuple[str, ...] = ()
    #: raw dated overrides: name → list of ``{"from", "value", "source"}``
    parameters: dict[str, list[dict[str, Any]]] = attrs.field(factory=dict, hash=False)
    description: str | None = None
    sources: tuple[str, ...] = ()
    #: tables the dataset says were not collected (``not_collected = ["visits", …]``): rules
    #: that need them give ``no_data`` (docs/dataset.md, "Absent tables")
    not_collected: tuple[str, ...] = ()
    #: tables holding values no source gave, made up to reproduce published totals
    #: (``reconstructed = ["visits"]``, or ``true`` for every table): each finding and board
    #: that rests on one says so
    reconstructed: tuple[str, ...] = ()


@attrs.define(eq=False, kw_only=True)
class Dataset:
    """
    One loaded dataset (contract §1).

    Entities are plain attrs objects, except members and meetings, which live in compact
    column tables that still iterate as :class:`Member` and :class:`Meeting` objects.
    Every structural question takes a date: the tree is the one in force on that date.
    """

    meta: DatasetMeta
    units: dict[str, Unit]
    cadres: dict[str, Cadre] = attrs.field(factory=dict)
    positions: tuple[Position, ...] = ()
    absences: tuple[Absence, ...] = ()
    visits: tuple[Visit, ...] = ()
    meetings: MeetingTable = attrs.field(default=None)
    members: MemberTable = attrs.field(default=None)
    indicators: tuple[Indicator, ...] = ()
    targets: tuple[Target, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    #: the raw ``criteria.toml`` table, if the dataset has one (parsed by the scoring engine)
    criteria: dict[str, Any] | None = None
    #: the text of ``criteria.toml``, so problems in it can name their lines
    criteria_text: str = attrs.field(default="", repr=False)
    #: where the dataset was loaded from, if anywhere
    path: str | None = None
    #: work programmes (``programmes.toml``): :class:`doanmodel.Programme`
    programmes: tuple[Any, ...] = ()
    #: per table, what it was read from (file, format, sheet, SHA-256, rows, absent);
    #: ``None`` for a dataset built in memory
    manifest: Manifest | None = None
    #: the optional tables (``OPTIONAL_TABLES``) the dataset did not report: no file (or sheet),
    #: or named in ``not_collected``; set by the loader. A table present with zero rows is
    #: "reported none" and is not here. Empty for a dataset built in memory.
    absent_tables: frozenset[str] = frozenset()
    #: what the loader noticed without refusing (a workbook sheet that looks renamed), as
    #: bilingual texts; the command line prints them as warnings
    load_warnings: tuple[Any, ...] = ()
    #: the emulation council's ballots (``ballots.csv``: :class:`doanmodel.Ballot`); ``None``
    #: when the dataset has none (docs/scoring.md, "Council ballots")
    ballots: tuple[Any, ...] | None = None

    unit_ids: list[str] = attrs.field(init=False)
    unit_index: dict[str, int] = attrs.field(init=False)
    #: the indexes derived from the tables, filled on first use (dataset/_index.py)
    _index: DatasetIndex = attrs.field(init=False, factory=DatasetIndex, repr=False,
                                       eq=False)

    def __attrs_post_init__(self) -> None:
        self.unit_ids = list(self.units)
        self.unit_index = {uid: i for i, uid in enumerate(self.unit_ids)}
        if self.meetings is None:
            self.meetings = MeetingTable(self.unit_ids)
        if self.members is None:
            self.members = MemberTable(self.unit_ids)
        # the tables must share our code → id list
        self.meetings.unit_ids = self.unit_ids
        self.members.branch_ids = self.unit_ids

    @classmethod
    def build(
        cls,
        meta: DatasetMeta,
        units: Iterable[Unit],
        *,
        cadres: Iterable[Cadre] = (),
        positions: Iterable[Position] = (),
        absences: Iterable[Absence] = (),
        visits: Iterable[Visit] = (),
        meetings: Iterable[Meeting] = (),
        members: Iterable[Member] = (),
        indicators: Iterable[Indicator] = (),
        targets: Iterable[Target] = (),
        clusters: Iterable[Cluster] = (),
        criteria: dict[str, Any] | None = None,
        programmes: Iterable[Any] = (),
        absent_tables: Iterable[str] = (),
        validate: bool = True,
    ) -> Dataset:
        """
        Build a dataset from entity objects, checked as the file loader checks files: an unknown
        parent, a ghost cadre, a visit to a missing unit … raise :class:`~doanmodel.DatasetError`
        with every problem (naming the file and line the row would have in
        :func:`~doanmodel.write_dataset`'s folder). ``validate=False`` skips the checks (for
        data known to be valid; :func:`doanmodel.dataset_problems` runs them later).

        *absent_tables* names the optional tables not reported ("not reported", as against
        a table given with no row: "reported none", the default for every table).
        """
        unit_map = {u.id: u for u in units}
        ids = list(unit_map)
        index = {uid: i for i, uid in enumerate(ids)}
        ds = cls(
            meta=meta,
            units=unit_map,
            cadres={c.id: c for c in cadres},
            positions=tuple(positions),
            absences=tuple(absences),
            visits=tuple(visits),
            meetings=MeetingTable.from_meetings(meetings, index, ids),
            members=MemberTable.from_members(members, index, ids),
            indicators=tuple(indicators),
            targets=tuple(targets),
            clusters=tuple(clusters),
            criteria=criteria,
            programmes=tuple(programmes),
            absent_tables=frozenset(absent_tables),
        )
        if validate:
            from ._inmemory import dataset_problems  # noqa: PLC0415 - writes and loads

            problems = dataset_problems(ds)
            if problems:
                raise DatasetError(problems)
        return ds

    def reported(self, table: str) -> bool:
        """Whether *table* (``"visits"``, ``"positions"``, …) was reported: present, even with
        zero rows ("reported none"), rather than absent or not collected."""
        return table not in self.absent_tables

    # ------------------------------------------------------------------ equality
    def _key(self) -> tuple[Any, ...]:
        return (self.meta, self.units, self.cadres, self.positions, self.absences, self.visits,
                self.meetings, self.members, self.indicators, self.targets, self.clusters,
                self.criteria, self.programmes)  # not ballots: a side table, like ratings.csv,
        # that a workbook does not carry yet (docs/decisions.md, "Council ballots")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._key() == other._key()

    def __repr__(self) -> str:
        return (f"<Dataset {self.meta.name!r} units={len(self.units)} cadres={len(self.cadres)} "
                f"visits={len(self.visits)} meetings={len(self.meetings)} "
                f"members={len(self.members)}>")

    # ------------------------------------------------------------------ units
    @property
    def root(self) -> str:
        """Id of the top unit the dataset covers."""
        return self.meta.root

    def unit(self, unit_id: str, on: _dt.date | None = None) -> UnitVersion:
        """
        The version of *unit_id* in force on *on* (the newest version if *on* is ``None``).

        Raises:
            UnknownUnitError: the unit is not in the dataset or did not exist on *on*.
        """
        try:
            unit = self.units[unit_id]
        except KeyError:
            raise UnknownUnitError(unit_id) from None
        if on is None:
            return unit.latest
        version = unit.at(on)
        if version is None:
            raise UnknownUnitError(f"{unit_id} on {on.isoformat()}")
        return version

    def last_day(self, unit_id: str, first: _dt.date, last: _dt.date) -> _dt.date | None:
        """The last day between *first* and *last* on which *unit_id* exists, or ``None``."""
        best = None
        for v in self.units[unit_id].versions:
            lo = max(v.valid_from or _dt.date.min, first)
            hi = min(v.valid_to or _dt.date.max, last)
            if lo <= hi and (best is None or hi > best):
                best = hi
        return best

    def units_on(self, on: _dt.date) -> Iterator[UnitVersion]:
        """Every unit version in force on *on*."""
        for unit in self.units.values():
            version = unit.at(on)
            if version is not None:
                yield version

    def parent(self, unit_id: str, on: _dt.date) -> str | None:
        """The id of *unit_id*'s parent on *on* (``None`` at the top)."""
        return self.unit(unit_id, on).parent_id

    def children(self, unit_id: str, on: _dt.date) -> list[str]:
        """Ids of the units directly under *unit_id* on *on*."""
        return [v.id for v in self._children_index().get(unit_id, ()) if v.covers(on)]

    def ancestors(self, unit_id: str, on: _dt.date) -> list[str]:
        """Ids of *unit_id*'s parent, grandparent … up to the top, as the tree stood on *on*."""
        out: list[str] = []
        parent = self.parent(unit_id, on)
        while parent is not None:
            out.append(parent)
            version = self.units[parent].at(on) if parent in self.units else None
            parent = version.parent_id if version else None
        return out

    def descendants(self, unit_id: str, on: _dt.date) -> list[str]:
        """Ids of every unit below *unit_id* on *on*, breadth first."""
        index = self._children_index()
        out: list[str] = []
        frontier = [unit_id]
        while frontier:
            nxt: list[str] = []
            for uid in frontier:
                for v in index.get(uid, ()):
                    if v.covers(on):
                        nxt.append(v.id)
            out.extend(nxt)
            frontier = nxt
        return out

    def province_of(self, unit_id: str, on: _dt.date) -> str | None:
        """The province-level unit *unit_id* belongs to on *on* (itself if a province).

        Memoised per unit and structural epoch: rules ask it for every subject.
        """
        code = self.unit_index.get(unit_id)
        if code is None:
            raise UnknownUnitError(unit_id)
        ordinal = on.toordinal()
        points = self._change_points()
        key = (code, bisect.bisect_right(points, ordinal))
        memo = self._index.province_of
        if key in memo:
            return memo[key]
        misses = self._index.province_misses
        misses[key[1]] = n = misses.get(key[1], 0) + 1
        if n == max(64, len(self.unit_ids) // 16):  # asked of many units: all at once
            memo.update(_provinces(self, key[1]))
            if key in memo:
                return memo[key]
        chains = self._index.chains
        if self.units[unit_id].at(on) is None:
            memo[key] = None
            return None
        chain = chains.get(key)
        if chain is None:
            chain = chains[key] = self._chain(code, ordinal, chains, key[1], points)
        found = None
        ids = self.unit_ids
        for c in chain:
            version = self.units[ids[c]].at(on)
            if version is not None and version.level is Level.PROVINCE:
                found = ids[c]
                break
        memo[key] = found
        return found

    def _children_index(self) -> dict[str, list[UnitVersion]]:
        index = self._index.children
        if index is None:
            index = defaultdict(list)
            for unit in self.units.values():
                for version in unit.versions:
                    if version.parent_id is not None:
                        index[version.parent_id].append(version)
            self._index.children = index = dict(index)
        return index

    # ------------------------------------------------------------------ cadres
    def positions_of(self, cadre_id: str, on: _dt.date | None = None) -> list[Position]:
        """The positions *cadre_id* holds on *on* (all of them if *on* is ``None``)."""
        found = self._group("positions_by_cadre", self.positions, "cadre_id").get(cadre_id, ())
        return [p for p in found if on is None or p.covers(on)]

    def positions_in(self, unit_id: str, on: _dt.date | None = None) -> list[Position]:
        """The positions held in *unit_id* on *on* (all of them if *on* is ``None``)."""
        found = self._group("positions_by_unit", self.positions, "unit_id").get(unit_id, ())
        return [p for p in found if on is None or p.covers(on)]

    def visits_by_cadre(self, cadre_id: str) -> tuple[Visit, ...]:
        """All visits made by *cadre_id*, in file order (a tuple: the index is shared)."""
        return self._group("visits_by_cadre", self.visits, "cadre_id").get(cadre_id, ())

    def visits_by_unit(self, unit_id: str) -> tuple[Visit, ...]:
        """All visits to *unit_id*, in file order (a tuple: the index is shared)."""
        return self._group("visits_by_unit", self.visits, "unit_id").get(unit_id, ())

    def absences_of(self, cadre_id: str) -> tuple[Absence, ...]:
        """All exempt absences of *cadre_id* (a tuple: the index is shared)."""
        return self._group("absences_by_cadre", self.absences, "cadre_id").get(cadre_id, ())

    def _group(self, key: str, items: Iterable[Any], attr: str) -> dict[str, tuple[Any, ...]]:
        index: dict[str, tuple[Any, ...]] | None = getattr(self._index, key)
        if index is None:
            lists: defaultdict[str, list[Any]] = defaultdict(list)
            for item in items:
                lists[getattr(item, attr)].append(item)
            # tuples: the index is shared by every caller (and plugin) for the dataset's life
            index = {k: tuple(v) for k, v in lists.items()}
            setattr(self._index, key, index)
        return index

    # ------------------------------------------------------------------ meetings, members
    def meetings_by_unit_month(self, unit_id: str, year: int, month: int) -> list[Meeting]:
        """The meetings *unit_id* held in *month* of *year*."""
        index = self._index.meetings_by_unit_month
        if index is None:
            index = defaultdict(list)
            table = self.meetings
            for row, (code, ordinal) in enumerate(zip(table.unit, table.date)):
                day = _dt.date.fromordinal(ordinal)
                index[(code, day.year, day.month)].append(row)
            self._index.meetings_by_unit_month = index = dict(index)
        found = self.unit_index.get(unit_id)
        if found is None:
            return []
        return [self.meetings.row(r) for r in index.get((found, year, month), ())]

    def members_by_branch(self, branch_id: str) -> list[Member]:
        """All members (past and present) of *branch_id*."""
        index = self._index.members_by_branch
        if index is None:
            index = defaultdict(list)
            for row, code in enumerate(self.members.branch):
                index[code].append(row)
            self._index.members_by_branch = index = dict(index)
        found = self.unit_index.get(branch_id)
        if found is None:
            return []
        return [self.members.row(r) for r in index.get(found, ())]

    def members_of(self, unit_id: str, on: _dt.date) -> list[Member]:
        """The members active on *on* in *unit_id*'s branches, as the tree stood on *on*."""
        units = [unit_id, *self.descendants(unit_id, on)]
        return [m for uid in units for m in self.members_by_branch(uid) if m.active_on(on)]

    def cadres_of(self, unit_id: str, on: _dt.date) -> list[Cadre]:
        """The cadres holding a position in *unit_id* on *on*, each once, by id."""
        ids = sorted({p.cadre_id for p in self.positions_in(unit_id, on)})
        return [self.cadres[c] for c in ids if c in self.cadres]

    def clusters_of_year(self, year: int) -> list[Cluster]:
        """The emulation clusters of *year*."""
        return [c for c in self.clusters if c.year == year]

    # ------------------------------------------------------------------ roll-up
    def rollup(self, amounts: Mapping[tuple[int, int], float | int | Decimal]) -> dict[str, Any]:
        """
        Add amounts attached to (unit code, day ordinal) to that unit and each of its ancestors
        as the tree stood on that day.

        Returns unit id → total. Linear in the number of keys: amounts are first added up per
        unit and structural epoch (the stretches of time between version changes), then each
        epoch is added up its tree once (see :mod:`doanmodel.dataset._rollup`).
        """
        return _rollup(self, amounts)

    def one_tree(self, first: _dt.date, last: _dt.date) -> bool:
        """Whether no unit changes version between *first* and *last*."""
        a, b = first.toordinal(), last.toordinal()
        return not any(a < c <= b for c in self._change_points())

    def _chain(self, code: int, ordinal: int, chains: dict[tuple[int, int], tuple[int, ...]],
               epoch: int, points: list[int]) -> tuple[int, ...]:
        unit = self.units[self.unit_ids[code]]
        day = _dt.date.fromordinal(ordinal)
        version = unit.at(day)
        if version is None or version.parent_id is None or version.parent_id not in self.unit_index:
            return (code,)
        parent = self.unit_index[version.parent_id]
        above = chains.get((parent, epoch))
        if above is None:
            above = chains[(parent, epoch)] = self._chain(parent, ordinal, chains, epoch, points)
        return (code, *above)

    def _change_points(self) -> list[int]:
        points = self._index.change_points
        if points is None:
            found: set[int] = set()
            for unit in self.units.values():
                if len(unit.versions) == 1 and unit.versions[0].valid_from is None \
                        and unit.versions[0].valid_to is None:
                    continue
                for v in unit.versions:
                    if v.valid_from is not None:
                        found.add(v.valid_from.toordinal())
                    if v.valid_to is not None and v.valid_to.toordinal() < _MAX_ORD:
                        found.add(v.valid_to.toordinal() + 1)
            self._index.change_points = points = sorted(found)
        return points
