"""Tests for JSON and dataset-directory round trips, and for the loader's normalisation."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given

import doanmodel as dm
from conftest import DATA, EXAMPLES
from strategies import tree_dataset, trees

ALL_EXAMPLES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "dataset.toml").exists())


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_examples_round_trip_through_json(name):
    """Every example dataset survives dataset → JSON → dataset unchanged."""
    ds = dm.load_dataset(EXAMPLES / name)
    assert dm.dataset_from_json(dm.dataset_to_json(ds)) == ds


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_examples_round_trip_through_a_directory(name, tmp_path):
    """Every example written as a dataset directory loads back equal."""
    ds = dm.load_dataset(EXAMPLES / name)
    assert dm.load_dataset(dm.write_dataset(ds, tmp_path / name)) == ds


def test_synth_round_trip(tiny, tmp_path):
    """A synthetic dataset (members and meetings in column tables) round-trips both ways."""
    assert dm.dataset_from_json(dm.dataset_to_json(tiny)) == tiny
    assert dm.load_dataset(dm.write_dataset(tiny, tmp_path / "t")) == tiny


def test_good_corpus_round_trip(tmp_path):
    """The test corpus's base dataset (all files, x_-free) round-trips."""
    ds = dm.load_dataset(DATA / "good")
    assert dm.load_dataset(dm.write_dataset(ds, tmp_path / "g")) == ds


@given(trees())
def test_any_valid_tree_validates(versions):
    """Any generated valid organisation tree is accepted by the loader."""
    import tempfile

    ds = tree_dataset(versions)
    with tempfile.TemporaryDirectory() as tmp:
        assert dm.load_dataset(dm.write_dataset(ds, f"{tmp}/d")).units == ds.units


@given(trees(max_units=15))
def test_cycle_or_inversion_is_rejected_with_its_line(versions):
    """Making a unit its own descendant's child, or putting it under a deeper unit, is
    rejected at the line of that unit's row."""
    import tempfile

    from hypothesis import assume

    child = next((v for v in versions if v.parent_id), None)
    assume(child is not None)
    parent = next(v for v in versions if v.id == child.parent_id)
    # the parent now hangs under its own child: a cycle, and a level inversion
    broken = [dm.UnitVersion(id=v.id, name=v.name, level=v.level,
                             parent_id=child.id if v.id == parent.id else v.parent_id)
              for v in versions]
    line = 2 + [v.id for v in broken].index(parent.id)
    with tempfile.TemporaryDirectory() as tmp:
        path = dm.write_dataset(tree_dataset(broken), f"{tmp}/d")
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(path)
    problems = [(p.file, p.line, p.column) for p in info.value.problems]
    assert ("units.csv", line, "level") in problems
    cycle = [p for p in info.value.problems if "cycle" in p.message.en]
    assert len(cycle) == 1 and cycle[0].line == min(line, 2 + [v.id for v in broken]
                                                    .index(child.id))


class TestNormalisation:
    def test_nfd_becomes_nfc(self, tmp_path):
        """Names typed in NFD are stored in NFC; nothing on disk changes."""
        src = tmp_path / "d"
        shutil.copytree(EXAMPLES / "tien-giang-2024", src)
        cadres = src / "cadres.csv"
        import unicodedata

        nfd = unicodedata.normalize("NFD", cadres.read_text(encoding="utf-8"))
        cadres.write_text(nfd, encoding="utf-8")
        ds = dm.load_dataset(src)
        assert ds.cadres["TG-BT"].name == "Nguyễn Quang Minh"
        assert cadres.read_text(encoding="utf-8") == nfd

    def test_bom_dmy_dates_and_own_columns(self, tmp_path):
        """A BOM, DD/MM/YYYY dates and x_ columns are accepted; x_ values are kept."""
        src = tmp_path / "d"
        shutil.copytree(EXAMPLES / "tien-giang-2024", src)
        (src / "visits.csv").write_text(
            "\ufeffid,cadre_id,unit_id,start,end,purpose,order_ref,report_on,x_ghi_chu\n"
            "v1,TG-BT,TG-CL,24/04/2024,,consolidation,,30/04/2024,làm việc\n", encoding="utf-8")
        ds = dm.load_dataset(src)
        v = ds.visits[0]
        assert v.start.isoformat() == "2024-04-24" and v.extra == {"x_ghi_chu": "làm việc"}
        back = dm.load_dataset(dm.write_dataset(ds, tmp_path / "out"))
        assert back.visits[0].extra == {"x_ghi_chu": "làm việc"}
