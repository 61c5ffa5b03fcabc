"""A store opens from its typed rows into the dataset the careful loader makes of the folder."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.model._i18n import nfc
from doanmodel.testing.strategies import CHILD_LEVELS, ENTITIES, tree_dataset, trees

pytest.importorskip("duckdb")

from doanmodel.dataset import _storetyped  # noqa: E402
from doanmodel.dataset._store import import_dataset, open_store  # noqa: E402
from doanmodel.dataset._storetyped import STORE_FORMAT, TYPED, construct  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FOLDERS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "dataset.toml").is_file())
D = dt.date
#: what a dataset opened from a store holds (members and meetings stay in DuckDB; programmes
#: are not kept in a store)
FIELDS = ("meta", "units", "cadres", "positions", "absences", "visits", "indicators", "targets",
          "clusters", "criteria", "criteria_text", "unit_ids")


def _typed(value: Any) -> Any:
    """*value* with the type of every part, so that ``True`` is not ``1`` nor ``"1"`` ``1``."""
    if attrs.has(type(value)):
        return (type(value), tuple((f.name, _typed(getattr(value, f.name)))
                                   for f in attrs.fields(type(value))))
    if isinstance(value, dict):
        return (dict, tuple((k, _typed(v)) for k, v in value.items()))  # order counts too
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_typed(v) for v in value))
    return (type(value), value)


def _assert_same(opened: dm.Dataset, loaded: dm.Dataset) -> None:
    for name in FIELDS:
        assert _typed(getattr(opened, name)) == _typed(getattr(loaded, name)), name


def _sql(db: Path, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    import duckdb  # noqa: PLC0415

    con = duckdb.connect(str(db))
    try:  # in the store's only dataset
        (key,) = con.execute("SELECT DISTINCT table_schema FROM information_schema.tables WHERE "
                             "table_name = 'files'").fetchall()
        con.execute(f"SET schema = '{key[0]}'")
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _open(db: Path, key: str | None = None) -> dm.Dataset:
    """The store's dataset, its DuckDB connection closed (the test writes the store again)."""
    from doanmodel.query._duckdb import tables_of  # noqa: PLC0415

    ds = open_store(str(db), key)
    tables_of(ds).con.close()
    return ds


def _slow(db: Path, monkeypatch: pytest.MonkeyPatch) -> dm.Dataset:
    """The store opened by the careful loader, as before typed rows."""
    with monkeypatch.context() as m:
        m.setattr("doanmodel.dataset._store.read_typed", lambda *_: None)
        return _open(db)


def _fast_used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time a store is opened from typed rows."""
    used: list[int] = []
    build = _storetyped._build  # noqa: SLF001

    def spy(*args: Any) -> dm.Dataset:
        used.append(1)
        return build(*args)

    monkeypatch.setattr(_storetyped, "_build", spy)
    return used


# ---------------------------------------------------------------------------- examples
@pytest.mark.parametrize("name", FOLDERS)
def test_an_example_opens_as_it_loads(name: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening from typed rows gives the loader's dataset, and the old (careful) opening's."""
    folder = EXAMPLES / name
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    used = _fast_used(monkeypatch)
    opened = _open(db)
    assert used == [1]
    _assert_same(opened, dm.load_dataset(folder))
    _assert_same(opened, _slow(db, monkeypatch))
    assert opened.path == f"{db}#{_sql(db, 'SELECT current_schema()')[0][0]}"


