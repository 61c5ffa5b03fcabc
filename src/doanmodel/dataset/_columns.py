"""Whole-column operations on the member and meeting tables, in C through map/compress/Counter.

At national scale a Python loop over 6.4M members costs seconds; these helpers keep the per-row
work inside the interpreter's C iterators.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import compress, repeat
from operator import and_, ge, gt, le, not_, or_

from ._tables import MemberTable

__all__ = ["active_mask", "count_by_branch", "in_range"]


def in_range(column: Iterable[int], first: int, last: int) -> Iterator[bool]:
    """Mask: first ≤ value ≤ last (an iterator of bools)."""
    return map(and_, map(ge, column, repeat(first)), map(le, column, repeat(last)))


def active_mask(t: MemberTable, day: int) -> Iterator[bool]:
    """Mask: members active on *day* (joined on or before it, not yet left)."""
    return map(and_, map(le, t.joined, repeat(day)),
               map(or_, map(not_, t.left), map(gt, t.left, repeat(day))))


def count_by_branch(t: MemberTable, mask: Iterable[bool]) -> Counter[int]:
    """Branch code → number of members selected by *mask*."""
    return Counter(compress(t.branch, mask))
