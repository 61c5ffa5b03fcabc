"""Hook implementations of the Quảng Trị plugin (only hooks, no logic)."""

from __future__ import annotations

from typing import Any

from doanmodel import PLUGIN_API, hookimpl

from .rules import PARAMETERS, REPORT_RULE, SOURCE


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    # QT is Quảng Trị until 30/6/2025 (GSO 45); QT-2025 the province formed with Quảng Bình on
    # 1/7/2025 (GSO 44), whose Tỉnh đoàn carries the plan on.
    return {"name": "quangtri", "version": "1.0.0", "api": PLUGIN_API,
            "title": "Tỉnh đoàn Quảng Trị", "provinces": ["QT", "QT-2025"],
            "start": "2020-04-13",
            "sources": [SOURCE, "Nghị quyết 202/2025/QH15 (hợp nhất với Quảng Bình từ 1/7/2025)"],
            "overrides": []}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    return list(PARAMETERS)


@hookimpl
def doanmodel_rules() -> list[Any]:
    return [REPORT_RULE]
