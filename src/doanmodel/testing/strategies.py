"""
Hypothesis strategies for doanmodel entities and organisation trees.

For plugin authors: ``from doanmodel.testing.strategies import trees, visits``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.model._i18n import nfc

__all__ = ["CHILD_LEVELS", "ENTITIES", "absences", "cadres", "clusters", "dates", "ids",
           "indicators", "meetings", "members", "names", "periods", "positions", "targets",
           "tree_dataset", "trees", "unit_versions", "units", "visits"]

ids = st.text(alphabet="ABCDEFGHKLMNPQRSTVXY0123456789-", min_size=1, max_size=8)
names = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs"],
                                       exclude_characters="\x00"),
                min_size=1, max_size=20).map(lambda s: nfc(s).strip() or "x")
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
opt_dates = st.none() | dates
decimals = st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False,
                       allow_infinity=False)
periods = st.builds(
    lambda y, k, i: dm.Period(y, k, 1 if k is dm.PeriodKind.YEAR else
                              min(i, {dm.PeriodKind.HALF: 2, dm.PeriodKind.QUARTER: 4,
                                      dm.PeriodKind.MONTH: 12}[k])),
    st.integers(1990, 2030), st.sampled_from(dm.PeriodKind), st.integers(1, 12))
extras = st.dictionaries(st.sampled_from(["x_note", "x_ref"]), names, max_size=2)


@st.composite
def unit_versions(draw: st.DrawFn) -> dm.UnitVersion:
    start = draw(opt_dates)
    end = draw(opt_dates)
    if start and end and end < start:
        start, end = end, start
    return dm.UnitVersion(id=draw(ids), name=draw(names), level=draw(st.sampled_from(dm.Level)),
                          parent_id=draw(st.none() | ids), sector=draw(st.none() |
                                                                       st.sampled_from(dm.Sector)),
                          valid_from=start, valid_to=end, successor_id=draw(st.none() | ids),
                          code=draw(st.none() | ids), extra=draw(extras))


units = st.builds(lambda v: dm.Unit(id=v.id, versions=(v,)), unit_versions())
cadres = st.builds(dm.Cadre, id=ids, name=names, birth_date=opt_dates,
                   gender=st.none() | st.sampled_from(["M", "F"]), education=st.none() | names,
                   extra=extras)
positions = st.builds(dm.Position, cadre_id=ids, unit_id=ids, role=st.sampled_from(dm.Role),
                      start=dates, full_time=st.booleans(), end=opt_dates,
                      term=st.none() | st.just("2022 – 2027"), extra=extras)
absences = st.builds(dm.Absence, cadre_id=ids, start=dates, end=dates,
                     reason=st.sampled_from(dm.AbsenceReason), extra=extras)
visits = st.builds(dm.Visit, id=ids, cadre_id=ids, unit_id=ids, start=dates,
                   purpose=st.sampled_from(dm.VisitPurpose), end=opt_dates,
                   order_ref=st.none() | names, report_on=opt_dates, extra=extras)
meetings = st.builds(dm.Meeting, id=ids, unit_id=ids, date=dates,
                     kind=st.sampled_from(dm.MeetingKind), chair_id=st.none() | ids,
                     attendees=st.lists(ids, max_size=3).map(tuple),
                     cluster_id=st.none() | ids, extra=extras)
members = st.builds(dm.Member, id=ids, branch_id=ids, joined_on=dates, birth_date=opt_dates,
                    left_on=opt_dates, left_reason=st.none() | names,
                    party_introduced_on=opt_dates, party_admitted_on=opt_dates, extra=extras)
indicators = st.builds(dm.Indicator, unit_id=ids, period=periods, indicator=ids, value=decimals,
                       evidence=st.none() | names, extra=extras)
targets = st.builds(dm.Target, unit_id=ids, period=periods, indicator=ids, value=decimals,
                    source=st.none() | names, extra=extras)
clusters = st.builds(dm.Cluster, id=ids, name=names, year=st.integers(2000, 2030),
                     members=st.lists(ids, max_size=4).map(tuple), lead=st.none() | ids,
                     source=st.none() | names)

ENTITIES = {dm.Unit: units, dm.Cadre: cadres, dm.Position: positions, dm.Absence: absences,
            dm.Visit: visits, dm.Meeting: meetings, dm.Member: members,
            dm.Indicator: indicators, dm.Target: targets, dm.Cluster: clusters}

CHILD_LEVELS = {
    dm.Level.PROVINCE: [dm.Level.UPPER_GRASSROOTS, dm.Level.GRASSROOTS],
    dm.Level.UPPER_GRASSROOTS: [dm.Level.GRASSROOTS],
    dm.Level.GRASSROOTS: [dm.Level.BRANCH, dm.Level.BRANCH_GROUP],
    dm.Level.BRANCH_GROUP: [dm.Level.BRANCH],
    dm.Level.BRANCH: [dm.Level.SUB_BRANCH],
    dm.Level.SUB_BRANCH: [],
}


@st.composite
def trees(draw: st.DrawFn, max_units: int = 25) -> list[dm.UnitVersion]:
    """A valid organisation forest (single versions): every child deeper than its parent."""
    out = [dm.UnitVersion(id="P0", name="Tỉnh đoàn 0", level=dm.Level.PROVINCE)]
    n = draw(st.integers(0, max_units))
    for i in range(1, n + 1):
        parents = [u for u in out if CHILD_LEVELS[u.level]]
        if not parents or draw(st.integers(0, 9)) == 0:
            out.append(dm.UnitVersion(id=f"P{i}", name=f"Tỉnh đoàn {i}",
                                      level=dm.Level.PROVINCE))
            continue
        parent = draw(st.sampled_from(parents))
        level = draw(st.sampled_from(CHILD_LEVELS[parent.level]))
        out.append(dm.UnitVersion(id=f"U{i}", name=f"Đơn vị {i}", level=level,
                                  parent_id=parent.id))
    return out


def tree_dataset(versions: list[dm.UnitVersion], **kw: Any) -> dm.Dataset:
    """A dataset of the given tree (root P0)."""
    meta = dm.DatasetMeta(name="thử", root="P0", year=2024)
    return dm.Dataset.build(meta, [dm.Unit(id=v.id, versions=(v,)) for v in versions],
                            **{"validate": False, **kw})


