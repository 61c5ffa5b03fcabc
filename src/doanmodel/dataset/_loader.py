"""Loading a dataset directory (contract §1): strict, every problem reported at once."""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._gc import without_cyclic_gc
from ..exceptions import DatasetError, Problem
from ..model._entities import (
    Absence,
    Cadre,
    Cluster,
    Indicator,
    Position,
    Target,
    Unit,
    Visit,
)
from ..model._enums import ScoreStage
from ..model._i18n import Text, nfc
from ._ballots import load_ballots
from ._bigfiles import _load_meetings, _load_members
from ._csvio import (
    FILES,
    RECONSTRUCTED,
    Problems,
    _as_date,
    _Row,
    read_toml,
    reconstructed_cell,
    toml_line,
    tomllib,
)
from ._dataset import OPTIONAL_TABLES, Dataset, DatasetMeta
from ._fastcsv import read_csv
from ._guards import regular_file_problem
from ._intake import build_manifest
from ._tables import MeetingTable, MemberTable
from ._treecheck import _check_units, _interval

__all__ = ["FILES", "Problems", "load_dataset", "read_toml", "toml_line", "tomllib"]

def _marked(name: str, rows: Iterator[_Row], problems: Problems) -> Iterator[_Row]:
    """*rows* with their ``reconstructed`` cell checked and normalised (``extra``), a bad one a
    problem naming the line (issue 22, item 6)."""
    for line, values, extra in rows:
        raw = extra.get(RECONSTRUCTED)
        if raw is not None:
            mark, bad = reconstructed_cell(name, raw)
            if bad is not None:
                problems.add_text(name, line, RECONSTRUCTED, bad)
                continue
            extra = {k: v for k, v in extra.items() if k != RECONSTRUCTED}
            if mark is not None:
                extra[RECONSTRUCTED] = mark
        yield line, values, extra


def _missing(root: Path, name: str, problems: Problems) -> None:
    """Report a required file that is absent (one that is there but refused is reported)."""
    if name not in problems.refused and regular_file_problem(root, name) is None:
        problems.add(name, 0, "-", "thiếu tệp bắt buộc", "required file is missing")


_META_KEYS = {"format", "name", "root", "year", "plugins", "parameters", "description",
              "sources", "not_collected", "reconstructed"}


def _meta_key_problems(data: dict[str, Any], text: str, problems: Problems) -> bool:
    """Report dataset.toml's unknown keys and missing required keys; whether there were any."""
    name = "dataset.toml"
    bad = False
    for key in data:
        if key not in _META_KEYS and not key.startswith("x_"):
            problems.add(name, toml_line(text, rf"^\s*{re.escape(key)}\s*=|\[{re.escape(key)}"),
                         key, "khóa không được biết", "unknown key")
            bad = True
    for key in ("format", "name", "root"):
        if key not in data:
            problems.add(name, 0, key, "thiếu khóa bắt buộc", "required key is missing")
            bad = True
    return bad


def _meta_value_problems(data: dict[str, Any], text: str, problems: Problems) -> bool:
    """Report dataset.toml's bad format, year or plugins; whether there were any."""
    name = "dataset.toml"
    bad = False
    if data.get("format", 1) != 1:
        problems.add(name, toml_line(text, r"^\s*format\s*="), "format",
                     f"định dạng {data.get('format')!r} không được hỗ trợ (chỉ 1)",
                     f"format {data.get('format')!r} is not supported (only 1)")
        bad = True
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2200):
        problems.add(name, toml_line(text, r"^\s*year\s*="), "year", "năm không hợp lệ",
                     "not a valid year")
        bad = True
    plugins = data.get("plugins", [])
    if not isinstance(plugins, list) or not all(isinstance(p, str) for p in plugins):
        problems.add(name, toml_line(text, r"^\s*plugins\s*="), "plugins",
                     "phải là danh sách tên plugin", "must be a list of plugin names")
        bad = True
    bad = _tables_problems(data, text, problems, "not_collected") or bad
    return _tables_problems(data, text, problems, "reconstructed") or bad


