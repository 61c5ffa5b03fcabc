"""The SQL executor of the checks declared in :mod:`doanmodel.dataset._checks`: one query per
big table counting the rows those checks reject (the Python executor lives in the loader).

It reads the tables :func:`doanmodel.query._ducksql._small_tables` writes: ``branches (id)``,
``spans (id, lo, hi)``, ``cadres (id)``, ``clusters (id)``."""

from __future__ import annotations

from ..dataset._checks import BIG_CHECKS, Ref, TableChecks

__all__ = ["problems_sql"]

#: the table a reference's target is, with its key column
_TARGET = {"branch": "branches", "unit_on": "spans", "cadre": "cadres", "cluster": "clusters"}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def _ref(ref: Ref) -> str:
    table, col = _TARGET[ref.target], _q(ref.column)
    if ref.on is not None:
        return (f"({col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} s WHERE s.id = {col}"
                f" AND {_q(ref.on)} BETWEEN s.lo AND s.hi))")
    if ref.many:
        return (f"({col} IS NOT NULL AND EXISTS (SELECT 1 FROM (SELECT trim(unnest("
                f"string_split({col}, ';'))) AS a) WHERE a <> '' AND a NOT IN "
                f"(SELECT id FROM {table})))")
    return f"({col} IS NOT NULL AND {col} NOT IN (SELECT id FROM {table}))"


def conditions(checks: TableChecks) -> list[str]:
    """SQL conditions, one per declared check, each true on a row that check rejects."""
    out = [f"{_q(c)} IS NULL" for c in checks.required]
    out += [f"{_q(c)} NOT IN ({', '.join(map(_lit, values))})"
            for c, values in checks.allowed.items()]
    out += [_ref(r) for r in checks.refs]
    out += [f"{_q(o.later)} < {_q(o.earlier)}" for o in checks.orders]
    return out


def problems_sql(name: str, rel: str, *, also: str = "false") -> str:
    """SQL: (rows rejected, rows, distinct values of the unique column) of *rel*; *also*: one
    more condition (the reader's own: a cell that is no date …)."""
    checks = BIG_CHECKS[name]
    bad = " OR ".join([also, *conditions(checks)])
    return (f"SELECT count(*) FILTER (WHERE {bad}), count(*), count(DISTINCT "
            f"{_q(checks.unique)}) FROM {rel}")
