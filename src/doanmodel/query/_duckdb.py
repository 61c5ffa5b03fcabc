"""
The DuckDB backend of the query layer (``Engine(backend="duckdb")``, ``--engine duckdb``).

The two big tables, members and meetings, stay in DuckDB (an in-memory database read straight
from the dataset's CSV or Parquet files, or a ``.duckdb`` store written by ``doanmodel import``);
every question about them is answered by one aggregate query. The small tables (units, cadres,
positions, visits …) stay in the :class:`~doanmodel.Dataset`, and the questions about them are
the pure-Python backend's, so both backends share one definition of the dated tree: SQL counts
rows per (unit, structural epoch) and :meth:`Dataset.rollup` adds them up the tree as it stood
in that epoch. The answers are identical to :class:`~doanmodel.query._pyquery.PythonQuery`'s (a
Hypothesis test asserts it).

Nothing here is imported by ``import doanmodel``; DuckDB itself is imported only when a DuckDB
backend is built.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..exceptions import DoanmodelError, bilingual
from ..model._dates import add_years
from ..model._enums import Level, MeetingKind
from . import AgeProblem, BranchMonths, MemberEvent
from ._pyquery import PythonQuery, _age

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset
    from . import Query
    from ._source import Source

__all__ = ["AUTO_MEMBERS", "DuckDBQuery", "DuckTables", "backend_for", "require_duckdb"]

#: ``--engine auto`` uses DuckDB (when installed) from this many members up: below it, the
#: pure-Python backend is faster (DuckDB's own start and the copy into it dominate).
AUTO_MEMBERS = 200_000

_EVENT_COLUMN = {"joined": "joined_on", "introduced": "party_introduced_on",
                 "admitted": "party_admitted_on", "left": "left_on"}
_BRANCH = Level.BRANCH

#: the columns every members / meetings table has, whatever it was built from; the order of
#: the rows (``rowid``) is the order of the file
MEMBER_COLUMNS = ("id", "branch_id", "birth_date", "joined_on", "left_on",
                  "party_introduced_on", "party_admitted_on")
MEETING_COLUMNS = ("id", "unit_id", "date", "kind")


def require_duckdb() -> Any:
    """The duckdb module, or a clear error saying how to install it."""
    try:
        import duckdb  # noqa: PLC0415 - optional, imported only when used
    except ImportError:
        raise bilingual("bộ máy DuckDB cần gói duckdb: pip install 'doanmodel[scale]'",
                        "the DuckDB engine needs duckdb: pip install 'doanmodel[scale]'") from None
    return duckdb


def duckdb_available() -> bool:
    """Whether duckdb can be imported (without importing it)."""
    import importlib.util  # noqa: PLC0415

    return importlib.util.find_spec("duckdb") is not None


class DuckTables:
    """A DuckDB connection and the names of the members and meetings relations in it."""

    def __init__(self, con: Any, members: str = "members", meetings: str = "meetings",
                 n_members: int | None = None) -> None:
        self.con = con
        self.members = members
        self.meetings = meetings
        self._n_members = n_members
        self._kinds: set[str] | None = None
        #: answers that depend on nothing but the data (kept across periods and engines)
        self.memo: dict[Any, Any] = {}

    @property
    def n_members(self) -> int:
        """How many members the relation holds."""
        if self._n_members is None:
            self._n_members = int(self.one(f"SELECT count(*) FROM {self.members}")[0])
        return self._n_members

    def has_meetings(self, kind: MeetingKind | None) -> bool:
        """Whether the meetings relation holds any meeting (of *kind*)."""
        if self._kinds is None:
            self._kinds = {k for (k,) in self.rows(f"SELECT DISTINCT kind FROM {self.meetings}")}
        return bool(self._kinds) if kind is None else kind.value in self._kinds

    def cached(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """:meth:`rows`, run once per process for the same query (the data never changes)."""
        key = (sql, tuple(params))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = tuple(self.rows(sql, params))
        return found  # type: ignore[return-value]

    def rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """Run *sql* and fetch every row."""
        return self.con.execute(sql, params).fetchall()  # type: ignore[no-any-return]

    def one(self, sql: str, params: Any = ()) -> tuple[Any, ...]:
        """Run *sql* and fetch its one row."""
        return self.con.execute(sql, params).fetchone()  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_dataset(cls, ds: Dataset) -> DuckTables:
        """An in-memory database holding a copy of *ds*'s members and meetings."""
        from ._ducksql import load_tables  # noqa: PLC0415

        con = scratch()
        load_tables(con, ds)
        return cls(con, n_members=len(ds.members))