def _tables_problems(data: dict[str, Any], text: str, problems: Problems, key: str) -> bool:
    """Report a ``not_collected`` (or ``reconstructed``, which may also be ``true``) that is no
    list of optional table names; whether it was."""
    value = data.get(key, [])
    known = ", ".join(OPTIONAL_TABLES)
    if (key == "reconstructed" and isinstance(value, bool)) or (
            isinstance(value, list) and all(isinstance(t, str) and t in OPTIONAL_TABLES
                                            for t in value)):
        return False
    what = Text("bảng không thu thập", "tables not collected") if key == "not_collected" else \
        Text("bảng có số liệu dựng lại (hoặc true)", "tables with reconstructed values (or true)")
    problems.add("dataset.toml", toml_line(text, rf"^\s*{key}\s*="), key,
                 f"phải là danh sách tên {what.vi} ({known})",
                 f"must be a list of the {what.en} ({known})")
    return True


def _reconstructed(value: Any) -> tuple[str, ...]:
    if value is True:
        return OPTIONAL_TABLES
    return tuple(value) if isinstance(value, list) else ()


def _parameter_values(key: str, entries: Any, line: int,
                      problems: Problems) -> tuple[list[dict[str, Any]], bool]:
    """The checked values of parameter *key*, and whether any problem was reported."""
    name = "dataset.toml"
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list) or not entries:
        problems.add(name, line, f"parameters.{key}",
                     "phải là danh sách { from, value, source }",
                     "must be a list of { from, value, source }")
        return [], True
    bad = False
    good = []
    for entry in entries:
        start = _as_date(entry.get("from")) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or start is None or "value" not in entry:
            problems.add(name, line, f"parameters.{key}",
                         "mỗi giá trị cần 'from' (ngày) và 'value'",
                         "each value needs 'from' (a date) and 'value'")
            bad = True
            continue
        if not entry.get("source"):
            problems.add(name, line, f"parameters.{key}",
                         "mỗi giá trị cần 'source' (văn bản căn cứ)",
                         "each value needs a 'source' (the document it comes from)")
            bad = True
            continue
        good.append({"from": start, "value": entry["value"], "source": str(entry["source"])})
    return good, bad


def _meta_parameters(data: dict[str, Any], text: str,
                     problems: Problems) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    """dataset.toml's checked [parameters], and whether any problem was reported."""
    params = data.get("parameters", {})
    checked: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(params, dict):
        problems.add("dataset.toml", toml_line(text, r"^\s*\[parameters\]|^\s*parameters\s*="),
                     "parameters", "phải là một bảng", "must be a table")
        return checked, True
    bad = False
    for key, entries in params.items():
        line = toml_line(text, rf"^\s*\"?{re.escape(key)}\"?\s*=")
        good, wrong = _parameter_values(key, entries, line, problems)
        bad = bad or wrong
        checked[key] = good  # only used when nothing was reported
    return checked, bad


def _read_meta(root: Path, problems: Problems) -> DatasetMeta | None:
    """dataset.toml's metadata, or ``None`` after reporting its problems."""
    name = "dataset.toml"
    if not (root / name).is_file() and name not in problems.sources:
        problems.add(name, 0, "-", "thiếu tệp bắt buộc", "required file is missing")
        return None
    data, text = read_toml(root / name, name, problems)
    if data is None:
        return None
    bad = _meta_key_problems(data, text, problems)
    bad = _meta_value_problems(data, text, problems) or bad
    checked, bad_parameters = _meta_parameters(data, text, problems)
    if bad or bad_parameters:
        return None
    sources = data.get("sources", [])
    return DatasetMeta(
        name=nfc(str(data["name"])),
        root=nfc(str(data["root"])),
        year=data.get("year"),
        format=1,
        plugins=tuple(data.get("plugins", [])),
        parameters=checked,
        description=nfc(str(data["description"])) if data.get("description") else None,
        sources=tuple(nfc(str(s)) for s in sources) if isinstance(sources, list) else (),
        not_collected=tuple(data.get("not_collected", ())),
        reconstructed=_reconstructed(data.get("reconstructed")),
    )


