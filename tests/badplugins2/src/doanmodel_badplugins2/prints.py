"""Prints at import and in its rule (on stdout, where the JSON goes)."""

import doanmodel as dm

from . import info, rule

print("vl-prints: hello from import")


def _noisy(ctx):
    print("vl-prints: {not json")
    return []


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-prints")


@dm.hookimpl
def doanmodel_rules():
    return [rule("vl.prints", _noisy)]
