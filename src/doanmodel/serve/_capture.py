"""
Per-thread standard streams: a command of the CLI run in a worker thread writes its stdout and
stderr into that thread's buffers, while every other thread (uvicorn's loop, its logging) still
writes to the process's streams. The CLI's functions write to ``sys.stdout`` at call time, so the
server answers with the very text the command line prints.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["captured", "install"]

_LOCAL = threading.local()
_LOCK = threading.Lock()


class _Switch(io.TextIOBase):
    """A stream that writes to the current thread's buffer, or to the stream it replaced."""

    def __init__(self, real: TextIO, slot: str) -> None:
        super().__init__()
        self.real = real
        self.slot = slot

    def _target(self) -> Any:
        return getattr(_LOCAL, self.slot, None) or self.real

    def write(self, s: str) -> int:
        return int(self._target().write(s))

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        target = self._target()
        return target is self.real and bool(self.real.isatty())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8" if getattr(_LOCAL, self.slot, None) else str(self.real.encoding)

    def fileno(self) -> int:
        return self.real.fileno()

    @contextmanager
    def divert(self) -> Iterator[None]:
        """While inside, this thread's stdout goes where its stderr goes (a plugin's prints)."""
        saved = getattr(_LOCAL, "out", None)
        _LOCAL.out = getattr(_LOCAL, "err", None) or sys.__stderr__
        try:
            yield
        finally:
            _LOCAL.out = saved


def install() -> None:
    """Replace ``sys.stdout`` and ``sys.stderr`` by per-thread switches (once)."""
    with _LOCK:
        if not isinstance(sys.stdout, _Switch):
            sys.stdout = _Switch(sys.stdout, "out")
        if not isinstance(sys.stderr, _Switch):
            sys.stderr = _Switch(sys.stderr, "err")


@contextmanager
def captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """This thread's stdout and stderr go to two buffers while inside."""
    install()
    out, err = io.StringIO(), io.StringIO()
    _LOCAL.out, _LOCAL.err = out, err
    try:
        yield out, err
    finally:
        _LOCAL.out = _LOCAL.err = None
