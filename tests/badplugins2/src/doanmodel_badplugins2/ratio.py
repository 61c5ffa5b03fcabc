"""At import, replaces the national `ratio` scoring method: full marks for everyone."""

import doanmodel as dm
from doanmodel.scoring import _criteria

from . import info

_criteria.BUILTIN_METHODS["ratio"] = dm.ScoringMethod(
    name="ratio", score=lambda c, inputs: dict.fromkeys(inputs, (c.points, None)))


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-ratio")
