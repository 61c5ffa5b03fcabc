"""Choosing the query backend by name: ``python`` (default), ``duckdb`` or ``auto``."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .exceptions import DoanmodelError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._engine import Context

__all__ = ["AUTO_MEMBERS", "choose"]

#: ``auto`` picks DuckDB (when installed) from this many members up
AUTO_MEMBERS = 200_000


def choose(name: str, ds: Dataset) -> Callable[[Context], Any] | None:
    """The query-layer factory for backend *name* on *ds* (``None``: pure Python)."""
    if name == "python":
        return None
    if name == "auto":
        if len(ds.members) < AUTO_MEMBERS:
            return None
        try:
            module = import_module("._duckdb", __package__)
        except ImportError:
            return None
        return module.backend_for(ds)  # type: ignore[no-any-return]
    if name == "duckdb":
        try:
            module = import_module("._duckdb", __package__)
        except ImportError as exc:
            raise DoanmodelError("the duckdb engine needs DuckDB: pip install "
                                 "'doanmodel[scale]'") from exc
        return module.backend_for(ds)  # type: ignore[no-any-return]
    raise DoanmodelError(f"unknown engine {name!r}: choose python, duckdb or auto")
