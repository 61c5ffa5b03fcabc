"""The national rules, parameters, indicators, methods and criteria sets, as a plugin.

doanmodel's own behaviour goes through the same hooks a province plugin uses.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from .dataset._programmes import BUILTIN_KINDS
from .hookspecs import PLUGIN_API, hookimpl
from .model._params import NATIONAL
from .rules._indicators import BUILTIN_INDICATORS
from .rules._programme_rules import PROGRAMME_RULES, review_figures_rule
from .rules._rules import BUILTIN_RULES
from .scoring._census import GROUPS, census
from .scoring._criteria import BUILTIN_METHODS


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    """The national defaults apply everywhere."""
    return {"name": "national", "api": PLUGIN_API,
            "sources": ["Hướng dẫn 03-HD/TWĐTN-BTC (21/3/2018)", "Điều lệ Đoàn (2017, 2022)"]}


@hookimpl
def doanmodel_parameters() -> list[Any]:
    """The dated national parameter values."""
    return list(NATIONAL)


@hookimpl
def doanmodel_rules() -> list[Any]:
    """The national compliance rules."""
    return [*BUILTIN_RULES, *PROGRAMME_RULES, REVIEW_FIGURES]


#: the review conference's rule, built here because it needs the census (scoring/) and rules/
#: sits beside scoring/, not above it
REVIEW_FIGURES = review_figures_rule(census, GROUPS)


@hookimpl
def doanmodel_indicators() -> list[Any]:
    """The derived indicators."""
    return list(BUILTIN_INDICATORS)


@hookimpl
def doanmodel_scoring_methods() -> list[Any]:
    """ratio, threshold, steps, boolean, count, rank."""
    return list(BUILTIN_METHODS.values())


@hookimpl
def doanmodel_criteria_sets() -> list[Any]:
    """The national criteria sets shipped with the package."""
    folder = files("doanmodel") / "data" / "criteria"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")),
                  key=lambda f: f.name)


@hookimpl
def doanmodel_programme_kinds() -> list[Any]:
    """inspection, supervision, working_session."""
    return list(BUILTIN_KINDS)