#: DuckDB's memory limit for the work database (it spills to its temporary file beyond it)
MEMORY_LIMIT = os.environ.get("DOANMODEL_DUCKDB_MEMORY", "256MB")


def scratch() -> Any:
    """
    A connection to a fresh DuckDB database in a temporary file, removed at exit.

    A file (not ``:memory:``) so that DuckDB compresses the tables and keeps within
    :data:`MEMORY_LIMIT`, evicting to disk: national members take ~100 MB compressed.
    """
    import atexit  # noqa: PLC0415
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    folder = tempfile.mkdtemp(prefix="doanmodel-duckdb-")
    con = require_duckdb().connect(os.path.join(folder, "work.duckdb"),
                                   config={"memory_limit": MEMORY_LIMIT,
                                           "temp_directory": folder})

    def clean() -> None:
        try:
            con.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(clean)
    return con


def tables_of(ds: Dataset) -> DuckTables:
    """The DuckDB tables of *ds*: those it was opened with, else a copy of its own."""
    tables: DuckTables | None = ds._index.duckdb  # noqa: SLF001 - the dataset's own index
    if tables is None:
        tables = ds._index.duckdb = DuckTables.from_dataset(ds)  # noqa: SLF001
    return tables


def attach(ds: Dataset, tables: DuckTables) -> None:
    """Make *tables* the DuckDB home of *ds*'s members and meetings."""
    ds._index.duckdb = tables  # noqa: SLF001


def is_attached(ds: Dataset) -> bool:
    """Whether *ds*'s members and meetings live in DuckDB (opened from a store or by SQL)."""
    return ds._index.duckdb is not None  # noqa: SLF001


def backend_for(ds: Dataset, name: str | None) -> Callable[[Source], Query] | None:
    """
    The query backend *name* (``python``, ``duckdb`` or ``auto``; ``None``: DuckDB when the
    dataset's members live in DuckDB, else Python) for *ds*, as ``Context.backend`` wants it
    (``None``: the pure-Python default). ``python`` on a dataset opened from DuckDB copies its
    members and meetings into Python first.

    ``auto`` picks DuckDB when the dataset's members already live in DuckDB, or when duckdb is
    installed and the dataset has at least :data:`AUTO_MEMBERS` members.
    """
    if name is None:  # the default: Python, unless the data already lives in DuckDB
        name = "duckdb" if is_attached(ds) else "python"
    if name == "python":
        if is_attached(ds) and not len(ds.members):
            from ._store import materialise  # noqa: PLC0415

            materialise(ds)
        return None
    if name == "auto":
        big = len(ds.members) >= AUTO_MEMBERS
        if not is_attached(ds) and not (big and duckdb_available()):
            return None
    elif name != "duckdb":
        msg = f"unknown engine {name!r} (python, duckdb or auto)"
        raise DoanmodelError(msg)
    require_duckdb()
    tables = tables_of(ds)
    return lambda ctx: DuckDBQuery(ctx, tables)


def _epoch_sql(column: str, points: list[int]) -> str:
    """SQL: the structural epoch of the date in *column* (how many change points ≤ it)."""
    if not points:
        return "NULL::INTEGER"
    parts = [f"CAST({column} >= DATE '{_dt.date.fromordinal(p).isoformat()}' AS INTEGER)"
             for p in points]
    return "(" + " + ".join(parts) + ")"