def _not_a_dir(root: Path) -> tuple[str, str]:
    if not root.exists():
        return (f"{str(root)!r} không phải thư mục dataset: đường dẫn không tồn tại",
                f"{str(root)!r} is not a dataset folder: the path does not exist")
    return (f"{str(root)!r} không phải thư mục dataset (cần một thư mục chứa dataset.toml, "
            "hoặc một sổ Excel .xlsx)",
            f"{str(root)!r} is not a dataset folder (a folder with dataset.toml, or an .xlsx "
            "workbook, is needed)")


# ---------------------------------------------------------------------------- the loader
def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """
    Load the dataset directory at *path* (contract §1).

    The dataset loads whole or not at all.

    Raises:
        DatasetError: listing every problem found (``.problems``), each with file, line,
            column and a bilingual message.
    """
    return _load_dataset(path)


class _Loading:
    """One loading of a dataset folder: the files there and the checks between them."""

    def __init__(self, root: Path, problems: Problems, present: set[str], refused: set[str],
                 spans: dict[str, tuple[int, int]],
                 given: Mapping[str, Sequence[_Row]] | None = None) -> None:
        self.root = root
        self.given = given or {}
        self.problems = problems
        self.present = present
        self.refused = refused
        self.spans = spans
        self.cadres: dict[str, Cadre] = {}

    def unit_on(self, file: str, line: int, col: str, uid: str, first: int, last: int) -> bool:
        """Whether unit *uid* exists at some time in [first, last] (else it is reported)."""
        problems = self.problems
        span = self.spans.get(uid)
        if span is None:
            if uid not in problems.rejected["units.csv"] and "units.csv" not in self.refused:
                problems.add(file, line, col, f"không có đơn vị {uid!r}", f"no unit {uid!r}")
            return False
        if span[0] > last or first > span[1]:
            problems.add(file, line, col, f"đơn vị {uid!r} không tồn tại vào thời điểm này",
                         f"unit {uid!r} does not exist at that time")
            return False
        return True

    def cadre_ok(self, file: str, line: int, col: str, cid: str | None) -> bool:
        """Whether cadre *cid* (when given) exists (else it is reported)."""
        problems = self.problems
        if cid is not None and cid not in self.cadres:
            if cid not in problems.rejected["cadres.csv"] and "cadres.csv" not in self.refused:
                problems.add(file, line, col, f"không có cán bộ {cid!r}", f"no cadre {cid!r}")
            return False
        return True

    def rows(self, name: str) -> Iterator[_Row]:
        """The rows of *name* (given, or read from its file), none when it is not there."""
        if name in self.given:
            return iter(self.given[name])
        if name not in self.present:
            return iter(())
        return _marked(name, read_csv(self.root, name, self.problems), self.problems)

    def later(self, file: str, line: int, col: str, first: Any, second: Any, what: str) -> None:
        """Report *second* (column *col*) when it comes before *first* (*what*)."""
        if first is not None and second is not None and second < first:
            self.problems.add(file, line, col, f"{col} trước {what}", f"{col} is before {what}")

    def read_cadres(self) -> dict[str, Cadre]:
        """cadres.csv, duplicate ids reported."""
        cadres = self.cadres
        for line, v, extra in self.rows("cadres.csv"):
            if v["id"] in cadres:
                self.problems.add("cadres.csv", line, "id", f"mã bị trùng: {v['id']!r}",
                                  f"duplicate id: {v['id']!r}")
                continue
            cadres[v["id"]] = Cadre(extra=extra, **v)
        return cadres

    def read_positions(self) -> list[Position]:
        """positions.csv, checked against cadres and units."""
        positions: list[Position] = []
        for line, v, extra in self.rows("positions.csv"):
            ok = self.cadre_ok("positions.csv", line, "cadre_id", v["cadre_id"])
            self.later("positions.csv", line, "end", v["start"], v.get("end"), "start")
            first, last = _interval(v["start"], v.get("end"))
            ok = self.unit_on("positions.csv", line, "unit_id", v["unit_id"], first, last) and ok
            if ok:
                v["full_time"] = bool(v.get("full_time"))
                positions.append(Position(extra=extra, **v))
        return positions

    def read_absences(self) -> list[Absence]:
        """absences.csv, checked against cadres."""
        absences: list[Absence] = []
        for line, v, extra in self.rows("absences.csv"):
            if self.cadre_ok("absences.csv", line, "cadre_id", v["cadre_id"]):
                self.later("absences.csv", line, "end", v["start"], v["end"], "start")
                absences.append(Absence(extra=extra, **v))
        return absences

    def read_visits(self) -> list[Visit]:
        """visits.csv, duplicate ids reported, checked against cadres and units."""
        visits: list[Visit] = []
        seen_ids: set[str] = set()
        for line, v, extra in self.rows("visits.csv"):
            if v["id"] in seen_ids:
                self.problems.add("visits.csv", line, "id", f"mã bị trùng: {v['id']!r}",
                                  f"duplicate id: {v['id']!r}")
                continue
            seen_ids.add(v["id"])
            ok = self.cadre_ok("visits.csv", line, "cadre_id", v["cadre_id"])
            self.later("visits.csv", line, "end", v["start"], v.get("end"), "start")
            self.later("visits.csv", line, "report_on", v["start"], v.get("report_on"), "start")
            first, last = _interval(v["start"], v.get("end") or v["start"])
            ok = self.unit_on("visits.csv", line, "unit_id", v["unit_id"], first, last) and ok
            if ok:
                visits.append(Visit(extra=extra, **v))
        return visits

    def numbers(self, name: str, cls: type) -> list[Any]:
        """indicators.csv or targets.csv, duplicates reported, checked against units."""
        out = []
        keys: set[tuple[str, str, str, str]] = set()
        for line, v, extra in self.rows(name):
            # rows differing only by stage are the stages of one score; no stage is the final
            # value, the same stage as `verified` (docs/decisions.md, "Stages …")
            stage = v.get("stage")
            key = (v["unit_id"], str(v["period"]), v["indicator"],
                   "verified" if stage is None else stage.value)
            if key in keys:
                vi = en = ""
                if "stage" in v:
                    label = ScoreStage(key[3]).label
                    vi, en = f", bước {label.vi}", f", stage {key[3]}"
                self.problems.add(name, line, "indicator",
                                  f"trùng đơn vị, kỳ và chỉ số{vi}: {key[0]} {key[1]} {key[2]}",
                                  f"duplicate unit, period and indicator{en}: {key[0]} "
                                  f"{key[1]} {key[2]}")
                continue
            keys.add(key)
            p = v["period"]
            if self.unit_on(name, line, "unit_id", v["unit_id"], p.start.toordinal(),
                            p.end.toordinal()):
                out.append(cls(extra=extra, **v))
        return out


