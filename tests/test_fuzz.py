"""
Fuzzing the command line (issue 15): Hypothesis mutates the example datasets (byte flips,
truncation, duplicated rows, hostile cells and TOML lines) and the arguments, and every run must
end with exit 0, 1, 2 or 3, print no traceback, and, on exit 2, name a file or an option.

Bounded by the Hypothesis profile (``ci``: 40 examples a test; ``thorough`` for a long run).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from doanmodel.cli._cli import main
from doanmodel.dataset._csvio import FILES

SMALL = ("tra-vinh-2019", "cum-thi-dua-2023", "kiem-tra-2023", "can-bo-2021")
HOSTILE = (
    "", " ", "NaN", "nan", "inf", "-inf", "Infinity", "-1", "-40", "0", "1e999", "1e-999",
    "9" * 5000, "99999999999999999999999", "2019-02-30", "99999-01-01", "31/12/99999",
    "0000-00-00", "../../etc/passwd", "/dev/zero", "\x00", "\x1b[31m", "'; DROP TABLE x;--",
    "=cmd|'/c calc'!A1", "{{7*7}}", "${jndi:x}", "\ufeff", "\u202e", "💥", "a" * 10_000,
    '"', '""', "\r\n", "\n", ";", ";;;", "true", "x_", "H01", "TV", "cum-1", "[[[[", "]]",
)
TOML_LINES = (
    "x = " + "[" * 900 + "]" * 900, "x = " + "{a=" * 900 + "1" + "}" * 900,
    "x" + ".a" * 5000 + " = 1", "year = 99999999999999999999999", "year = nan",
    "points = inf", "bonus_cap = -1", "x_n = " + "9" * 5000, "[[cluster]]", "[[criterion]]",
    "format = 2", "root = 'nowhere'", "plugins = ['nope']", "[parameters]", "= 1", "'''",
    '"visits.min_days" = [{ from = 2018-01-01, value = nan, source = "x" }]',
    '"visits.min_days" = [{ from = 2018-01-01, value = "abc", source = "x" }]',
    '"visits.bound_roles" = [{ from = 2018-01-01, value = 3, source = "x" }]',
    '"quality.good_share" = [{ from = 2018-01-01, value = [1], source = "x" }]',
    '"nope" = [{ from = 2018-01-01, value = 1, source = "x" }]',
    '[[award]]\nrank = -1\ntitle = "x"', "[quality]\nexcellent = 2",
)
COMMANDS = (
    ["validate"], ["check"], ["check", "--year", "2019"], ["score"], ["explain", "H01"],
    ["census"], ["check", "--strict"], ["score", "--weight", "xay-dung-doan.ket-nap=5"],
)
OK_CODES = {0, 1, 2, 3}


def _names() -> set[str]:
    return set(FILES)


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: a usage error, exit 2
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_well_behaved(code: int, out: str, err: str, argv: list[str]) -> None:
    assert code in OK_CODES, (code, err)
    assert "Traceback" not in out + err and "internal error" not in out + err \
        and "lỗi nội bộ" not in out + err, err
    if code != 2:
        return
    text = err + ("" if "json" in argv else out)  # CSV errors go to stdout
    if "--format" in argv and "json" in argv and out.strip():
        text += " ".join(e["file"] + " " + e["message"] for e in json.loads(out)["errors"])
    where = _names() | {"--", "UNIT_ID", "dataset", "thư mục",
                        *(a for a in argv if not a.startswith("-"))}
    assert any(w in text for w in where), (argv, text)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str, str, int, str]:
    example_name = draw(st.sampled_from(SMALL))
    files = sorted(p.name for p in (EXAMPLES / example_name).iterdir())
    file = draw(st.sampled_from(files))
    kind = draw(st.sampled_from(["flip", "truncate", "duplicate", "cell", "toml"]))
    position = draw(st.integers(min_value=0, max_value=10_000))
    value = draw(st.sampled_from(TOML_LINES if kind == "toml" else HOSTILE)
                 | st.text(max_size=20))
    return example_name, file, kind, position, value


def mutate(path: Path, kind: str, position: int, value: str) -> None:
    data = path.read_bytes()
    if kind == "flip" and data:
        i = position % len(data)
        data = data[:i] + bytes([data[i] ^ (1 << (position % 8))]) + data[i + 1:]
    elif kind == "truncate":
        data = data[: position % (len(data) + 1)]
    elif kind in ("duplicate", "cell"):
        lines = data.split(b"\n")
        i = position % len(lines)
        if kind == "duplicate":
            lines.insert(i, lines[i])
        else:
            cells = lines[i].split(b",")
            cells[position % len(cells)] = value.encode("utf-8", "surrogatepass")
            lines[i] = b",".join(cells)
        data = b"\n".join(lines)
    else:
        data += b"\n" + value.encode("utf-8", "surrogatepass") + b"\n"
    path.write_bytes(data)


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                deadline=None)


@FUZZ
@given(change=mutation(), command=st.sampled_from(COMMANDS),
       lang=st.sampled_from(["vi", "en"]), fmt=st.sampled_from(["table", "json", "csv"]))
@example(change=("cum-thi-dua-2023", "criteria.toml", "toml", 0, TOML_LINES[0]),
         command=["score"], lang="vi", fmt="table")
@example(change=("cum-thi-dua-2023", "clusters.toml", "toml", 0,
                 ("[[cluster]]\nid = 'x'\nname = 'x'\nyear = 99999999999999999999999\n"
                  "members = []")),
         command=["score"], lang="en", fmt="json")
@example(change=("tra-vinh-2019", "dataset.toml", "toml", 0, TOML_LINES[-6]), command=["check"],
         lang="vi", fmt="table")
@example(change=("tra-vinh-2019", "visits.csv", "cell", 3, "\x00"), command=["check"],
         lang="vi", fmt="csv")
@example(change=("cum-thi-dua-2023", "indicators.csv", "cell", 15, "1e999999"),
         command=["score"], lang="en", fmt="table")
def test_mutated_datasets(capsys, change, command, lang, fmt):
    """A mutated example never crashes the CLI: exit 0–3, no traceback, errors say where."""
    example_name, file, kind, position, value = change
    with tempfile.TemporaryDirectory() as tmp:
        ds = Path(tmp) / example_name
        shutil.copytree(EXAMPLES / example_name, ds)
        mutate(ds / file, kind, position, value)
        name, *rest = command
        argv = [name, str(ds), *rest, "--lang", lang, "--format", fmt]
        assert_well_behaved(*run(capsys, argv), argv)


OPTIONS = st.sampled_from(["--year", "--weight", "--set", "--cluster", "--rule", "--criteria",
                           "--period", "--as-of", "--seed", "--scale", "--plugin", "--format",
                           "--lang"])


@FUZZ
@given(command=st.sampled_from(["validate", "check", "score", "explain", "census", "plugins",
                                "synth"]),
       options=st.lists(st.tuples(OPTIONS, st.sampled_from(HOSTILE[:30]) | st.text(max_size=12)),
                        max_size=3),
       unit=st.sampled_from(["H01", "h01", "H99", "", "-", "💥"]) | st.text(max_size=8))
@example(command="score", options=[("--weight", "xay-dung-doan.ket-nap=-40")], unit="")
@example(command="score", options=[("--set", "visits.min_dayz=30")], unit="")
@example(command="check", options=[("--year", "99999999999999999999999")], unit="")
def test_hostile_arguments(capsys, tmp_path_factory, command, options, unit):
    """Any option values: exit 0–3, no traceback, and a usage error names an option."""
    target = str(EXAMPLES / "cum-thi-dua-2023")
    if command == "synth":
        target = str(tmp_path_factory.mktemp("synth") / "out")
    argv = [command] + ([] if command == "plugins" else [target])
    if command == "explain":
        argv.append(unit or "H01")
    for option, value in options:
        argv.append(f"{option}={value}")
    assert_well_behaved(*run(capsys, argv), argv)


@pytest.mark.parametrize("kind", ["flip", "truncate", "duplicate", "cell"])
def test_mutation_changes_the_file(tmp_path, kind):
    """Each mutation really changes the file it is given (so the fuzz tests test something)."""
    path = tmp_path / "units.csv"
    shutil.copy(EXAMPLES / "tra-vinh-2019" / "units.csv", path)
    before = path.read_bytes()
    mutate(path, kind, 57, "NaN")
    assert path.read_bytes() != before
