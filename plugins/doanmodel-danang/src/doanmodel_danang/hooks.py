"""Hook implementations of the Đà Nẵng plugin (only hooks, no logic)."""

from __future__ import annotations

from typing import Any

from doanmodel import PLUGIN_API, hookimpl

KH39 = "Kế hoạch 39 của Ban Thường vụ Thành đoàn Đà Nẵng ngày 23/5/2018 (đi cơ sở đủ 01 tháng/năm)"


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    return {"name": "danang", "version": "1.0.0", "api": PLUGIN_API,
            "title": "Thành đoàn Đà Nẵng", "provinces": ["DNG"], "end": "2025-06-30",
            "sources": [KH39, "Nghị quyết 202/2025/QH15 (hợp nhất từ 1/7/2025)"],
            "overrides": ["visits.min_days"]}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    return [{"name": "visits.min_days", "from": "2018-05-23", "value": 30, "source": KH39}]
