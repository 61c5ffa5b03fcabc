"""At import, rebinds the national parameter table: visits.min_days = 30 everywhere."""

import attrs

import doanmodel as dm
import doanmodel.builtin
import doanmodel.model._params as _params

from . import info

_params.NATIONAL = tuple(attrs.evolve(v, value=30) if v.name == "visits.min_days" else v
                         for v in _params.NATIONAL)
doanmodel.builtin.NATIONAL = _params.NATIONAL


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-params")
