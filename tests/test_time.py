"""Tests for time: the dated tree, the 2025 reorganisation, successors, restating, census."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import pairwise

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from strategies import CHILD_LEVELS, trees

D = dt.date


def _unit(uid, level, parent=None, code=None, sector=None):
    return dm.Unit(id=uid, versions=(dm.UnitVersion(id=uid, name=f"Đơn vị {uid}", level=level,
                                                    parent_id=parent, code=code,
                                                    sector=sector),))


def _before_2025():
    """Trà Vinh, Bến Tre and Vĩnh Long with a district and a commune each, before 1/7/2025."""
    units = [_unit("TW", dm.Level.CENTRAL)]
    for code in ("TV", "BTR", "VL", "HN"):
        units += [_unit(code, dm.Level.PROVINCE, "TW", code=code),
                  _unit(f"{code}-H", dm.Level.UPPER_GRASSROOTS, code, sector=dm.Sector.RURAL),
                  _unit(f"{code}-K", dm.Level.UPPER_GRASSROOTS, code, sector=dm.Sector.AGENCY),
                  _unit(f"{code}-X", dm.Level.GRASSROOTS, f"{code}-H", sector=dm.Sector.RURAL),
                  _unit(f"{code}-C", dm.Level.BRANCH, f"{code}-X")]
    return units


def _members():
    days = [D(2024, 5, 1), D(2025, 3, 1), D(2025, 6, 30), D(2025, 7, 1), D(2025, 11, 1),
            D(2026, 2, 1)]
    return [dm.Member(id=f"{code}-{i}", branch_id=f"{code}-C", joined_on=d)
            for code in ("TV", "BTR", "VL", "HN") for i, d in enumerate(days)]


@pytest.fixture(name="crossing", scope="module")
def _crossing():
    ds = dm.Dataset.build(dm.DatasetMeta(name="2025", root="TW", year=2025), _before_2025(),
                          members=_members())
    return dm.apply_2025(ds)


class TestReorganisation2025:
    def test_parents_before_and_after(self, crossing):
        """A commune is under its district until 30/6/2025 and under the new province after."""
        assert crossing.parent("TV-X", D(2025, 6, 30)) == "TV-H"
        assert crossing.parent("TV-X", D(2025, 7, 1)) == "VL-2025"
        assert crossing.ancestors("TV-C", D(2025, 6, 30)) == ["TV-X", "TV-H", "TV", "TW"]
        assert crossing.ancestors("TV-C", D(2025, 7, 1)) == ["TV-X", "VL-2025", "TW"]

    def test_blocs_move_and_unchanged_provinces_stay(self, crossing):
        """Blocs move to the new province; Hà Nội (unchanged) keeps its units, minus districts."""
        assert crossing.parent("BTR-K", D(2025, 7, 1)) == "VL-2025"
        assert crossing.units["HN"].valid_to is None
        assert crossing.parent("HN-X", D(2025, 7, 1)) == "HN"
        assert crossing.units["HN-H"].valid_to == D(2025, 6, 30)

    def test_provinces_end_with_successor(self, crossing):
        """Trà Vinh, Bến Tre and the old Vĩnh Long end on 30/6/2025; the new Vĩnh Long starts."""
        for code in ("TV", "BTR", "VL"):
            unit = crossing.units[code]
            assert (unit.valid_to, unit.successor_id) == (D(2025, 6, 30), "VL-2025")
        assert crossing.units["VL-2025"].valid_from == D(2025, 7, 1)
        assert crossing.children("TW", D(2025, 7, 1)) == ["HN", "VL-2025"]

    def test_successor_chains(self, crossing):
        """History is carried on through the merger."""
        assert dm.reorg.successor_chain(crossing, "TV") == ["TV", "VL-2025"]
        assert dm.reorg.successor_chain(crossing, "BTR-H") == ["BTR-H", "VL-2025"]

    @pytest.mark.parametrize(("year", "expected"), [
        (2024, {"TV": 1, "TV-H": 1, "VL-2025": 0, "TW": 4}),
        (2025, {"TV": 2, "TV-H": 2, "VL-2025": 6, "TW": 16}),
        (2026, {"TV": 0, "TV-H": 0, "VL-2025": 3, "TW": 4}),
    ])
    def test_rollups(self, engine, crossing, year, expected):
        """New members roll up the tree as it stood on each joining day."""
        got = engine.indicator(crossing, "new_members", year)
        assert {k: got.get(k, 0) for k in expected} == expected

    def test_restate_under_2025_provinces(self, engine, crossing):
        """2024's province figures restated in the structure of 1/7/2025 add up under the
        new Vĩnh Long."""
        values = engine.indicator(crossing, "active_members", 2024)
        restated = dm.restate(values, crossing, D(2025, 7, 1), level=dm.Level.PROVINCE)
        assert restated == {"VL-2025": 3, "HN": 1}

    def test_survives_a_round_trip(self, crossing, tmp_path):
        """The reorganised dataset writes out and loads back valid and equal."""
        back = dm.load_dataset(dm.write_dataset(crossing, tmp_path / "ds"))
        assert back == crossing

    def test_reference_list(self):
        """63 provinces before, 34 after 1/7/2025, every merged one with a successor."""
        refs = dm.reference_provinces()
        before = [p for p in refs if p.valid_from is None]
        after = [p for p in refs if p.valid_to is None]
        assert (len(before), len(after)) == (63, 34)
        codes = {p.code for p in refs}
        assert all(p.successor in codes for p in refs if p.valid_to)
        assert all("202/2025/QH15" in p.source for p in refs)

    def test_synth_2025_has_both_shapes(self, tmp_path):
        """`synth --year 2025` writes districts that end on 30/6 and communes that move."""
        out = tmp_path / "s"
        dm.synth(out, scale="tiny", year=2025)
        ds = dm.load_dataset(out)
        assert ds.units["TV-H01"].valid_to == D(2025, 6, 30)
        assert ds.parent("TV-X001", D(2025, 7, 1)) == "VL-2025"
        assert ds.units["TV"].successor_id == "VL-2025"


class TestOperations:
    def _ds(self):
        units = [_unit("P", dm.Level.PROVINCE), _unit("H1", dm.Level.UPPER_GRASSROOTS, "P"),
                 _unit("H2", dm.Level.UPPER_GRASSROOTS, "P"),
                 _unit("X1", dm.Level.GRASSROOTS, "H1"), _unit("X2", dm.Level.GRASSROOTS, "H1"),
                 _unit("X3", dm.Level.GRASSROOTS, "H2")]
        return dm.Dataset.build(dm.DatasetMeta(name="x", root="P", year=2024), units)

    def test_merge_into_new(self):
        """Merging H1 and H2 into a new H: children move, the old ones end with a successor."""
        ds = dm.reorg.merge(self._ds(), ["H1", "H2"], "H", D(2024, 7, 1), name="Huyện đoàn mới")
        assert sorted(ds.children("H", D(2024, 7, 1))) == ["X1", "X2", "X3"]
        assert ds.children("H1", D(2024, 6, 30)) == ["X1", "X2"]
        assert dm.reorg.successor_chain(ds, "H2") == ["H2", "H"]

    def test_merge_absorbing(self):
        """H1 absorbs H2."""
        ds = dm.reorg.merge(self._ds(), ["H1", "H2"], "H1", D(2024, 7, 1))
        assert sorted(ds.children("H1", D(2024, 8, 1))) == ["X1", "X2", "X3"]
        assert ds.units["H1"].valid_to is None and ds.units["H2"].successor_id == "H1"

    def test_split(self):
        """H1 splits into A and B, each taking its communes."""
        ds = dm.reorg.split(self._ds(), "H1", {"A": ("Huyện A", ["X1"]), "B": ("Huyện B", ["X2"])},
                      D(2024, 7, 1))
        assert ds.parent("X2", D(2024, 7, 1)) == "B" and ds.units["H1"].successor_id == "A"

    def test_split_must_place_every_child(self):
        """A split that forgets a child is refused."""
        with pytest.raises(dm.DoanmodelError, match="exactly once"):
            dm.reorg.split(self._ds(), "H1", {"A": ("Huyện A", ["X1"])}, D(2024, 7, 1))

    def test_rename_and_dissolve(self):
        """Renaming keeps the old name in history; dissolving needs an empty unit."""
        ds = dm.reorg.rename(self._ds(), "H2", "Thị đoàn", D(2024, 1, 1))
        assert ds.unit("H2", D(2023, 12, 31)).name == "Đơn vị H2"
        assert ds.unit("H2", D(2024, 1, 1)).name == "Thị đoàn"
        with pytest.raises(dm.DoanmodelError, match="X3"):
            dm.reorg.dissolve(ds, "H2", D(2024, 7, 1))
        ds = dm.reorg.dissolve(dm.reorg.move(ds, "X3", "H1", D(2024, 7, 1)), "H2", D(2024, 7, 1),
                               "H1")
        assert ds.units["H2"].valid_to == D(2024, 6, 30)

    def test_members_and_cadres_on_a_date(self):
        """Members and cadres of a unit are those of that date."""
        base = self._ds()
        units = [*base.units.values(), _unit("C", dm.Level.BRANCH, "X3")]
        ds = dm.Dataset.build(base.meta, units, cadres=[dm.Cadre(id="A", name="A")],
                              positions=[dm.Position(cadre_id="A", unit_id="H2",
                                                     role=dm.Role.SECRETARY, start=D(2024, 1, 1),
                                                     end=D(2024, 6, 30))],
                              members=[dm.Member(id="m", branch_id="C",
                                                 joined_on=D(2024, 3, 1))])
        ds = dm.reorg.move(ds, "X3", "H1", D(2024, 7, 1))
        assert [m.id for m in ds.members_of("H2", D(2024, 6, 1))] == ["m"]
        assert ds.members_of("H2", D(2024, 7, 1)) == []
        assert [m.id for m in ds.members_of("H1", D(2024, 7, 1))] == ["m"]
        assert [c.id for c in ds.cadres_of("H2", D(2024, 6, 1))] == ["A"]
        assert ds.cadres_of("H2", D(2024, 7, 1)) == []


# ----------------------------------------------------------------------------- properties
DATES = st.dates(min_value=D(2020, 1, 2), max_value=D(2027, 12, 31))


@st.composite
def moved_trees(draw):
    """A valid tree under one central root, then a few valid moves on random dates."""
    versions = draw(trees(max_units=20))
    units = [_unit("TW", dm.Level.CENTRAL)] + [
        dm.Unit(id=v.id, versions=(v if v.parent_id else
                                   dm.UnitVersion(id=v.id, name=v.name, level=v.level,
                                                  parent_id="TW"),)) for v in versions]
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="TW"), units)
    for _ in range(draw(st.integers(0, 4))):
        day = draw(DATES)
        movable = [u for u in ds.units.values() if u.at(day) and u.at(day).level not in
                   (dm.Level.CENTRAL, dm.Level.PROVINCE)]
        if not movable:
            break
        unit = draw(st.sampled_from(sorted(movable, key=lambda u: u.id)))
        level = unit.at(day).level
        parents = sorted(u.id for u in ds.units.values() if u.at(day) and u.id != unit.id and
                         level in CHILD_LEVELS.get(u.at(day).level, ()))
        if parents:
            ds = dm.reorg.move(ds, unit.id, draw(st.sampled_from(parents)), day)
    return ds


@given(moved_trees(), DATES)
def test_tree_on_any_date_is_a_forest_with_levels_descending(ds, day):
    """On any date, every unit's parent exists that day, is shallower, and there is no cycle."""
    for v in ds.units_on(day):
        seen = {v.id}
        cur = v
        while cur.parent_id is not None:
            parent = ds.units[cur.parent_id].at(day)
            assert parent is not None and parent.level.depth < cur.level.depth
            assert parent.id not in seen
            seen.add(parent.id)
            cur = parent


