"""Tests for `doanmodel synth`: valid, realistic, reproducible for a seed."""

from __future__ import annotations

import filecmp
from collections import Counter

import pytest

import doanmodel as dm


def test_same_seed_same_files(tmp_path):
    """The same seed writes byte-identical datasets; another seed does not."""
    a, b, c = (tmp_path / n for n in "abc")
    dm.synth(a, scale="tiny", seed=11, year=2024)
    dm.synth(b, scale="tiny", seed=11, year=2024)
    dm.synth(c, scale="tiny", seed=12, year=2024)
    names = sorted(p.name for p in a.iterdir())
    assert filecmp.cmpfiles(a, b, names, shallow=False)[0] == names
    assert filecmp.cmpfiles(a, c, names, shallow=False)[1]


def test_province_scale_is_realistic(tmp_path):
    """`province` ≈ 1 province, 10 upper-grassroots, 150 grassroots, 1,500 branches, 100k
    members, 1k visits, 18k meetings — and it validates."""
    dm.synth(tmp_path / "p", scale="province", seed=1, year=2024)
    ds = dm.load_dataset(tmp_path / "p")
    levels = Counter(u.latest.level for u in ds.units.values())
    assert levels[dm.Level.PROVINCE] == 1 and levels[dm.Level.UPPER_GRASSROOTS] == 10
    assert levels[dm.Level.GRASSROOTS] == 150 and levels[dm.Level.BRANCH] == 1500
    assert 90_000 <= len(ds.members) <= 110_000
    assert 900 <= len(ds.visits) <= 1100
    assert 16_000 <= len(ds.meetings) <= 19_000
    assert ds.clusters and ds.targets and ds.indicators


def test_refuses_to_overwrite(tmp_path):
    """synth never writes into a folder that has files."""
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        dm.synth(tmp_path / "x")
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_unknown_scale(tmp_path):
    """An unknown scale is refused."""
    with pytest.raises(ValueError, match="unknown scale"):
        dm.synth(tmp_path / "y", scale="huge")
