"""Tests for the Đà Nẵng plugin, through the doanmodel engine."""

from __future__ import annotations

from doanmodel_danang import hooks

import doanmodel as dm
from doanmodel.testing import check_conformance, plugin_engine, tiny_dataset


def _quota(engine, ds, year, cadre):
    return engine.check(ds, year, rules=["visits.quota"]).finding("visits.quota", cadre)


def test_thirty_days_in_da_nang():
    """Đà Nẵng's full-time cadres owe 30 days; another province's still owe 60."""
    ds = tiny_dataset(("DNG", "QNA"), year=2019)
    engine = plugin_engine(hooks)
    assert _quota(engine, ds, 2019, "DNG-CB1").threshold == 30
    assert _quota(engine, ds, 2019, "QNA-CB1").threshold == 60


def test_cited_in_provenance():
    """The report says which plugin set the value, and from which document."""
    ds = tiny_dataset(("DNG",), year=2019)
    report = plugin_engine(hooks).check(ds, 2019, rules=["visits.quota"])
    used = [p for p in report.provenance["parameters"] if p["name"] == "visits.min_days"]
    assert [(p["value"], p["origin"]) for p in used] == [(30, "danang")]
    assert "Kế hoạch 39" in used[0]["source"]


def test_not_after_the_merger():
    """From 1/7/2025 the plugin no longer applies (Đà Nẵng merged with Quảng Nam)."""
    ds = tiny_dataset(("DNG",), year=2026)
    assert _quota(plugin_engine(hooks), ds, 2026, "DNG-CB1").threshold == 60


def test_before_the_plan():
    """Before KH 39 (23/5/2018) the national 60 days applied."""
    ds = tiny_dataset(("DNG",), year=2017)
    report = plugin_engine(hooks).check(ds, 2017, rules=["visits.quota"])
    assert report.findings == ()  # the 1+2 rule itself starts in 2018


def test_conformance():
    """The plugin passes doanmodel's conformance check."""
    assert check_conformance(hooks) == []


def test_listed():
    """The engine lists the plugin with its province, dates and contribution."""
    p = next(p for p in plugin_engine(hooks).plugins if p.name == "danang")
    assert p.info.provinces == ("DNG",) and p.info.end.isoformat() == "2025-06-30"
    assert p.contributes == {"parameters": ["visits.min_days"]}
    assert isinstance(p.info, dm.PluginInfo)


def test_extended_after_its_year():
    """KH 39 is the 2018 plan: in 2018 its 30 days are in force; from 2019 they are applied
    only as "extended, no document", in the finding and the provenance (issue 22)."""
    engine = plugin_engine(hooks)
    in_force = _quota(engine, tiny_dataset(("DNG",), year=2018), 2018, "DNG-CB1")
    assert "extended" not in in_force.inputs
    report = engine.check(tiny_dataset(("DNG",), year=2019), 2019, rules=["visits.quota"])
    f = report.finding("visits.quota", "DNG-CB1")
    assert f.threshold == 30 and "visits.min_days" in f.inputs["extended"]
    assert "extended, no document" in f.message.en and "31/12/2018" in f.message.vi
    assert [(e["name"], e["until"]) for e in report.provenance["extended"]
            if e["origin"] == "danang"] == [("visits.min_days", "2018-12-31")]