@given(moved_trees(), DATES, st.data())
def test_move_then_inverse_restores(ds, day, data):
    """Moving a unit and moving it back on the same day restores the versions exactly."""
    movable = sorted(u.id for u in ds.units.values()
                     if u.at(day) and u.at(day).parent_id is not None)
    if not movable:
        return
    uid = data.draw(st.sampled_from(movable))
    # a needless cut (two adjacent versions alike) may be joined by the inverse: the tree is the
    # same on every day, the versions are not (test_needless_cut_is_joined_not_changed)
    assume(not _needless_cut(ds.units[uid]))
    old_parent = ds.units[uid].at(day).parent_id
    other = data.draw(st.sampled_from(sorted(ds.units)))
    back = dm.reorg.move(dm.reorg.move(ds, uid, other, day), uid, old_parent, day)
    assert back.units == ds.units


def _needless_cut(unit):
    vs = unit.versions
    return any(a.valid_to is not None and b.valid_from == a.valid_to + dt.timedelta(days=1)
               and attrs.evolve(a, valid_from=None, valid_to=None)
               == attrs.evolve(b, valid_from=None, valid_to=None) for a, b in pairwise(vs))


def test_needless_cut_is_joined_not_changed():
    """Found by Hypothesis: with a needless cut (P5 until 31/12/2020, P5 again from 1/1/2021), a
    move on 1/1/2021 and its inverse join the two: every day has the same parent as before."""
    units = [_unit("P", dm.Level.PROVINCE), _unit("Q", dm.Level.PROVINCE),
             _unit("A", dm.Level.UPPER_GRASSROOTS, "P"), _unit("B", dm.Level.UPPER_GRASSROOTS, "Q"),
             dm.Unit(id="X", versions=(
                 dm.UnitVersion(id="X", name="X", level=dm.Level.GRASSROOTS, parent_id="A",
                                valid_to=D(2020, 12, 31)),
                 dm.UnitVersion(id="X", name="X", level=dm.Level.GRASSROOTS, parent_id="A",
                                valid_from=D(2021, 1, 1))))]
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="P"), units)
    back = dm.reorg.move(dm.reorg.move(ds, "X", "B", D(2021, 1, 1)), "X", "A", D(2021, 1, 1))
    assert len(back.units["X"].versions) == 1
    for day in (D(2019, 5, 1), D(2020, 12, 31), D(2021, 1, 1), D(2030, 1, 1)):
        assert back.parent("X", day) == ds.parent("X", day) == "A"


