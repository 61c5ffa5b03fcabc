"""Small plugins built on the fly for tests."""

from __future__ import annotations

import types
from typing import Any

from doanmodel import PLUGIN_API, hookimpl


def make(name: str, *, provinces=("P1",), start=None, end=None, api=PLUGIN_API, overrides=(),
         params=None, rules=None, methods=None, criteria=None, validate=None, info=True,
         extra_hooks=None) -> types.ModuleType:
    """A plugin module named *name* with the given contributions."""
    mod = types.ModuleType(name)
    if info:
        def doanmodel_plugin_info() -> dict[str, Any]:
            return {"name": name, "version": "0.1", "api": api, "provinces": list(provinces),
                    "start": start, "end": end, "sources": ["thử"], "overrides": list(overrides)}
        mod.doanmodel_plugin_info = hookimpl(doanmodel_plugin_info)
    if params is not None:
        mod.doanmodel_parameters = hookimpl(lambda: params)
    if rules is not None:
        mod.doanmodel_rules = hookimpl(lambda: rules)
    if methods is not None:
        mod.doanmodel_scoring_methods = hookimpl(lambda: methods)
    if criteria is not None:
        mod.doanmodel_criteria_sets = hookimpl(lambda: criteria)
    if validate is not None:
        def doanmodel_validate(dataset):
            return validate(dataset)
        mod.doanmodel_validate = hookimpl(doanmodel_validate)
    for hook_name, fn in (extra_hooks or {}).items():
        setattr(mod, hook_name, hookimpl(fn))
    return mod
