"""The old format methods of the result classes, kept for one release as thin delegations.

Results are plain data; every format is made by ``_output/`` through the front door
(``dm.to_table(x)``, ``dm.to_json(x)``, ``dm.to_csv(x)``, ``dm.to_html(x)``,
``dm.to_dataframe(x)``, ``dm.write_excel(x, path)``, ``dm.plot(x)`` …). ``x.to_json()`` and the
other methods still work: each is one line handing the result to that front door, through this
mixin and its one import (the import-linter contract in pyproject names it). They go in a later
release (CHANGELOG, "Deprecated").
"""

from __future__ import annotations

from typing import IO, Any, TypeVar

__all__ = ["Formats"]

R = TypeVar("R", bound="Formats")


def _front() -> Any:
    """The front door of ``_output/``, imported when a format is first asked for."""
    from .._output import front  # noqa: PLC0415 - the one import of _output/ below engine/

    return front


class Formats:
    """Old-style format methods of a result (``report.to_json()`` …): one-line delegations to
    the front door, ``doanmodel.to_json(report)`` …"""

    __slots__ = ()

    def to_dict(self, *args: Any, **kw: Any) -> dict[str, Any]:
        """``doanmodel.to_dict(self, ...)``."""
        out: dict[str, Any] = _front().to_dict(self, *args, **kw)
        return out

    def to_json(self, *args: Any, **kw: Any) -> str:
        """``doanmodel.to_json(self, ...)``."""
        return str(_front().to_json(self, *args, **kw))

    @classmethod
    def from_json(cls: type[R], text: str) -> R:
        """``doanmodel.from_json(cls, text)``."""
        out: R = _front().from_json(cls, text)
        return out

    @classmethod
    def from_dict(cls: type[R], data: Any) -> R:
        """``doanmodel.from_dict(cls, data)``."""
        out: R = _front().from_dict(cls, data)
        return out

    def to_table(self, *args: Any, **kw: Any) -> str:
        """``doanmodel.to_table(self, ...)``."""
        return str(_front().to_table(self, *args, **kw))

    def to_csv(self, *args: Any, **kw: Any) -> str:
        """``doanmodel.to_csv(self, ...)``."""
        return str(_front().to_csv(self, *args, **kw))

    def to_html(self, *args: Any, **kw: Any) -> str:
        """``doanmodel.to_html(self, ...)``."""
        return str(_front().to_html(self, *args, **kw))

    def to_records(self, *args: Any, **kw: Any) -> list[dict[str, Any]]:
        """``doanmodel.to_records(self, ...)``."""
        out: list[dict[str, Any]] = _front().to_records(self, *args, **kw)
        return out

    def to_dataframe(self, *args: Any, **kw: Any) -> Any:
        """``doanmodel.to_dataframe(self, ...)``."""
        return _front().to_dataframe(self, *args, **kw)

    def to_excel(self, path: Any, *args: Any, **kw: Any) -> None:
        """``doanmodel.write_excel(self, path, ...)``."""
        _front().write_excel(self, path, *args, **kw)

    def write_json(self, stream: IO[str], *args: Any, **kw: Any) -> None:
        """``doanmodel.write_json(self, stream, ...)``."""
        _front().write_json(self, stream, *args, **kw)

    def write_csv(self, stream: IO[str], *args: Any, **kw: Any) -> None:
        """``doanmodel.write_csv(self, stream, ...)``."""
        _front().write_csv(self, stream, *args, **kw)

    def plot(self, *args: Any, **kw: Any) -> Any:
        """``doanmodel.plot(self, ...)``."""
        return _front().plot(self, *args, **kw)

    def lang(self, code: str) -> Any:
        """This result shown in *code* (``"vi"`` or ``"en"``) in a notebook."""
        return _front().in_language(self, code)

    def _repr_html_(self) -> str | None:
        html: str | None = _front().notebook_html(self)
        return html

    def __str__(self) -> str:
        return str(_front().to_text(self))
