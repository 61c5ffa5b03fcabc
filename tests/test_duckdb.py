"""The DuckDB engine answers exactly as the pure-Python one; the .duckdb store round-trips."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main
from doanmodel.testing.strategies import CHILD_LEVELS, trees

pytest.importorskip("duckdb")

from doanmodel.dataset._store import open_dataset  # noqa: E402
from doanmodel.query._duckdb import DuckTables, attach, is_attached  # noqa: E402

D = dt.date
INDICATORS = ("visit_days", "branch_meeting_share", "new_members", "party_introductions",
              "party_admissions", "active_members")
BRANCHES = (dm.Level.BRANCH, dm.Level.SUB_BRANCH)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@st.composite
def _reorganised(draw: st.DrawFn) -> dm.Dataset:
    """A tree whose units move, merge and end during 2025: several versions per unit."""
    versions = draw(trees(max_units=18))
    meta = dm.DatasetMeta(name="thử 2025", root="P0", year=2025)
    ds = dm.Dataset.build(meta, [dm.Unit(id=v.id, versions=(v,)) for v in versions])
    for _ in range(draw(st.integers(0, 4))):
        on = draw(st.dates(D(2024, 12, 1), D(2025, 12, 31)))
        movable = [u for u in ds.units if u != "P0" and (v := ds.units[u].at(on)) is not None
                   and v.parent_id is not None]
        if not movable:
            break
        uid = draw(st.sampled_from(sorted(movable)))
        level = ds.units[uid].at(on).level  # type: ignore[union-attr]
        below = set(ds.descendants(uid, on)) | {uid}
        parents = sorted(p for p in ds.units if p not in below and (pv := ds.units[p].at(on))
                         is not None and level in CHILD_LEVELS[pv.level])
        if parents:
            ds = dm.reorg.move(ds, uid, draw(st.sampled_from(parents)), on)
    if draw(st.booleans()):  # a merger: two units of one level become the first
        on = draw(st.dates(D(2025, 1, 2), D(2025, 12, 31)))
        alive = sorted(u for u in ds.units if u != "P0" and ds.units[u].at(on) is not None)
        a = draw(st.sampled_from(alive)) if alive else None
        same = [u for u in alive if a and u != a and ds.units[u].at(on).level  # type: ignore[union-attr]
                is ds.units[a].at(on).level]  # type: ignore[union-attr]
        if a and same:
            try:
                ds = dm.reorg.merge(ds, [a, draw(st.sampled_from(same))], a, on)
            except dm.DoanmodelError:
                pass
    leaves = sorted(u for u in ds.units if u != "P0" and not any(
        v.parent_id == u for w in ds.units.values() for v in w.versions))
    if leaves and draw(st.booleans()):
        ds = dm.reorg.dissolve(ds, draw(st.sampled_from(leaves)), draw(
            st.dates(D(2025, 2, 1), D(2025, 11, 30))))
    return ds


@st.composite
def _members(draw: st.DrawFn, branches: list[str]) -> list[dm.Member]:
    out = []
    for i in range(draw(st.integers(0, 25)) if branches else 0):
        joined = draw(st.dates(D(2023, 6, 1), D(2026, 3, 1)))
        born = None
        if draw(st.integers(0, 4)):
            age = draw(st.sampled_from([14, 15, 16, 20, 29, 30, 31]))
            born = _add_years(joined, -age) + dt.timedelta(days=draw(st.integers(-3, 3)))
            born = min(born, joined)
        left = draw(st.none() | st.dates(joined, D(2026, 6, 1)))
        intro = draw(st.none() | st.dates(D(2024, 1, 1), D(2026, 1, 31)))
        adm = draw(st.none() | st.dates(intro, D(2026, 3, 1))) if intro else None
        out.append(dm.Member(id=f"M{i}", branch_id=draw(st.sampled_from(branches)),
                             joined_on=joined, birth_date=born, left_on=left,
                             party_introduced_on=intro, party_admitted_on=adm))
    return out


@st.composite
def datasets(draw: st.DrawFn) -> dm.Dataset:
    """Datasets for 2025 with moved and ended units, members, meetings and a cluster."""
    ds = draw(_reorganised())
    branches = sorted(u for u, unit in ds.units.items()
                      if any(v.level in BRANCHES for v in unit.versions))
    meetings = []
    for i in range(draw(st.integers(0, 30))):
        uid = draw(st.sampled_from(sorted(ds.units)))
        day = draw(st.dates(D(2024, 12, 1), D(2026, 1, 31)))
        if ds.units[uid].at(day) is None:
            continue
        kind = draw(st.sampled_from([dm.MeetingKind.BRANCH_MEETING] * 3 + list(dm.MeetingKind)))
        meetings.append(dm.Meeting(id=f"G{i}", unit_id=uid, date=day, kind=kind))
    in_2025 = sorted(u for u in ds.units if ds.last_day(u, D(2025, 1, 1), D(2025, 12, 31)))
    cluster = draw(st.lists(st.sampled_from(in_2025), unique=True, max_size=4)) if in_2025 else []
    clusters = [dm.Cluster(id="C1", name="Cụm 1", year=2025, members=tuple(cluster))] \
        if cluster else []
    return dm.Dataset.build(ds.meta, ds.units.values(), members=draw(_members(branches)),
                            meetings=meetings, clusters=clusters)


def _in_duckdb(ds: dm.Dataset) -> dm.Dataset:
    """The same dataset with members and meetings only in DuckDB (none left in Python)."""
    tables = DuckTables.from_dataset(ds)
    moved = attrs.evolve(ds, members=None, meetings=None)
    attach(moved, tables)
    assert len(moved.members) == 0 and len(moved.meetings) == 0
    return moved


def _outcome(fn: object) -> str:
    try:
        return fn()  # type: ignore[operator, no-any-return]
    except dm.DoanmodelError as exc:
        return f"error: {exc}"


def _answers(engine: dm.Engine, ds: dm.Dataset) -> dict[str, object]:
    out: dict[str, object] = {}
    for per in ("2025", "2025-Q3", "2024"):
        out[f"check {per}"] = _outcome(lambda p=per: engine.check(ds, period=p).to_json("en"))
    out["score"] = _outcome(lambda: engine.score(ds, 2025).to_json("en"))
    for name in INDICATORS:
        out[name] = _outcome(lambda n=name: json.dumps(engine.indicator(ds, n, 2025),
                                                      default=str))
    return out


_PY = dm.Engine(load_entry_points=False)
_DUCK = dm.Engine(load_entry_points=False, backend="duckdb")


def _found_1() -> dm.Dataset:
    """No admission in the period: the admission-age parameters must not be looked up."""
    units = [dm.UnitVersion(id="P0", name="P", level=dm.Level.PROVINCE),
             dm.UnitVersion(id="U1", name="H", level=dm.Level.UPPER_GRASSROOTS, parent_id="P0"),
             dm.UnitVersion(id="U3", name="X", level=dm.Level.GRASSROOTS, parent_id="U1"),
             dm.UnitVersion(id="U7", name="C", level=dm.Level.BRANCH, parent_id="U3")]
    meta = dm.DatasetMeta(name="thử 2025", root="P0", year=2025)
    return dm.Dataset.build(meta, [dm.Unit(id=v.id, versions=(v,)) for v in units],
                            members=[dm.Member(id="M0", branch_id="U7", joined_on=D(2023, 6, 1))])


@given(datasets())
@example(_found_1())
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_duckdb_answers_as_python(ds: dm.Dataset) -> None:
    """Reports, scoreboards and indicators are identical with either backend."""
    assert _answers(_DUCK, _in_duckdb(ds)) == _answers(_PY, ds)


def _found_2() -> dm.Dataset:
    """U3 moves under U2 on 3/1/2025, U2 is merged into U1 on 2/1/2025: the merge must take U3's
    later version along (it pointed at an ended unit and the folder did not load)."""
    units = [dm.UnitVersion(id="P0", name="P", level=dm.Level.PROVINCE),
             dm.UnitVersion(id="U1", name="H1", level=dm.Level.UPPER_GRASSROOTS, parent_id="P0"),
             dm.UnitVersion(id="U2", name="H2", level=dm.Level.UPPER_GRASSROOTS, parent_id="P0"),
             dm.UnitVersion(id="U3", name="X", level=dm.Level.GRASSROOTS, parent_id="U1")]
    meta = dm.DatasetMeta(name="thử 2025", root="P0", year=2025)
    ds = dm.Dataset.build(meta, [dm.Unit(id=v.id, versions=(v,)) for v in units])
    ds = dm.reorg.move(ds, "U3", "U2", D(2025, 1, 3))
    return dm.reorg.merge(ds, ["U1", "U2"], "U1", D(2025, 1, 2))


@given(datasets())
@example(ds=_found_2())
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_duckdb_from_folder_answers_as_python(tmp_path_factory: pytest.TempPathFactory,
                                              ds: dm.Dataset) -> None:
    """Read straight from the CSV files by SQL (no member in Python), the answers are the
    careful loader's."""
    folder = tmp_path_factory.mktemp("ds") / "ds"
    dm.write_dataset(ds, folder)
    loaded = dm.load_dataset(folder)
    fast = open_dataset(str(folder), "duckdb")
    assert is_attached(fast) and len(fast.members) == 0
    assert _answers(_DUCK, fast) == _answers(_PY, loaded)


