"""Its rule starts a non-daemon thread that sleeps 30 s."""

import threading
import time

import doanmodel as dm

from . import info, rule


def _starts(ctx):
    threading.Thread(target=time.sleep, args=(30,), daemon=False).start()
    return []


@dm.hookimpl
def doanmodel_plugin_info():
    return info("vl-thread")


@dm.hookimpl
def doanmodel_rules():
    return [rule("vl.thread", _starts)]
