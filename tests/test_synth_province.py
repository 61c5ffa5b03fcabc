"""Tests for `doanmodel synth --province CODE` and `--scale region`."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main

D = dt.date
REFS = dm.reference_provinces()


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _provinces(ds):
    return {uid: u for uid, u in ds.units.items()
            if any(v.level is dm.Level.PROVINCE for v in u.versions)}


class TestProvince:
    def test_an_old_code_before_2025(self, capsys, tmp_path):
        """`--province 45` in 2024 is Quảng Trị (GSO 45), alone; the dataset validates."""
        out = tmp_path / "qt"
        assert _run(capsys, "synth", out, "--province", "45", "--year", "2024")[0] == 0
        assert _run(capsys, "validate", out)[0] == 0
        ds = dm.load_dataset(out)
        assert set(_provinces(ds)) == {"QT"}
        assert ds.units["QT"].latest.name == "Tỉnh đoàn Quảng Trị"
        assert "Quảng Trị" in ds.meta.name

    def test_a_new_code_after_2025(self, capsys, tmp_path):
        """`--province 44` is Quảng Bình in 2024 and the new Quảng Trị in 2026."""
        for year, expected in ((2024, {"QB"}), (2026, {"QT-2025"})):
            out = tmp_path / str(year)
            assert _run(capsys, "synth", out, "--province", "44", "--year", year)[0] == 0
            assert _run(capsys, "validate", out)[0] == 0
            assert set(_provinces(dm.load_dataset(out))) == expected

    def test_a_name_in_2025_brings_the_merger(self, tmp_path):
        """In 2025 the new Quảng Trị comes with Quảng Bình and Quảng Trị, which end on 30/6."""
        dm.synth(tmp_path / "m", province="quang tri", year=2025)
        ds = dm.load_dataset(tmp_path / "m")
        assert set(_provinces(ds)) == {"QB", "QT", "QT-2025"}
        for old in ("QB", "QT"):
            assert ds.units[old].valid_to == D(2025, 6, 30)
            assert ds.units[old].successor_id == "QT-2025"
        assert ds.units["QT-2025"].versions[0].valid_from == D(2025, 7, 1)

    def test_a_city_is_a_thanh_doan(self, tmp_path):
        """Huế before 2025 is the Tỉnh đoàn Thừa Thiên Huế; from 2025 the Thành đoàn Huế."""
        dm.synth(tmp_path / "a", province="Thừa Thiên Huế", year=2024)
        dm.synth(tmp_path / "b", province="hue", year=2026)
        assert dm.load_dataset(tmp_path / "a").units["HUE"].latest.name == \
            "Tỉnh đoàn Thừa Thiên Huế"
        assert dm.load_dataset(tmp_path / "b").units["HUE"].latest.name == "Thành đoàn Huế"

    @pytest.mark.parametrize(("lang", "words"), [("vi", "không có tỉnh"), ("en", "no province")])
    def test_not_on_its_dates(self, capsys, tmp_path, lang, words):
        """A province that doesn't exist in the year is exit 2, one line naming the option;
        nothing is written."""
        out = tmp_path / "x"
        code, _, err = _run(capsys, "synth", out, "--province", "QB", "--year", "2026",
                            "--lang", lang)
        assert code == 2
        assert err.count("\n") == 1 and "--province" in err and words in err and "'QB'" in err
        assert "2025-06-30" in err and "Traceback" not in err
        assert not out.exists()

    def test_unknown_in_json(self, capsys, tmp_path):
        """With --format json the error is the contract's {"errors": [...]}."""
        code, out, _ = _run(capsys, "synth", tmp_path / "x", "--province", "Atlantis",
                            "--format", "json")
        assert code == 2
        (error,) = json.loads(out)["errors"]
        assert "Atlantis" in error["message"]

    def test_not_with_national(self, capsys, tmp_path):
        """--province with --scale national is a clear error, not a silent national dataset."""
        code, _, err = _run(capsys, "synth", tmp_path / "x", "--scale", "national",
                            "--province", "TV")
        assert code == 2 and "--province" in err

    def test_same_seed_same_files(self, tmp_path):
        """A province's dataset is byte-identical for a seed."""
        a, b = tmp_path / "a", tmp_path / "b"
        dm.synth(a, province="An Giang", seed=5, year=2026)
        dm.synth(b, province="an giang", seed=5, year=2026)
        names = sorted(p.name for p in a.iterdir())
        assert filecmp.cmpfiles(a, b, names, shallow=False)[0] == names

    @settings(max_examples=30, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ref=st.sampled_from(REFS), year=st.sampled_from([2020, 2025, 2026]),
           spelling=st.sampled_from(["code", "gso", "name"]))
    @example(ref=next(p for p in REFS if p.code == "KG"), year=2020, spelling="gso")
    @example(ref=next(p for p in REFS if p.code == "AG-2025"), year=2026, spelling="gso")
    def test_any_province_on_its_dates(self, tmp_path_factory, ref, year, spelling):
        """Every one of the 63 and the 34 gives a valid dataset containing it in its years,
        and a clear UnknownProvinceError outside them."""
        query = {"code": ref.code, "gso": ref.gso, "name": ref.name}[spelling]
        out = tmp_path_factory.mktemp("p") / "ds"
        exists = ref.covers(D(year, 12, 31)) or ref.covers(D(year, 1, 1))
        try:
            dm.synth(out, province=query, year=year)
        except dm.UnknownProvinceError as exc:
            assert not exists
            assert exc.province == query
            return
        assert exists or spelling != "code"  # a shared name or GSO code may mean another
        ds = dm.load_dataset(out)
        if spelling == "code":
            assert ref.code in _provinces(ds)


def test_region(tmp_path):
    """`region` ≈ 6 provinces consecutive in GSO order, 60 upper-grassroots, 900 grassroots,
    9,000 branches, 600k members, 6k visits; valid, around Trà Vinh by default."""
    dm.synth(tmp_path / "r", scale="region", seed=1, year=2024)
    ds = dm.load_dataset(tmp_path / "r")
    provinces = _provinces(ds)
    assert sorted(dm.find_province(p, D(2024, 1, 1)).gso for p in provinces) == \
        ["82", "83", "84", "86", "87", "89"]
    levels = Counter(u.latest.level for u in ds.units.values())
    assert levels[dm.Level.UPPER_GRASSROOTS] == 60 and levels[dm.Level.GRASSROOTS] == 900
    assert levels[dm.Level.BRANCH] == 9000
    assert 540_000 <= len(ds.members) <= 660_000
    assert 5_400 <= len(ds.visits) <= 6_600
    assert ds.clusters and ds.targets


def test_region_around_a_province_after_2025(tmp_path):
    """A region of 2026 is 6 of the 34 consecutive in GSO order around the one named (Huế, 46:
    two before it, three after)."""
    dm.synth(tmp_path / "r", scale="region", seed=1, year=2026, province="Huế")
    with (tmp_path / "r" / "units.csv").open(encoding="utf-8") as f:
        codes = {r["id"] for r in csv.DictReader(f) if r["level"] == "province"}
    assert sorted(dm.find_province(c, D(2026, 1, 1)).gso for c in codes) == \
        ["42", "44", "46", "48", "51", "52"]
