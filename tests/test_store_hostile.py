"""A ``.duckdb`` store is hostile input (docs/decisions.md, "A store is hostile input").

Each attack of issue 21 is reproduced on a genuine store, then shown refused (exit 2, the
object named, in the run's language) or made harmless.
"""

from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import doanmodel as dm
from doanmodel.cli._cli import main

duckdb = pytest.importorskip("duckdb")

from doanmodel.query import _store  # noqa: E402
from doanmodel.query._duckdb import tables_of  # noqa: E402
from doanmodel.query._store import import_dataset, open_store  # noqa: E402

KEY = "TW-2024"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(name="folder", scope="module")
def _folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "tiny"
    dm.synth(out, scale="tiny", seed=7, year=2024)
    return out


@pytest.fixture(name="genuine", scope="module")
def _genuine(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("genuine") / "s.duckdb"
    import_dataset(str(folder), str(db))
    return db


@pytest.fixture(name="db")
def _db(genuine: Path, tmp_path: Path) -> Path:
    """A copy of the genuine store, for a test to tamper with."""
    db = tmp_path / "s.duckdb"
    db.write_bytes(genuine.read_bytes())
    return db


def _sql(db: Path, *statements: str, params: Any = ()) -> None:
    con = duckdb.connect(str(db))
    try:
        for sql in statements:
            con.execute(sql, params)
    finally:
        con.close()


def _score(capsys: pytest.CaptureFixture[str], db: Path) -> tuple[int, str, str]:
    return _run(capsys, "score", str(db), "--format", "json")


def _refused(code: int, err: str, *named: str, lang: str = "vi") -> None:
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err and "lỗi nội bộ" not in err
    for name in named:
        assert name in err, err
    if lang == "vi":
        assert "kho chứa thứ doanmodel không ghi" in err and "did not write" not in err
    else:
        assert "the store holds what doanmodel did not write" in err and "không" not in err


# ---------------------------------------------------------------------------- code in a store
def test_a_macro_shadowing_month_is_refused(capsys: pytest.CaptureFixture[str], db: Path,
                                            genuine: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's attack: a macro ``main.month`` changes the scores, exit 0. It is refused,
    named, before the first query of the engine; without the check it would change them."""
    good = _score(capsys, genuine)
    assert good[0] == 0
    _sql(db, "CREATE MACRO main.month(d) AS 1")
    for lang in ("vi", "en"):
        code, out, err = _run(capsys, "score", str(db), "--lang", lang)
        _refused(code, err, "macro main.month", lang=lang)
        assert out == ""
    with monkeypatch.context() as m:  # the attack is real: the check is what stops it
        m.setattr(_store, "verify", lambda con, file: [KEY])
        code, out, _ = _score(capsys, db)
        assert code == 0 and out != good[1]


def test_a_macro_reading_a_file_never_reads_it(db: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A macro reading a file: refused; and, were it not, the connection cannot read files."""
    secret = tmp_path / "secret.txt"
    secret.write_text("1234567")
    _sql(db, f"CREATE MACRO main.month(d) AS (SELECT size FROM read_blob('{secret}'))")
    with pytest.raises(dm.DoanmodelError, match=r"macro main\.month"):
        open_store(str(db))
    monkeypatch.setattr(_store, "verify", lambda con, file: [KEY])
    ds = open_store(str(db))
    con = tables_of(ds).con
    with pytest.raises(duckdb.PermissionException):
        con.execute("SELECT month(DATE '2024-03-01')").fetchall()
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"SELECT * FROM read_text('{secret}')").fetchall()
    con.close()


def test_a_view_standing_in_for_members_is_refused(capsys: pytest.CaptureFixture[str],
                                                   db: Path, tmp_path: Path) -> None:
    """The issue's attack: a view ``members`` makes ``export-db`` copy another file."""
    secret = tmp_path / "secret.csv"
    secret.write_text("id,branch_id\nroot:x:0:0,TW\n")
    _sql(db, f'DROP TABLE "{KEY}".members',
         f"CREATE VIEW \"{KEY}\".members AS SELECT * FROM read_csv('{secret}')")
    out = tmp_path / "back"
    code, _, err = _run(capsys, "export-db", str(db), str(out), "--lang", "en")
    _refused(code, err, f"view {KEY}.members", f"table {KEY}.members: missing", lang="en")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("plant", [
    'CREATE TABLE main.extra (a INTEGER)',
    'CREATE SCHEMA other',
    'CREATE SEQUENCE "{k}".seq',
    'CREATE TYPE "{k}".mood AS ENUM (\'a\', \'b\')',
    'CREATE INDEX idx ON "{k}".members (id)',
    'CREATE MACRO "{k}".t() AS TABLE SELECT 1 AS a',
    'ALTER TABLE "{k}".members ADD COLUMN x INTEGER DEFAULT 1',
    'CREATE TABLE "{k}".evil (a INTEGER CHECK (a > 0))',
])
def test_anything_doanmodel_did_not_write_is_refused(plant: str, db: Path) -> None:
    _sql(db, plant.format(k=KEY))
    with pytest.raises(dm.DoanmodelError, match="did not write"):
        open_store(str(db))


def test_a_generated_column_is_refused(db: Path) -> None:
    """A generated column computes its value when read: code, so refused."""
    _sql(db, f'CREATE TABLE "{KEY}".m2 AS SELECT * FROM "{KEY}".members',
         f'DROP TABLE "{KEY}".members',
         f'CREATE TABLE "{KEY}".members (id VARCHAR, branch_id VARCHAR AS (\'TW\'))')
    with pytest.raises(dm.DoanmodelError, match=f"table {KEY}.members"):
        open_store(str(db))


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the server's handlers

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"id\n1\n")

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(name="server")
def _server() -> Iterator[str]:
    _Counting.hits = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_no_http_and_no_extension(db: Path, server: str, genuine: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A view reading a URL is refused; were it not, the connection makes no request, loads
    and installs no extension, and its settings cannot be changed back."""
    _sql(db, "CREATE MACRO main.v(url) AS TABLE SELECT * FROM read_csv(url)")
    with pytest.raises(dm.DoanmodelError, match=r"table macro main\.v"):
        open_store(str(db))
    monkeypatch.setattr(_store, "verify", lambda con, file: [KEY])
    con = tables_of(open_store(str(db))).con
    for sql in (f"SELECT * FROM read_csv('{server}/x.csv')",
                f"SELECT * FROM main.v('{server}/y.csv')", "INSTALL httpfs", "LOAD httpfs",
                "SET enable_external_access = true", "SET autoinstall_known_extensions = true",
                "SET lock_configuration = false", f"ATTACH '{genuine}' AS other"):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    settings = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', "
        "'autoinstall_known_extensions', 'autoload_known_extensions', "
        "'allow_community_extensions', 'lock_configuration')").fetchall())
    assert settings == {"enable_external_access": "false",
                        "autoinstall_known_extensions": "false",
                        "autoload_known_extensions": "false",
                        "allow_community_extensions": "false", "lock_configuration": "true"}
    con.close()
    assert _Counting.hits == []


def test_reimport_of_the_genuine_folder_refuses_a_planted_view(
        capsys: pytest.CaptureFixture[str], db: Path, folder: Path) -> None:
    """Re-importing said "unchanged" and kept the view; now it is refused, named."""
    _sql(db, f'CREATE VIEW "{KEY}".v AS SELECT 1 AS a')
    before = db.read_bytes()
    code, out, err = _run(capsys, "import", str(folder), str(db))
    _refused(code, err, f"khung nhìn (view) {KEY}.v")
    assert out == "" and db.read_bytes() == before


# ---------------------------------------------------------------------------- typed rows
def _body(db: Path, name: str) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        (body,) = con.execute(f'SELECT body FROM "{KEY}".typed WHERE name = ?',
                              [name]).fetchone()
    finally:
        con.close()
    return json.loads(body)  # type: ignore[no-any-return]


def _column(body: dict[str, Any], col: str) -> list[Any]:
    column = body["columns"][col]
    if isinstance(column, dict):
        return [column["values"][c] for c in column["codes"]]
    return list(column)


def _set_body(db: Path, name: str, body: dict[str, Any]) -> None:
    _sql(db, f'UPDATE "{KEY}".typed SET body = ?::BLOB WHERE name = ?',
         params=[json.dumps(body).encode(), name])


def _set_file(db: Path, name: str, content: bytes) -> None:
    """Change a stored file, its SHA-256 (and its typed row's) made to match."""
    import hashlib  # noqa: PLC0415

    sha = hashlib.sha256(content).hexdigest()
    _sql(db, f'UPDATE "{KEY}".files SET content = ?, sha256 = ? WHERE name = ?',
         params=[content, sha, name])
    _sql(db, f'UPDATE "{KEY}".typed SET sha256 = ? WHERE name = ?', params=[sha, name])


def _cycle(body: dict[str, Any]) -> None:
    ids, parents = _column(body, "id"), _column(body, "parent_id")
    root = ids[parents.index(None)]
    child = ids[parents.index(root)]
    parents[parents.index(None)] = child
    body["columns"]["parent_id"] = parents


def _dangling(body: dict[str, Any]) -> None:
    parents = _column(body, "parent_id")
    parents[-1] = "NO-SUCH-UNIT"
    body["columns"]["parent_id"] = parents


def _nan(body: dict[str, Any]) -> None:
    values = _column(body, "value")
    values[0] = "NaN"
    body["columns"]["value"] = values


def _wrong_type(body: dict[str, Any]) -> None:
    names = _column(body, "name")
    names[0] = 42
    body["columns"]["name"] = names


@pytest.mark.parametrize(("name", "change"), [
    ("units.csv", _cycle), ("units.csv", _dangling), ("indicators.csv", _nan),
    ("cadres.csv", _wrong_type)])
def test_typed_rows_the_loader_would_reject_are_not_used(name: str, change: Any, db: Path,
                                                         folder: Path) -> None:
    """A unit cycle (which hung ``check``), a NaN value, a dangling parent (exit 0 with
    changed ranks), a value of another type: the typed rows fail the loader's checks, and the
    store opens from its stored files, as they are (in a subprocess: a hang would show)."""
    body = _body(db, name)
    change(body)
    _set_body(db, name, body)
    script = ("import sys, doanmodel as dm; from doanmodel.query._store import open_store;"
              "ds = open_store(sys.argv[1]); ref = dm.load_dataset(sys.argv[2]);"
              "assert ds.units == ref.units and ds.indicators == ref.indicators "
              "and ds.cadres == ref.cadres, 'not the files'")
    done = subprocess.run([sys.executable, "-c", script, str(db), str(folder)], timeout=120,
                          env={**os.environ, "PYTHONPATH": SRC}, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_cycle_in_the_stored_files_too_is_a_problem(capsys: pytest.CaptureFixture[str],
                                                      db: Path, folder: Path) -> None:
    """Typed rows and file both changed, their digests made to match: the loader's problem,
    with file and line, exit 2 (never a hang)."""
    lines = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    cells = [line.split(",") for line in lines[1:]]
    pid, uid = head.index("parent_id"), head.index("id")
    root = next(c for c in cells if not c[pid])
    child = next(c for c in cells if c[pid] == root[uid])
    root[pid] = child[uid]
    _set_file(db, "units.csv", ("\n".join([lines[0], *(",".join(c) for c in cells)]) + "\n"
                                ).encode())
    body = _body(db, "units.csv")
    _cycle(body)
    _set_body(db, "units.csv", body)
    code, _, err = _run(capsys, "check", str(db), "--lang", "en")
    assert code == 2 and "units.csv" in err and "cycle of parents" in err, err


def test_a_tampered_sha256_is_refused(capsys: pytest.CaptureFixture[str], db: Path,
                                      folder: Path) -> None:
    """Stored bytes that are not those of the stored SHA-256: refused, the file named; the
    genuine folder imported again mends the store."""
    content = (folder / "cadres.csv").read_bytes().replace(b"\n", b"\r\n", 1)
    _sql(db, f'UPDATE "{KEY}".files SET content = ? WHERE name = \'cadres.csv\'',
         params=[content])
    code, _, err = _run(capsys, "validate", str(db), "--lang", "en")
    _refused(code, err, f"{KEY}.files['cadres.csv']", "SHA-256", lang="en")
    code, out, _ = _run(capsys, "import", str(folder), str(db), "--lang", "en")
    assert code == 0 and "cadres.csv: replaced" in out
    assert _run(capsys, "validate", str(db))[0] == 0


@pytest.mark.parametrize("change", [
    "UPDATE \"{k}\".members SET branch_id = 'NO-SUCH-UNIT' WHERE rowid = 3",
    "UPDATE \"{k}\".members SET left_on = joined_on - 1 WHERE rowid = 1",
    "UPDATE \"{k}\".members SET joined_on = NULL WHERE rowid = 2",
    "UPDATE \"{k}\".meetings SET id = NULL WHERE rowid = 0",
    "UPDATE \"{k}\".meetings SET chair_id = 'NO-SUCH-CADRE' WHERE rowid = 0",
    "UPDATE \"{k}\".meetings SET attendees = 'NO-SUCH-CADRE' WHERE rowid = 0",
    "UPDATE \"{k}\".meetings SET unit_id = 'NO-SUCH-UNIT' WHERE rowid = 0",
    "UPDATE \"{k}\".meetings SET kind = 'party' WHERE rowid = 0",
    "UPDATE \"{k}\".members SET extra = 'not json' WHERE rowid = 0",
])
def test_members_and_meetings_the_loader_would_reject_are_refused(change: str,
                                                                  db: Path) -> None:
    _sql(db, change.format(k=KEY))
    with pytest.raises(dm.DoanmodelError, match=f"{KEY}.(members|meetings)"):
        open_store(str(db))


# ---------------------------------------------------------------------------- import, keys
def test_two_imports_into_a_new_store_keep_both(folder: Path, tmp_path: Path) -> None:
    """Both used to say "added", and the store kept one (4 of 4 trials): two real processes."""
    for trial in range(3):
        db = tmp_path / f"s{trial}.duckdb"
        procs = [subprocess.Popen(
            [sys.executable, "-m", "doanmodel", "import", str(folder), str(db), "--key", key,
             "--quiet"], env={**os.environ, "PYTHONPATH": SRC}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True) for key in ("one", "two")]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        con = duckdb.connect(str(db), read_only=True)
        keys = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_tables() "
                                          "WHERE table_name = 'files'").fetchall()}
        con.close()
        assert keys == {"one", "two"}
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f"s{trial}")
                      or p.name.startswith(f".s{trial}")) == [db.name]