def test_synthetic_dataset_opens_as_it_loads(tiny_path: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Every small file (absences, indicators, targets, clusters, criteria) comes back."""
    db = tmp_path / "s.duckdb"
    import_dataset(str(tiny_path), str(db))
    used = _fast_used(monkeypatch)
    opened = _open(db)
    assert used == [1]
    loaded = dm.load_dataset(tiny_path)
    assert all(getattr(loaded, n) for n in ("cadres", "positions", "visits", "clusters"))
    _assert_same(opened, loaded)
    names = {n for (n,) in _sql(db, "SELECT name FROM typed")}
    assert names == {p.name for p in tiny_path.iterdir()} & set(TYPED)


# ---------------------------------------------------------------------------- any dataset
texts = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
                min_size=1, max_size=12).map(lambda s: nfc(s).strip()).filter(bool)
extras = st.dictionaries(st.sampled_from(["x_note", "x_ref"]), texts, max_size=2)
days = st.dates(D(2020, 1, 1), D(2026, 12, 31))
numbers = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False,
                      allow_infinity=False)


@st.composite
def datasets(draw: st.DrawFn) -> dm.Dataset:
    """A valid dataset with every kind of small file, units of several versions, x_ columns."""
    versions = [attrs.evolve(v, name=draw(texts), extra=draw(extras),
                             sector=draw(st.none() | st.sampled_from(dm.Sector)),
                             code=draw(st.none() | st.just("TV")))
                for v in draw(trees(max_units=10))]
    ds = tree_dataset(versions)
    for _ in range(draw(st.integers(0, 3))):  # moves: units of several versions
        on = draw(st.dates(D(2024, 1, 2), D(2025, 12, 31)))
        movable = sorted(u for u in ds.units if (v := ds.units[u].at(on)) is not None
                         and v.parent_id is not None)
        if not movable:
            break
        uid = draw(st.sampled_from(movable))
        level = ds.units[uid].at(on).level  # type: ignore[union-attr]
        below = set(ds.descendants(uid, on)) | {uid}
        parents = sorted(p for p in ds.units if p not in below and (pv := ds.units[p].at(on))
                         is not None and level in CHILD_LEVELS[pv.level])
        if parents:
            ds = dm.reorg.move(ds, uid, draw(st.sampled_from(parents)), on)
    ids = sorted(u for u, unit in ds.units.items() if unit.valid_to is None)
    cadres = [dm.Cadre(id=f"C{i}", name=draw(texts), birth_date=draw(st.none() | days),
                       gender=draw(st.none() | st.sampled_from(["M", "F"])),
                       education=draw(st.none() | texts), extra=draw(extras))
              for i in range(draw(st.integers(0, 4)))]
    positions, absences, visits = [], [], []
    for i, c in enumerate(cadres):
        start = draw(days)
        positions.append(dm.Position(
            cadre_id=c.id, unit_id=draw(st.sampled_from(ids)), role=draw(st.sampled_from(dm.Role)),
            start=start, full_time=draw(st.booleans()), end=draw(st.none() | st.dates(start)),
            term=draw(st.none() | st.just("2022 – 2027")), extra=draw(extras)))
        absences.append(dm.Absence(cadre_id=c.id, start=start, end=start + dt.timedelta(9),
                                   reason=draw(st.sampled_from(dm.AbsenceReason))))
        visits.append(dm.Visit(
            id=f"V{i}", cadre_id=c.id, unit_id=draw(st.sampled_from(ids)), start=start,
            purpose=draw(st.sampled_from(dm.VisitPurpose)),
            end=draw(st.none() | st.dates(start, D(2026, 12, 31))),
            order_ref=draw(st.none() | texts), report_on=draw(st.none() | st.just(start)),
            extra=draw(extras)))
    periods = draw(st.lists(st.sampled_from(["2024", "2025-H1", "2025-Q3", "2025-03"]),
                            unique=True, max_size=3))
    indicators = [dm.Indicator(unit_id=ids[0], period=dm.parse_period(p), indicator="new_members",
                               value=draw(numbers), evidence=draw(st.none() | texts),
                               extra=draw(extras)) for p in periods]
    targets = [dm.Target(unit_id=ids[0], period=dm.parse_period(p), indicator="new_members",
                         value=draw(numbers), source=draw(st.none() | texts)) for p in periods]
    alive = sorted(u for u in ds.units if ds.last_day(u, D(2025, 1, 1), D(2025, 12, 31)))
    members = draw(st.lists(st.sampled_from(alive), unique=True, max_size=4)) if alive else []
    clusters = [dm.Cluster(id=f"K{k}", name=draw(texts), year=2025, members=tuple(part),
                           lead=part[0] if draw(st.booleans()) else None,
                           source=draw(st.none() | texts))
                for k, part in enumerate((members[:2], members[2:])) if part]
    return dm.Dataset.build(ds.meta, ds.units.values(), cadres=cadres, positions=positions,
                            absences=absences, visits=visits, indicators=indicators,
                            targets=targets, clusters=clusters, validate=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
@example(tree_dataset(
    [dm.UnitVersion(id="P0", name="Tỉnh đoàn", level=dm.Level.PROVINCE, extra={"x_note": "1"}),
     dm.UnitVersion(id="U1", name="Huyện", level=dm.Level.UPPER_GRASSROOTS, parent_id="P0",
                    valid_to=D(2024, 12, 31), successor_id="P0")],
    indicators=[dm.Indicator(unit_id="P0", period=dm.parse_period("2024-Q4"), indicator="x",
                             value=Decimal("1E+3"))]))
def test_any_dataset_opens_as_it_loads(ds: dm.Dataset) -> None:
    """Whatever a folder holds, the store opens into the dataset the loader makes of it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = dm.write_dataset(ds, Path(tmp, "d"))
        db = Path(tmp, "s.duckdb")
        import_dataset(str(folder), str(db))
        _assert_same(_open(db), dm.load_dataset(folder))


@pytest.mark.parametrize("source", ["2024", "2024-05-01", "[\"QĐ 1\", \"QĐ 2\"]", "true",
                                    "\"QĐ 12\""])
def test_a_cluster_source_of_any_toml_value(source: str, copy_example: Any,
                                            tmp_path: Path) -> None:
    """A cluster's source is any TOML value: one JSON would not keep has clusters.toml read
    again, the rest of the dataset still opens from typed rows."""
    folder = copy_example("cum-thi-dua-2023")
    path = folder / "clusters.toml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(k for k, line in enumerate(lines) if line.startswith("source = "))
    lines[at] = f"source = {source}\n"
    path.write_text("".join(lines), "utf-8")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    opened, loaded = _open(db), dm.load_dataset(folder)
    assert loaded.clusters[0].source is not None
    _assert_same(opened, loaded)
    body = _sql(db, "SELECT body FROM typed WHERE name = 'clusters.toml'")[0][0]
    assert (body == b"null") == (not source.startswith('"'))


# ---------------------------------------------------------------------------- re-import
def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_reimport_follows_a_changed_file(copy_example: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed file replaces its typed row (never a second one); the others stay as they
    were; a removed file takes its typed row away."""
    folder = copy_example("tra-vinh-2019")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    before = dict(_sql(db, "SELECT name, sha256 FROM typed"))
    _edit(folder / "visits.csv", ",co_organise,", ",survey,")
    unit = dm.load_dataset(folder).units["TV"].latest
    _edit(folder / "units.csv", unit.name, unit.name + " (mới)")
    status = import_dataset(str(folder), str(db))
    assert status["visits.csv"] == status["units.csv"] == "replaced"
    assert status["cadres.csv"] == "unchanged"
    after = dict(_sql(db, "SELECT name, sha256 FROM typed"))
    assert after.keys() == before.keys()
    assert _sql(db, "SELECT count(*), count(DISTINCT name) FROM typed") == [(len(after),) * 2]
    assert after["cadres.csv"] == before["cadres.csv"]
    assert after["visits.csv"] != before["visits.csv"]
    used = _fast_used(monkeypatch)
    opened = _open(db)
    assert used == [1]
    _assert_same(opened, dm.load_dataset(folder))
    assert opened.units["TV"].latest.name.endswith("(mới)")
    (folder / "visits.csv").unlink()
    assert import_dataset(str(folder), str(db))["visits.csv"] == "removed"
    assert "visits.csv" not in {n for (n,) in _sql(db, "SELECT name FROM typed")}
    opened = _open(db)
    assert opened.visits == () and used == [1, 1]
    _assert_same(opened, dm.load_dataset(folder))


def test_a_bad_reimport_leaves_the_typed_rows(copy_example: Any, tmp_path: Path) -> None:
    """Nothing is written when the folder has a problem: typed rows included."""
    folder = copy_example("tra-vinh-2019")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    before = _sql(db, "SELECT * FROM typed ORDER BY name")
    _edit(folder / "units.csv", ",province,", ",nowhere,")
    with pytest.raises(dm.DatasetError):
        import_dataset(str(folder), str(db))
    assert _sql(db, "SELECT * FROM typed ORDER BY name") == before


# ---------------------------------------------------------------------------- older stores
def test_a_store_without_typed_rows_opens_carefully(copy_example: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written before typed rows opens with the loader; re-importing the unchanged
    folder adds the typed rows and leaves every file as it is."""
    folder = copy_example("cum-thi-dua-2023")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    _sql(db, "DROP TABLE typed")
    used = _fast_used(monkeypatch)
    _assert_same(_open(db), dm.load_dataset(folder))
    assert used == []
    assert set(import_dataset(str(folder), str(db)).values()) == {"unchanged"}
    _assert_same(_open(db), dm.load_dataset(folder))
    assert used == [1]


@pytest.mark.parametrize("change", ["UPDATE typed SET sha256 = 'old' WHERE name = 'units.csv'",
                                    "UPDATE typed SET format = ? + 1 WHERE name = 'cadres.csv'",
                                    "DELETE FROM typed WHERE name = 'positions.csv'"])
def test_typed_rows_out_of_step_are_not_read(change: str, copy_example: Any, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A typed row of another format, or of another content of its file (an older doanmodel
    changed the files after a newer one wrote the typed rows), is not trusted."""
    folder = copy_example("tra-vinh-2019")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    _sql(db, change, [STORE_FORMAT] if "?" in change else [])
    used = _fast_used(monkeypatch)
    _assert_same(_open(db), dm.load_dataset(folder))
    assert used == []
    assert set(import_dataset(str(folder), str(db)).values()) == {"unchanged"}
    _assert_same(_open(db), dm.load_dataset(folder))
    assert used == [1]


def test_a_null_body_of_a_csv_file_is_not_read(copy_example: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a CSV file's body ever be null, the store opens through the loader."""
    folder = copy_example("tra-vinh-2019")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    _sql(db, "UPDATE typed SET body = 'null'::BLOB WHERE name = 'visits.csv'")
    used = _fast_used(monkeypatch)
    opened = _open(db)
    assert used == [1]  # tried, and gave up
    assert len(opened.visits) == len(dm.load_dataset(folder).visits) > 0
    _assert_same(opened, dm.load_dataset(folder))


def test_a_typed_row_without_its_file_is_not_read(copy_example: Any, tmp_path: Path) -> None:
    """A file an older doanmodel removed from the store leaves no entities behind."""
    folder = copy_example("tra-vinh-2019")
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    _sql(db, "DELETE FROM files WHERE name = 'visits.csv'")
    (folder / "visits.csv").unlink()
    opened = _open(db)
    assert opened.visits == ()
    _assert_same(opened, dm.load_dataset(folder))


def test_several_datasets_each_open_from_their_rows(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    for name in ("tra-vinh-2019", "can-bo-2021"):
        import_dataset(str(EXAMPLES / name), str(db), key=name)
    for name in ("tra-vinh-2019", "can-bo-2021"):
        _assert_same(_open(db, name), dm.load_dataset(EXAMPLES / name))


def test_export_writes_the_files_back(tmp_path: Path) -> None:
    """The raw files stay in the store: export writes them back byte for byte."""
    from doanmodel.dataset._store import export_store  # noqa: PLC0415

    folder = EXAMPLES / "cum-thi-dua-2023"
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db))
    back = export_store(str(db), str(tmp_path / "back"))
    for f in folder.iterdir():
        if f.name not in ("meetings.csv", "members.csv"):
            assert (back / f.name).read_bytes() == f.read_bytes(), f.name


@given(st.lists(ENTITIES[dm.Unit], max_size=6), st.lists(ENTITIES[dm.Cadre], max_size=4),
       st.lists(ENTITIES[dm.Position], max_size=4), st.lists(ENTITIES[dm.Absence], max_size=4),
       st.lists(ENTITIES[dm.Visit], max_size=4), st.lists(ENTITIES[dm.Indicator], max_size=4),
       st.lists(ENTITIES[dm.Target], max_size=4), st.lists(ENTITIES[dm.Cluster], max_size=3))
@example([], [], [], [], [], [dm.Indicator(unit_id="U", period=dm.parse_period("2023-H2"),
                                           indicator="x", value=Decimal("-0.000"))],
         [dm.Target(unit_id="U", period=dm.parse_period("2023"), indicator="x",
                    value=Decimal("1E+3"))], [])
def test_bodies_keep_every_entity(units: list[dm.Unit], cadres: list[dm.Cadre],
                                  positions: list[dm.Position], absences: list[dm.Absence],
                                  visits: list[dm.Visit], indicators: list[dm.Indicator],
                                  targets: list[dm.Target], clusters: list[dm.Cluster]) -> None:
    """Any entities, encoded then decoded, are the same entities (types, order, x_ columns)."""
    ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="P0"), units, cadres=cadres,
                          positions=positions, absences=absences, visits=visits,
                          indicators=indicators, targets=targets, clusters=clusters,
                          validate=False)  # any entities, valid together or not
    for name in TYPED:
        back = _storetyped.decode(name, _storetyped.encode(ds, name))
        assert _typed(back) == _typed(list(_storetyped._items(  # noqa: SLF001
            ds, name) if name != "units.csv" else ds.units.values())), name


