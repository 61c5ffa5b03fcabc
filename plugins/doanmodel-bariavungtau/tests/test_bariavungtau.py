"""Tests for the Bà Rịa – Vũng Tàu plugin, through the doanmodel engine."""

from __future__ import annotations

import datetime as dt

from doanmodel_bariavungtau import hooks

import doanmodel as dm
from doanmodel.testing import check_conformance, plugin_engine, tiny_dataset

D = dt.date


def _ds(visits):
    """BRVT with one district H, commune X and branch C, and cadre A bound all of 2024."""
    def unit(uid, level, parent, code=None):
        return dm.Unit(id=uid, versions=(dm.UnitVersion(id=uid, name=uid, level=level,
                                                        parent_id=parent, code=code),))

    units = [unit("T", dm.Level.PROVINCE, None, "BRVT"), unit("H", dm.Level.UPPER_GRASSROOTS, "T"),
             unit("X", dm.Level.GRASSROOTS, "H"), unit("C", dm.Level.BRANCH, "X")]
    vs = [dm.Visit(id=f"v{i}", cadre_id="A", unit_id=u, start=s, end=e,
                   purpose=dm.VisitPurpose.SURVEY, order_ref=o)
          for i, (u, s, e, o) in enumerate(visits)]
    return dm.Dataset.build(
        dm.DatasetMeta(name="BRVT", root="T", year=2024), units,
        cadres=[dm.Cadre(id="A", name="A")],
        positions=[dm.Position(cadre_id="A", unit_id="T", role=dm.Role.SECRETARY,
                               full_time=True, start=D(2020, 1, 1))],
        visits=vs)


def test_split_met():
    """30 days at branches, 20 at the commune and 10 at the district pass."""
    ds = _ds([("C", D(2024, 1, 1), D(2024, 1, 30), "CL1"), ("X", D(2024, 3, 1), D(2024, 3, 20),
                                                            "CL2"),
              ("H", D(2024, 5, 1), D(2024, 5, 10), "CL3")])
    f = plugin_engine(hooks).check(ds, 2024).finding("brvt.visits.split", "A")
    assert f.status is dm.Status.PASS
    assert f.value == {"branch": 30, "commune (grassroots)": 20, "district": 10}


def test_split_short_at_branches():
    """60 days all at the district meet the national quota but not the split."""
    ds = _ds([("H", D(2024, 1, 1), D(2024, 2, 29), "CL1")])
    r = plugin_engine(hooks).check(ds, 2024)
    assert r.finding("visits.quota", "A").status is dm.Status.PASS
    f = r.finding("brvt.visits.split", "A")
    assert f.status is dm.Status.FAIL and "branch" in f.message.en


def test_travel_order_required():
    """Days without a công lệnh do not count in Bà Rịa – Vũng Tàu."""
    ds = _ds([("C", D(2024, 1, 1), D(2024, 1, 30), "CL1"), ("C", D(2024, 2, 1), D(2024, 2, 29),
                                                            None)])
    with_plugin = plugin_engine(hooks).check(ds, 2024).finding("visits.quota", "A")
    national = plugin_engine().check(ds, 2024).finding("visits.quota", "A")
    assert (with_plugin.value, national.value) == (30, 59)


def test_other_province_untouched():
    """The split rule says nothing about another province and changes none of its findings."""
    ds = tiny_dataset(("BRVT", "HCM"), year=2024)
    r = plugin_engine(hooks).check(ds, 2024)
    assert {f.province for f in r.by_rule("brvt.visits.split")} == {"BRVT"}
    key = lambda f: (f.rule, f.subject_id)  # noqa: E731
    others = sorted((f for f in r.findings if f.province == "HCM"), key=key)
    base = sorted((f for f in plugin_engine().check(ds, 2024).findings if f.province == "HCM"),
                  key=key)
    assert others == base


def test_ends_with_the_province():
    """From 2026 (after the merger into TP. Hồ Chí Minh) the rule does not run."""
    ds = tiny_dataset(("BRVT",), year=2026)
    assert plugin_engine(hooks).check(ds, 2026).by_rule("brvt.visits.split") == []


def test_conformance():
    """The plugin passes doanmodel's conformance check."""
    assert check_conformance(hooks) == []


def _with_absence(reason, start, end, visits=()):
    ds = _ds(visits)
    return dm.Dataset.build(ds.meta, ds.units.values(), cadres=ds.cadres.values(),
                            positions=ds.positions, visits=ds.visits,
                            absences=[dm.Absence(cadre_id="A", start=start, end=end,
                                                 reason=reason)])


def test_plan_exempts_maternity_for_the_year():
    """The plan's exemptions are this province's (issue 22): a cadre on maternity leave for
    part of 2021 is exempt for the year (not prorated), where nationally she owes 60 days."""
    ds = _with_absence(dm.AbsenceReason.MATERNITY, D(2021, 3, 1), D(2021, 8, 31))
    brvt = plugin_engine(hooks).check(ds, 2021).finding("visits.quota", "A")
    national = plugin_engine().check(ds, 2021).finding("visits.quota", "A")
    assert brvt.status is dm.Status.NOT_APPLICABLE
    assert national.status is dm.Status.FAIL and national.threshold == 60


def test_other_reason_is_not_exempt():
    """The plan has no "other" reason: such an absence exempts nobody."""
    ds = _with_absence(dm.AbsenceReason.OTHER, D(2021, 1, 1), D(2021, 12, 31))
    f = plugin_engine(hooks).check(ds, 2021).finding("visits.quota", "A")
    assert f.status is dm.Status.FAIL and f.threshold == 60


def test_short_without_absences_table_is_no_data():
    """Short of the quota with absences.csv not reported: the plan's exemptions cannot be
    ruled out, so no verdict."""
    ds = _ds([("C", D(2021, 1, 1), D(2021, 1, 10), "CL1")])
    ds = dm.Dataset.build(ds.meta, ds.units.values(), cadres=ds.cadres.values(),
                          positions=ds.positions, visits=ds.visits, absent_tables={"absences"})
    f = plugin_engine(hooks).check(ds, 2021).finding("visits.quota", "A")
    assert f.status is dm.Status.NO_DATA and f.inputs["absent_tables"] == ["absences"]


def test_plan_values_extended_after_2022():
    """The plan covers 2018–2022: in 2024 its values are "extended, no document"."""
    ds = _ds([("C", D(2024, 1, 1), D(2024, 1, 30), "CL1")])
    r = plugin_engine(hooks).check(ds, 2024)
    extended = {(e["name"], e["origin"]) for e in r.provenance["extended"]}
    assert ("visits.require_order", "bariavungtau") in extended
    assert "kéo dài, chưa có văn bản" in r.finding("visits.quota", "A").message.vi
