"""Pausing the cyclic garbage collector around work that allocates much and frees little."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["without_cyclic_gc"]

_P = ParamSpec("_P")
_T = TypeVar("_T")


def without_cyclic_gc(fn: Callable[_P, _T]) -> Callable[_P, _T]:
    """
    Run *fn* with the cyclic garbage collector paused, and the caller's setting restored after
    (also when *fn* raises). Loading a dataset, building one from a store's typed rows and a
    national run of rules allocate millions of objects and free almost none: the collector would
    re-scan the growing heap again and again for nothing (a national check: 9.2 s → 6.7 s).
    Reference counting still frees everything acyclic.
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper
