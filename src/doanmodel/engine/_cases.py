"""
Declarative test cases (OpenFisca-style): expected results written as TOML, no Python.

A case file ``NAME.case.toml`` holds one or more ``[[case]]`` tables::

    [[case]]
    name = "Trà Vinh 2019: 13 cán bộ, bình quân 60,4 ngày"
    source = "Báo Trà Vinh, 2019 (seed 000)"
    dataset = "../../examples/tra-vinh-2019"   # a folder, relative to this file
    year = 2019                                # or period = "2023-Q2"
    plugins = ["danang"]                       # installed plugins to load (default: none)

    [[case.finding]]
    rule = "visits.quota"
    subject = "TV"
    status = "pass"
    value = 60.4            # compared at the precision written here

    [[case.standing]]
    unit = "H01"
    rank = 1
    award = "Cờ thi đua"

    [[case.indicator]]
    indicator = "visit_days"
    unit = "TV"
    value = 785

Instead of ``dataset``, a case may carry a small dataset inline: ``[case.data]`` with
``dataset`` (the ``dataset.toml`` keys) and one array of tables per CSV file (``units``,
``cadres`` …), which is written to a temporary folder and loaded by the same strict loader.

``doanmodel test PATH…`` runs every case (exit 1 on a mismatch, with a readable diff; exit 2 on a
malformed case file); the pytest plugin collects ``*.case.toml`` files as tests.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import DatasetError, DoanmodelError, Problem
from ..model._i18n import Text, os_reason

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["Case", "CaseResult", "load_cases", "run_case"]

SUFFIX = ".case.toml"
_KEYS = {"name", "source", "dataset", "data", "year", "period", "plugins", "criteria",
         "finding", "standing", "indicator", "plugin_failures", "description"}
_FINDING = {"rule", "subject", "status", "value", "threshold", "present"}
_STANDING = {"unit", "cluster", "rank", "total", "award", "criteria_set"}
_INDICATOR = {"indicator", "unit", "value"}


@attrs.frozen(kw_only=True)
class Case:
    """One expected result set, read from a case file."""

    name: str
    file: str
    line: int
    source: str = ""
    dataset: Path | None = None
    data: Mapping[str, Any] | None = None
    year: int | None = None
    period: str | None = None
    plugins: tuple[str, ...] = ()
    criteria: str | None = None
    findings: tuple[Mapping[str, Any], ...] = ()
    standings: tuple[Mapping[str, Any], ...] = ()
    indicators: tuple[Mapping[str, Any], ...] = ()
    #: plugin names expected to fail (default: none may fail)
    plugin_failures: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class CaseResult:
    """The outcome of one case: the mismatches, one line each (empty: it passed)."""

    case: Case
    mismatches: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every expectation held."""
        return not self.mismatches


def _problem(file: str, line: int, column: str, en: str, vi: str) -> Problem:
    return Problem(file, line, column, Text(vi, en))


def _line_of(text: str, index: int) -> int:
    """The line of the *index*-th ``[[case]]`` header (1-based), 0 when not found."""
    seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("[[case]]"):
            if seen == index:
                return n
            seen += 1
    return 0


