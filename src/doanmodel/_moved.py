"""Old private module paths that tests and scripts still import, for one release.

A module moved to its layer keeps working under its old name through this finder: importing
the old name gives the *same* module object as the new one (so patching an attribute through
either name patches the one module). No file stands at the old path, so nothing below a layer
imports a module above it; docs/decisions.md ("Moved modules keep their old names").
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import Any

__all__ = ["MOVED", "install"]

#: old dotted name → new dotted name
MOVED = {
    "doanmodel._render": "doanmodel._output.text",
    "doanmodel.dataset._store": "doanmodel.query._store",
    "doanmodel.dataset._storetyped": "doanmodel.query._storetyped",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old name and loads it as the module of its new name."""

    def __init__(self) -> None:
        self._specs: dict[str, tuple[importlib.machinery.ModuleSpec | None, Any]] = {}

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(MOVED[spec.name])
        self._specs[module.__name__] = module.__spec__, module.__loader__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """The module already ran under its new name: give it back its own spec and loader
        (the import system set the old name's)."""
        module.__spec__, module.__loader__ = self._specs.pop(module.__name__)


_FINDER = _Alias()


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.append(_FINDER)