def test_move_to_the_same_parent_cuts_nothing():
    """Moving a unit to the parent it already has changes nothing (no needless cut)."""
    units = [_unit("P", dm.Level.PROVINCE), _unit("A", dm.Level.UPPER_GRASSROOTS, "P"),
             _unit("X", dm.Level.GRASSROOTS, "A")]
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="P"), units)
    assert dm.reorg.move(ds, "X", "A", D(2021, 1, 1)).units == ds.units


@given(moved_trees(), st.lists(st.tuples(st.integers(0, 30), DATES, st.integers(1, 9)),
                               max_size=30))
def test_rollup_nothing_lost_or_counted_twice(ds, events):
    """Whatever the structure on each date, root totals equal the sum of all amounts."""
    ids = sorted(ds.units)
    amounts = defaultdict(int)
    total = 0
    for pick, day, amount in events:
        code = ds.unit_index[ids[pick % len(ids)]]
        amounts[(code, day.toordinal())] += amount
        total += amount
    assert ds.rollup(amounts).get("TW", 0) == total


@given(moved_trees(), st.lists(st.tuples(st.integers(0, 30), DATES, st.integers(0, 9)),
                               max_size=40), st.sampled_from([1, 10**9]))
def test_rollup_bottom_up_equals_ancestor_chains(ds, events, share):
    """Both ways of rolling an epoch up (bottom-up over the whole tree, or each key's ancestor
    chain) give every unit the sum of the amounts at it and, on each amount's day, below it."""
    from doanmodel.dataset import _rollup

    ids = sorted(ds.units)
    amounts = defaultdict(int)
    for pick, day, amount in events:
        amounts[(ds.unit_index[ids[pick % len(ids)]], day.toordinal())] += amount
    expected = defaultdict(int)  # by definition: the unit and ds.ancestors on that day
    for (code, ordinal), amount in amounts.items():
        uid, day = ds.unit_ids[code], D.fromordinal(ordinal)
        above = ds.ancestors(uid, day) if ds.units[uid].at(day) else []
        for u in (uid, *above):
            expected[u] += amount
    old = _rollup.BOTTOM_UP_SHARE
    _rollup.BOTTOM_UP_SHARE = share  # 1: never bottom-up (unless all units are keys); 10**9: always
    try:
        got = _rollup.rollup(ds, amounts)
    finally:
        _rollup.BOTTOM_UP_SHARE = old
    assert got == dict(expected)