@pytest.mark.parametrize("key", ["temp", "system", "main", "MAIN", "pg_catalog",
                                 "information_schema", "a#b", "a b", "", "-x", "a\nb",
                                 "a" * 65, 'a"b'])
def test_a_bad_key_is_refused(capsys: pytest.CaptureFixture[str], folder: Path,
                              tmp_path: Path, key: str) -> None:
    db = tmp_path / "s.duckdb"
    code, out, err = _run(capsys, "import", str(folder), str(db), f"--key={key}", "--lang", "en")
    assert code == 2 and "--key" in err and "internal error" not in err, err
    assert out == "" and not db.exists()


@pytest.mark.parametrize("key", ["TV-2024", "tinh_1", "a.b", "Bến-Tre"])
def test_a_plain_key_is_taken(folder: Path, tmp_path: Path, key: str) -> None:
    db = tmp_path / "s.duckdb"
    import_dataset(str(folder), str(db), key)
    tables_of(open_store(str(db), key)).con.close()


def _sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE x (a)")
    con.commit()
    con.close()


def _other_duckdb(path: Path) -> None:
    _sql(path, "CREATE TABLE t (a INTEGER)")


@pytest.mark.parametrize("make", [
    lambda p, g: p.write_bytes(os.urandom(5000)),
    lambda p, g: p.write_bytes(b""),
    lambda p, g: _sqlite(p),
    lambda p, g: _other_duckdb(p),
    lambda p, g: p.write_bytes(g.read_bytes()[:len(g.read_bytes()) // 3]),
    lambda p, g: p.write_bytes(g.read_bytes()[:4096]),
], ids=["random", "empty", "sqlite", "other-duckdb", "truncated", "header-only"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_foreign_or_truncated_file_is_exit_2(capsys: pytest.CaptureFixture[str],
                                               make: Any, lang: str, genuine: Path,
                                               tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    make(db, genuine)
    for command in ("validate", "check", "score"):
        code, _, err = _run(capsys, command, str(db), "--lang", lang)
        assert code == 2, (command, err)
        assert str(db) in err and "Traceback" not in err, err
        assert ("internal error" if lang == "en" else "lỗi nội bộ") not in err
        assert ("không" not in err) if lang == "en" else ("not a" not in err), err


def test_a_default_key_that_is_not_a_plain_name_asks_for_key(folder: Path,
                                                              tmp_path: Path) -> None:
    """A root whose ``ROOT-YEAR`` is no plain name: the message asks for ``--key``."""
    import attrs  # noqa: PLC0415

    ds = dm.load_dataset(folder)
    ds.meta = attrs.evolve(ds.meta, root="T W")
    with pytest.raises(dm.DoanmodelError, match="name it with --key"):
        _store._import(ds, folder, str(tmp_path / "s.duckdb"), None)  # noqa: SLF001
    assert list(tmp_path.iterdir()) == []
