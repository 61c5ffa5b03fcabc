"""Tests for the Tiền Giang plugin, through the doanmodel engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from doanmodel_tiengiang import hooks

import doanmodel as dm
from doanmodel.testing import check_conformance, plugin_engine, tiny_dataset

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "tien-giang-2024"


def _tg(year=2024):
    """A Tiền Giang dataset (root TG) with the seed's two working sessions."""
    ds = tiny_dataset(("TG",), year=year)
    meetings = list(ds.meetings) + [
        dm.Meeting(id="LV1", unit_id="TG-H0", date=dt.date(year, 4, 24),
                   kind=dm.MeetingKind.WORKING_SESSION),
        dm.Meeting(id="LV2", unit_id="TG-H1-X0", date=dt.date(year, 5, 2),
                   kind=dm.MeetingKind.WORKING_SESSION)]
    meta = dm.DatasetMeta(name="TG", root="TG", year=year)
    return dm.Dataset.build(meta, ds.units.values(), cadres=ds.cadres.values(),
                            positions=ds.positions, visits=ds.visits, meetings=meetings,
                            members=ds.members, targets=ds.targets, indicators=ds.indicators,
                            clusters=ds.clusters)


def test_criteria_set_chosen_for_tien_giang():
    """A Tiền Giang dataset without its own criteria.toml is scored with tg-huyen-2024."""
    board = plugin_engine(hooks).score(_tg())
    assert board.criteria_id == "tg-huyen-2024"
    assert board.provenance["criteria_set"]["origin"] == "tiengiang"


def test_target_bands():
    """target_bands: 100% → all points, ≥90% → 80%, ≥70% → 50%, less → 0."""
    c = dm.Criterion(id="k", points=Decimal(30), method="target_bands", indicator="x",
                     options={"bands": [{"share": 1.0, "points_share": 1.0},
                                        {"share": 0.9, "points_share": 0.8},
                                        {"share": 0.7, "points_share": 0.5}]})
    from doanmodel_tiengiang.methods import target_bands

    got = target_bands(c, {u: dm.MethodInput(Decimal(v), "reported", Decimal(10))
                           for u, v in (("a", 10), ("b", 9), ("c", 7), ("d", 6))})
    assert [got[u][0] for u in "abcd"] == [30, 24, 15, 0]


def test_working_sessions_roll_up():
    """A session at a commune counts for its district too (bonus criterion)."""
    board = plugin_engine(hooks).score(_tg())
    _, h1 = board.standing("TG-H1")
    bonus = next(c for c in h1.criteria if c.id == "nang-chat")
    assert (bonus.value, bonus.points) == (1, 5)


def test_method_unknown_without_plugin():
    """Without the plugin the criteria set cannot be read: its method is unknown."""
    from importlib.resources import files

    with pytest.raises(dm.CriteriaError, match="target_bands"):
        dm.load_criteria(Path(str(files("doanmodel_tiengiang") / "criteria.toml")))


def test_not_for_other_provinces():
    """A Đồng Tháp dataset is not scored with Tiền Giang's set."""
    ds = tiny_dataset(("DT",), year=2024)
    meta = dm.DatasetMeta(name="DT", root="DT", year=2024)
    ds = dm.Dataset.build(meta, ds.units.values(), clusters=ds.clusters)
    with pytest.raises(dm.DoanmodelError, match="no criteria set"):
        plugin_engine(hooks).score(ds)


def test_seed_example_sessions():
    """The seed's two working sessions (24/4 and 2/5/2024) are in the example dataset."""
    ds = dm.load_dataset(EXAMPLE)
    sessions = [m for m in ds.meetings if m.kind is dm.MeetingKind.WORKING_SESSION]
    assert sorted((m.unit_id, m.date.isoformat()) for m in sessions) == [
        ("TG-CG", "2024-05-02"), ("TG-CL", "2024-04-24")]
    assert {ds.cadres[m.chair_id].name for m in sessions} == {"Nguyễn Quang Minh"}


def test_conformance():
    """The plugin passes doanmodel's conformance check."""
    assert check_conformance(hooks) == []


def _with_programme(ds, kind="tiengiang.nang_chat"):
    """*ds* with a programme of *kind* at TG-H0 (session LV1, three of six contents done)."""
    done = dict.fromkeys(("ket-qua-quy", "dai-hoi-hoi", "quy-hoach"), dm.TopicResult.DONE)
    unit = dm.ProgrammeUnit(unit_id="TG-H0", meetings=("LV1",), results=done)
    p = dm.Programme(id="NC", kind=kind, title="Nâng chất 2024", start=dt.date(2024, 1, 1),
                     end=dt.date(2024, 12, 31), document="Kế hoạch nâng chất 2024",
                     targets=("TG-H0", "TG-H1"), units=(unit,))
    return dm.Dataset.build(ds.meta, ds.units.values(), cadres=ds.cadres.values(),
                            positions=ds.positions, visits=ds.visits, meetings=ds.meetings,
                            members=ds.members, programmes=[p])


def test_programme_kind_brings_its_checklist_and_rule():
    """A programme of the plugin's kind is reported and judged against the six contents."""
    ds = _with_programme(_tg())
    engine = plugin_engine(hooks)
    assert engine.validate(ds) == []
    summary = engine.programme(ds, "NC", as_of=dt.date(2024, 12, 31)).programmes[0]
    assert [t.id for t in summary.topics][:2] == ["ket-qua-quy", "dai-hoi-hoi"]
    assert len(summary.topics) == 6 and summary.kind_title.en.startswith("working sessions")
    finding = engine.check(ds, 2024).finding("tiengiang.nang_chat.topics", "TG-H0")
    assert (finding.status, finding.value, finding.threshold) == (dm.Status.FAIL, 3, 6)


def test_programme_kind_needs_the_plugin_and_its_province():
    """Without the plugin the kind is unknown; outside Tiền Giang the plugin's kind is refused."""
    problems = plugin_engine().validate(_with_programme(_tg()))
    assert [(p.file, p.column) for p in problems] == [("programmes.toml", "kind")]
    assert "unknown programme kind 'tiengiang.nang_chat'" in problems[0].message.en
    other = tiny_dataset(("TG", "P1"), year=2024)
    moved = dm.Dataset.build(other.meta, other.units.values(), cadres=other.cadres.values(),
                             meetings=[dm.Meeting(id="LV1", unit_id="P1-H0",
                                                  date=dt.date(2024, 4, 24),
                                                  kind=dm.MeetingKind.WORKING_SESSION)],
                             programmes=[dm.Programme(
                                 id="NC", kind="tiengiang.nang_chat", title="x",
                                 start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                                 document="d", targets=("P1-H0",))])
    problems = plugin_engine(hooks).validate(moved)
    assert any("does not apply to this province" in p.message.en for p in problems)
