"""With the province packages installed (as the tox suite does), the default engine finds them
through their entry points and they change results for their own province only."""

from __future__ import annotations

import importlib.metadata
import json

import pytest

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.testing import tiny_dataset

PACKAGES = {"danang": "doanmodel-danang", "bariavungtau": "doanmodel-bariavungtau",
            "tiengiang": "doanmodel-tiengiang", "quangtri": "doanmodel-quangtri"}


def _installed(dist: str) -> bool:
    try:
        importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


needs_plugins = pytest.mark.skipif(not all(map(_installed, PACKAGES.values())),
                                   reason="the plugins/ packages are not installed")


@needs_plugins
def test_doanmodel_plugins_lists_them(capsys):
    """`doanmodel plugins` lists each installed package with its province and dates."""
    assert main(["plugins", "--format", "json"]) == 0
    listed = {p["name"]: p for p in json.loads(capsys.readouterr().out)["plugins"]}
    assert set(PACKAGES) <= set(listed)
    assert listed["danang"]["provinces"] == ["DNG"] and listed["danang"]["end"] == "2025-06-30"
    assert all(listed[n]["error"] is None for n in PACKAGES)


@needs_plugins
def test_results_change_for_their_province_only():
    """With entry points loaded, Đà Nẵng owes 30 days and Bà Rịa – Vũng Tàu gets its split rule;
    a third province is exactly as without plugins."""
    ds = tiny_dataset(("DNG", "BRVT", "HN"), year=2024)
    plugged = dm.Engine().check(ds, 2024)
    plain = dm.Engine(load_entry_points=False).check(ds, 2024)
    assert plugged.finding("visits.quota", "DNG-CB1").threshold == 30
    assert {f.province for f in plugged.by_rule("brvt.visits.split")} == {"BRVT"}
    key = lambda f: (f.rule, f.subject_id)  # noqa: E731
    assert sorted((f for f in plugged.findings if f.province == "HN"), key=key) == \
        sorted((f for f in plain.findings if f.province == "HN"), key=key)


@needs_plugins
def test_only_the_named_plugin(capsys):
    """`--plugin danang` loads that one only."""
    assert main(["plugins", "--format", "json", "--plugin", "danang"]) == 0
    names = {p["name"] for p in json.loads(capsys.readouterr().out)["plugins"]}
    assert names == {"national", "danang"}
