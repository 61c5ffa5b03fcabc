"""
One plugin call in a child process, so that a limit is a real limit (issue 23).

A loop that holds the GIL (``collections.deque(itertools.repeat(None), maxlen=0)``) cannot be
stopped by any thread of the process that runs it; only another process can. So when isolation
is on (the CLI's default, ``Engine(isolate=True)``), each call into a third-party plugin runs in
a child forked for it: the child has the run's state as it stood (copy-on-write, nothing
pickled on the way in), runs the call with its stdout sent to stderr and its address space
bounded, sends the answer back pickled through a pipe and ends with ``os._exit`` (a thread the
plugin started dies with it). The parent waits until the deadline, then kills the child and
records a timeout naming the plugin. Whatever the child changes (a shared answer, a module of
doanmodel, the decimal context) dies with it.

Where ``os.fork`` does not exist (Windows) the call runs in-process (docs/decisions.md).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["can_fork", "run_forked"]

#: how much more address space (bytes) a child may take than the parent had when it forked
DEFAULT_MEMORY = 2 << 30


def can_fork() -> bool:
    """Whether plugin calls can run in a forked child here."""
    return hasattr(os, "fork") and sys.platform != "win32"


class ChildResult:
    """What came back from the child: ``("ok", value)``, ``("error", name, message, tb)``,
    ``("timeout",)`` or ``("died", how)``; *nested* are the failures the child recorded."""

    def __init__(self, kind: str, *payload: Any, nested: tuple[Any, ...] = ()) -> None:
        self.kind = kind
        self.payload = payload
        self.nested = nested


def _limit_memory(extra: int | None) -> None:
    if not extra:
        return
    try:
        import resource  # noqa: PLC0415 - POSIX only

        with open("/proc/self/statm", encoding="ascii") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = size + extra
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (OSError, ValueError, ImportError):  # pragma: no cover - no /proc: no memory bound
        pass


def _child(write_fd: int, fn: Callable[[], Any], nested: Callable[[], tuple[Any, ...]],
           memory: int | None) -> None:
    """Run *fn* in the child and write the pickled answer; never returns."""
    try:
        try:
            os.dup2(2, 1)  # nothing the plugin prints reaches the parent's stdout
        except OSError:  # pragma: no cover
            pass
        sys.stdout = sys.stderr
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent handles it
        _limit_memory(memory)
        try:
            payload: tuple[Any, ...] = ("ok", fn())
        except BaseException as exc:  # noqa: BLE001 - the child reports every fault
            import traceback  # noqa: PLC0415

            from ._boundary import exception_text  # noqa: PLC0415

            msg = exception_text(exc)
            tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            from ._boundary import PluginFault  # noqa: PLC0415 - _boundary imports this lazily

            payload = ("fault", exc.failure) if isinstance(exc, PluginFault) else \
                ("error", type(exc).__name__, msg, tb)
        try:
            data = pickle.dumps((payload, nested()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an answer that cannot travel
            data = pickle.dumps((("error", "PluginContractError",
                                  f"its answer cannot be passed back from the plugin's process "
                                  f"({type(exc).__name__}: {exc})", None), nested()))
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]
    finally:
        os._exit(0)


def run_forked(fn: Callable[[], Any], timeout: float | None, *,
               nested: Callable[[], tuple[Any, ...]], memory: int | None = DEFAULT_MEMORY
               ) -> ChildResult:
    """``fn()`` in a forked child, waited for at most *timeout* seconds (``None``: no bound)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # pragma: no cover
            pass
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        os.close(read_fd)
        _child(write_fd, fn, nested, memory)
    os.close(write_fd)
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                _kill(pid)
                return ChildResult("timeout")
            ready, _, _ = select.select([read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        _kill(pid)  # Ctrl-C (or anything) in the parent: the child goes too
        raise
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exit status {os.WEXITSTATUS(status)}")
        return ChildResult("died", how)
    payload, nested_failures = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child
    return ChildResult(payload[0], *payload[1:], nested=nested_failures)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):  # pragma: no cover - already gone
        pass
