"""
The host's fingerprint, taken before any third-party plugin is imported (issue 23).

A plugin is ordinary Python: at import time, or in any hook it runs in-process, it can rebind
the national parameter table, a national rule or scoring method, a public function of one of
doanmodel's modules, or change the decimal context, and so change every province's results.
:class:`Integrity` records, before the first entry point loads:

- every binding of every loaded ``doanmodel`` module (``vars(module)``: functions, classes,
  tables such as ``NATIONAL`` and ``BUILTIN_METHODS``), and the ``__dict__`` of every class they
  define (a patched ``Parameters.get`` is seen);
- the contents of the national tables (``NATIONAL``, ``BUILTIN_RULES``, ``BUILTIN_METHODS`` …),
  each item's attribute values by identity, so a frozen object changed with
  ``object.__setattr__`` is seen too;
- the decimal context's settings (precision, rounding, exponent range, traps).

:meth:`Integrity.verify` compares, names the plugin that was running, puts every original back
and raises a :class:`~._boundary.PluginFault` (kind ``integrity``, exit 3): the run then goes on
with the national values, and provenance never credits a patched value to a national document.
A module of doanmodel imported later (the renderers, the DuckDB wing) is fingerprinted when first
seen, once its import has finished: a module another thread is still importing (the HTTP server
runs commands in worker threads) is left for the next look, or its docstring and late bindings
would read as a plugin's change. Verifying takes about a millisecond
(benchmarks/isolation.py).
"""

from __future__ import annotations

import decimal
import sys
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ._boundary import Guard

__all__ = ["Integrity"]

#: the national tables whose items are checked one by one: (module, name)
_TABLES = (("doanmodel.model._params", "NATIONAL"), ("doanmodel.model._params", "PARAM_TITLES"),
           ("doanmodel.rules._rules", "BUILTIN_RULES"),
           ("doanmodel.rules._indicators", "BUILTIN_INDICATORS"),
           ("doanmodel.rules._programme_rules", "PROGRAMME_RULES"),
           ("doanmodel.scoring._criteria", "BUILTIN_METHODS"),
           ("doanmodel.dataset._programmes", "BUILTIN_KINDS"))
#: names Python itself adds to modules and classes as a program runs
_IGNORED = frozenset({"__warningregistry__", "__slotnames__", "__cached__", "__loader__",
                      "__spec__", "__builtins__", "__file__", "__path__", "__package__"})

_DECIMAL_FIELDS = ("prec", "rounding", "Emin", "Emax", "capitals", "clamp")


def _ours(name: str) -> bool:
    return name == "doanmodel" or name.startswith("doanmodel.")


def _fields(obj: Any) -> tuple[Any, ...]:
    if attrs.has(type(obj)):
        return tuple(getattr(obj, a.name) for a in attrs.fields(type(obj)))
    return ()


def _items(table: Any) -> list[tuple[Any, Any, tuple[Any, ...]]]:
    """(key, item, the item's attribute values) of a national table."""
    if isinstance(table, dict):
        return [(k, v, _fields(v)) for k, v in table.items()]
    if isinstance(table, (tuple, list)):
        return [(i, v, _fields(v)) for i, v in enumerate(table)]
    return []


def _decimal_state(ctx: decimal.Context) -> tuple[Any, ...]:
    return (*(getattr(ctx, f) for f in _DECIMAL_FIELDS),
            tuple(sorted((t.__name__, v) for t, v in ctx.traps.items())))


