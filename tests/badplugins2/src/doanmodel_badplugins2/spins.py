"""Its rule loops forever inside one C call, holding the GIL."""

import collections
import itertools

import doanmodel as dm

from . import info, rule


def _spins(ctx):
    collections.deque(itertools.repeat(None), maxlen=0)
    return []


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-spins")


@dm.hookimpl
def doanmodel_rules():
    return [rule("vl.spins", _spins)]
