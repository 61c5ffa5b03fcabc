"""Disk and system errors (issue 21, item 6): exit 2 naming the path and the OS reason, in the
run's language, and nothing half-written left behind.

A full disk is simulated with ``RLIMIT_FSIZE`` in a real subprocess (a write past the limit
fails with EFBIG, "file too large", as it does on a full disk with ENOSPC), so every layer
that writes (Python, openpyxl, DuckDB) meets the system's refusal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import doanmodel as dm

SRC = str(Path(__file__).resolve().parents[1] / "src")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from doanmodel.cli._cli import main
sys.exit(main(sys.argv[2:]))
"""


def _limited(limit: int, *argv: str) -> subprocess.CompletedProcess[str]:
    # no bytecode: under the limit Python would leave truncated .pyc files for later imports
    return subprocess.run([sys.executable, "-c", _LIMITED, str(limit), *argv, "--quiet"],
                          env={**os.environ, "PYTHONPATH": SRC, "PYTHONDONTWRITEBYTECODE": "1"},
                          capture_output=True,
                          text=True, timeout=300, check=False)


def _listing(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(name="tiny", scope="module")
def _tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("disk") / "tiny"
    dm.synth(out, scale="tiny", seed=7, year=2024)
    return out


@pytest.fixture(name="store", scope="module")
def _store(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("duckdb")
    from doanmodel.query._store import import_dataset  # noqa: PLC0415

    db = tmp_path_factory.mktemp("store") / "s.duckdb"
    import_dataset(str(tiny), str(db))
    return db


def _assert_refused(done: subprocess.CompletedProcess[str], path: Path, lang: str) -> None:
    err = done.stderr
    assert done.returncode == 2, err
    assert str(path) in err, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    if lang == "en":
        assert "file too large" in err and "nothing was written" in err and "không" not in err
    else:
        assert "tệp quá lớn" in err and "không có gì được ghi" in err and "too large" not in err


def _cases(tiny: Path, store: Path | None, out: Path) -> dict[str, tuple[list[str], Path]]:
    cases = {
        "template": (["template", str(out / "t.xlsx")], out / "t.xlsx"),
        "export": (["export", str(EXAMPLES / "tra-vinh-2019"), str(out / "e.xlsx")],
                   out / "e.xlsx"),
        "score --xlsx": (["score", str(tiny), "--xlsx", str(out / "s.xlsx")], out / "s.xlsx"),
        "synth": (["synth", str(out / "new"), "--scale", "tiny"], out / "new"),
    }
    if store is not None:
        cases["import"] = (["import", str(tiny), str(out / "i.duckdb")], out / "i.duckdb")
        cases["export-db"] = (["export-db", str(store), str(out / "back")], out / "back")
        cases["export-db --parquet"] = (["export-db", str(store), str(out / "pq"),
                                         "--parquet"], out / "pq")
    return cases


NAMES = ["template", "export", "score --xlsx", "synth", "import", "export-db",
         "export-db --parquet"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_full_disk_is_exit_2_and_leaves_nothing(name: str, lang: str, tiny: Path,
                                                  tmp_path: Path,
                                                  request: pytest.FixtureRequest) -> None:
    store = request.getfixturevalue("store") if name.startswith(("import", "export-db")) \
        else None
    out = tmp_path / "out"
    out.mkdir()
    argv, path = _cases(tiny, store, out)[name]
    done = _limited(6000, *argv, "--lang", lang)
    _assert_refused(done, path, lang)
    assert _listing(out) == {}  # no temporary file, .wal or half-written folder


def test_an_import_into_an_existing_store_leaves_it_as_it_was(store: Path, tmp_path: Path
                                                              ) -> None:
    """A grown dataset that no longer fits: the store keeps its datasets, byte for byte."""
    db = tmp_path / "s.duckdb"
    db.write_bytes(store.read_bytes())
    bigger = tmp_path / "bigger"
    dm.synth(bigger, scale="province", seed=3, year=2024)
    done = _limited(db.stat().st_size + 4096, "import", str(bigger), str(db), "--key", "more",
                    "--lang", "en")
    err = done.stderr
    assert done.returncode == 2 and str(db) in err and "file too large" in err, err
    assert "it is as it was" in err and "Traceback" not in err
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["bigger", "s.duckdb"], left
    from doanmodel.query._duckdb import tables_of  # noqa: PLC0415
    from doanmodel.query._store import open_store  # noqa: PLC0415

    tables_of(open_store(str(db))).con.close()  # still the one dataset it held


def test_the_reason_of_a_library_error_is_named() -> None:
    from doanmodel.model._i18n import io_reason  # noqa: PLC0415

    why = io_reason(RuntimeError('IO Error: Could not write file "x": No space left on device'))
    assert (why.vi, why.en) == ("hết chỗ trên đĩa", "no space left on device")
    why = io_reason(OSError(27, "File too large"))
    assert (why.vi, why.en) == ("tệp quá lớn", "file too large")


def test_a_new_store_that_does_not_fit_leaves_nothing(tiny: Path, tmp_path: Path) -> None:
    """The work database fits, the store does not: no temporary store, no .wal, no lock."""
    pytest.importorskip("duckdb")
    db = tmp_path / "i.duckdb"
    done = _limited(1_500_000, "import", str(tiny), str(db), "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert f"{db}: cannot create the store (file too large)" in done.stderr, done.stderr
    assert _listing(tmp_path) == {}