class DuckDBQuery(PythonQuery):
    """
    The query layer with members and meetings in DuckDB.

    Tree, cadre and visit questions are :class:`PythonQuery`'s (those tables are small);
    member and meeting questions are aggregate SQL queries whose per-(unit, epoch) counts are
    rolled up the dated tree by :meth:`Dataset.rollup`.
    """

    def __init__(self, ctx: Source, tables: DuckTables) -> None:
        super().__init__(ctx)
        self._t = tables

    # ------------------------------------------------------------------ helpers
    def _epoch(self, column: str) -> str:
        return _epoch_sql(column, self._ds._change_points())  # noqa: SLF001

    def _finish(self, rows: list[tuple[Any, ...]], rollup: bool) -> dict[str, Any]:
        """(unit id, a day, count) rows, one per unit and epoch → totals, rolled up or not."""
        index = self._ds.unit_index
        if rollup:
            amounts = {(index[u], day.toordinal()): n for u, day, n in rows}
            return self._ds.rollup(amounts)
        out: dict[str, int] = defaultdict(int)
        for u, _, n in rows:
            out[u] += n
        return dict(out)

    # ------------------------------------------------------------------ meetings
    def has_meetings(self, kind: MeetingKind | None = None) -> bool:
        """Whether the dataset holds any meeting (of *kind*)."""
        return self._t.has_meetings(kind)

    def meeting_counts(self, kind: MeetingKind | None = None, *,
                       rollup: bool = True) -> dict[str, int]:
        """unit id → meetings (of *kind*) held in the period."""
        params: list[Any] = [self.period.start, self.period.end]
        where = "date BETWEEN ? AND ?"
        if kind is not None:
            where += " AND kind = ?"
            params.append(kind.value)
        rows = self._t.cached(
            f"SELECT unit_id, min(date), count(*) FROM {self._t.meetings} WHERE {where} "
            f"GROUP BY unit_id, {self._epoch('date')} ORDER BY min(rowid)", params)
        return self._finish(rows, rollup)

    def branch_months(self) -> Mapping[str, BranchMonths]:
        """branch id → active months and months with a meeting in the year."""
        found = self._memo.get("branch_months")
        if found is not None:
            return found  # type: ignore[no-any-return]
        year = self.period.year
        y1 = _dt.date(year, 12, 31)
        need = self._ctx.param("branches.meetings_per_month", y1)
        key = ("branch_months", str(self.period), need)
        found = self._t.memo.get(key)
        if found is None:
            # read-only: the answer is shared by every run on these tables (issue 23)
            found = self._t.memo[key] = MappingProxyType(self._branch_months(year, need))
        self._memo["branch_months"] = found
        return found

    def _branch_months(self, year: int, need: int) -> dict[str, BranchMonths]:
        # the months with enough meetings, as a bit mask per branch (bit 0: January)
        met: dict[str, int] = dict(self._t.rows(
            f"SELECT unit_id, bit_or(1 << (m - 1)) FROM (SELECT unit_id, month(date) AS m "
            f"FROM {self._t.meetings} WHERE kind = ? AND date BETWEEN ? AND ? GROUP BY ALL "
            "HAVING count(*) >= ?) GROUP BY unit_id",
            [MeetingKind.BRANCH_MEETING.value, _dt.date(year, 1, 1), _dt.date(year, 12, 31),
             need]))
        months_of: dict[int, tuple[int, ...]] = {}
        days_of: dict[tuple[int, ...], tuple[_dt.date, ...]] = {}
        found = {}
        active = _active_months(self._ds, year)
        full = _full_year(year)
        for uid, (mask, first) in active.items():
            months = months_of.get(mask)
            if months is None:
                months = months_of[mask] = tuple(m for m in range(1, 13) if mask >> (m - 1) & 1)
            has = met.get(uid, 0) & mask
            met_months = months_of.get(has)
            if met_months is None:
                met_months = months_of[has] = tuple(m for m in range(1, 13) if has >> (m - 1) & 1)
            days = days_of.get(first)
            if days is None:
                days = days_of[first] = tuple(_dt.date.fromordinal(first[m - 1]) for m in months)
            # a branch all year (the common case) exists on the period's last day
            last = self.period.end if first is full[1] else \
                self.last_day(uid) or _dt.date.fromordinal(max(first))
            found[uid] = BranchMonths(branch_id=uid, active=months, met=met_months,
                                      last_day=last, first_days=days)
        return found

    # ------------------------------------------------------------------ members
    def has_members(self) -> bool:
        """Whether the dataset holds any member."""
        return self._t.n_members > 0

    def _active_counts(self, day: _dt.date) -> list[tuple[str, int]]:
        key = ("active", day)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._t.cached(
                f"SELECT branch_id, count(*) FROM {self._t.members} WHERE joined_on <= ? AND "
                "(left_on IS NULL OR left_on > ?) GROUP BY branch_id ORDER BY min(rowid)",
                [day, day])
        return found

    def active_members(self, on: _dt.date | None = None, *,
                       rollup: bool = False) -> Mapping[str, int]:
        """branch id → members active on *on* (default: period end), or rolled up (read-only,
        as every shared answer)."""
        day = on or self.period.end
        key = ("active_members", day, rollup)
        found = self._memo.get(key)
        if found is not None:  # rules ask it once per unit: answer from the memo
            return found  # type: ignore[no-any-return]
        counts = self._active_counts(day)
        if not rollup:
            found = {uid: n for uid, n in counts if n}
        else:
            index = self._ds.unit_index
            amounts = {}
            for uid, n in counts:
                last = self.last_day(uid) or day
                amounts[(index[uid], min(last, day).toordinal())] = n
            found = self._ds.rollup(amounts)
        found = self._memo[key] = MappingProxyType(found)
        return found

    def _member_events(self, event: MemberEvent, rollup: bool) -> dict[str, int]:
        col = _EVENT_COLUMN[event]
        rows = self._t.cached(
            f"SELECT branch_id, min({col}), count(*) FROM {self._t.members} "
            f"WHERE {col} BETWEEN ? AND ? GROUP BY branch_id, {self._epoch(col)} "
            "ORDER BY min(rowid)", [self.period.start, self.period.end])
        return self._finish(rows, rollup)

    def age_problems(self) -> tuple[int, list[AgeProblem]]:
        """(admissions checked, problems) for the period; see :class:`AgeProblem`."""
        found = self._memo.get("age_problems")
        if found is None:
            found = self._memo["age_problems"] = _age_problems(self._ctx, self._t)
        return found


