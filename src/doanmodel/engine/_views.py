"""
Read-only views of what a plugin is handed: the dataset, the parameters and the rule context.

A plugin's rule, indicator or ``doanmodel_validate`` hook sees these views, never the objects the
engine and the other plugins use, so a plugin that tries to change its input gets an error (which
the plugin boundary records under its name) and no other plugin sees a change.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from ..dataset._dataset import unwrap
from ..model._dates import Period

if TYPE_CHECKING:
    from ..dataset._dataset import Dataset
    from ..model._params import Parameters, ParamValue
    from ..query import Query
    from ..rules._context import Context, Facts

__all__ = ["AnswersView", "ContextView", "DatasetView", "ParametersView", "freeze", "unwrap"]


class ReadOnlyError(AttributeError):
    """A plugin tried to change what it was given."""


def _refuse(what: str, name: str) -> ReadOnlyError:
    return ReadOnlyError(f"{what} is read-only: a plugin may not set or delete {name!r}")


class _MappingView(Mapping[str, Any]):
    """A dict, readable only: setting an item names the problem."""

    __slots__ = ("_data", "_what")
    _data: Mapping[str, Any]
    _what: str

    def __init__(self, data: Mapping[str, Any], what: str) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_what", what)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setitem__(self, key: str, value: Any) -> None:
        raise _refuse(self._what, key)

    def __delitem__(self, key: str) -> None:
        raise _refuse(self._what, key)

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse(self._what, name)


class _RowsView(Sequence[Any]):
    """A table's rows as a read-only sequence of frozen entities."""

    __slots__ = ("_rows",)
    _rows: Sequence[Any]

    def __init__(self, rows: Sequence[Any]) -> None:
        object.__setattr__(self, "_rows", rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        return self._rows[i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse("the table", name)


def freeze(value: Any) -> Any:
    """*value* as a plugin may receive it: a dict as a read-only mapping (a view, no copy), a
    list as a tuple, a set as a frozenset; anything else (frozen entities, numbers, tuples) as
    it is. Issue 23: a plugin's ``.clear()`` on a shared answer must change nothing."""
    if isinstance(value, dict):
        return MappingProxyType(value)
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, (set, bytearray)):
        return frozenset(value) if isinstance(value, set) else bytes(value)
    return value


class AnswersView:
    """
    An object (the query layer, the indicator facts) as a plugin sees it: every public method
    answers as the object does, but through :func:`freeze`; nothing can be set. The answers
    themselves are not copied (a read-only view costs nothing, docs/decisions.md).
    """

    __slots__ = ("_obj", "_what")
    _obj: Any
    _what: str

    def __init__(self, obj: Any, what: str) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_what", what)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"{self._what} has no attribute {name!r} for plugins")
        value = getattr(self._obj, name)
        if callable(value) and not isinstance(value, type):
            return _frozen_call(value)
        return freeze(value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse(self._what, name)

    def __delattr__(self, name: str) -> None:
        raise _refuse(self._what, name)

    def __repr__(self) -> str:
        return f"<read-only {self._obj!r}>"


def _frozen_call(fn: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return freeze(fn(*args, **kwargs))

    call.__doc__ = fn.__doc__
    call.__name__ = getattr(fn, "__name__", "call")
    return call


_MUTABLE_MAPPINGS = frozenset({"units", "cadres"})
_TABLES = frozenset({"members", "meetings"})


class DatasetView:
    """The dataset as a plugin sees it: every public attribute and method, nothing settable."""

    __slots__ = ("_ds",)
    _ds: Dataset

    def __init__(self, ds: Dataset) -> None:
        object.__setattr__(self, "_ds", ds)

    @staticmethod
    def _behind(view: DatasetView) -> Dataset:
        """The dataset behind *view*, for :func:`doanmodel.dataset._dataset.unwrap`."""
        ds: Dataset = object.__getattribute__(view, "_ds")
        return ds

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"the dataset view has no attribute {name!r}")
        value = getattr(self._ds, name)
        if name in _MUTABLE_MAPPINGS:
            return _MappingView(value, f"dataset.{name}")
        if name in _TABLES:
            return _RowsView(value)
        if name in ("meta",):
            return _MetaView(value)
        if callable(value) and not isinstance(value, type):
            return _frozen_call(value)  # visits_by_cadre(c) and the like: the shared index
        if isinstance(value, dict):
            return _MappingView(value, f"dataset.{name}")
        if isinstance(value, list):
            return tuple(value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse("the dataset", name)

    def __delattr__(self, name: str) -> None:
        raise _refuse("the dataset", name)

    def __repr__(self) -> str:
        return f"<read-only {self._ds!r}>"


class _MetaView:
    """``dataset.toml``'s contents, read-only (its ``parameters`` table is a dict)."""

    __slots__ = ("_meta",)
    _meta: Any

    def __init__(self, meta: Any) -> None:
        object.__setattr__(self, "_meta", meta)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._meta, name)
        if name == "parameters":
            return MappingProxyType({k: tuple(MappingProxyType(e) for e in v)
                                     for k, v in value.items()})
        return freeze(value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse("the dataset's metadata", name)


class ParametersView:
    """The parameter tree, for looking values up only."""

    __slots__ = ("_params",)
    _params: Parameters

    def __init__(self, params: Parameters) -> None:
        object.__setattr__(self, "_params", params)

    def get(self, name: str, on: _dt.date, province: str | None = None) -> Any:
        """The value of *name* in force on *on* for a unit of *province*."""
        return freeze(self._params.get(name, on, province))

    def entry(self, name: str, on: _dt.date, province: str | None = None) -> ParamValue:
        """The dated value of *name* in force on *on* (with its source)."""
        return self._params.entry(name, on, province)

    def names(self) -> list[str]:
        """Every parameter name, sorted."""
        return self._params.names()

    def history(self, name: str) -> list[ParamValue]:
        """Every value of *name*, oldest first."""
        return self._params.history(name)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"the parameters are read-only: {name!r} is not available to "
                             "plugins (use get, entry, names or history)")

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse("the parameters", name)


class ContextView:
    """
    The rule context as a plugin sees it: the query layer, the period, parameters and
    indicator facts, and read-only views of the dataset and parameters. ``cache`` is the
    plugin's own scratch space, shared by its rules in one run and by no other plugin.
    """

    __slots__ = ("_cache", "_ctx", "_dataset", "_facts", "_params", "_provinces", "_query")
    _cache: dict[str, Any]
    _ctx: Context
    _dataset: DatasetView
    _params: ParametersView
    _provinces: frozenset[str] | None
    _query: AnswersView | None
    _facts: AnswersView | None

    def __init__(self, ctx: Context, cache: dict[str, Any],
                 provinces: frozenset[str] | None = None) -> None:
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "_dataset", DatasetView(ctx.dataset))
        object.__setattr__(self, "_params", ParametersView(ctx.params))
        object.__setattr__(self, "_cache", cache)
        object.__setattr__(self, "_provinces", provinces)
        object.__setattr__(self, "_query", None)
        object.__setattr__(self, "_facts", None)

    @property
    def provinces(self) -> frozenset[str] | None:
        """The province units of this dataset the plugin may speak of (``None``: all)."""
        return self._provinces

    def covers(self, unit_id: str, on: _dt.date | None = None) -> bool:
        """Whether *unit_id* lies in one of the plugin's provinces on *on* (default: its last
        day in the period). A rule yields findings only for subjects it covers; the host drops
        any other as a scope violation."""
        if self._provinces is None:
            return True
        return self._ctx.query.province_of(unit_id, on) in self._provinces

    @property
    def dataset(self) -> DatasetView:
        """The dataset, read-only."""
        return self._dataset

    @property
    def params(self) -> ParametersView:
        """The parameters, read-only."""
        return self._params

    @property
    def query(self) -> Query:
        """The query layer (:mod:`doanmodel.query`); every answer read-only."""
        if self._query is None:
            object.__setattr__(self, "_query", AnswersView(self._ctx.query, "the query layer"))
        return self._query  # type: ignore[return-value]

    @property
    def facts(self) -> Facts:
        """Reported and derived indicator values for the period; every answer read-only."""
        if self._facts is None:
            object.__setattr__(self, "_facts", AnswersView(self._ctx.facts, "the facts"))
        return self._facts  # type: ignore[return-value]

    @property
    def period(self) -> Period:
        """The period the rule runs for."""
        return self._ctx.period

    @property
    def year(self) -> int:
        """The year of the period."""
        return self._ctx.period.year

    @property
    def indicators(self) -> Mapping[str, Any]:
        """Indicator id → definition."""
        return MappingProxyType(dict(self._ctx.indicators))

    @property
    def cache(self) -> dict[str, Any]:
        """This plugin's own scratch space for the run."""
        return self._cache

    def param(self, name: str, on: _dt.date | None = None, province: str | None = None) -> Any:
        """The parameter *name* in force on *on* (default: period end) for *province*."""
        return freeze(self._ctx.param(name, on, province))

    def province(self, unit_id: str, on: _dt.date) -> str | None:
        """The province of *unit_id* on *on*."""
        return self._ctx.province(unit_id, on)

    def last_day(self, unit_id: str) -> _dt.date | None:
        """The last day of the period on which *unit_id* exists."""
        return self._ctx.last_day(unit_id)

    def for_period(self, period: Period) -> ContextView:
        """The same view for another period."""
        return ContextView(self._ctx.for_period(period), self._cache, self._provinces)

    def __setattr__(self, name: str, value: Any) -> None:
        raise _refuse("the rule context", name)
