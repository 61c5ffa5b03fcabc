"""JSON and dataset-directory round trips through one cattrs converter."""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..model._ballot import Ballot
from ..model._convert import converter
from ..model._entities import (
    Absence,
    Cadre,
    Cluster,
    Indicator,
    Meeting,
    Member,
    Position,
    Target,
    Unit,
    Visit,
)
from ._csvio import written_columns
from ._dataset import Dataset, DatasetMeta
from ._programmes import Programme
from ._programmes_toml import programmes_to_toml

__all__ = ["converter", "dataset_from_json", "dataset_to_json", "dump_toml", "write_dataset"]

def _meta_out(meta: DatasetMeta) -> dict[str, Any]:
    out: dict[str, Any] = converter.unstructure(meta)
    out["parameters"] = {
        k: [{"from": e["from"].isoformat(), "value": e["value"], "source": e["source"]} for e in v]
        for k, v in meta.parameters.items()
    }
    return out


def _meta_in(data: dict[str, Any]) -> DatasetMeta:
    data = dict(data)
    params = data.pop("parameters", {})
    meta = converter.structure({**data, "parameters": {}}, DatasetMeta)
    fixed = {k: [{"from": _dt.date.fromisoformat(e["from"]), "value": e["value"],
                  "source": e["source"]} for e in v] for k, v in params.items()}
    return attrs.evolve(meta, parameters=fixed)


def _fields(obj: Any) -> dict[str, Any]:
    return {a.name: getattr(obj, a.name) for a in type(obj).__attrs_attrs__}


_LISTS: list[tuple[str, type]] = [
    ("positions", Position), ("absences", Absence), ("visits", Visit), ("meetings", Meeting),
    ("members", Member), ("indicators", Indicator), ("targets", Target), ("clusters", Cluster),
]


def dataset_to_dict(ds: Dataset) -> dict[str, Any]:
    """The whole dataset as plain JSON-ready data."""
    out: dict[str, Any] = {"format": 1, "meta": _meta_out(ds.meta)}
    out["units"] = [converter.unstructure(u) for u in ds.units.values()]
    out["cadres"] = [converter.unstructure(c) for c in ds.cadres.values()]
    for key, cls in _LISTS:
        out[key] = [converter.unstructure(item, cls) for item in getattr(ds, key)]
    out["criteria"] = _jsonable(ds.criteria)
    out["programmes"] = [converter.unstructure(p, Programme) for p in ds.programmes]
    if ds.manifest is not None:  # what each table was read from (file, SHA-256, rows)
        out["manifest"] = ds.manifest.to_dict()
    # "not reported", as against a present table with no row
    out["absent_tables"] = sorted(ds.absent_tables)
    if ds.ballots is not None:  # the council's ballots (ballots.csv)
        out["ballots"] = [converter.unstructure(b, Ballot) for b in ds.ballots]
    return out


def dataset_from_dict(data: dict[str, Any]) -> Dataset:
    """Rebuild a dataset from :func:`dataset_to_dict` output."""
    kwargs: dict[str, Any] = {key: [converter.structure(item, cls)
                                    for item in data.get(key, [])] for key, cls in _LISTS}
    criteria = data.get("criteria")
    ds = Dataset.build(
        _meta_in(data["meta"]),
        [converter.structure(u, Unit) for u in data["units"]],
        cadres=[converter.structure(c, Cadre) for c in data.get("cadres", [])],
        criteria=_from_jsonable(criteria) if criteria is not None else None,
        programmes=[converter.structure(p, Programme) for p in data.get("programmes", [])],
        absent_tables=[str(t) for t in data.get("absent_tables", ())],
        validate=False,
        **kwargs,
    )
    if isinstance(data.get("manifest"), dict):
        from ._intake import Manifest  # noqa: PLC0415

        ds.manifest = Manifest.from_dict(data["manifest"])
    if isinstance(data.get("ballots"), list):
        ds.ballots = tuple(converter.structure(b, Ballot) for b in data["ballots"])
    return ds


def dataset_to_json(ds: Dataset, **kw: Any) -> str:
    """The whole dataset as a JSON string."""
    return json.dumps(dataset_to_dict(ds), ensure_ascii=False, **kw)


def dataset_from_json(text: str) -> Dataset:
    """Rebuild a dataset from :func:`dataset_to_json` output."""
    return dataset_from_dict(json.loads(text))


