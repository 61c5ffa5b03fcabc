"""members.csv and meetings.csv straight into column tables (the national-scale files)."""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from itertools import compress, islice
from operator import eq, gt, itemgetter, lt
from pathlib import Path
from typing import cast

from ..model._dates import parse_date
from ..model._entities import (
    Cadre,
    Unit,
)
from ..model._enums import Level, MeetingKind
from ..model._i18n import nfc
from ._checks import BIG_CHECKS, first_order_problem, order_broken
from ._csvio import Problems, _ids, _open_table, _text
from ._fastcsv import column_chunks, numbered
from ._tables import MeetingTable, MemberTable, extend_column


# ---------------------------------------------------------------------------- big files
class _Ordinals(dict):  # type: ignore[type-arg]
    """Date text → day ordinal (``""`` → 0), parsed once per distinct text.

    A text that is not a date raises KeyError, so the caller falls back to the careful parser,
    which reports the problem.
    """

    def __missing__(self, raw: str) -> int:
        if not raw or raw.isspace():
            value = 0
        else:
            try:
                value = parse_date(raw).toordinal()
            except ValueError:
                raise KeyError(raw) from None
        if len(self) < 500_000:
            self[raw] = value
        return value


_FIRST, _LAST = itemgetter(0), itemgetter(1)


def _given(column: Sequence[str], known: Container[str]) -> list[tuple[int, str]] | None:
    """
    (row, id) of the cells of *column* that hold an id, stripped (most cells are empty);
    ``None`` when one is not ASCII or not in *known* (the careful parser then reports it).
    """
    out = []
    for k in compress(range(len(column)), column):
        cell = column[k].strip()
        if cell:
            if not cell.isascii() or cell not in known:
                return None
            out.append((k, cell))
    return out


_CHUNK = 1024  # small enough to stay in the CPU cache: 50k-row chunks are 2x slower


def _load_members(root: Path, problems: Problems, units: dict[str, Unit],
                  unit_index: dict[str, int], unit_ids: list[str]) -> MemberTable:
    """
    members.csv straight into column arrays, no object per row, same checks as the rest.

    Rows are taken in chunks; a chunk whose every cell is ordinary (ASCII ids, known branches,
    ISO dates, dates in order, no duplicate) is converted column by column with C-level
    ``map``; any other chunk goes row by row through the careful parser, which reports problems.
    """
    name = "members.csv"
    table = MemberTable(unit_ids)
    t = _open_table(root, name, problems)
    if t is None:
        return table
    branch_levels = {Level.BRANCH, Level.SUB_BRANCH}
    code_of = {uid: unit_index[uid] for uid, u in units.items()
               if any(v.level in branch_levels for v in u.versions)}
    rejected_units = problems.rejected["units.csv"]
    ix = t.index
    i_id, i_b, i_join = ix["id"], ix["branch_id"], ix["joined_on"]
    i_birth, i_left, i_reason = ix.get("birth_date"), ix.get("left_on"), ix.get("left_reason")
    i_intro, i_adm = ix.get("party_introduced_on"), ix.get("party_admitted_on")
    ords = _Ordinals()
    get_ord = ords.__getitem__
    strip, isascii = str.strip, str.isascii
    checks = BIG_CHECKS["members"]

    def fast_chunk(cols: Sequence[Sequence[str]]) -> bool:
        n = len(cols[0])
        ids = list(map(strip, cols[i_id]))
        if not all(ids) or not all(map(isascii, ids)):
            return False
        codes = list(map(code_of.get, cols[i_b]))  # " B1 " is not found: the careful path
        if None in codes:
            return False
        try:
            joined = list(map(get_ord, cols[i_join]))
            birth, left, intro, adm = (list(map(get_ord, cols[i])) if i is not None else [0] * n
                                       for i in (i_birth, i_left, i_intro, i_adm))
        except KeyError:
            return False
        if 0 in joined or order_broken(checks, {
                "joined_on": joined, "birth_date": birth, "left_on": left,
                "party_introduced_on": intro, "party_admitted_on": adm}):
            return False
        base = len(table.ids)
        if i_reason is not None:
            reasons = cols[i_reason]
            for k in compress(range(n), reasons):  # the few rows with a reason
                if not reasons[k].isspace():
                    table.left_reason[base + k] = nfc(reasons[k].strip())
        if t.extras:
            for k, row in enumerate(zip(*cols)):
                extra = t.extra(row)
                if extra:
                    table.extra[base + k] = extra
        table.extend(ids, cast("list[int]", codes), birth, joined, left, intro, adm)  # no None
        return True

    def slow_row(start: int, row: Sequence[str]) -> None:
        v = t.parse(start, row, problems)
        if v is None:
            return
        mid, bid = v["id"], v["branch_id"]
        j = v["joined_on"].toordinal()
        b, left, intro, adm = (d.toordinal() if d else 0 for d in (
            v.get("birth_date"), v.get("left_on"), v.get("party_introduced_on"),
            v.get("party_admitted_on")))
        code = code_of.get(bid)
        if code is None:
            if bid in rejected_units:
                return
            if bid in units:
                problems.add(name, start, "branch_id", f"{bid!r} không phải chi đoàn",
                             f"{bid!r} is not a branch")
            else:
                problems.add(name, start, "branch_id", f"không có chi đoàn {bid!r}",
                             f"no branch {bid!r}")
            return
        broken = first_order_problem(checks, {
            "joined_on": j, "birth_date": b, "left_on": left, "party_introduced_on": intro,
            "party_admitted_on": adm})
        if broken is not None:
            problems.add_text(name, start, broken.column, broken.message)
            return
        row_no = len(table.ids)
        if v.get("left_reason"):
            table.left_reason[row_no] = v["left_reason"]
        extra = t.extra(row)
        if extra:
            table.extra[row_no] = extra
        table.extend([mid], [code], [b], [j], [left], [intro], [adm])

    with t.handle:
        for plain, chunk in column_chunks(t, problems, _CHUNK):
            if plain and fast_chunk(chunk):
                continue
            for start, row in numbered(t, plain, chunk):
                slow_row(start, row)
    _report_duplicates(root, name, table.ids, problems)
    return table


