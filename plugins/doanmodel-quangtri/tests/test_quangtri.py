"""Tests for the Quảng Trị plugin, through the doanmodel engine."""

from __future__ import annotations

import datetime as dt

from doanmodel_quangtri import hooks

import doanmodel as dm
from doanmodel.testing import check_conformance, plugin_engine, tiny_dataset

D = dt.date
RULE = "quangtri.visits.report_deadline"


def _ds(visits, province="QT", year=2024):
    """Province *province* with commune X, and cadre A bound from 2020."""
    units = [dm.Unit(id="T", versions=(dm.UnitVersion(id="T", name="Tỉnh đoàn Quảng Trị",
                                                      level=dm.Level.PROVINCE, code=province),)),
             dm.Unit(id="X", versions=(dm.UnitVersion(id="X", name="Đoàn xã X",
                                                      level=dm.Level.GRASSROOTS, parent_id="T"),))]
    return dm.Dataset.build(
        dm.DatasetMeta(name="QT", root="T", year=year), units,
        cadres=[dm.Cadre(id="A", name="Cán bộ A")],
        positions=[dm.Position(cadre_id="A", unit_id="T", role=dm.Role.SECRETARY,
                               full_time=True, start=D(2020, 1, 1))],
        visits=visits)


def _visit(vid, start, end=None, report_on=None):
    return dm.Visit(id=vid, cadre_id="A", unit_id="X", start=start, end=end,
                    purpose=dm.VisitPurpose.SURVEY, report_on=report_on)


def test_late_and_missing():
    """Reports are due within 10 days of a visit's end; a missing report fails."""
    visits = [_visit("ok", D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 12)),
              _visit("late", D(2024, 4, 1), report_on=D(2024, 4, 12)),
              _visit("none", D(2024, 5, 1))]
    report = plugin_engine(hooks).check(_ds(visits), 2024, rules=[RULE])
    status = {f.subject_id: f.status for f in report.findings}
    assert status == {"ok": dm.Status.PASS, "late": dm.Status.FAIL, "none": dm.Status.FAIL}
    assert "167-KH/TĐTN-XDĐ" in report.finding(RULE, "late").source
    assert report.finding(RULE, "late").value == 11


def test_not_before_the_plan():
    """The 10-day rule has no source before 13/4/2020, so 2019 is not checked."""
    ds = _ds([_visit("v", D(2019, 5, 1))], year=2019)
    assert plugin_engine(hooks).check(ds, 2019).by_rule(RULE) == []


def test_the_deadline_is_a_dated_parameter():
    """A dataset may set another deadline for its own plan; the finding uses it."""
    ds = _ds([_visit("late", D(2024, 4, 1), report_on=D(2024, 4, 12))])
    meta = dm.DatasetMeta(name="QT", root="T", year=2024, parameters={
        "visits.report_within_days": [{"from": D(2024, 1, 1), "value": 15,
                                       "source": "Kế hoạch năm 2024 (thử)"}]})
    ds = dm.Dataset.build(meta, ds.units.values(), cadres=ds.cadres.values(),
                          positions=ds.positions, visits=ds.visits)
    f = plugin_engine(hooks).check(ds, 2024, rules=[RULE]).finding(RULE, "late")
    assert (f.status, f.threshold) == (dm.Status.PASS, 15)


def test_after_the_merger():
    """From 1/7/2025 the new Quảng Trị (with Quảng Bình, GSO 44) carries the plan on."""
    ds = _ds([_visit("none", D(2026, 3, 1))], province="QT-2025", year=2026)
    assert [f.subject_id for f in plugin_engine(hooks).check(ds, 2026).by_rule(RULE)] == ["none"]
    ref = dm.find_province("Quảng Trị", D(2026, 1, 1))
    assert (ref.code, ref.gso) == ("QT-2025", "44")
    assert dm.find_province("Quảng Trị", D(2024, 1, 1)).gso == "45"


def test_only_quang_tri():
    """No other province gets the deadline, and none of its findings changes."""
    ds = tiny_dataset(("QT", "QB", "TV"), year=2024)
    plugged = plugin_engine(hooks).check(ds, 2024)
    assert {f.province for f in plugged.by_rule(RULE)} == {"QT"}
    key = lambda f: (f.rule, f.subject_id)  # noqa: E731
    national = plugin_engine().check(ds, 2024)
    assert sorted((f for f in plugged.findings if f.province != "QT"), key=key) == \
        sorted((f for f in national.findings if f.province != "QT"), key=key)
    assert national.by_rule(RULE) == []


def test_not_a_national_rule():
    """Without the plugin no rule checks report deadlines (a province's plan is not national)."""
    rules = plugin_engine().rules()
    assert not [r.id for r in rules if r.id.endswith("visits.report_deadline")]
    assert all("Quảng Trị" not in r.source for r in rules)


def test_conformance():
    """The plugin passes doanmodel's conformance check."""
    assert check_conformance(hooks) == []


def test_listed():
    """The engine lists the plugin with both Quảng Trị codes, its start and contributions."""
    p = next(p for p in plugin_engine(hooks).plugins if p.name == "quangtri")
    assert p.info.provinces == ("QT", "QT-2025") and p.info.start == D(2020, 4, 13)
    assert p.info.end is None
    assert p.contributes == {"parameters": ["visits.report_within_days"], "rules": [RULE]}


def test_extended_after_2020():
    """KH 167 is the 2020 plan: a 2020 visit is judged by it in force, a 2024 one (and one in
    the province merged on 1/7/2025) by the extended value, which the finding says."""
    engine = plugin_engine(hooks)
    f2020 = engine.check(_ds([_visit("v", D(2020, 5, 1))], year=2020), 2020,
                         rules=[RULE]).finding(RULE, "v")
    assert "extended" not in f2020.inputs and "kéo dài" not in f2020.message.vi
    f2024 = engine.check(_ds([_visit("v", D(2024, 5, 1))]), 2024, rules=[RULE]).finding(RULE, "v")
    assert f2024.inputs["extended"] == ["visits.report_within_days"]
    assert "kéo dài, chưa có văn bản" in f2024.message.vi and "31/12/2020" in f2024.message.vi