def _present(root: Path, problems: Problems) -> tuple[set[str], set[str]]:
    """(the files there that may be read, the files refused); raises when *root* is no dataset.

    A file that is not a regular file inside the folder, or a table in two forms, is reported
    by name and never opened (``_intake.find_tables``); a refused file's ids are unknown, not
    missing: references to them are not reported."""
    from ._workbook import discover  # noqa: PLC0415 - workbooks are read only when present

    found = discover(root, problems)
    if found is None:
        problems.add(str(root), 0, "-", *_not_a_dir(root))
        problems.raise_if_any()
    refused = problems.refused
    if not found and problems and not root.is_dir():
        problems.raise_if_any()  # a workbook that cannot be opened: no "missing file" after it
    return (found or set()) - refused, refused


#: what a table that could not be read makes every row referring to it say
_KNOCK_ON = {"units.csv": (("no unit ", "no branch "), Text("đơn vị", "units")),
             "cadres.csv": (("no cadre ",), Text("cán bộ", "cadres"))}


def _collapse_knock_on(problems: Problems, name: str) -> None:
    """When *name* could not be read at all, the rows that only refer to it are not each a
    problem: they become one line under the root cause ("and 511 rows that refer to units")."""
    starts, what = _KNOCK_ON[name]
    kept, rows = [], set()
    for p in problems.items:
        if p.file != name and p.message.en.startswith(starts):
            rows.add((p.file, p.line))
        else:
            kept.append(p)
    if rows:
        shown = problems.names.get(name, name)
        n = len(rows)
        line = max((p.line for p in kept if p.file == name), default=0)  # after the cause
        kept.append(Problem(name, line, "-", Text(
            f"và {n} dòng tham chiếu đến {what.vi}, không kiểm tra được vì {shown} không đọc "
            "được", f"and {n} row{'s' if n != 1 else ''} that refer to {what.en}, which could "
            f"not be checked because {shown} could not be read")))
    problems.items = kept