_RUNS = 1024  # ids in at most this many ascending runs are sorted (timsort merges runs)


def _distinct(ids: list[str]) -> bool:
    """
    Whether no id repeats. Exports list ids mostly in order (by province, district, branch):
    sorting a copy then is a few merges and holds 8 bytes an id, where a set of 6.4M ids
    takes a second and 270 MB; ids in no order go into a set.
    """
    if sum(map(gt, ids, islice(ids, 1, None))) < _RUNS:
        in_order = sorted(ids)
        return not any(map(eq, in_order, islice(in_order, 1, None)))
    return len(set(ids)) == len(ids)


def _report_duplicates(root: Path, name: str, ids: list[str], problems: Problems) -> None:
    """Report every repeated id with its line (a second, careful read only when there is one)."""
    if _distinct(ids):
        return
    again = Problems()  # what the first read found (a bad byte …) is reported once, not twice
    again.sources = problems.sources  # the workbook sheet or Parquet file the table really is
    t = _open_table(root, name, again)
    if t is None:  # pragma: no cover - it opened a moment ago
        return
    i_id = t.index["id"]
    seen: set[str] = set()
    with t.handle:
        for start, row in t.rows(again):
            mid = _text(row[i_id])
            if mid in seen:
                problems.add(name, start, "id", f"mã bị trùng: {mid!r}", f"duplicate id: {mid!r}")
            seen.add(mid)