# ---------------------------------------------------------------------------- the CLI
def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(name="synth2025")
def _synth2025(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "ds"
    assert main(["synth", str(out), "--scale", "tiny", "--year", "2025"]) == 0
    capsys.readouterr()
    return out


def test_engines_print_the_same(capsys: pytest.CaptureFixture[str], synth2025: Path) -> None:
    """check and score print byte-identical JSON with --engine python, duckdb and auto."""
    for cmd in ("check", "score"):
        outs = {e: _run(capsys, cmd, str(synth2025), "--engine", e, "--format", "json",
                        "--no-plugins") for e in ("python", "duckdb", "auto")}
        assert outs["python"][0] == 0
        assert outs["duckdb"] == outs["python"] == outs["auto"]


def test_store_round_trip(capsys: pytest.CaptureFixture[str], synth2025: Path,
                          tmp_path: Path) -> None:
    """import, then check/score/explain/census on the .duckdb file as on the folder; a second
    import changes nothing; export-db writes the same files back."""
    db = str(tmp_path / "store.duckdb")
    code, out, _ = _run(capsys, "import", str(synth2025), db, "--format", "json")
    assert code == 0 and json.loads(out)["files"]["members.csv"] == "added"
    code, out, _ = _run(capsys, "import", str(synth2025), db, "--format", "json")
    assert set(json.loads(out)["files"].values()) == {"unchanged"}
    for argv in (["check"], ["score"], ["census"]):
        folder = _run(capsys, *argv, str(synth2025), "--format", "json", "--no-plugins")
        for engine in ("duckdb", "python"):
            assert _run(capsys, *argv, db, "--format", "json", "--no-plugins",
                        "--engine", engine) == folder
    board = json.loads(_run(capsys, "score", db, "--format", "json", "--no-plugins")[1])
    unit = board["clusters"][0]["standings"][0]["unit_id"]
    assert _run(capsys, "explain", db, unit, "--no-plugins") == \
        _run(capsys, "explain", str(synth2025), unit, "--no-plugins")
    back = tmp_path / "back"
    assert _run(capsys, "export-db", db, str(back))[0] == 0
    for f in sorted(synth2025.iterdir()):
        assert sorted((back / f.name).read_text("utf-8").splitlines()) == \
            sorted(f.read_text("utf-8").splitlines()), f.name


def test_store_holds_several_datasets(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      synth2025: Path) -> None:
    """Two years in one store are named by key; without a key the error lists them."""
    other = tmp_path / "y2024"
    assert main(["synth", str(other), "--scale", "tiny", "--year", "2024"]) == 0
    capsys.readouterr()
    db = str(tmp_path / "both.duckdb")
    assert _run(capsys, "import", str(synth2025), db)[0] == 0
    assert _run(capsys, "import", str(other), db)[0] == 0
    code, _, err = _run(capsys, "check", db, "--no-plugins")
    assert code == 2 and "có nhiều bộ dữ liệu" in err and "-2024" in err and "-2025" in err
    assert "several datasets" not in err
    code, _, err = _run(capsys, "check", db, "--no-plugins", "--lang", "en")
    assert code == 2 and "several datasets" in err and "nhiều" not in err
    key = next(k for k in err.split("it holds: ")[1].strip().split(", ") if k.endswith("2024"))
    assert _run(capsys, "score", f"{db}#{key}", "--format", "json", "--no-plugins") == \
        _run(capsys, "score", str(other), "--format", "json", "--no-plugins")


def test_import_of_a_bad_dataset_writes_nothing(capsys: pytest.CaptureFixture[str],
                                                synth2025: Path, tmp_path: Path) -> None:
    """Problems are reported as FILE:LINE: COLUMN, all at once, and no store is created."""
    members = synth2025 / "members.csv"
    lines = members.read_text("utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[1].split(",")
    row[head.index("branch_id")] = "NOWHERE"
    row2 = lines[2].split(",")
    row2[head.index("joined_on")] = "31/02/2025"
    members.write_text("\n".join([lines[0], ",".join(row), ",".join(row2), *lines[3:]]) + "\n",
                       "utf-8")
    db = tmp_path / "bad.duckdb"
    code, _, err = _run(capsys, "import", str(synth2025), str(db), "--lang", "en")
    assert code == 2
    assert "members.csv:2: branch_id:" in err and "members.csv:3: joined_on:" in err
    assert not db.exists() and list(tmp_path.glob("*.duckdb")) == []
    code, _, err2 = _run(capsys, "check", str(synth2025), "--engine", "duckdb", "--lang", "en")
    assert code == 2 and "members.csv:2: branch_id:" in err2


def test_parquet_folder(capsys: pytest.CaptureFixture[str], synth2025: Path,
                        tmp_path: Path) -> None:
    """A folder with members, meetings and visits as Parquet checks as the CSV folder does."""
    db = str(tmp_path / "s.duckdb")
    assert _run(capsys, "import", str(synth2025), db)[0] == 0
    back = tmp_path / "pq"
    assert _run(capsys, "export-db", db, str(back), "--parquet")[0] == 0
    for name in ("members", "meetings", "visits"):
        assert (back / f"{name}.parquet").is_file() and not (back / f"{name}.csv").exists()
    for engine in ("python", "duckdb"):
        assert _run(capsys, "check", str(back), "--format", "json", "--no-plugins",
                    "--engine", engine) == \
            _run(capsys, "check", str(synth2025), "--format", "json", "--no-plugins")


def test_unknown_store_is_a_clear_error(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    code, _, err = _run(capsys, "check", str(tmp_path / "none.duckdb"))
    assert code == 2 and "none.duckdb" in err and "Traceback" not in err


@pytest.mark.parametrize(("column", "text"), [("joined_on", "2025-13-01"),
                                              ("birth_date", "1/1/99"),
                                              ("left_on", "2025-1-5"),
                                              ("party_introduced_on", "31/02/2025")])
def test_a_bad_date_is_the_loaders_message(capsys: pytest.CaptureFixture[str], synth2025: Path,
                                           column: str, text: str) -> None:
    """The DuckDB reader leaves every doubtful date to the careful loader's message."""
    members = synth2025 / "members.csv"
    lines = members.read_text("utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[5].split(",")
    row[head.index(column)] = text
    members.write_text("\n".join([*lines[:5], ",".join(row), *lines[6:]]) + "\n", "utf-8")
    expected = _run(capsys, "check", str(synth2025), "--lang", "en")
    assert expected[0] == 2 and f"members.csv:6: {column}:" in expected[2]
    assert _run(capsys, "check", str(synth2025), "--lang", "en", "--engine", "duckdb") == expected


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long work shows progress on a terminal's stderr, nothing when piped or --quiet."""
    from doanmodel.cli._progress import Progress

    monkeypatch.setitem(sys.modules, "rich", None)  # the fallback spinner, rich or not
    for stream, quiet, shown in ((_Terminal(), False, True), (_Terminal(), True, False),
                                 (io.StringIO(), False, False)):
        with Progress("doanmodel check", quiet=quiet, stream=stream):
            time.sleep(0.6)
        assert ("doanmodel check" in stream.getvalue()) is shown


def test_quiet_cli_prints_nothing_extra(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str],
                                        synth2025: Path) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["check", str(synth2025), "--quiet", "--no-plugins"]) == 0
    # issue 22: a 2025 check uses HD 03's values past 2022, which a warning must say (never
    # silently); --quiet silences progress, not warnings: nothing but warning lines is printed
    lines = terminal.getvalue().splitlines()
    assert all(line.startswith("doanmodel: cảnh báo: ") for line in lines)
    assert len(lines) == 1 and "kéo dài, chưa có văn bản" in lines[0]


def test_validate_a_store(capsys: pytest.CaptureFixture[str], synth2025: Path,
                          tmp_path: Path) -> None:
    """validate counts a store's rows as it counts the folder's."""
    db = str(tmp_path / "v.duckdb")
    assert _run(capsys, "import", str(synth2025), db)[0] == 0
    folder = json.loads(_run(capsys, "validate", str(synth2025), "--format", "json")[1])
    store = json.loads(_run(capsys, "validate", db, "--format", "json")[1])
    assert store == folder and store["members"] > 0


def test_a_file_that_is_not_a_store(capsys: pytest.CaptureFixture[str], synth2025: Path,
                                    tmp_path: Path) -> None:
    """A .duckdb that is no database: one clear line, exit 2, for check and for import."""
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database", "utf-8")
    for argv in (["check", str(bad)], ["import", str(synth2025), str(bad)]):
        code, _, err = _run(capsys, *argv)
        assert code == 2 and "bad.duckdb" in err and "internal error" not in err \
        and "lỗi nội bộ" not in err
    assert bad.read_text("utf-8") == "not a database"


def test_import_never_writes_through_a_symlink(capsys: pytest.CaptureFixture[str],
                                               synth2025: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.duckdb"
    link = tmp_path / "link.duckdb"
    link.symlink_to(target)
    code, _, err = _run(capsys, "import", str(synth2025), str(link))
    assert code == 2 and "liên kết tượng trưng" in err and not target.exists()
    code, _, err = _run(capsys, "import", str(synth2025), str(link), "--lang", "en")
    assert code == 2 and "symbolic link" in err and not target.exists()


@pytest.mark.parametrize(("lang", "said"), [("vi", "không tạo được kho"),
                                            ("en", "cannot create the store")])
def test_import_into_a_missing_folder_is_the_users_mistake(
        capsys: pytest.CaptureFixture[str], synth2025: Path, tmp_path: Path, lang: str,
        said: str) -> None:
    """A store path in a folder that does not exist is exit 2 with the reason, not exit 70."""
    code, _, err = _run(capsys, "import", str(synth2025), str(tmp_path / "no" / "s.duckdb"),
                        "--lang", lang)
    assert code == 2 and said in err and "Traceback" not in err


@pytest.mark.parametrize(("lang", "said", "not_said"),
                         [("vi", "không phải kho DuckDB", "IO Error"),
                          ("en", "not a DuckDB store", "không")])
def test_a_file_that_is_not_a_store_in_one_language(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, said: str,
        not_said: str) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database", encoding="utf-8")
    code, _, err = _run(capsys, "check", str(bad), "--lang", lang)
    assert code == 2 and said in err and not_said not in err, err


# ---------------------------------------------------------------------------- programmes
def test_programmes_read_by_the_duckdb_engine_from_a_folder_and_a_store(tmp_path: Path) -> None:
    """programmes.toml (which names meetings) is read with the members and meetings in DuckDB,
    from a folder and from a store: the programme rules find what the Python engine finds."""
    from doanmodel.dataset._store import import_dataset

    folder = EXAMPLES / "tien-giang-2024"
    py = dm.load_dataset(folder)
    assert py.programmes
    wanted = _PY.check(py, 2024).to_json("en")
    fast = open_dataset(str(folder), "duckdb")
    assert is_attached(fast) and fast.programmes == py.programmes
    assert _DUCK.check(fast, 2024).to_json("en") == wanted
    import_dataset(str(folder), str(tmp_path / "s.duckdb"))
    stored = open_dataset(str(tmp_path / "s.duckdb"))
    assert stored.programmes == py.programmes
    assert _DUCK.check(stored, 2024).to_json("en") == wanted


def test_programmes_naming_an_unknown_meeting_is_refused_from_a_folder(tmp_path: Path) -> None:
    """A programme naming a meeting that is not in meetings.csv is a problem with its line,
    also when the meetings live in DuckDB."""
    import shutil

    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLES / "tien-giang-2024", folder)
    path = folder / "programmes.toml"
    text = path.read_text(encoding="utf-8")
    assert "meetings = [" in text
    path.write_text(text.replace("meetings = [", 'meetings = ["NO-SUCH-MEETING", ', 1),
                    encoding="utf-8")
    with pytest.raises(dm.DatasetError, match="NO-SUCH-MEETING") as caught:
        open_dataset(str(folder), "duckdb")
    assert caught.value.problems[0].file == "programmes.toml"


def test_import_of_a_parquet_folder_keeps_everything(capsys: pytest.CaptureFixture[str],
                                                     synth2025: Path, tmp_path: Path) -> None:
    """A folder with members, meetings and visits as Parquet imports whole: the store checks as
    the CSV folder does, and a re-import of the same files changes nothing."""
    db = str(tmp_path / "s.duckdb")
    assert _run(capsys, "import", str(synth2025), db)[0] == 0
    back = tmp_path / "pq"
    assert _run(capsys, "export-db", db, str(back), "--parquet")[0] == 0
    db2 = str(tmp_path / "from-parquet.duckdb")
    assert _run(capsys, "import", str(back), db2)[0] == 0
    assert _run(capsys, "check", db2, "--format", "json", "--no-plugins")[1] == \
        _run(capsys, "check", str(synth2025), "--format", "json", "--no-plugins")[1]
    code, out, _ = _run(capsys, "import", str(back), db2, "--lang", "en")
    assert code == 0 and "added" not in out and "replaced" not in out


@pytest.mark.parametrize("name", ["members", "meetings", "visits"])
def test_a_broken_parquet_file_is_a_problem_not_a_crash(capsys: pytest.CaptureFixture[str],
                                                        synth2025: Path, tmp_path: Path,
                                                        name: str) -> None:
    """A file named .parquet that is not Parquet: exit 2 naming the file (it was exit 70), from
    check and from import, and no store is written."""
    import shutil

    folder = tmp_path / "pq"
    shutil.copytree(synth2025, folder)
    (folder / f"{name}.csv").unlink()
    (folder / f"{name}.parquet").write_bytes(b"not parquet")
    for argv in (["check", str(folder)], ["import", str(folder), str(tmp_path / "s.duckdb")]):
        code, _, err = _run(capsys, *argv)
        assert code == 2 and f"{name}.parquet:0:" in err and "không đọc được tệp Parquet" in err
        assert "Traceback" not in err and "lỗi nội bộ" not in err
    assert not (tmp_path / "s.duckdb").exists()
