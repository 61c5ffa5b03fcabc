"""
The indexes a :class:`~doanmodel.Dataset` derives from its own tables, in one object it owns.

Each field is filled the first time something asks for it and kept for the dataset's life: a
dataset's tables do not change after it is built (``Dataset.build`` makes a new one), so an index
never goes stale. Every field says what it holds and who fills it; a new index is a new field
here, never a string key in a shared dict (issue 21). The values handed to callers are tuples or
copies: a plugin cannot change an index through an answer (issue 23).
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["DatasetIndex"]


@attrs.define(eq=False, repr=False)
class DatasetIndex:
    """The derived indexes of one dataset (see the module doc); all empty until first asked."""

    # the tree (Dataset.province, Dataset.children, dataset/_rollup.py)
    #: day ordinals where some unit changes version, sorted: the structural epochs' bounds
    change_points: list[int] | None = None
    #: (unit code, epoch) → the province unit id, or None
    province_of: dict[tuple[int, int], str | None] = attrs.field(factory=dict)
    #: epoch → how many units' provinces were asked one at a time (past a share: all at once)
    province_misses: dict[int, int] = attrs.field(factory=dict)
    #: (unit code, epoch) → the codes from the unit up to its root
    chains: dict[tuple[int, int], tuple[int, ...]] = attrs.field(factory=dict)
    #: epoch → (child code, parent code), deepest child first
    edges: dict[int, list[tuple[int, int]]] = attrs.field(factory=dict)
    #: parent id → its child versions (every version, every date)
    children: dict[str, list[Any]] | None = None

    # rows grouped by a column (Dataset.positions_of, visits_by_cadre, …): id → rows, file order
    positions_by_cadre: dict[str, tuple[Any, ...]] | None = None
    positions_by_unit: dict[str, tuple[Any, ...]] | None = None
    visits_by_cadre: dict[str, tuple[Any, ...]] | None = None
    visits_by_unit: dict[str, tuple[Any, ...]] | None = None
    absences_by_cadre: dict[str, tuple[Any, ...]] | None = None
    #: (unit code, year, month) → meeting row numbers
    meetings_by_unit_month: dict[tuple[int, int, int], list[int]] | None = None
    #: branch code → member row numbers
    members_by_branch: dict[int, list[int]] | None = None

    # programmes (dataset/_programmes.py)
    visits_by_id: dict[str, Any] | None = None
    meetings_by_id: dict[str, Any] | None = None
    #: ids of the visits some programme lists
    programme_visit_ids: frozenset[str] | None = None

    # the query layer
    #: answers that depend on the data and their key only (query/_pyquery.py, _branches.py):
    #: a check and a score in one process ask the same; callers get copies
    answers: dict[Any, Any] = attrs.field(factory=dict)
    #: the DuckDB tables holding this dataset's members and meetings (query/_duckdb.py), set
    #: when it was opened from a store or loaded by SQL, or made on first use
    duckdb: Any = None

    def __repr__(self) -> str:
        filled = [a.name for a in attrs.fields(type(self)) if getattr(self, a.name)]
        return f"DatasetIndex({', '.join(filled) or 'empty'})"