def _load_meetings(root: Path, problems: Problems, unit_index: dict[str, int],
                   unit_ids: list[str], spans: dict[str, tuple[int, int]],
                   cadres: dict[str, Cadre], cluster_ids: set[str],
                   unit_on: Callable[..., bool], cadre_ok: Callable[..., bool]) -> MeetingTable:
    """meetings.csv straight into column arrays; same checks as the rest."""
    name = "meetings.csv"
    table = MeetingTable(unit_ids)
    t = _open_table(root, name, problems)
    if t is None:
        return table
    kinds = {k.value: MeetingTable.kind_code(k) for k in MeetingKind}
    ix = t.index
    i_id, i_unit, i_date, i_kind = ix["id"], ix["unit_id"], ix["date"], ix["kind"]
    i_chair, i_att, i_cl = ix.get("chair_id"), ix.get("attendees"), ix.get("cluster_id")
    fast = not t.extras and None not in (i_chair, i_att, i_cl)
    ords = _Ordinals()
    seen: set[str] = set()
    ids_append, unit_append = table.ids.append, table.unit.append
    date_append, kind_append = table.date.append, table.kind.append
    get_ord, strip, isascii = ords.__getitem__, str.strip, str.isascii

    def fast_chunk(cols: Sequence[Sequence[str]]) -> bool:
        """A chunk of ordinary rows, column by column (any doubt: False, row by row)."""
        ids = list(map(strip, cols[i_id]))
        uids = cols[i_unit]  # a unit's id as it is (" U1 " is not found: the careful path)
        fresh = set(ids)
        if not all(ids) or not all(map(isascii, ids)) or len(fresh) < len(ids) or \
                not seen.isdisjoint(fresh):
            return False
        try:
            days = list(map(get_ord, cols[i_date]))
            codes = list(map(kinds.__getitem__, cols[i_kind]))
        except KeyError:
            return False
        found = list(map(spans.get, uids))
        if None in found:
            return False
        within = cast("list[tuple[int, int]]", found)
        if 0 in days or any(map(gt, map(_FIRST, within), days)) or \
                any(map(lt, map(_LAST, within), days)):
            return False
        chairs = _given(cols[i_chair], cadres)  # type: ignore[index]
        clusters = _given(cols[i_cl], cluster_ids)  # type: ignore[index]
        groups = cols[i_att]  # type: ignore[index]
        atts = [(k, _ids(groups[k])) for k in compress(range(len(ids)), groups)]
        if chairs is None or clusters is None or \
                any(a not in cadres for _, group in atts for a in group):
            return False
        base = len(table.ids)
        table.chair.update((base + k, c) for k, c in chairs)
        table.attendees.update((base + k, group) for k, group in atts if group)
        table.cluster.update((base + k, c) for k, c in clusters)
        seen.update(fresh)
        table.ids.extend(ids)
        extend_column(table.unit, list(map(unit_index.__getitem__, uids)))
        extend_column(table.date, days)
        extend_column(table.kind, codes)
        return True

    def slow_row(start: int, row: Sequence[str]) -> None:
        try:
            if not fast:
                raise KeyError
            mid = row[i_id].strip()
            uid = row[i_unit].strip()
            if not mid or not uid or not mid.isascii() or not uid.isascii():
                raise KeyError
            day = ords[row[i_date]]
            if not day:
                raise KeyError
            kind = kinds[row[i_kind]]
            chair = row[i_chair].strip() or None  # type: ignore[index]
            att_raw = row[i_att]  # type: ignore[index]
            attendees = _ids(att_raw) if att_raw else ()
            cluster = row[i_cl].strip() or None  # type: ignore[index]
            if (chair and not chair.isascii()) or (cluster and not cluster.isascii()):
                raise KeyError
        except KeyError:
            v = t.parse(start, row, problems)
            if v is None:
                return
            mid, uid, day = v["id"], v["unit_id"], v["date"].toordinal()
            kind = kinds[v["kind"].value]
            chair, attendees, cluster = (v.get("chair_id"), v.get("attendees") or (),
                                         v.get("cluster_id"))
        if mid in seen:
            problems.add(name, start, "id", f"mã bị trùng: {mid!r}", f"duplicate id: {mid!r}")
            return
        seen.add(mid)
        span = spans.get(uid)
        ok = span is not None and span[0] <= day <= span[1]
        if not ok:
            unit_on(name, start, "unit_id", uid, day, day)
        if chair is not None and chair not in cadres:
            ok = cadre_ok(name, start, "chair_id", chair) and ok
        for cid in attendees:
            if cid not in cadres:
                ok = cadre_ok(name, start, "attendees", cid) and ok
        if cluster is not None and cluster not in cluster_ids:
            problems.add(name, start, "cluster_id", f"không có cụm {cluster!r}",
                         f"no cluster {cluster!r}")
            ok = False
        if not ok:
            return
        row_no = len(table.ids)
        if chair:
            table.chair[row_no] = chair
        if attendees:
            table.attendees[row_no] = tuple(attendees)
        if cluster:
            table.cluster[row_no] = cluster
        if t.extras:
            extra = t.extra(row)
            if extra:
                table.extra[row_no] = extra
        ids_append(mid)
        unit_append(unit_index[uid])
        date_append(day)
        kind_append(kind)

    with t.handle:
        for plain, chunk in column_chunks(t, problems, _CHUNK):
            if plain and fast and fast_chunk(chunk):
                continue
            for start, row in numbered(t, plain, chunk):
                slow_row(start, row)
    return table
