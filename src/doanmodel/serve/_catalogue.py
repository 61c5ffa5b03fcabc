"""
What the server knows without a dataset: the dated parameters with their sources, the rules,
the criteria sets (``GET /parameters``, ``/rules``, ``/criteria``), in one language.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from ..model._i18n import Text

__all__ = ["criteria", "engine", "parameters", "rules"]


def engine(no_plugins: bool = False, plugin: list[str] | None = None) -> Any:
    """An engine as the CLI builds it (``--no-plugins``, ``--plugin NAME``)."""
    from ..engine._engine import Engine  # noqa: PLC0415

    if no_plugins:
        return Engine(load_entry_points=False)
    return Engine(only=plugin or None)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Text):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _scope(scope: Any) -> dict[str, Any]:
    return {"provinces": sorted(scope.provinces) if scope.provinces else None,
            "start": scope.start.isoformat() if scope.start else None,
            "end": scope.end.isoformat() if scope.end else None}


def parameters(eng: Any) -> dict[str, Any]:
    """Every parameter, each with its dated values, their sources and who set them."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for p in sorted(eng.registry.params, key=lambda p: (p.name, p.start, p.origin)):
        by_name.setdefault(p.name, []).append(
            {"from": p.start.isoformat(), "value": _plain(p.value), "source": p.source,
             "origin": p.origin, "note": p.note, **_scope(p.scope)})
    return {"parameters": [{"name": n, "values": v} for n, v in by_name.items()]}


def _text(value: Any, lang: str) -> Any:
    return value.get(lang) if isinstance(value, Text) else value


def rules(eng: Any, lang: str) -> dict[str, Any]:
    """Every rule: id, title and description in *lang*, source, dates, origin, scope."""
    return {"rules": [{"id": r.id, "title": _text(r.title, lang),
                       "description": _text(r.description, lang), "source": r.source,
                       "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                       "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                       "origin": r.origin, "provinces": _scope(r.scope)["provinces"]}
                      for r in eng.rules()]}


def criteria(eng: Any) -> dict[str, Any]:
    """Every criteria set the engine knows (national and plugins'), criterion by criterion."""
    out = []
    for cs in eng.criteria_sets():
        out.append({
            "id": cs.id, "title": cs.title, "source": cs.source, "year": cs.year,
            "valid_from": cs.valid_from.isoformat() if cs.valid_from else None,
            "valid_to": cs.valid_to.isoformat() if cs.valid_to else None,
            "origin": cs.origin, "provinces": _scope(cs.scope)["provinces"],
            "max_core": _plain(cs.max_core), "max_bonus": _plain(cs.max_bonus),
            "bonus_cap": _plain(cs.bonus_cap), "tie_break": list(cs.tie_break),
            "criteria": [{"id": c.id, "group": c.group, "title": c.title,
                          "points": _plain(c.points), "method": c.method,
                          "indicator": c.indicator, "bonus": c.bonus, "source": c.source}
                         for c in cs.criteria],
            "penalties": [{"id": p.id, "title": p.title, "points_each": _plain(p.points_each),
                           "max": _plain(p.max), "indicator": p.indicator, "source": p.source}
                          for p in cs.penalties],
        })
    return {"criteria_sets": out}
