"""Shared fixtures and Hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import doanmodel as dm

# too_slow causes more trouble than good on shared CI machines
settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("dev", max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("thorough", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(name="engine", scope="session")
def _engine() -> dm.Engine:
    """An engine with the national rules only (no installed plugin)."""
    return dm.Engine(load_entry_points=False)


@pytest.fixture(name="tra_vinh", scope="session")
def _tra_vinh() -> dm.Dataset:
    return dm.load_dataset(EXAMPLES / "tra-vinh-2019")


@pytest.fixture(name="clusters_2023", scope="session")
def _clusters_2023() -> dm.Dataset:
    return dm.load_dataset(EXAMPLES / "cum-thi-dua-2023")


@pytest.fixture(name="tiny_path", scope="session")
def _tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "tiny"
    dm.synth(out, scale="tiny", seed=7, year=2024)
    return out


@pytest.fixture(name="tiny", scope="session")
def _tiny(tiny_path: Path) -> dm.Dataset:
    return dm.load_dataset(tiny_path)


@pytest.fixture(name="copy_example")
def _copy_example(tmp_path: Path):
    """Copy an example dataset to a temporary folder, so a test may edit it."""

    def copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copytree(EXAMPLES / name, dst)
        return dst

    return copy
