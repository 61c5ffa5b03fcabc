"""A Cần Thơ rule that divides by zero."""

import doanmodel as dm


@dm.hookimpl
def doanmodel_plugin_info():
    return {"name": "ct-raises", "version": "6.6.6", "api": dm.PLUGIN_API, "provinces": ["CT"],
            "end": "2025-06-30",
            "sources": ["thử nghiệm"]}


def _boom(ctx):
    return [1 / 0]


@dm.hookimpl
def doanmodel_rules():
    return [dm.Rule(id="ct.boom", title=dm.Text("Luật hỏng", "Broken rule"),
                    source="thử nghiệm", evaluate=_boom)]