class Integrity:
    """A fingerprint of doanmodel's own code and national values (see the module doc)."""

    def __init__(self) -> None:
        self.modules: dict[str, tuple[ModuleType, dict[str, Any]]] = {}
        self.classes: dict[type, dict[str, Any]] = {}
        self.tables: dict[tuple[str, str], tuple[Any, list[tuple[Any, Any, tuple[Any, ...]]]]] = {}
        self._see(list(sys.modules.items()))
        self.decimal = _decimal_state(decimal.getcontext())
        self.default_decimal = _decimal_state(decimal.DefaultContext)

    # ------------------------------------------------------------------ fingerprint
    def _see(self, modules: Iterable[tuple[str, Any]]) -> None:
        for name, mod in modules:
            if not _ours(name) or name in self.modules or not isinstance(mod, ModuleType):
                continue
            if getattr(getattr(mod, "__spec__", None), "_initializing", False):
                continue  # another thread is importing it: its bindings are not all there yet
            names = dict(vars(mod))
            self.modules[name] = (mod, names)
            for value in names.values():
                if isinstance(value, type) and value.__module__ == name and \
                        value not in self.classes:
                    self.classes[value] = dict(value.__dict__)
        for key in _TABLES:
            if key not in self.tables and key[0] in self.modules:
                table = self.modules[key[0]][1].get(key[1])
                self.tables[key] = (table, _items(table))

    # ------------------------------------------------------------------ compare
    def changes(self) -> list[str]:
        """What differs from the fingerprint, as ``module.name`` strings (empty: nothing)."""
        out: list[str] = []
        for name, (mod, names) in self.modules.items():
            now = vars(mod)
            for key, value in names.items():
                if key not in _IGNORED and now.get(key, _GONE) is not value:
                    out.append(f"{name}.{key}")
        for cls, names in self.classes.items():
            attrs_now = cls.__dict__
            for key, value in names.items():
                if key not in _IGNORED and attrs_now.get(key, _GONE) is not value:
                    out.append(f"{cls.__module__}.{cls.__qualname__}.{key}")
            for key in attrs_now:
                if key not in names and key not in _IGNORED:
                    out.append(f"{cls.__module__}.{cls.__qualname__}.{key}")
        for (mod_name, name), (table, items) in self.tables.items():
            now_items = _items(table)
            if len(now_items) != len(items) or any(
                    k != j or v is not w or any(a is not b for a, b in zip(f, g))
                    for (k, v, f), (j, w, g) in zip(now_items, items)):
                out.append(f"{mod_name}.{name}")
        if _decimal_state(decimal.getcontext()) != self.decimal:
            out.append("decimal.getcontext()")
        if _decimal_state(decimal.DefaultContext) != self.default_decimal:
            out.append("decimal.DefaultContext")
        return out

    def restore(self) -> None:
        """Put every original binding, table item and decimal setting back."""
        for _, (mod, names) in self.modules.items():
            now = vars(mod)
            for key, value in names.items():
                if key not in _IGNORED and now.get(key, _GONE) is not value:
                    setattr(mod, key, value)
        for cls, names in self.classes.items():
            for key in [k for k in cls.__dict__ if k not in names and k not in _IGNORED]:
                type.__delattr__(cls, key)
            for key, value in names.items():
                if key not in _IGNORED and cls.__dict__.get(key, _GONE) is not value:
                    type.__setattr__(cls, key, value)
        for table, items in self.tables.values():
            _restore_table(table, items)
        for ctx, state in ((decimal.getcontext(), self.decimal),
                           (decimal.DefaultContext, self.default_decimal)):
            for field, value in zip(_DECIMAL_FIELDS, state):
                setattr(ctx, field, value)
            traps = dict(state[-1])
            for t in list(ctx.traps):
                ctx.traps[t] = traps.get(t.__name__, False)

    def verify(self, guard: Guard | None, plugin: str, where: str) -> list[str]:
        """Compare; on a change restore everything and, with *guard*, record the failure of
        *plugin* and raise :class:`~._boundary.PluginFault`. Returns what had changed."""
        self._see(list(sys.modules.items()))
        changed = self.changes()
        if not changed:
            return []
        self.restore()
        if guard is not None:
            from ._boundary import PluginFault  # noqa: PLC0415

            raise PluginFault(guard.record(plugin, where, "IntegrityViolation",
                                           message(changed, "en"), kind="integrity",
                                           message_vi=message(changed, "vi")))
        return changed


class _Gone:
    def __repr__(self) -> str:  # pragma: no cover - never shown
        return "<gone>"


_GONE = _Gone()


def _restore_table(table: Any, items: list[tuple[Any, Any, tuple[Any, ...]]]) -> None:
    for _key, item, fields in items:
        if attrs.has(type(item)):
            for a, value in zip(attrs.fields(type(item)), fields):
                if getattr(item, a.name) is not value:
                    object.__setattr__(item, a.name, value)
    if isinstance(table, dict):
        table.clear()
        table.update({k: v for k, v, _ in items})
    elif isinstance(table, list):
        table[:] = [v for _, v, _ in items]


def message(changed: list[str], lang: str) -> str:
    """The failure's message: what it changed (the first few)."""
    shown = ", ".join(changed[:3]) + (f" (+{len(changed) - 3})" if len(changed) > 3 else "")
    if lang == "vi":
        return (f"đã sửa mã hoặc giá trị toàn quốc của doanmodel: {shown}; đã khôi phục bản gốc")
    return f"changed doanmodel's own code or national values: {shown}; the originals were restored"