def _unreadable(problems: Problems, name: str, rows: object) -> bool:
    """Whether table *name* gave no row and has a problem of its own (missing, bad header)."""
    return not rows and any(p.file == name for p in problems.items)


def _meta_of(root: Path, problems: Problems, present: set[str],
             refused: set[str]) -> DatasetMeta | None:
    """dataset.toml's metadata when it is there (it is reported missing when not)."""
    if "dataset.toml" in present or "dataset.toml" in problems.sources:
        return _read_meta(root, problems)
    if "dataset.toml" not in refused:
        _missing(root, "dataset.toml", problems)
    return None


def _spans(units: dict[str, Unit]) -> dict[str, tuple[int, int]]:
    """Each unit's first and last day (ordinals)."""
    return {uid: (_interval(u.versions[0].valid_from, None)[0],
                  _interval(None, u.versions[-1].valid_to)[1]) for uid, u in units.items()}


@without_cyclic_gc  # loading allocates millions of rows and frees none until it ends
def _load_dataset(path: str | os.PathLike[str],
                  given: Mapping[str, Sequence[_Row]] | None = None) -> Dataset:
    """The dataset of the folder *path*; the rows of a CSV file named in *given* are taken from
    there instead of the file (a store's typed rows: every check between rows still runs)."""
    problems = Problems()
    try:
        return _load(Path(path), problems, given)
    finally:
        for source in problems.sources.values():  # a Parquet table's CSV text
            close = getattr(source, "close", None)
            if close is not None:
                close()


