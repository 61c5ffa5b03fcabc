"""The public surface: what __all__ offers is documented, importable, and deprecations warn."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import doanmodel as dm
from doanmodel.testing import plugin_engine, tiny_dataset

API = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_public_name_is_documented_and_importable():
    """docs/api.md lists every name of dm.__all__, and each one resolves."""
    documented = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", API))
    missing = [n for n in dm.__all__ if n not in documented and n != "__version__"]
    assert missing == []
    for name in dm.__all__:
        assert getattr(dm, name) is not None


@pytest.mark.parametrize("name", ["Facts", "MemberTable", "MeetingTable", "CUTOVER",
                                  "quota_rows", "fold", "nfc", "merge", "move", "split",
                                  "rename", "dissolve", "successor_chain"])
def test_deprecated_aliases_warn_and_still_work(name):
    """A deprecated name is out of __all__, still resolves, and says what to use instead."""
    assert name not in dm.__all__
    with pytest.warns(DeprecationWarning, match="goes in 0.3: use"):
        assert getattr(dm, name) is not None


def test_quota_rows_alias_gives_the_query_answer():
    """The deprecated quota_rows(ctx) gives what ctx.query.quota() gives."""
    ds = tiny_dataset(("P1",))
    ctx = plugin_engine().context(ds, 2024)
    with pytest.warns(DeprecationWarning):
        rows = dm.quota_rows(ctx)
    assert dict(rows) == dict(ctx.query.quota()) and rows


def test_version():
    """The package says its version, the CLI the same."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", dm.__version__)


def test_a_dataset_keeps_its_indexes_in_one_typed_object():
    """No string-keyed cache: every derived index is a declared field of DatasetIndex, and
    asking a dataset something fills only its own index (two datasets never share one)."""
    import re

    from doanmodel.dataset._index import DatasetIndex

    src = Path(dm.__file__).parent
    offenders = [f"{p.relative_to(src)}:{n}" for p in src.rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\b(ds|dataset|self\._ds|unwrap\(ds\))\._cache\b", line)]
    assert offenders == []
    a = dm.load_dataset(Path(__file__).parent.parent / "examples" / "tra-vinh-2019")
    b = dm.load_dataset(Path(__file__).parent.parent / "examples" / "tra-vinh-2019")
    dm.Engine(load_entry_points=False).check(a, 2019)
    assert isinstance(a._index, DatasetIndex) and a._index.visits_by_cadre
    assert b._index.visits_by_cadre is None and a == b