# ---------------------------------------------------------------------------- helpers
_FULL: dict[int, tuple[int, tuple[int, ...]]] = {}


def _full_year(year: int) -> tuple[int, tuple[int, ...]]:
    """The (mask, first days) of a branch all year: one shared object per year."""
    found = _FULL.get(year)
    if found is None:
        found = _FULL[year] = (0xFFF, tuple(_dt.date(year, m, 1).toordinal()
                                            for m in range(1, 13)))
    return found


def _active_months(ds: Dataset, year: int) -> dict[str, tuple[int, tuple[int, ...]]]:
    """unit id → (active month mask, first active day of each month) for units that are a
    branch on some day of *year* (as :func:`doanmodel.query._branches.branch_months`)."""
    y0, y1 = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    full = _full_year(year)
    out: dict[str, tuple[int, tuple[int, ...]]] = {}
    for uid, unit in ds.units.items():
        versions = unit.versions
        if len(versions) == 1 and versions[0].level is _BRANCH and \
                (versions[0].valid_from is None or versions[0].valid_from <= y0) and \
                (versions[0].valid_to is None or versions[0].valid_to >= y1):
            out[uid] = full
            continue
        mask, days = 0, [0] * 12
        for v in versions:
            lo, hi = max(v.valid_from or y0, y0), min(v.valid_to or y1, y1)
            if v.level is not _BRANCH or lo > hi:
                continue
            for m in range(lo.month, hi.month + 1):
                mask |= 1 << (m - 1)
                if not days[m - 1]:
                    days[m - 1] = (lo if m == lo.month else _dt.date(year, m, 1)).toordinal()
        if mask:
            out[uid] = (mask, tuple(days))
    return out


