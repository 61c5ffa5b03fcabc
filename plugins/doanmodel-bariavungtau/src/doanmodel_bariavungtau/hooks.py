"""Hook implementations of the Bà Rịa – Vũng Tàu plugin (only hooks, no logic)."""

from __future__ import annotations

from typing import Any

from doanmodel import PLUGIN_API, hookimpl

from .rules import SPLIT, SPLIT_RULE


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    return {"name": "bariavungtau", "version": "1.0.0", "api": PLUGIN_API,
            "title": "Tỉnh đoàn Bà Rịa – Vũng Tàu", "provinces": ["BRVT"],
            "start": "2018-01-01", "end": "2025-06-30",
            "sources": [SPLIT["source"], "Nghị quyết 202/2025/QH15 (hợp nhất từ 1/7/2025)"],
            "overrides": ["visits.require_order"]}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    return [{"name": "visits.require_order", "from": "2018-01-01", "value": True,
             "source": SPLIT["source"] + ": chỉ tính ngày có công lệnh hoặc quyết định cử đi"}]


@hookimpl
def doanmodel_rules() -> list[Any]:
    return [SPLIT_RULE]