# TOML dates survive JSON as tagged strings so the raw criteria table round-trips.
def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return _dt.date.fromisoformat(value["$date"])
        return {k: _from_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(v) for v in value]
    return value


# ---------------------------------------------------------------------------- TOML writing
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) \
            + " }"
    msg = f"cannot write {type(value).__name__} to TOML"
    raise TypeError(msg)


def _toml_key(key: str) -> str:
    if key and all(c.isalnum() or c in "_-" for c in key) and key.isascii():
        return key
    return json.dumps(key, ensure_ascii=False)


def dump_toml(data: dict[str, Any]) -> str:
    """Write a TOML document: scalars first, then tables, then arrays of tables."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    arrays: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value) \
                and key not in ("steps", "points_by_rank"):
            arrays.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, table in tables:
        lines.append(f"\n[{_toml_key(key)}]")
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())
    for key, items in arrays:
        for item in items:
            lines.append(f"\n[[{_toml_key(key)}]]")
            lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in item.items())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- directory
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ";".join(map(str, value))
    return str(value)


def _write_csv(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    columns = written_columns(name, rows)
    extras = sorted({k for r in rows for k in r.get("extra", {})})
    with open(path / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns + extras)
        for r in rows:
            extra = r.get("extra", {})
            writer.writerow([_cell(r.get(c)) for c in columns] + [extra.get(e, "") for e in extras])


def _row(obj: Any) -> dict[str, Any]:
    return {a.name: getattr(obj, a.name) for a in type(obj).__attrs_attrs__}


def write_dataset(ds: Dataset, path: str | os.PathLike[str]) -> Path:
    """
    Write *ds* as a dataset directory (contract §1) at *path*, which must not exist or be empty.

    ``load_dataset(write_dataset(ds, p)) == ds`` for every valid dataset.
    """
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        msg = f"{out} is not empty; doanmodel never overwrites a dataset"
        raise FileExistsError(msg)
    meta = ds.meta
    doc: dict[str, Any] = {"format": 1, "name": meta.name, "root": meta.root}
    if meta.year is not None:
        doc["year"] = meta.year
    if meta.description:
        doc["description"] = meta.description
    if meta.sources:
        doc["sources"] = list(meta.sources)
    doc["plugins"] = list(meta.plugins)
    if meta.not_collected:
        doc["not_collected"] = list(meta.not_collected)
    if meta.reconstructed:
        doc["reconstructed"] = list(meta.reconstructed)
    if meta.parameters:
        doc["parameters"] = dict(meta.parameters)
    (out / "dataset.toml").write_text(dump_toml(doc), encoding="utf-8")
    _write_csv(out, "units.csv", [_row(v) for u in ds.units.values() for v in u.versions])
    tables = [("cadres.csv", ds.cadres.values()), ("positions.csv", ds.positions),
              ("absences.csv", ds.absences), ("visits.csv", ds.visits),
              ("meetings.csv", ds.meetings), ("members.csv", ds.members),
              ("indicators.csv", ds.indicators), ("targets.csv", ds.targets)]
    for name, items in tables:
        # an empty table the dataset reported is written with its header ("reported none"),
        # an absent one is left out, so loading it back says the same (docs/dataset.md)
        if len(items) or name.removesuffix(".csv") not in ds.absent_tables:
            _write_csv(out, name, [_row(i) for i in items])
    if ds.clusters:
        clusters = []
        for c in ds.clusters:
            entry: dict[str, Any] = {"id": c.id, "name": c.name, "year": c.year,
                                     "members": list(c.members)}
            if c.lead:
                entry["lead"] = c.lead
            if c.source:
                entry["source"] = c.source
            clusters.append(entry)
        (out / "clusters.toml").write_text(dump_toml({"cluster": clusters}), encoding="utf-8")
    if ds.criteria is not None:
        (out / "criteria.toml").write_text(dump_toml(ds.criteria), encoding="utf-8")
    if ds.ballots is not None:
        from ._ballots import BALLOT_COLUMNS  # noqa: PLC0415

        with open(out / "ballots.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(BALLOT_COLUMNS)
            writer.writerows([_cell(getattr(b, c)) for c in BALLOT_COLUMNS] for b in ds.ballots)
    if ds.programmes:
        (out / "programmes.toml").write_text(dump_toml(programmes_to_toml(ds.programmes)),
                                             encoding="utf-8")
    return out