def _load(root: Path, problems: Problems,
          given: Mapping[str, Sequence[_Row]] | None = None) -> Dataset:
    present, refused = _present(root, problems)
    present |= set(given or ())
    meta = _meta_of(root, problems, present, refused)
    if "units.csv" not in present:
        _missing(root, "units.csv", problems)
    # Units first: every other file refers to them.
    unit_rows = (given or {}).get("units.csv")
    units = _check_units(list(_marked("units.csv", read_csv(root, "units.csv", problems),
                                      problems) if unit_rows is None
                              else unit_rows), problems) if "units.csv" in present else {}
    unit_ids = list(units)
    unit_index = {uid: i for i, uid in enumerate(unit_ids)}
    spans = _spans(units)
    load = _Loading(root, problems, present, refused, spans, given)

    cadres = load.read_cadres()
    positions = load.read_positions()
    absences = load.read_absences()
    # clusters (meetings refer to them)
    clusters = _read_clusters(root, problems, spans) if "clusters.toml" in present else []
    cluster_ids = {c.id for c in clusters}
    visits = load.read_visits()

    meetings = _load_meetings(root, problems, unit_index, unit_ids, spans, cadres, cluster_ids,
                              load.unit_on, load.cadre_ok) \
        if "meetings.csv" in present else MeetingTable(unit_ids)

    members = _load_members(root, problems, units, unit_index, unit_ids) \
        if "members.csv" in present else MemberTable(unit_ids)

    indicators = load.numbers("indicators.csv", Indicator)
    targets = load.numbers("targets.csv", Target)

    criteria, criteria_text = None, ""
    if "criteria.toml" in present:
        criteria, criteria_text = read_toml(root / "criteria.toml", "criteria.toml", problems)

    programmes: tuple[Any, ...] = ()
    if "programmes.toml" in present:  # work programmes refer to units, cadres, visits, meetings
        from ._programmes_toml import read_programmes  # noqa: PLC0415

        programmes = read_programmes(root / "programmes.toml", problems, spans, cadres,
                                     {v.id: v for v in visits}, frozenset(meetings.ids))

    if meta is not None and units and meta.root not in units:
        problems.add("dataset.toml", 0, "root", f"không có đơn vị {meta.root!r} trong units.csv",
                     f"no unit {meta.root!r} in units.csv")
    absent = _absent_tables(meta, present, problems)
    for name, table in (("units.csv", units), ("cadres.csv", cadres)):
        if _unreadable(problems, name, table):
            _collapse_knock_on(problems, name)
    ballots = None
    if root.is_dir():
        try:  # read before the verdict on the rest, so its problems come with theirs
            ballots = load_ballots(root)
        except DatasetError as exc:
            for p in exc.problems:
                problems.add_text(p.file, p.line, p.column, p.message)
    problems.raise_if_any()
    assert meta is not None
    rows = {"units.csv": len(units), "cadres.csv": len(cadres), "positions.csv": len(positions),
            "absences.csv": len(absences), "visits.csv": len(visits),
            "meetings.csv": len(meetings), "members.csv": len(members),
            "indicators.csv": len(indicators), "targets.csv": len(targets),
            "clusters.toml": len(clusters), "programmes.toml": len(programmes)}
    files = problems.files if root.is_dir() else {}
    return Dataset(
        meta=meta, units=units, cadres=cadres, positions=tuple(positions),
        absences=tuple(absences), visits=tuple(visits), meetings=meetings, members=members,
        indicators=tuple(indicators), targets=tuple(targets), clusters=tuple(clusters),
        criteria=criteria, criteria_text=criteria_text, path=str(root),
        programmes=programmes, absent_tables=absent, load_warnings=tuple(problems.warnings),
        manifest=build_manifest(root, FILES, problems.sources,
                                {n: files[n] for n in present if n in files}, rows),
        ballots=ballots,
    )


def _absent_tables(meta: DatasetMeta | None, present: set[str],
                   problems: Problems) -> frozenset[str]:
    """The optional tables not reported: no file or sheet, or listed in ``not_collected`` (a
    table listed there whose file is present is a contradiction, reported)."""
    def file_of(table: str) -> str:
        return f"{table}.toml" if table == "clusters" else f"{table}.csv"

    absent = {t for t in OPTIONAL_TABLES if file_of(t) not in present}
    for t in meta.not_collected if meta is not None else ():
        if file_of(t) in present:
            problems.add("dataset.toml", 0, "not_collected",
                         f"bảng {t!r} được ghi là không thu thập nhưng có tệp {file_of(t)}",
                         f"table {t!r} is listed as not collected but {file_of(t)} is present")
        absent.add(t)
    return frozenset(absent)


_CLUSTER_KEYS = {"id", "name", "year", "members", "lead", "source"}


def _read_clusters(root: Path, problems: Problems,
                   spans: dict[str, tuple[int, int]]) -> list[Cluster]:
    """clusters.toml's clusters that have no problems (the others are reported)."""
    name = "clusters.toml"
    data, text = read_toml(root / name, name, problems)
    if data is None:
        return []
    out: list[Cluster] = []
    entries = data.get("cluster", [])
    for key in data:
        if key != "cluster":
            problems.add(name, toml_line(text, rf"^\s*{re.escape(key)}\s*=|\[{re.escape(key)}\]"),
                         key, "khóa không được biết", "unknown key")
    if not isinstance(entries, list):
        problems.add(name, 0, "cluster", "phải là [[cluster]]", "must be [[cluster]] tables")
        return []
    seen: set[tuple[str, int]] = set()
    in_cluster: dict[tuple[str, int], str] = {}
    for n, entry in enumerate(entries):
        line = toml_line(text, r"^\s*\[\[\s*cluster\s*\]\]", n)
        cluster = _read_cluster(entry, line, problems, spans, seen, in_cluster)
        if cluster is not None:
            out.append(cluster)
    return out


