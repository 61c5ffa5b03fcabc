"""Its rule clears the shared answers and the dataset's visit index."""

import doanmodel as dm

from . import info, rule


def _clears(ctx):
    for fn in (ctx.query.branch_months, ctx.query.quota, ctx.query.meeting_counts):
        try:
            fn().clear()
        except AttributeError:
            pass
    for cadre in list(ctx.dataset.cadres):
        try:
            ctx.dataset.visits_by_cadre(cadre).clear()
        except AttributeError:
            pass
    return []


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-answers")


@dm.hookimpl
def doanmodel_rules():
    return [rule("vl.answers", _clears)]
