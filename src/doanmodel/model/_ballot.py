"""A council's secret ballot on an award (one row of ``ballots.csv``)."""

from __future__ import annotations

import datetime as _dt

import attrs

__all__ = ["Ballot"]


@attrs.frozen(kw_only=True)
class Ballot:
    """The emulation council's vote on giving *award* to *unit_id* of *cluster_id* in *year*."""

    cluster_id: str
    year: int
    unit_id: str
    #: the award's title as the criteria set names it (``[[award]] title``)
    award: str
    votes_for: int
    #: the members who voted (the majority is a share of them)
    voters: int
    on: _dt.date | None = None
    note: str | None = None
    #: the line of ``ballots.csv`` it was read from (0: built in Python)
    line: int = attrs.field(default=0, eq=False)