# ---------------------------------------------------------------------------- construct
def test_entities_are_made_without_their_init() -> None:
    """Every entity kept in typed rows is plain: its slots are set column by column."""
    for name in TYPED:
        cls, columns = _storetyped._SPEC[name]  # noqa: SLF001
        names = [c for c, _ in columns] + (["extra"] if name.endswith(".csv") else [])
        assert _storetyped._plain(cls, names), name  # noqa: SLF001
    assert _storetyped._plain(dm.Unit, ("id", "versions"))  # noqa: SLF001


def test_spec_names_every_column_of_the_loader() -> None:
    """The typed columns are the loader's columns of each file (an added column is not lost)."""
    from doanmodel.dataset._csvio import FILES  # noqa: PLC0415

    for name in TYPED:
        cls, columns = _storetyped._SPEC[name]  # noqa: SLF001
        fields = {c for c, _, _ in FILES[name]} if name.endswith(".csv") else \
            set(attrs.fields_dict(cls))
        assert {c for c, _ in columns} == fields, name


@given(st.lists(st.tuples(st.integers(1990, 2030), st.sampled_from(dm.PeriodKind)), max_size=5))
def test_construct_calls_a_class_that_is_not_plain(rows: list[tuple[int, Any]]) -> None:
    """A class with a post-init hook (Period) is called, not filled in."""
    years = [y for y, _ in rows]
    kinds = [k for _, k in rows]
    made = construct(dm.Period, ("year", "kind"), (years, kinds), len(rows))
    assert made == [dm.Period(y, k) for y, k in rows]
    assert [p.end for p in made] == [dm.Period(y, k).end for y, k in rows]


def test_store_without_units_is_opened_carefully(tmp_path: Path) -> None:
    """No units.csv in the store: the careful loader names what is missing."""
    db = tmp_path / "s.duckdb"
    import_dataset(str(EXAMPLES / "can-bo-2021"), str(db))
    _sql(db, "DELETE FROM files WHERE name = 'units.csv'")
    with pytest.raises(dm.DatasetError, match=r"units\.csv"):
        _open(db)


def test_copy_of_store_opens_the_same(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    import_dataset(str(EXAMPLES / "kiem-tra-2023"), str(db))
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    _assert_same(_open(copy), _open(db))
