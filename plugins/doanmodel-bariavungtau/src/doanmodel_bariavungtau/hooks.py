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
            "overrides": ["visits.exempt_reasons", "visits.exempt_whole_year",
                          "visits.require_order"]}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    # the plan covers 2018–2022: used later, each value is "extended, no document"
    end = "2022-12-31"
    return [{"name": "visits.require_order", "from": "2018-01-01", "value": True, "until": end,
             "source": SPLIT["source"] + ": chỉ tính ngày có công lệnh hoặc quyết định cử đi"},
            {"name": "visits.exempt_reasons", "from": "2018-01-01", "until": end,
             "value": ["maternity", "long_study", "sick_leave"],
             "source": SPLIT["source"] + ": miễn cán bộ học dài hạn từ 6 tháng, ốm dài ngày, "
             "nghỉ thai sản"},
            {"name": "visits.exempt_whole_year", "from": "2018-01-01", "value": True,
             "until": end, "source": SPLIT["source"] + ": những cán bộ này được miễn (cả năm)"}]


@hookimpl
def doanmodel_rules() -> list[Any]:
    return [SPLIT_RULE]
