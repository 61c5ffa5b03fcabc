"""Which criteria set scores a dataset, or one emulation cluster of it, for a year."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..dataset._dataset import Dataset
from ..exceptions import DoanmodelError
from ..scoring._criteria import CriteriaSet
from ._run import resolve_scope

__all__ = ["Groups", "choose_criteria", "cluster_province", "criteria_groups", "score_provenance",
           "unit_province", "wanted_clusters", "what_if_weights"]

_Memo = dict[frozenset[str], frozenset[str]]

#: criteria set id → (the set, the ids of the clusters it scores)
Groups = dict[str, tuple[CriteriaSet, list[str]]]


def choose_criteria(ds: Dataset, year: int, criteria: str | None, own: CriteriaSet | None,
                    registered: Sequence[CriteriaSet], cluster: str | None) -> CriteriaSet:
    """The set named *criteria*, else *own*, else a plugin's set for the province, else national."""
    province = cluster_province(ds, year, cluster)
    memo: _Memo = {}
    if criteria is not None:
        return _named(ds, criteria, own, registered, province, cluster, memo)
    if own is not None:
        if not own.applies_to(year):
            raise DoanmodelError(f"criteria set {own.id!r} is not for {year}")
        return own
    found = _for_province(ds, year, registered, province, memo)
    if found is not None:
        return found
    for cs in registered:
        if cs.origin == "national" and cs.applies_to(year):
            return cs
    raise DoanmodelError(f"no criteria set for {year}: add criteria.toml to the dataset or "
                         "name one")


def _named(ds: Dataset, criteria: str, own: CriteriaSet | None,
           registered: Sequence[CriteriaSet], province: str | None, cluster: str | None,
           memo: _Memo) -> CriteriaSet:
    """The set with id *criteria*, refused when its scope does not cover *province*."""
    for cs in ([own] if own else []) + list(registered):
        if cs.id == criteria:
            scope = resolve_scope(ds, cs.scope, memo)
            if scope.provinces is not None and province not in scope.provinces:
                where = f"cluster {cluster!r}" if cluster else "the dataset"
                raise DoanmodelError(
                    f"criteria set {criteria!r} ({cs.origin}) applies to "
                    f"{', '.join(sorted(cs.scope.provinces or ()))} only, not to {where}"
                    f" (province {province or 'unknown'})")
            return cs
    raise DoanmodelError(f"unknown criteria set {criteria!r}")


def _for_province(ds: Dataset, year: int, registered: Sequence[CriteriaSet],
                  province: str | None, memo: _Memo) -> CriteriaSet | None:
    """The first plugin set for *year* whose scope covers *province*, if any."""
    for cs in registered:
        if cs.origin == "national" or not cs.applies_to(year):
            continue
        scope = resolve_scope(ds, cs.scope, memo)
        if scope.provinces is not None and province in scope.provinces:
            return cs
    return None


def cluster_province(ds: Dataset, year: int, cluster: str | None) -> str | None:
    """The province of *cluster*'s lead (else first member), or of the dataset's root."""
    unit = ds.root
    if cluster is not None:
        for c in ds.clusters_of_year(year):
            if c.id == cluster:
                unit = c.lead or (sorted(c.members)[0] if c.members else ds.root)
    return unit_province(ds, unit, _dt.date(year, 1, 1), _dt.date(year, 12, 31))


def unit_province(ds: Dataset, unit_id: str, start: _dt.date, end: _dt.date) -> str | None:
    """The province of *unit_id* on its last day between *start* and *end* (None: unknown)."""
    try:
        day = ds.last_day(unit_id, start, end)
        return ds.province_of(unit_id, day) if day else None
    except LookupError:
        return None


def wanted_clusters(ds: Dataset, year: int, clusters: Sequence[str] | None) -> list[str]:
    """The cluster ids of *year* to score (all, or *clusters*, each of which must exist)."""
    known = [c.id for c in ds.clusters_of_year(year)]
    for cid in clusters or ():
        if cid not in known:
            raise DoanmodelError(f"no cluster {cid!r} in {year}")
    return [c for c in known if not clusters or c in clusters]


def criteria_groups(wanted: Sequence[str],
                    criteria_for: Callable[..., CriteriaSet]) -> Groups:
    """Criteria set id → (the set, the clusters of *wanted* it scores), in first-seen order."""
    groups: Groups = {}
    if not wanted:
        cs = criteria_for()
        groups[cs.id] = (cs, [])
    for cid in wanted:
        cs = criteria_for(cluster=cid)
        groups.setdefault(cs.id, (cs, []))[1].append(cid)
    return groups


def what_if_weights(weights: Mapping[str, Any] | None, groups: Groups) -> dict[str, Decimal]:
    """Criterion id → points of a what-if, each id known to one of the sets in *groups*."""
    w = {k: Decimal(str(v)) for k, v in (weights or {}).items()}
    unknown = set(w) - {c.id for cs, _ in groups.values() for c in cs.criteria}
    if unknown:
        raise DoanmodelError(f"unknown criteria in weights: {', '.join(sorted(unknown))}")
    return w


def score_provenance(groups: Groups, parameters: Mapping[str, Any] | None,
                     weights: Mapping[str, Any] | None) -> dict[str, Any]:
    """The scoring part of a board's provenance: the criteria set(s) and the what-if inputs."""
    first = next(iter(groups.values()))[0]
    prov: dict[str, Any] = {"criteria_set": {"id": first.id, "title": first.title,
                                             "source": first.source, "origin": first.origin}}
    if len(groups) > 1:
        prov["criteria_sets"] = [{"id": cs.id, "title": cs.title, "source": cs.source,
                                  "origin": cs.origin, "clusters": ids}
                                 for cs, ids in groups.values()]
    if parameters:
        prov["what_if_parameters"] = {k: str(v) for k, v in parameters.items()}
    if weights:
        prov["what_if_weights"] = {k: str(v) for k, v in weights.items()}
    return prov
