"""Dates, periods and day intervals."""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterable

import attrs

from ._enums import PeriodKind

__all__ = [
    "Period",
    "add_years",
    "days_in_year",
    "merge_intervals",
    "parse_date",
    "parse_period",
    "parse_term",
    "total_days",
]

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")
_TERM = re.compile(r"^\s*(\d+)\s*[-–—]\s*(\d+)\s*$")


def parse_date(text: str) -> _dt.date:
    """
    Parse an ISO ``YYYY-MM-DD`` or a Vietnamese ``DD/MM/YYYY`` date.

    Raises:
        ValueError: with a message saying which forms are accepted.
    """
    text = text.strip()
    if len(text) == 10 and text[4] == "-":
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    else:
        m = _DMY.match(text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                return _dt.date(year, month, day)
            except ValueError:
                pass
    msg = f"not a date: {text!r} (YYYY-MM-DD or DD/MM/YYYY)"
    raise ValueError(msg)


@attrs.frozen(order=True)
class Period:
    """
    A reporting period: a year, a half (``2023-H1``), a quarter (``2023-Q1``) or a month
    (``2023-03``).
    """

    year: int
    kind: PeriodKind = attrs.field(default=PeriodKind.YEAR, order=False)
    index: int = 1

    start: _dt.date = attrs.field(init=False, eq=False, order=False, repr=False, hash=False)
    end: _dt.date = attrs.field(init=False, eq=False, order=False, repr=False, hash=False)
    _text: str = attrs.field(init=False, eq=False, order=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        top = {PeriodKind.YEAR: 1, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4,
               PeriodKind.MONTH: 12}[self.kind]
        if not 1 <= self.index <= top:
            msg = f"{self.kind.value} index must be 1..{top}, not {self.index}"
            raise ValueError(msg)
        first = self._first_month
        last_month = first + self._months - 1
        # computed once: periods are compared and asked for their days in hot loops
        object.__setattr__(self, "start", _dt.date(self.year, first, 1))
        object.__setattr__(self, "end", _dt.date(
            self.year, last_month, calendar.monthrange(self.year, last_month)[1]))
        object.__setattr__(self, "_text", self._render())

    @property
    def _months(self) -> int:
        return {PeriodKind.YEAR: 12, PeriodKind.HALF: 6, PeriodKind.QUARTER: 3}.get(self.kind, 1)

    @property
    def _first_month(self) -> int:
        return (self.index - 1) * self._months + 1

    def contains(self, day: _dt.date) -> bool:
        """Whether *day* falls inside this period."""
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self._text

    def _render(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        prefix = "H" if self.kind is PeriodKind.HALF else "Q"
        return f"{self.year}-{prefix}{self.index}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2023``, ``2023-H1``, ``2023-Q1`` or ``2023-03``."""
        return parse_period(text)


def parse_period(text: str) -> Period:
    """
    Parse a period: ``2023``, ``2023-H1``, ``2023-Q1`` or ``2023-03``.

    Raises:
        ValueError: when *text* is none of these.
    """
    m = _PERIOD.match(text.strip())
    if m:
        year = int(m.group(1))
        part = m.group(2)
        if part is None:
            return Period(year)
        if part[0] == "H":
            return Period(year, PeriodKind.HALF, int(part[1]))
        if part[0] == "Q":
            return Period(year, PeriodKind.QUARTER, int(part[1]))
        if 1 <= int(part) <= 12:
            return Period(year, PeriodKind.MONTH, int(part))
    msg = f"not a period: {text!r} (2023, 2023-H1, 2023-Q1 or 2023-03)"
    raise ValueError(msg)


def parse_term(text: str) -> tuple[int, int]:
    """
    Parse a term of office (nhiệm kỳ) such as ``2022 – 2027``.

    Raises:
        ValueError: for a malformed term, a year that is not four digits (the seed article's
            ``2027 – 20232``) or an end before the start.
    """
    m = _TERM.match(text)
    if not m:
        msg = f"not a term: {text!r} (YYYY – YYYY)"
        raise ValueError(msg)
    start, end = m.group(1), m.group(2)
    for year in (start, end):
        if len(year) != 4:
            msg = f"term {text.strip()!r}: {year!r} is not a four-digit year"
            raise ValueError(msg)
    if int(end) <= int(start):
        msg = f"term {text.strip()!r} ends before it starts"
        raise ValueError(msg)
    return int(start), int(end)


def add_years(day: _dt.date, years: int) -> _dt.date:
    """*day* moved by whole *years*; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def days_in_year(year: int) -> int:
    """366 in a leap year, else 365."""
    return 366 if calendar.isleap(year) else 365


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """
    Merge inclusive integer intervals ``(first, last)`` into sorted disjoint ones.

    Touching intervals (``(1, 3)`` and ``(4, 5)``) are joined.
    """
    merged: list[tuple[int, int]] = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def total_days(intervals: Iterable[tuple[int, int]]) -> int:
    """Number of distinct days covered by inclusive intervals."""
    return sum(last - first + 1 for first, last in merge_intervals(intervals))


def intersect_days(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Number of days in both merged interval lists *a* and *b*."""
    i = j = count = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo <= hi:
            count += hi - lo + 1
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return count
