"""
The plugin boundary: every call into a plugin goes through here.

A plugin's fault (any exception, ``SystemExit`` included, a wrong return type, a result outside
its scope, a timeout) is caught, recorded as a :class:`PluginFailure` naming the plugin, and what
the plugin contributed to the run is dropped; everything else completes. Only a fault of
doanmodel's own national code propagates (a genuine bug, exit 70).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

# the failure record is plain data and lives in model/ (rules and scoring carry it)
from ..model._failure import KINDS, PluginFailure, failure_dict

__all__ = ["KINDS", "Guard", "PluginFailure", "PluginFault", "failure_dict"]

T = TypeVar("T")


class PluginFault(Exception):  # noqa: N818 - an internal signal, not an error for users
    """Raised inside a run when a guarded plugin call failed (the failure is already recorded)."""

    def __init__(self, failure: PluginFailure) -> None:
        self.failure = failure
        super().__init__(failure.line())


def _debug() -> bool:
    return os.environ.get("DOANMODEL_DEBUG", "") not in ("", "0")


class Guard:
    """
    Collects the plugin failures of one run.

    *identity* maps a plugin name to ``(package, version)``; *timeout* bounds each call into a
    plugin in seconds (``None``: no bound).
    """

    def __init__(self, identity: Callable[[str], tuple[str, str]],
                 timeout: float | None = None) -> None:
        self._identity = identity
        self.timeout = timeout
        self.failures: list[PluginFailure] = []
        self._lock = threading.Lock()

    @property
    def failed(self) -> set[str]:
        """Names of the plugins that failed in this run (scope violations excluded)."""
        return {f.plugin for f in self.failures if f.kind != "scope"}

    def record(self, plugin: str, where: str, error: str, message: str, *, kind: str = "error",
               tb: str | None = None, message_vi: str | None = None) -> PluginFailure:
        """Record a failure and return it."""
        package, version = self._identity(plugin)
        failure = PluginFailure(plugin=plugin, package=package, version=version, where=where,
                                kind=kind, error=error, message=message, message_vi=message_vi,
                                traceback=tb if _debug() else None)
        with self._lock:
            if failure not in self.failures:
                self.failures.append(failure)
        return failure

    def _exc(self, plugin: str, where: str, exc: BaseException) -> PluginFault:
        import traceback  # noqa: PLC0415 - only on a fault

        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        msg = str(exc) if not isinstance(exc, SystemExit) else f"exit code {exc.code!r}"
        return PluginFault(self.record(plugin, where, type(exc).__name__, msg, tb=tb))

    def call(self, plugin: str, where: str, fn: Callable[[], T]) -> T:
        """``fn()`` for *plugin*; on any fault record it and raise :class:`PluginFault`."""
        if self.timeout is None:
            try:
                return fn()
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - the plugin boundary
                raise self._exc(plugin, where, exc) from None
        return self._call_with_timeout(plugin, where, fn, self.timeout)

    def _call_with_timeout(self, plugin: str, where: str, fn: Callable[[], T],
                           timeout: float) -> T:
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn()
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - the plugin boundary
                box["error"] = exc

        worker = threading.Thread(target=run, name=f"doanmodel-plugin-{plugin}", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():  # the result, whenever it comes, is discarded
            raise PluginFault(self.record(plugin, where, "Timeout",
                                          f"no answer after {timeout:g} s", kind="timeout",
                                          message_vi=f"không trả lời sau {timeout:g} giây"))
        if "error" in box:
            raise self._exc(plugin, where, box["error"])
        return box["value"]  # type: ignore[no-any-return]

    def contract(self, plugin: str, where: str, message: str) -> PluginFault:
        """Record a contract failure (a wrong return) and return the fault to raise."""
        return PluginFault(self.record(plugin, where, "PluginContractError", message,
                                       kind="contract"))

    def items(self, plugin: str, where: str, fn: Callable[[], Iterable[T] | None]) -> list[T]:
        """``list(fn())`` for *plugin*: the call and the iteration both inside the boundary."""
        def run() -> list[T]:
            found = fn()
            if found is None:
                return []
            if isinstance(found, (str, bytes)) or not isinstance(found, Iterable):
                raise _WrongReturn(f"returned {type(found).__name__}, expected a list or an "
                                   "iterator")
            return list(found)

        try:
            return self.call(plugin, where, run)
        except PluginFault as fault:
            if fault.failure.error == "_WrongReturn":
                self.failures.remove(fault.failure)
                raise self.contract(plugin, where, fault.failure.message) from None
            raise


class _WrongReturn(Exception):
    pass
