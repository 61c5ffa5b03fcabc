"""
A test kit for province plugin authors (also a pytest plugin, loaded automatically).

- :func:`plugin_engine` — an Engine with only your plugin (and the national rules);
- :func:`tiny_dataset` — a small, valid dataset with the provinces you name;
- :func:`check_conformance` — every check a published plugin must pass;
- ``pytest --doanmodel-conformance path/to/pyproject.toml`` runs that check for the
  ``doanmodel`` entry points a plugin's ``pyproject.toml`` declares;
- :mod:`doanmodel.testing.strategies` — Hypothesis strategies for the entities.

Fixtures: ``doanmodel_engine`` (national rules only), ``doanmodel_plugin_engine`` (a factory:
``doanmodel_plugin_engine(hooks)``) and ``doanmodel_tiny_dataset``.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import importlib.metadata
import random
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from ..dataset._dataset import Dataset, DatasetMeta
from ..engine._engine import Engine
from ..hookspecs import PLUGIN_API
from ..model._dates import add_years
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
    UnitVersion,
    Visit,
)
from ..model._enums import AbsenceReason, Level, MeetingKind, Role, VisitPurpose
from ..scoring._criteria import parse_criteria

__all__ = ["TINY_CRITERIA", "check_conformance", "plugin_engine", "tiny_dataset"]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def plugin_engine(*plugins: ModuleType | Any) -> Engine:
    """An Engine with the national rules and only *plugins* (no installed entry point)."""
    return Engine(plugins=list(plugins), load_entry_points=False)


#: The criteria set :func:`tiny_dataset` scores its clusters with.
TINY_CRITERIA: dict[str, Any] = {
    "id": "tiny", "title": "Bộ tiêu chí thử", "source": "doanmodel.testing", "bonus_cap": 5,
    "year": 2024,
    "criterion": [
        {"id": "new", "points": 40, "method": "ratio", "indicator": "new_members",
         "target": "targets"},
        {"id": "meet", "points": 30, "method": "steps", "indicator": "branch_meeting_share",
         "steps": [{"min": 0.95, "points": 30}, {"min": 0.8, "points": 15}, {"points": 0}]},
        {"id": "visits", "points": 30, "method": "count", "points_each": 1,
         "indicator": "visit_days"},
        {"id": "model", "points": 5, "bonus": True, "method": "boolean",
         "indicator": "creative_model"},
    ],
}


def tiny_dataset(provinces: Sequence[str] = ("P1", "P2"), *, year: int = 2024, seed: int = 0,
                 districts: int = 2, communes: int = 2, branches: int = 2, members: int = 6,
                 cadres: int = 3, visits: int = 20, province_end: _dt.date | None = None
                 ) -> Dataset:
    """
    A small valid dataset: one province per code in *provinces* (its id and ``code`` are the
    code), each with districts, communes, branches, members, bound full-time cadres with
    visits, monthly branch meetings, one emulation cluster of its districts and targets.
    Reproducible for a *seed*. *province_end* ends every province (and its subtree) on that day.
    """
    rng = random.Random(seed)
    y0 = _dt.date(year, 1, 1)
    meta = DatasetMeta(name="tiny", root="TW", year=year)
    units = [Unit(id="TW", versions=(UnitVersion(id="TW", name="Trung ương Đoàn",
                                                 level=Level.CENTRAL),))]
    cad: list[Cadre] = []
    pos: list[Position] = []
    abs_: list[Absence] = []
    vis: list[Visit] = []
    meets: list[Meeting] = []
    mems: list[Member] = []
    clusters: list[Cluster] = []
    inds: list[Indicator] = []
    tgs: list[Target] = []
    end = province_end

    def unit(uid: str, name: str, level: Level, parent: str, code: str | None = None) -> None:
        units.append(Unit(id=uid, versions=(UnitVersion(id=uid, name=name, level=level,
                                                        parent_id=parent, valid_to=end,
                                                        code=code),)))

    last = min(_dt.date(year, 12, 31), end) if end else _dt.date(year, 12, 31)
    span = (last - y0).days
    for p in provinces:
        unit(p, f"Tỉnh đoàn {p}", Level.PROVINCE, "TW", code=p)
        targets = []
        dids = []
        for d in range(districts):
            did = f"{p}-H{d}"
            dids.append(did)
            unit(did, f"Huyện đoàn {p}-{d}", Level.UPPER_GRASSROOTS, p)
            tgs.append(Target(unit_id=did, period=_period(year), indicator="new_members",
                              value=Decimal(rng.randint(2, 8)), source="thử"))
            inds.append(Indicator(unit_id=did, period=_period(year), indicator="creative_model",
                                  value=Decimal(rng.randint(0, 1))))
            for c in range(communes):
                cid = f"{did}-X{c}"
                unit(cid, f"Đoàn xã {cid}", Level.GRASSROOTS, did)
                targets.append(cid)
                for b in range(branches):
                    bid = f"{cid}-C{b}"
                    unit(bid, f"Chi đoàn {bid}", Level.BRANCH, cid)
                    for m in range(1, 13):
                        day = _dt.date(year, m, rng.randint(1, 28))
                        if day <= last and rng.random() < 0.9:
                            meets.append(Meeting(id=f"M-{bid}-{m}", unit_id=bid, date=day,
                                                 kind=MeetingKind.BRANCH_MEETING))
                    for k in range(members):
                        born = _dt.date(year - rng.randint(17, 29), rng.randint(1, 12),
                                        rng.randint(1, 28))
                        joined = y0 + _dt.timedelta(days=rng.randint(0, span)) \
                            if rng.random() < 0.3 else _dt.date(year - 1, rng.randint(1, 12), 1)
                        joined = max(joined, add_years(born, 16))
                        mems.append(Member(id=f"{bid}-{k}", branch_id=bid, birth_date=born,
                                           joined_on=joined))
        clusters.append(Cluster(id=f"{p}-cum", name=f"Cụm thi đua {p}", year=year,
                                members=tuple(dids), lead=dids[0] if dids else None))
        for n in range(cadres):
            cid = f"{p}-CB{n}"
            cad.append(Cadre(id=cid, name=f"Cán bộ {cid}"))
            pos.append(Position(cadre_id=cid, unit_id=p, role=[Role.SECRETARY,
                                                                Role.DEPUTY_SECRETARY,
                                                                Role.STANDING_MEMBER][n % 3],
                                full_time=True, start=_dt.date(year - 2, 10, 1), end=end))
            for v in range(visits):
                start = y0 + _dt.timedelta(days=rng.randint(0, span))
                length = rng.randint(0, 3)
                stop = min(start + _dt.timedelta(days=length), last)
                vis.append(Visit(id=f"V-{cid}-{v}", cadre_id=cid, unit_id=rng.choice(targets),
                                 start=start, end=stop if stop != start else None,
                                 purpose=rng.choice(list(VisitPurpose)),
                                 order_ref=f"CL-{v}" if rng.random() < 0.7 else None,
                                 report_on=stop + _dt.timedelta(days=rng.randint(0, 14))))
        if cadres:
            a = y0 + _dt.timedelta(days=rng.randint(0, max(0, span - 90)))
            abs_.append(Absence(cadre_id=f"{p}-CB0", start=a, end=a + _dt.timedelta(days=60),
                                reason=AbsenceReason.SICK_LEAVE))
    criteria = dict(TINY_CRITERIA, year=year)
    return Dataset.build(meta, units, cadres=cad, positions=pos, absences=abs_, visits=vis,
                         meetings=meets, members=mems, indicators=inds, targets=tgs,
                         clusters=clusters, criteria=criteria, validate=False)


def _period(year: int) -> Any:
    from ..model._dates import Period  # noqa: PLC0415 - keep the module's import light

    return Period(year)


# ---------------------------------------------------------------------------- conformance
def _module(plugin: ModuleType | str) -> ModuleType:
    if isinstance(plugin, str):
        for ep in importlib.metadata.entry_points(group="doanmodel"):
            if ep.name == plugin:
                loaded: ModuleType = ep.load()
                return loaded
        return importlib.import_module(plugin)
    return plugin


def check_conformance(plugin: ModuleType | str) -> list[str]:
    """
    Check a province plugin (a module, an entry-point name or a module path) and return the
    problems found; an empty list means it conforms.

    Checks: it loads; ``doanmodel_plugin_info`` names it, its version, the API it targets, its
    provinces and dates; what it returns passes the engine's validation (sources, dates, declared
    overrides); every rule has a Vietnamese and an English title; it does not fail at run time or
    speak outside its provinces; it sets no parameter twice; and it changes nothing for a
    province it does not name (findings and scores of the other province are identical with and
    without it), in a year inside its dates.
    """
    try:
        module = _module(plugin)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return [f"cannot import: {type(exc).__name__}: {exc}"]
    engine = plugin_engine(module)
    loaded = [p for p in engine.plugins if not p.builtin]
    if not loaded:
        return ["the module registered no plugin"]
    me = loaded[0]
    if me.error:
        return [f"refused by the engine: {me.error}"]
    problems = _declaration_problems(module, engine, me)
    return problems + _isolation_problems(engine, me, problems)


def _declaration_problems(module: Any, engine: Engine, me: Any) -> list[str]:
    """What the plugin says about itself and its rules, and parameters set twice."""
    info = me.info
    checks = [(not hasattr(module, "doanmodel_plugin_info"), "no doanmodel_plugin_info hook"),
              (info.api != PLUGIN_API, f"targets plugin API {info.api}, not {PLUGIN_API}"),
              (not info.provinces,
               "names no province: a province plugin must say where it applies"),
              (info.version in ("", "0"), "has no version"),
              (not info.sources, "cites no source document"),
              (not me.contributes, "contributes nothing")]
    problems = [msg for failed, msg in checks if failed]
    problems += [f"rule {r.id} lacks a Vietnamese or English title" for r in engine.rules()
                 if r.origin == me.name and not (r.title.vi and r.title.en)]
    seen: set[tuple[str, _dt.date]] = set()
    for pv in me.items.params if me.items else ():
        if (pv.name, pv.start) in seen:
            problems.append(f"sets parameter {pv.name} from {pv.start.isoformat()} twice")
        seen.add((pv.name, pv.start))
    return problems


def _isolation_problems(engine: Engine, me: Any, earlier: list[str]) -> list[str]:
    """Run the plugin on a tiny dataset of its province and another one: its faults, and any
    change it makes to the other province's findings or scores."""
    info = me.info
    year = _year_inside(info.start, info.end)
    code = info.provinces[0] if info.provinces else "P1"
    ds = tiny_dataset((code, "ZZ-OTHER"), year=year, seed=1)
    national = plugin_engine()
    try:
        a = national.check(ds, year)
        b = engine.check(ds, year)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return [f"check failed on a tiny dataset: {type(exc).__name__}: {exc}"]
    problems = [f"fails at run time: {f.line()}" for f in b.plugin_failures
                if f.plugin == me.name]
    if _other(a.findings) != _other(b.findings):
        problems.append("changes findings of a province it does not name")
    cs = parse_criteria(dict(TINY_CRITERIA, year=year))
    sa = national.score(ds, year, criteria=cs).cluster("ZZ-OTHER-cum")
    board = engine.score(ds, year, criteria=cs)
    said = " ".join(earlier + problems)
    problems += [f"fails while scoring: {f.line()}" for f in board.plugin_failures
                 if f.plugin == me.name and f.line() not in said]
    if sa != board.cluster("ZZ-OTHER-cum"):
        problems.append("changes scores of a province it does not name")
    return problems