@given(moved_trees())
def test_provinces_in_bulk_equal_province_of(ds):
    """The one-pass province of every unit in an epoch (used once many units are asked) is
    the first province-level unit on the unit's ancestor chain that day, itself included."""
    from doanmodel.dataset._rollup import epoch_day, provinces

    points = ds._change_points()
    for epoch in range(len(points) + 1):
        day = D.fromordinal(epoch_day(points, epoch))
        expected = {}
        for code, uid in enumerate(ds.unit_ids):
            if ds.units[uid].at(day) is None:
                continue
            chain = [uid, *ds.ancestors(uid, day)]
            expected[(code, epoch)] = next(
                (u for u in chain if ds.units[u].at(day).level is dm.Level.PROVINCE), None)
        assert provinces(ds, epoch) == expected


@given(moved_trees())
def test_moved_trees_validate(ds):
    """A tree after any valid moves writes out and loads as a valid dataset."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        back = dm.load_dataset(dm.write_dataset(ds, f"{tmp}/ds"))
    assert back.units == ds.units


class TestCensus:
    def test_2021_review_figures(self):
        """The census reproduces the figures of the 15/11/2021 review."""
        c = dm.census(dm.load_dataset(EXAMPLES / "can-bo-2021"), D(2021, 11, 15))
        p = c.row("province")
        assert (p.committee, p.standing, p.secretaries, p.deputies, p.full_time) == \
            (30, 9, 1, 2, 19)
        assert set(p.education) <= {"Đại học", "Thạc sĩ"}  # 100% đại học trở lên
        d = c.row("upper_grassroots.territorial")
        assert (d.full_time, d.secretaries, d.deputies, d.units) == (30, 9, 7, 9)
        a = c.row("upper_grassroots.attached")
        assert (a.cadres, a.secretaries, a.deputies) == (22, 9, 13)
        assert c.row("grassroots").secretaries == 143

    def test_as_of_date(self):
        """Positions that ended before the date are not counted."""
        c = dm.census(dm.load_dataset(EXAMPLES / "can-bo-2021"), D(2017, 1, 1))
        assert c.rows == ()

    def test_outputs(self):
        """Census renders as a table in vi/en, JSON and CSV."""
        c = dm.census(dm.load_dataset(EXAMPLES / "can-bo-2021"), D(2021, 11, 15))
        assert "chuyên trách" in c.to_table() and "full-time" in c.to_table("en")
        assert '"committee": 30' in c.to_json()
        assert c.to_csv().count("\n") == 5


def test_cluster_member_ended_mid_year(engine):
    """A cluster member that ended during the year is scored but not ranked nor awarded."""
    units = [_unit("T", dm.Level.PROVINCE),
             dm.Unit(id="H1", versions=(dm.UnitVersion(id="H1", name="Huyện đoàn 1",
                                                       level=dm.Level.UPPER_GRASSROOTS,
                                                       parent_id="T", valid_to=D(2025, 6, 30)),)),
             _unit("H2", dm.Level.UPPER_GRASSROOTS, "T"), _unit("H3", dm.Level.UPPER_GRASSROOTS,
                                                                "T")]
    inds = [dm.Indicator(unit_id=u, period=dm.Period(2025), indicator="n", value=v)
            for u, v in (("H1", 9), ("H2", 5), ("H3", 7))]
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="T", year=2025), units, indicators=inds,
                          clusters=[dm.Cluster(id="c", name="Cụm", year=2025,
                                               members=("H1", "H2", "H3"))])
    cs = dm.parse_criteria({"id": "x", "title": "x", "source": "x", "year": 2025,
                            "criterion": [{"id": "n", "points": 10, "method": "count",
                                           "points_each": 1, "indicator": "n"}],
                            "award": [{"rank": 1, "title": "Cờ thi đua"}]})
    board = engine.score(ds, criteria=cs)
    ranks = {s.unit_id: (s.rank, s.award, s.total) for s in board.clusters[0].standings}
    assert ranks == {"H3": (1, "Cờ thi đua", 7), "H2": (2, None, 5), "H1": (None, None, 9)}
    _, h1 = board.standing("H1")
    assert "30/06/2025" in h1.unranked_reason.vi


def test_move_inside_a_version_that_a_later_one_follows():
    """Found by Hypothesis: moving inside a version followed by one with the new parent, then
    moving back, restores both versions (the later change is not swallowed)."""
    units = [_unit("P", dm.Level.PROVINCE), _unit("A", dm.Level.UPPER_GRASSROOTS, "P"),
             dm.Unit(id="X", versions=(
                 dm.UnitVersion(id="X", name="X", level=dm.Level.GRASSROOTS, parent_id="A",
                                valid_to=D(2020, 1, 31)),
                 dm.UnitVersion(id="X", name="X", level=dm.Level.GRASSROOTS, parent_id="P",
                                valid_from=D(2020, 2, 1))))]
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="P"), units)
    moved = dm.reorg.move(ds, "X", "P", D(2020, 1, 2))
    assert moved.parent("X", D(2020, 1, 2)) == "P" and moved.parent("X", D(2020, 1, 1)) == "A"
    assert dm.reorg.move(moved, "X", "A", D(2020, 1, 2)).units == ds.units


def _chain_of_moves():
    """U3 under U1 until 2/1/2025, then under U2 (a move dated after the merge below)."""
    units = [_unit("P0", dm.Level.PROVINCE),
             _unit("U1", dm.Level.UPPER_GRASSROOTS, "P0"),
             _unit("U2", dm.Level.UPPER_GRASSROOTS, "P0"),
             _unit("U3", dm.Level.GRASSROOTS, "U1")]
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="P0"), units)
    return dm.reorg.move(ds, "U3", "U2", D(2025, 1, 3))


def test_merge_takes_the_children_that_move_in_later(tmp_path):
    """Merging U2 into U1 on 2/1/2025 also re-points U3's later version (under U2 from 3/1):
    the result validates, and U3 is under U1 on every day (found by Hypothesis)."""
    ds = dm.reorg.merge(_chain_of_moves(), ["U1", "U2"], "U1", D(2025, 1, 2))
    back = dm.load_dataset(dm.write_dataset(ds, tmp_path / "ds"))
    for day in (D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 3), D(2026, 1, 1)):
        assert back.parent("U3", day) == "U1"
    assert ds.units["U2"].versions[-1].valid_to == D(2025, 1, 1)


def test_dissolve_refuses_a_unit_a_child_moves_under_later():
    """Dissolving U2 on 2/1/2025 is refused while U3 moves under it on 3/1/2025."""
    with pytest.raises(dm.DoanmodelError, match="U3"):
        dm.reorg.dissolve(_chain_of_moves(), "U2", D(2025, 1, 2))


def test_split_must_give_away_the_children_that_move_in_later(tmp_path):
    """A split of U2 on 2/1/2025 must place U3 too (under U2 from 3/1/2025)."""
    ds = _chain_of_moves()
    with pytest.raises(dm.DoanmodelError, match="U3"):
        dm.reorg.split(ds, "U2", {"U2a": ("Mới", [])}, D(2025, 1, 2))
    done = dm.reorg.split(ds, "U2", {"U2a": ("Mới", ["U3"])}, D(2025, 1, 2))
    back = dm.load_dataset(dm.write_dataset(done, tmp_path / "ds"))
    assert back.parent("U3", D(2025, 1, 2)) == "U1"
    assert back.parent("U3", D(2025, 1, 3)) == "U2a"


@pytest.mark.parametrize("name", ["merge", "move", "split", "rename", "dissolve",
                                  "successor_chain"])
def test_top_level_reorg_names_are_deprecated(name):
    """dm.merge and the other tree-changing names still work for one release, with a
    DeprecationWarning naming dm.reorg; they are the functions of dm.reorg."""
    with pytest.warns(DeprecationWarning, match=rf"doanmodel\.{name} is deprecated.*"
                                                rf"doanmodel\.reorg\.{name}"):
        old = getattr(dm, name)
    assert old is getattr(dm.reorg, name)
    assert name not in dm.__all__ and name in dm.reorg.__all__
