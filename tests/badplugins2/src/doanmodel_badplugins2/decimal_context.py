"""At import, sets the decimal precision to 2 digits."""

import decimal

import doanmodel as dm

from . import info

decimal.getcontext().prec = 2


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-decimal")
