"""``doanmodel new-plugin``: write a working province plugin package to start from."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["new_plugin"]

_PYPROJECT = '''[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "doanmodel-{name}"
version = "0.1.0"
description = "doanmodel plugin for {title}"
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["doanmodel>=0.1"]

[project.entry-points.doanmodel]
{name} = "doanmodel_{module}.hooks"

[tool.hatch.build.targets.wheel]
packages = ["src/doanmodel_{module}"]
'''

_HOOKS = '''"""Hook implementations of the {title} plugin (only hooks; the values are in parameters.toml)."""

from __future__ import annotations

import sys
from importlib.resources import files
from typing import Any

from doanmodel import PLUGIN_API, hookimpl

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PARAMETERS = tomllib.loads((files(__package__) / "parameters.toml").read_text(encoding="utf-8"))


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    return {{"name": "{name}", "version": "0.1.0", "api": PLUGIN_API, "title": "{title}",
            "provinces": ["{province}"], "start": {start}, "end": {end},
            "sources": sorted({{p["source"] for p in PARAMETERS["parameter"]}}),
            "overrides": sorted({{p["name"] for p in PARAMETERS["parameter"]}})}}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    return list(PARAMETERS["parameter"])
'''

_PARAMETERS = '''# Dated values this province sets instead of the national ones (docs/parameters.md lists the
# names). Every value needs the document it comes from. Replace this example with yours.
[[parameter]]
name = "visits.min_days"
from = 2018-01-01
value = 60
source = "Kế hoạch … của Ban Thường vụ {title} (replace with the real document)"
'''

_TEST = '''"""Tests for the {title} plugin."""

from doanmodel.testing import check_conformance, plugin_engine, tiny_dataset
from doanmodel_{module} import hooks


def test_only_my_province():
    """The plugin's values apply to {province}, and another province keeps the national ones."""
    ds = tiny_dataset(("{province}", "OTHER"), year={year})
    report = plugin_engine(hooks).check(ds, {year}, rules=["visits.quota"])
    mine = report.finding("visits.quota", "{province}-CB1")
    assert mine.threshold == 60  # change to your province's value
    assert report.finding("visits.quota", "OTHER-CB1").threshold == 60


def test_conformance():
    """The plugin passes doanmodel's conformance check."""
    assert check_conformance(hooks) == []
'''

_README = '''# doanmodel-{name}

A doanmodel plugin for **{title}** (province `{province}`). Start here: put your province's
values in `src/doanmodel_{module}/parameters.toml`, add rules or a criteria set in `hooks.py`
(see doanmodel's docs/writing-plugins.md), then:

    pip install -e . pytest hypothesis
    pytest tests
    pytest --doanmodel-conformance pyproject.toml
'''


def new_plugin(out: str | Path, *, name: str, province: str, title: str | None = None,
               start: str | None = None, end: str | None = None) -> Path:
    """
    Write a working plugin package for *province* at *out* (which must not exist or be empty).

    *name* is the entry-point name (lower case letters, digits, underscores); *start* and
    *end* are ISO dates bounding where it applies (a merged province ends on 2025-06-30).
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        msg = f"plugin name {name!r}: use lower-case letters, digits and _"
        raise ValueError(msg)
    root = Path(out)
    if root.exists() and any(root.iterdir()):
        msg = f"{root} is not empty; doanmodel never overwrites files"
        raise FileExistsError(msg)
    module = name
    title = title or f"Tỉnh đoàn {province}"
    year = int((end or "2024-12-31")[:4]) - (1 if end else 0)
    fields = {"name": name, "module": module, "province": province, "title": title,
              "start": f'"{start}"' if start else "None", "end": f'"{end}"' if end else "None",
              "year": year}
    pkg = root / "src" / f"doanmodel_{module}"
    (root / "tests").mkdir(parents=True, exist_ok=True)
    pkg.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(_PYPROJECT.format(**fields), encoding="utf-8")
    (root / "README.md").write_text(_README.format(**fields), encoding="utf-8")
    (pkg / "__init__.py").write_text(f'"""doanmodel plugin for {title}."""\n', encoding="utf-8")
    (pkg / "py.typed").write_text("", encoding="utf-8")
    (pkg / "hooks.py").write_text(_HOOKS.format(**fields), encoding="utf-8")
    (pkg / "parameters.toml").write_text(_PARAMETERS.format(**fields), encoding="utf-8")
    (root / "tests" / f"test_{module}.py").write_text(_TEST.format(**fields), encoding="utf-8")
    return root
