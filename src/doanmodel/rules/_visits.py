"""Deprecated home of the "1+2" quota figures: use ``ctx.query.quota()`` (see
:mod:`doanmodel.query`). Kept for one release so plugins written for 0.1 keep working."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..query import QuotaRow

if TYPE_CHECKING:
    from ._context import Context

__all__ = ["QuotaRow", "quota_rows"]


def quota_rows(ctx: Context) -> Mapping[str, QuotaRow]:
    """cadre id → :class:`QuotaRow` for every full-time cadre bound during the year.

    .. deprecated:: 0.2.0
       Use ``ctx.query.quota()``; this alias goes in 0.3.
    """
    warnings.warn("doanmodel.quota_rows(ctx) is deprecated: use ctx.query.quota()",
                  DeprecationWarning, stacklevel=2)
    return ctx.query.quota()
