"""
Reorganising the tree of units: ``dm.reorg.merge``, ``move``, ``split``, ``rename``,
``dissolve`` and ``successor_chain``.

Each operation returns a new :class:`doanmodel.Dataset` in which the version in force the day
before *on* ends and a new one starts on *on*; history is never edited (docs/time.md)::

    import doanmodel as dm

    ds = dm.reorg.merge(ds, ["H1", "H2"], "H", dt.date(2025, 7, 1), name="Huyện đoàn mới")
    dm.reorg.successor_chain(ds, "H2")   # ["H2", "H"]

The same functions at the top level (``dm.merge`` …) are deprecated aliases that warn and go
in 0.3.
"""

from __future__ import annotations

from .dataset._reorg import dissolve, merge, move, rename, split, successor_chain

__all__ = ["dissolve", "merge", "move", "rename", "split", "successor_chain"]
