"""
The plugin boundary: every call into a plugin goes through here.

A plugin's fault (any exception, ``SystemExit`` included, a wrong return type, a result outside
its scope, a timeout) is caught, recorded as a :class:`PluginFailure` naming the plugin, and what
the plugin contributed to the run is dropped; everything else completes. Only a fault of
doanmodel's own national code propagates (a genuine bug, exit 70).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

# the failure record is plain data and lives in model/ (rules and scoring carry it)
from ..model._failure import KINDS, PluginFailure, failure_dict

__all__ = ["KINDS", "Guard", "PluginFailure", "PluginFault", "failure_dict"]

T = TypeVar("T")

#: the findings one plugin may publish in one run (docs/writing-plugins.md); past it, it fails
MAX_FINDINGS = 100_000
#: the characters a finding's message may have in each language
MAX_MESSAGE = 2_000


_STDOUT_LOCK = threading.Lock()
_STDOUT_SAVED: list[Any] = []   # the stream that was sys.stdout, while a thread is in a plugin
_STDOUT_DEPTH = [0]


@contextlib.contextmanager
def plugin_stdout() -> Iterator[None]:
    """
    What a plugin prints goes to stderr, never into the run's output (``--format json``).

    ``sys.stdout`` is process-wide, so a plain ``redirect_stdout`` from two threads at once (the
    HTTP server runs commands in worker threads) can interleave and leave stderr standing as
    stdout for good. When the current stream can divert one thread (the server's per-thread
    switch offers ``divert()``), only this thread's output moves; otherwise the redirect is
    counted: the first thread in swaps the stream, the last one out puts it back.
    """
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # pragma: no cover
        pass
    divert = getattr(sys.stdout, "divert", None)
    if callable(divert):
        diverted = cast("contextlib.AbstractContextManager[Any]", divert())
        with diverted:
            yield
        return
    with _STDOUT_LOCK:
        if _STDOUT_DEPTH[0] == 0:
            _STDOUT_SAVED[:] = [sys.stdout]
            sys.stdout = sys.stderr
        _STDOUT_DEPTH[0] += 1
    try:
        yield
    finally:
        with _STDOUT_LOCK:
            _STDOUT_DEPTH[0] -= 1
            if _STDOUT_DEPTH[0] == 0:
                sys.stdout = _STDOUT_SAVED.pop()


def exception_text(exc: BaseException) -> str:
    """An exception's message, even when its ``__str__`` itself fails (a plugin's may)."""
    try:
        return str(exc) if not isinstance(exc, SystemExit) else f"exit code {exc.code!r}"
    except Exception:  # noqa: BLE001 - a plugin's exception may be hostile
        return f"<{type(exc).__name__} whose message cannot be shown>"


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
                 timeout: float | None = None, *, isolate: bool = False,
                 integrity: Any = None, memory: int | None = None) -> None:
        self._identity = identity
        self.timeout = timeout
        #: run each call in a forked child (engine/_isolation.py), where the OS allows it
        self.isolate = isolate
        #: the host's fingerprint (engine/_integrity.py), checked after each in-process call
        self.integrity = integrity
        self.memory = memory
        self.failures: list[PluginFailure] = []
        self.findings: dict[str, int] = {}
        self._lock = threading.Lock()
        self._in_child = False

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
        msg = exception_text(exc)
        return PluginFault(self.record(plugin, where, type(exc).__name__, msg, tb=tb))

    def call(self, plugin: str, where: str, fn: Callable[[], T]) -> T:
        """``fn()`` for *plugin*; on any fault record it and raise :class:`PluginFault`.

        Every exception is contained, ``SystemExit`` and custom ``BaseException`` subclasses
        included; only ``KeyboardInterrupt`` (Ctrl-C) stops the run."""
        if self.isolate and not self._in_child:
            from ._isolation import can_fork  # noqa: PLC0415

            if can_fork():
                return self._call_forked(plugin, where, fn)
        try:
            with plugin_stdout():
                if self.timeout is None or self._in_child:
                    try:
                        return fn()
                    except KeyboardInterrupt:
                        raise
                    except BaseException as exc:  # noqa: BLE001 - the plugin boundary
                        raise self._exc(plugin, where, exc) from None
                return self._call_with_timeout(plugin, where, fn, self.timeout)
        finally:
            if self.integrity is not None and not self._in_child:
                self.integrity.verify(self, plugin, where)

    def _call_forked(self, plugin: str, where: str, fn: Callable[[], T]) -> T:
        from ._isolation import DEFAULT_MEMORY, run_forked  # noqa: PLC0415

        before = len(self.failures)

        def child() -> T:
            self._in_child = True
            return fn()

        result = run_forked(child, self.timeout,
                            memory=self.memory if self.memory is not None else DEFAULT_MEMORY,
                            nested=lambda: tuple(self.failures[before:]))
        for f in result.nested:  # failures of nested calls (a plugin indicator a rule asked)
            with self._lock:
                if f not in self.failures:
                    self.failures.append(f)
        if result.kind == "ok":
            return result.payload[0]  # type: ignore[no-any-return]
        if result.kind == "timeout":
            t = self.timeout or 0
            raise PluginFault(self.record(plugin, where, "Timeout",
                                          f"no answer after {t:g} s; its process was stopped",
                                          kind="timeout",
                                          message_vi=f"không trả lời sau {t:g} giây; tiến trình "
                                                     "của plugin đã bị dừng"))
        if result.kind == "fault":
            failure = result.payload[0]
            with self._lock:
                if failure not in self.failures:
                    self.failures.append(failure)
            raise PluginFault(failure)
        if result.kind == "died":
            raise PluginFault(self.record(
                plugin, where, "PluginDied", f"its process ended without an answer "
                f"({result.payload[0]}; out of memory?)",
                message_vi=f"tiến trình của plugin kết thúc mà không trả lời "
                           f"({result.payload[0]}; hết bộ nhớ?)"))
        name, message, tb = result.payload
        raise PluginFault(self.record(plugin, where, name, message, tb=tb))

    def count_findings(self, plugin: str, where: str, n: int) -> None:
        """Count *n* more findings of *plugin*; past :data:`MAX_FINDINGS` it fails."""
        total = self.findings[plugin] = self.findings.get(plugin, 0) + n
        if total > MAX_FINDINGS:
            raise self.contract(plugin, where, f"published more than {MAX_FINDINGS:,} findings "
                                               "in one run (the limit per plugin)")

    def _call_with_timeout(self, plugin: str, where: str, fn: Callable[[], T],
                           timeout: float) -> T:
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn()
            except BaseException as exc:  # noqa: BLE001 - the plugin boundary
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
            # at most one past the cap: a plugin yielding without end is stopped here
            out = list(itertools.islice(found, MAX_FINDINGS + 1))
            if len(out) > MAX_FINDINGS:
                raise _WrongReturn(f"returned more than {MAX_FINDINGS:,} items (the limit per "
                                   "plugin and run)")
            return out

        try:
            return self.call(plugin, where, run)
        except PluginFault as fault:
            if fault.failure.error == "_WrongReturn":
                self.failures.remove(fault.failure)
                raise self.contract(plugin, where, fault.failure.message) from None
            raise


class _WrongReturn(Exception):
    pass
