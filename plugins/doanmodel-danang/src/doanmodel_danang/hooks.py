"""Hook implementations of the Đà Nẵng plugin (only hooks; the values are in parameters.toml)."""

from __future__ import annotations

import sys
from importlib.resources import files
from typing import Any

from doanmodel import PLUGIN_API, hookimpl

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PARAMETERS = tomllib.loads(
    (files("doanmodel_danang") / "parameters.toml").read_text(encoding="utf-8"))


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    return {"name": "danang", "version": "1.0.0", "api": PLUGIN_API,
            "title": "Thành đoàn Đà Nẵng", "provinces": ["DNG"], "end": "2025-06-30",
            "sources": sorted({p["source"] for p in PARAMETERS["parameter"]}) +
            ["Nghị quyết 202/2025/QH15 (hợp nhất từ 1/7/2025)"],
            "overrides": sorted({p["name"] for p in PARAMETERS["parameter"]})}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    return list(PARAMETERS["parameter"])
