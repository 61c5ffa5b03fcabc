"""Did-you-mean: the known ids closest to a mistyped one, ignoring case and accents."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ._i18n import fold

__all__ = ["suggest"]


def suggest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """
    The *choices* closest to *word*, ignoring case and accents (``h01`` → ``H01``).

    An exact match after folding comes first and alone; then :mod:`difflib`'s close matches.
    """
    by_fold: dict[str, str] = {}
    for c in choices:
        by_fold.setdefault(fold(c), c)
    key = fold(word)
    if key in by_fold:
        return [by_fold[key]]
    return [by_fold[m] for m in difflib.get_close_matches(key, list(by_fold), n=n, cutoff=0.6)]
