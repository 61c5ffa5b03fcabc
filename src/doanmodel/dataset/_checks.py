"""
The checks of the big tables (members, meetings), declared once.

Each table's columns, whether a cell is required, its type (text, date, a list of ids, one of
an enum's values) come from the file spec :data:`doanmodel.dataset._csvio.FILES`; this module
adds what spans cells and tables: references to another table and order rules between two
dates of a row (``start ≤ end``). Two executors run the same declarations:

- Python (:func:`order_broken`, :func:`first_order_problem`): the loader's column path and its
  row path (``_bigfiles``);
- SQL (``doanmodel.query._checksql``): the DuckDB engine and ``import`` reading a folder, which
  count the rows these checks reject and, when there is one, hand the folder to the careful
  loader for its messages — so every path reports the same problems, and a check declared
  here cannot be skipped by one of them.

A new check of members or meetings goes here (an :class:`Order` or a :class:`Ref`), with its
Python branch in ``_bigfiles`` when it is a new kind; ``tests/test_checks_spec.py`` breaks each
declared check once and asserts both executors reject it with the same problem.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from operator import lt

from ..model._i18n import Text
from ._csvio import FILES, _date

__all__ = ["BIG_CHECKS", "Order", "Ref", "TableChecks", "column_types", "first_order_problem",
           "order_broken"]


@dataclass(frozen=True)
class Order:
    """Date *later* is not before date *earlier* of the same row, when both are given; else the
    problem *message* at *column*."""

    later: str
    earlier: str
    column: str
    message: Text


@dataclass(frozen=True)
class Ref:
    """Column *column* names a row of *target*: ``branch`` (a unit that is a branch or a sub-
    branch in some version), ``unit_on`` (a unit existing on the row's date column *on*),
    ``cadre``, ``cluster``; *many*: a ``;``-separated list of them."""

    column: str
    target: str
    many: bool = False
    on: str | None = None


@dataclass(frozen=True)
class TableChecks:
    """Everything checked of one big table."""

    file: str
    refs: tuple[Ref, ...]
    orders: tuple[Order, ...]
    unique: str = "id"

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c for c, req, _ in FILES[self.file] if req)

    @property
    def allowed(self) -> dict[str, tuple[str, ...]]:
        """Column → the values it may hold (an enum's)."""
        out = {}
        for col, _, parser in FILES[self.file]:
            cls: type[enum.Enum] | None = getattr(parser, "enum", None)
            if cls is not None:
                out[col] = tuple(str(m.value) for m in cls)
        return out


def _before(col: str, what: str) -> Order:
    return Order(col, what, col, Text(f"{col} trước {what}", f"{col} is before {what}"))


BIG_CHECKS: dict[str, TableChecks] = {
    "members": TableChecks(
        "members.csv",
        refs=(Ref("branch_id", "branch"),),
        orders=(_before("left_on", "joined_on"),
                Order("joined_on", "birth_date", "joined_on",
                      Text("vào Đoàn trước ngày sinh", "joined before being born")),
                _before("party_admitted_on", "party_introduced_on"))),
    "meetings": TableChecks(
        "meetings.csv",
        refs=(Ref("unit_id", "unit_on", on="date"), Ref("chair_id", "cadre"),
              Ref("attendees", "cadre", many=True), Ref("cluster_id", "cluster")),
        orders=()),
}


def column_types(name: str) -> dict[str, str]:
    """The SQL type of each column of a big table, in the file spec's order, then ``extra``."""
    out = {col: "DATE" if parser is _date else "VARCHAR"
           for col, _, parser in FILES[BIG_CHECKS[name].file]}
    out["extra"] = "VARCHAR"
    return out


def order_broken(checks: TableChecks, column: dict[str, Sequence[int]]) -> bool:
    """Python, column path: whether some row breaks an order rule (*column*: name → day
    ordinals, 0 when not given)."""
    for rule in checks.orders:
        later, earlier = column[rule.later], column[rule.earlier]
        if any(map(lt, compress(later, later), compress(earlier, later))):
            return True
    return False


def first_order_problem(checks: TableChecks, day: dict[str, int]) -> Order | None:
    """Python, row path: the first order rule the row (*day*: name → ordinal, 0 when not
    given) breaks."""
    for rule in checks.orders:
        later, earlier = day[rule.later], day[rule.earlier]
        if later and earlier and later < earlier:
            return rule
    return None