def _limits(ctx: Source, days: list[_dt.date]
            ) -> list[tuple[_dt.date, _dt.date, _dt.date, int, int, int]]:
    """For each of *days*: (day, youngest birth, oldest birth, min age, extra days, max age)
    of the admission ages in force that day."""
    out = []
    for day in days:
        lo_age = int(ctx.param("members.min_admission_age", day))
        extra = int(ctx.param("members.min_admission_extra_days", day))
        hi_age = int(ctx.param("members.max_age", day))
        youngest = add_years(day - _dt.timedelta(days=extra), -lo_age)
        oldest = add_years(day, -(hi_age + 1))
        out.append((day, youngest, oldest, lo_age, extra, hi_age))
    return out


def _age_problems(ctx: Source, t: DuckTables) -> tuple[int, list[AgeProblem]]:
    """As the pure-Python backend: candidates by SQL with a two-day slack, then the exact
    calendar check (29 February included) in Python."""
    start, end = ctx.period.start, ctx.period.end
    max_age = int(ctx.param("members.max_age", end))
    days = t.rows(f"SELECT joined_on, count(*) FROM {t.members} WHERE joined_on BETWEEN ? AND ? "
                  "AND birth_date IS NOT NULL GROUP BY ALL ORDER BY min(rowid)", [start, end])
    checked = sum(n for _, n in days)
    limits = _limits(ctx, [d for d, _ in days])
    by_day = {lim[0]: lim for lim in limits}
    values = ", ".join(f"(DATE '{d.isoformat()}', DATE '{y.isoformat()}', DATE '{o.isoformat()}')"
                       for d, y, o, *_ in limits)
    rows = t.rows(
        f"SELECT m.rowid, m.id, m.branch_id, m.birth_date, m.joined_on FROM {t.members} m "
        f"JOIN (VALUES {values}) AS lim(day, youngest, oldest) ON m.joined_on = lim.day "
        "WHERE m.birth_date IS NOT NULL AND (m.birth_date >= lim.youngest - 2 "
        "OR m.birth_date <= lim.oldest + 2)") if limits else []
    found: list[tuple[int, str, AgeProblem]] = []
    for row, mid, bid, born, day in rows:
        _, _, _, lo_age, extra, hi_age = by_day[day]
        earliest = add_years(born, lo_age) + _dt.timedelta(days=extra)
        if day < earliest or day >= add_years(born, hi_age + 1):
            found.append((row, "admission", AgeProblem(
                member_id=mid, branch_id=bid, check="admission", age=_age(born, day), on=day,
                limit=lo_age, extra_days=extra)))
    flagged = {row for row, _, _ in found}
    cutoff = add_years(end, -(max_age + 1)) + _dt.timedelta(days=2)
    for row, mid, bid, born in t.rows(
            f"SELECT rowid, id, branch_id, birth_date FROM {t.members} WHERE joined_on <= ? AND "
            "(left_on IS NULL OR left_on > ?) AND birth_date IS NOT NULL AND birth_date <= ?",
            [end, end, cutoff]):
        if row not in flagged and end >= add_years(born, max_age + 1):
            found.append((row, "over", AgeProblem(
                member_id=mid, branch_id=bid, check="over", age=_age(born, end), on=end,
                limit=max_age)))
    found.sort(key=lambda f: (f[0], f[1]))
    return checked, [p for _, _, p in found]
