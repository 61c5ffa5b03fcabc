"""What the query layer (and scoring) reads of a rule context: the :class:`Source` protocol.

:class:`doanmodel.Context` (``rules/``) is one; the query backends and the scoring are written
against this protocol so that they need nothing above ``query/``. The 1+2 quota is the law and
lives in ``rules/``: a backend asks its context for it (:meth:`Source.visit_quota`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset
    from ..model._dates import Period
    from ..model._enums import VisitPurpose
    from . import CadreGroup, QuotaRow

__all__ = ["FactSource", "Source"]


class FactSource(Protocol):
    """Reported and derived indicator values (:class:`doanmodel.Facts` is one)."""

    def derived(self, indicator: str, period: Period | None = None) -> Mapping[str, Any]:
        """unit id → derived value of *indicator* for *period*."""
        ...

    def value(self, indicator: str, unit_id: str,
              period: Period | None = None) -> tuple[Any, str]:
        """``(value, how)``: the reported value if any, else the derived one."""
        ...


class Source(Protocol):
    """The dataset, period, parameters and facts a backend or the scoring reads."""

    @property
    def dataset(self) -> Dataset:
        """The data."""
        ...

    @property
    def period(self) -> Period:
        """The period asked about."""
        ...

    @property
    def facts(self) -> FactSource:
        """Indicator values."""
        ...

    @property
    def cache(self) -> dict[str, Any]:
        """A per-run scratch space."""
        ...

    def param(self, name: str, on: _dt.date | None = None,
              province: str | None = None) -> Any:
        """The parameter *name* in force on *on* for *province*."""
        ...

    def visit_quota(self, group: CadreGroup,
                    purposes: Sequence[VisitPurpose] | None) -> dict[str, QuotaRow]:
        """The 1+2 quota figures (the law, computed in ``rules/``)."""
        ...