def _other(findings: Sequence[Any]) -> list[Any]:
    """The findings about the province the plugin does not name, in a stable order."""
    return sorted((f for f in findings if f.province == "ZZ-OTHER"),
                  key=lambda f: (f.rule, f.subject_id))


def _year_inside(start: _dt.date | None, end: _dt.date | None) -> int:
    if end is not None:
        return end.year - 1 if start is None or end.year - 1 >= start.year else end.year
    return start.year + 1 if start is not None else 2024


# ---------------------------------------------------------------------------- pytest plugin
def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("doanmodel")
    group.addoption("--doanmodel-conformance", action="store_true", default=False,
                    help="collect a conformance check for each doanmodel entry point declared "
                         "by the pyproject.toml files given on the command line")


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if file_path.name.endswith(".case.toml"):
        return _CaseFile.from_parent(parent, path=file_path)
    if file_path.name != "pyproject.toml" or not parent.config.getoption(
            "--doanmodel-conformance"):
        return None
    return _ConformanceFile.from_parent(parent, path=file_path)


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is only needed to run plugin tests
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    class _ConformanceFile(pytest.File):
        def collect(self) -> Any:
            data = tomllib.loads(Path(self.path).read_text(encoding="utf-8"))
            eps = data.get("project", {}).get("entry-points", {}).get("doanmodel", {})
            for name in eps:
                yield _ConformanceItem.from_parent(self, name=f"conformance[{name}]",
                                                   entry_point=name)

    class _ConformanceItem(pytest.Item):
        def __init__(self, *, entry_point: str, **kw: Any) -> None:
            super().__init__(**kw)
            self.entry_point = entry_point

        def runtest(self) -> None:
            problems = check_conformance(self.entry_point)
            if problems:
                raise AssertionError(f"plugin {self.entry_point!r} does not conform:\n- " +
                                     "\n- ".join(problems))

        def reportinfo(self) -> Any:
            return self.path, 0, f"doanmodel conformance: {self.entry_point}"

    class _CaseFile(pytest.File):
        """A declarative case file (``*.case.toml``): one test per ``[[case]]``."""

        def collect(self) -> Any:
            from ..engine._cases import load_cases  # noqa: PLC0415

            for case in load_cases(self.path):
                yield _CaseItem.from_parent(self, name=case.name, case=case)

    class _CaseItem(pytest.Item):
        def __init__(self, *, case: Any, **kw: Any) -> None:
            super().__init__(**kw)
            self.case = case

        def runtest(self) -> None:
            from ..engine._cases import run_case  # noqa: PLC0415

            result = run_case(self.case)
            if not result.ok:
                raise AssertionError(f"case {self.case.name!r} ({self.case.file}:"
                                     f"{self.case.line}):\n- " + "\n- ".join(result.mismatches))

        def reportinfo(self) -> Any:
            return self.path, self.case.line, f"doanmodel case: {self.case.name}"

    @pytest.fixture(name="doanmodel_engine")
    def _doanmodel_engine() -> Engine:
        """An engine with the national rules only."""
        return plugin_engine()

    @pytest.fixture(name="doanmodel_plugin_engine")
    def _doanmodel_plugin_engine() -> Any:
        """A factory: ``doanmodel_plugin_engine(hooks)`` is an engine with only that plugin."""
        return plugin_engine

    @pytest.fixture(name="doanmodel_tiny_dataset")
    def _doanmodel_tiny_dataset() -> Dataset:
        """A tiny two-province dataset (P1, P2)."""
        return tiny_dataset()
