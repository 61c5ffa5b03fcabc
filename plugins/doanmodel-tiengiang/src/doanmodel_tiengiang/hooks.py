"""Hook implementations of the Tiền Giang plugin (only hooks, no logic)."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from doanmodel import PLUGIN_API, hookimpl

from .methods import TARGET_BANDS, WORKING_SESSIONS
from .programmes import NANG_CHAT, NANG_CHAT_TOPICS


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    return {"name": "tiengiang", "version": "1.0.0", "api": PLUGIN_API,
            "title": "Tỉnh Đoàn Tiền Giang", "provinces": ["TG"], "start": "2024-01-01",
            "end": "2025-06-30",
            "sources": ["Tỉnh Đoàn Tiền Giang, làm việc, củng cố và nâng chất cơ sở Đoàn năm 2024",
                        "Nghị quyết 202/2025/QH15 (hợp nhất với Đồng Tháp từ 1/7/2025)"]}


@hookimpl
def doanmodel_scoring_methods() -> list[Any]:
    return [TARGET_BANDS]


@hookimpl
def doanmodel_indicators() -> list[Any]:
    return [WORKING_SESSIONS]


@hookimpl
def doanmodel_criteria_sets() -> list[Any]:
    return [files("doanmodel_tiengiang") / "criteria.toml"]


@hookimpl
def doanmodel_programme_kinds() -> list[Any]:
    return [NANG_CHAT]


@hookimpl
def doanmodel_rules() -> list[Any]:
    return [NANG_CHAT_TOPICS]