def _cluster_key_problems(entry: dict[str, Any], line: int, problems: Problems) -> bool:
    """Report a [[cluster]]'s unknown and missing keys; whether there were any."""
    bad = False
    for key in entry:
        if key not in _CLUSTER_KEYS:
            problems.add("clusters.toml", line, key, "khóa không được biết", "unknown key")
            bad = True
    for key in ("id", "name", "year", "members"):
        if key not in entry:
            problems.add("clusters.toml", line, key, "thiếu khóa bắt buộc",
                         "required key is missing")
            bad = True
    return bad


def _read_cluster(entry: dict[str, Any], line: int, problems: Problems,
                  spans: dict[str, tuple[int, int]], seen: set[tuple[str, int]],
                  in_cluster: dict[tuple[str, int], str]) -> Cluster | None:
    """One [[cluster]] table, or ``None`` after reporting its problems."""
    name = "clusters.toml"
    if _cluster_key_problems(entry, line, problems):
        return None
    year = entry["year"]
    members = entry["members"]
    if not isinstance(year, int) or not isinstance(members, list) or not all(
            isinstance(m, str) for m in members):
        problems.add(name, line, "members", "year phải là số, members là danh sách mã đơn vị",
                     "year must be an integer and members a list of unit ids")
        return None
    cid = nfc(str(entry["id"]))
    if (cid, year) in seen:
        problems.add(name, line, "id", f"cụm {cid!r} năm {year} bị trùng",
                     f"cluster {cid!r} for {year} appears twice")
        return None
    seen.add((cid, year))
    members = [nfc(m) for m in members]
    bad = _member_problems(cid, year, members, line, problems, spans, in_cluster)
    lead = entry.get("lead")
    if lead is not None and nfc(lead) not in members:
        problems.add(name, line, "lead", f"đơn vị trưởng cụm {lead!r} không thuộc cụm",
                     f"lead {lead!r} is not a member of the cluster")
        bad = True
    if bad:
        return None
    return Cluster(id=cid, name=nfc(str(entry["name"])), year=year, members=tuple(members),
                   lead=nfc(lead) if lead else None, source=entry.get("source"))


def _member_problems(cid: str, year: int, members: list[str], line: int, problems: Problems,
                     spans: dict[str, tuple[int, int]],
                     in_cluster: dict[tuple[str, int], str]) -> bool:
    """Report members of cluster *cid* that are no unit, absent in *year* or in another cluster."""
    name = "clusters.toml"
    first = _dt.date(year, 1, 1).toordinal()
    last = _dt.date(year, 12, 31).toordinal()
    bad = False
    for uid in members:
        span = spans.get(uid)
        if span is None:
            problems.add(name, line, "members", f"không có đơn vị {uid!r}", f"no unit {uid!r}")
            bad = True
        elif span[0] > last or first > span[1]:
            problems.add(name, line, "members",
                         f"đơn vị {uid!r} không tồn tại trong năm {year}",
                         f"unit {uid!r} does not exist in {year}")
            bad = True
        elif (uid, year) in in_cluster:
            problems.add(name, line, "members",
                         f"đơn vị {uid!r} đã thuộc cụm {in_cluster[(uid, year)]!r} năm {year}",
                         f"unit {uid!r} is already in cluster {in_cluster[(uid, year)]!r} "
                         f"in {year}")
            bad = True
        else:
            in_cluster[(uid, year)] = cid
    return bad