def load_cases(path: str | Path) -> list[Case]:
    """
    The cases of one case file.

    Raises:
        DatasetError: the file is not a case file: every problem, with its line.
    """
    p = Path(path)
    name = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except OSError as exc:
        why = os_reason(exc)
        raise DatasetError([_problem(name, 0, "-", f"cannot read: {why.en}",
                                     f"không đọc được: {why.vi}")]) from None
    except UnicodeDecodeError as exc:
        from ..dataset._csvio import unreadable  # noqa: PLC0415 - the loader's own words

        raise DatasetError([Problem(name, 0, "-", unreadable(exc))]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError([_problem(name, 0, "-", f"not TOML: {exc}",
                                     f"không phải TOML: {exc}")]) from None
    problems: list[Problem] = []
    raw = data.get("case")
    if not isinstance(raw, list) or not raw:
        raise DatasetError([_problem(name, 0, "case", "no [[case]] table",
                                     "không có bảng [[case]]")])
    out: list[Case] = []
    for i, c in enumerate(raw):
        line = _line_of(text, i)
        out.extend(_case(c, name, line, p.parent, problems))
    if problems:
        raise DatasetError(problems)
    return out


def _case(c: Mapping[str, Any], name: str, line: int, folder: Path,
          problems: list[Problem]) -> Iterator[Case]:
    def bad(column: str, en: str, vi: str) -> None:
        problems.append(_problem(name, line, column, en, vi))

    for key in sorted(set(c) - _KEYS):
        bad(key, "unknown key", "khóa không được biết")
    for key, allowed in (("finding", _FINDING), ("standing", _STANDING),
                         ("indicator", _INDICATOR)):
        for item in c.get(key, ()):
            if not isinstance(item, Mapping):
                bad(key, "must be a table", "phải là một bảng")
                continue
            for k in sorted(set(item) - allowed):
                bad(f"{key}.{k}", "unknown key", "khóa không được biết")
    if not isinstance(c.get("name"), str) or not c.get("name"):
        bad("name", "a case needs a name", "cần tên trường hợp")
    if ("dataset" in c) == ("data" in c):
        bad("dataset", "give exactly one of dataset (a folder) or data (inline)",
            "cần đúng một trong dataset (thư mục) hoặc data (dữ liệu kèm)")
    dataset = None
    if isinstance(c.get("dataset"), str):
        dataset = (folder / c["dataset"]).resolve()
        if not dataset.is_dir():
            bad("dataset", f"no dataset folder {c['dataset']!r}",
                f"không có thư mục dữ liệu {c['dataset']!r}")
    year = c.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                             or not 1900 <= year <= 2200):
        bad("year", "year must be a whole number from 1900 to 2200",
            "năm phải là số nguyên từ 1900 đến 2200")
    if not (c.get("finding") or c.get("standing") or c.get("indicator")):
        bad("finding", "the case expects nothing: add [[case.finding]], [[case.standing]] or "
                       "[[case.indicator]]",
            "trường hợp không kỳ vọng gì: thêm [[case.finding]], [[case.standing]] hoặc "
            "[[case.indicator]]")
    if problems:
        return
    yield Case(name=c["name"], file=name, line=line, source=c.get("source", ""),
               dataset=dataset, data=c.get("data"), year=year, period=c.get("period"),
               plugins=tuple(c.get("plugins", ())), criteria=c.get("criteria"),
               findings=tuple(c.get("finding", ())), standings=tuple(c.get("standing", ())),
               indicators=tuple(c.get("indicator", ())),
               plugin_failures=tuple(c.get("plugin_failures", ())))


# ---------------------------------------------------------------------------- running
def _same(expected: Any, got: Any) -> bool:
    """*got* equals *expected* at the precision *expected* is written with."""
    if isinstance(expected, bool) or not isinstance(expected, (int, float)):
        return bool(expected == got or str(expected) == str(got))
    if got is None:
        return False
    try:
        e = Decimal(str(expected))
        g = Decimal(str(got))
    except InvalidOperation:
        return False
    exp = e.as_tuple().exponent
    return g.quantize(Decimal(1).scaleb(exp)) == e if isinstance(exp, int) else g == e


def _write_inline(data: Mapping[str, Any], folder: Path) -> Path:
    import tomli_w  # noqa: PLC0415 - only inline cases need it

    from ..dataset._serialization import _cell  # noqa: PLC0415 - the dataset writer's cells

    (folder / "dataset.toml").write_text(tomli_w.dumps(dict(data.get("dataset", {}))),
                                         encoding="utf-8")
    from ..dataset._csvio import FILES  # noqa: PLC0415

    for table, rows in data.items():
        if table == "dataset" or (not rows and f"{table}.csv" not in FILES):
            continue
        if not rows:  # ``absences = []``: the table reported with no row ("reported none")
            with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerow([col for col, required, _ in FILES[f"{table}.csv"]
                                         if required])
            continue
        if table in ("clusters", "criteria"):
            (folder / f"{table}.toml").write_text(tomli_w.dumps(rows), encoding="utf-8")
            continue
        columns = list(dict.fromkeys(k for r in rows for k in r))
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(columns)
            w.writerows([["" if r.get(k) is None else _cell(r.get(k)) for k in columns]
                         for r in rows])
    return folder




