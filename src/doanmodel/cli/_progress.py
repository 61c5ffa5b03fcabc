"""Progress on long work: on stderr only when it is a terminal, silent when piped or quiet.

Uses ``rich`` when it is installed (an optional nicety), else a one-line spinner of its own.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Any, TextIO

__all__ = ["Progress", "wanted"]


def wanted(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Whether to show progress: not *quiet*, and stderr is a terminal."""
    stream = stream or sys.stderr
    return not quiet and bool(getattr(stream, "isatty", lambda: False)())


class Progress:
    """``with Progress("check"):`` shows an elapsed-time spinner while the block runs."""

    def __init__(self, label: str, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.on = wanted(quiet, self.stream)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rich: Any = None
        self._stdout: TextIO | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        if not self.on:
            return self
        self._stdout = out = sys.stdout
        sys.stdout = _HaltOnWrite(out, self.halt)
        try:
            from rich.console import Console  # noqa: PLC0415 - optional
        except ImportError:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        else:
            self._rich = Console(file=self.stream).status(self.label)
            self._rich.__enter__()
        return self

    def _spin(self) -> None:
        start = time.monotonic()
        frames = "|/-\\"
        n = 0
        while not self._stop.wait(0.25):
            self.stream.write(f"\r{frames[n % 4]} {self.label} {time.monotonic() - start:5.1f} s")
            self.stream.flush()
            n += 1
        self.stream.write("\r\x1b[K")
        self.stream.flush()

    def halt(self) -> None:
        """Stop the spinner and clear its line (before the command's own output, so no
        ``/ doanmodel synth 0.5 s`` is left in front of the result)."""
        with self._lock:
            if self._rich is not None:
                self._rich.__exit__(None, None, None)
                self._rich = None
            if self._thread is not None:
                self._stop.set()
                self._thread.join()
                self._thread = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.halt()
        if self._stdout is not None:
            sys.stdout = self._stdout
            self._stdout = None


class _HaltOnWrite:
    """sys.stdout while a spinner runs: the first write stops the spinner first."""

    def __init__(self, out: TextIO, halt: Any) -> None:
        self._out, self._halt = out, halt

    def write(self, text: str) -> int:
        self._halt()
        return self._out.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)