def run_case(case: Case) -> CaseResult:
    """Run one case and compare; problems in the case's dataset raise :class:`DatasetError`."""
    from ..dataset._loader import load_dataset  # noqa: PLC0415
    from ._engine import Engine  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="doanmodel-case-") as tmp:
        path = case.dataset if case.dataset else _write_inline(case.data or {}, Path(tmp))
        ds = load_dataset(path)
        engine = Engine(only=list(case.plugins)) if case.plugins else \
            Engine(load_entry_points=False)
        missing = [p for p in case.plugins if p not in engine.registry.plugins]
        if missing:
            raise DoanmodelError(f"{case.file}: case {case.name!r} needs plugin(s) "
                                 f"{', '.join(missing)}, which are not installed")
        mismatches: list[str] = []
        failures: list[Any] = []
        if case.findings:
            report = engine.check(ds, case.year, period=case.period)
            failures.extend(report.plugin_failures)
            mismatches.extend(_compare_findings(case, report))
        if case.standings:
            board = engine.score(ds, case.year, criteria=case.criteria)
            failures.extend(board.plugin_failures)
            mismatches.extend(_compare_standings(case, board))
        for exp in case.indicators:
            values = engine.indicator(ds, exp["indicator"], case.year, period=case.period)
            got = values.get(exp["unit"])
            if not _same(exp["value"], got):
                mismatches.append(f"indicator {exp['indicator']} {exp['unit']}: expected "
                                  f"{exp['value']}, got {_show(got)}")
        failed = sorted({f.plugin for f in failures})
        if failed != sorted(case.plugin_failures):
            mismatches.append(f"plugin failures: expected {sorted(case.plugin_failures)}, got "
                              f"{failed} ({'; '.join(f.line() for f in failures)})")
    return CaseResult(case=case, mismatches=tuple(mismatches))


def _show(v: Any) -> str:
    return "nothing" if v is None else str(v)


def _compare_findings(case: Case, report: Any) -> list[str]:
    out = []
    for exp in case.findings:
        found = [f for f in report.findings if f.rule == exp["rule"]
                 and ("subject" not in exp or f.subject_id == exp["subject"])]
        what = f"finding {exp['rule']}" + (f" {exp['subject']}" if "subject" in exp else "")
        if exp.get("present", True) is False:
            if found:
                out.append(f"{what}: expected none, got {len(found)}")
            continue
        if not found:
            out.append(f"{what}: expected one, got none")
            continue
        f = found[0]
        for key, attr in (("status", "status"), ("value", "value"), ("threshold", "threshold")):
            if key in exp:
                got = getattr(f, attr)
                got = got.value if key == "status" else got
                if not _same(exp[key], got):
                    out.append(f"{what}: {key} expected {exp[key]}, got {_show(got)}")
    return out


def _compare_standings(case: Case, board: Any) -> list[str]:
    out = []
    for exp in case.standings:
        try:
            cb, s = board.standing(exp["unit"])
        except LookupError:
            out.append(f"standing {exp['unit']}: expected one, got none")
            continue
        if "cluster" in exp and cb.id != exp["cluster"]:
            out.append(f"standing {exp['unit']}: cluster expected {exp['cluster']}, got {cb.id}")
        got = {"rank": s.rank, "total": s.total, "award": s.award,
               "criteria_set": cb.criteria_id}
        for key in ("rank", "total", "award", "criteria_set"):
            if key in exp and not _same(exp[key], got[key]):
                out.append(f"standing {exp['unit']}: {key} expected {exp[key]}, got "
                           f"{_show(got[key])}")
    return out


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Every case file at or under *paths*, sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(p.rglob(f"*{SUFFIX}")))
        else:
            found.append(p)
    return found
