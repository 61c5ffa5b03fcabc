"""members.csv and meetings.csv straight into column tables (the national-scale files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from ..model._dates import parse_date
from ..model._entities import (
    Cadre,
    Unit,
)
from ..model._enums import Level, MeetingKind
from ..model._i18n import nfc
from ._csvio import Problems, _ids, _open_table, _text
from ._tables import MeetingTable, MemberTable


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


def _later(problems: Problems, file: str, line: int, col: str, what: str) -> None:
    problems.add(file, line, col, f"{col} trước {what}", f"{col} is before {what}")


_CHUNK = 1024  # small enough to stay in the CPU cache: 50k-row chunks are 2x slower


def _column(cols: list[tuple[str, ...]], i: int | None, n: int) -> tuple[str, ...]:
    return cols[i] if i is not None else ("",) * n


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

    def fast_chunk(chunk: list[list[str]]) -> bool:
        n = len(chunk)
        cols = list(zip(*chunk))
        ids = list(map(strip, cols[i_id]))
        bids = list(map(strip, cols[i_b]))
        if not all(ids) or not all(map(isascii, ids)):
            return False
        codes = list(map(code_of.get, bids))
        if None in codes:
            return False
        try:
            joined = list(map(get_ord, cols[i_join]))
            birth = list(map(get_ord, _column(cols, i_birth, n)))
            left = list(map(get_ord, _column(cols, i_left, n)))
            intro = list(map(get_ord, _column(cols, i_intro, n)))
            adm = list(map(get_ord, _column(cols, i_adm, n)))
        except KeyError:
            return False
        if 0 in joined or [1 for lv, jv in zip(left, joined) if lv and lv < jv] or \
                [1 for bv, jv in zip(birth, joined) if jv < bv] or \
                [1 for av, iv in zip(adm, intro) if av < iv and av]:
            return False
        base = len(table.ids)
        if i_reason is not None:
            for k, r in enumerate(cols[i_reason]):
                if r and not r.isspace():
                    table.left_reason[base + k] = nfc(r.strip())
        if t.extras:
            for k, row in enumerate(chunk):
                extra = t.extra(row)
                if extra:
                    table.extra[base + k] = extra
        table.extend(ids, cast("list[int]", codes), birth, joined, left, intro, adm)  # no None
        return True

    def slow_row(start: int, row: list[str]) -> None:
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
        if left and left < j:
            _later(problems, name, start, "left_on", "joined_on")
            return
        if b and j < b:
            problems.add(name, start, "joined_on", "vào Đoàn trước ngày sinh",
                         "joined before being born")
            return
        if adm and intro and adm < intro:
            _later(problems, name, start, "party_admitted_on", "party_introduced_on")
            return
        row_no = len(table.ids)
        if v.get("left_reason"):
            table.left_reason[row_no] = v["left_reason"]
        extra = t.extra(row)
        if extra:
            table.extra[row_no] = extra
        table.extend([mid], [code], [b], [j], [left], [intro], [adm])

    with t.handle:
        for plain, chunk in t.chunks(problems, _CHUNK):
            if plain and fast_chunk(chunk):
                continue
            for start, row in (t.numbered(chunk) if plain else chunk):
                slow_row(start, row)
    _report_duplicates(root, name, table.ids, problems)
    return table


def _report_duplicates(root: Path, name: str, ids: list[str], problems: Problems) -> None:
    """Report every repeated id with its line (a second, careful read only when there is one)."""
    if len(set(ids)) == len(ids):
        return
    t = _open_table(root, name, problems)
    if t is None:  # pragma: no cover - it opened a moment ago
        return
    i_id = t.index["id"]
    seen: set[str] = set()
    with t.handle:
        for start, row in t.rows(problems):
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

    def fast_chunk(chunk: list[list[str]]) -> bool:
        """A chunk of ordinary rows, column by column (any doubt: False, row by row)."""
        cols = list(zip(*chunk))
        ids = list(map(strip, cols[i_id]))
        uids = list(map(strip, cols[i_unit]))
        if not all(ids) or not all(uids) or not all(map(isascii, ids)) or \
                not all(map(isascii, uids)) or len(set(ids)) < len(ids) or \
                not seen.isdisjoint(ids):
            return False
        try:
            days = list(map(get_ord, cols[i_date]))
            codes = list(map(kinds.__getitem__, cols[i_kind]))
        except KeyError:
            return False
        found = list(map(spans.get, uids))
        if None in found or 0 in days or any(
                not lo <= d <= hi for (lo, hi), d in zip(found, days)):  # type: ignore[misc]
            return False
        chairs = [c.strip() or None for c in cols[i_chair]]  # type: ignore[index]
        clusters = [c.strip() or None for c in cols[i_cl]]  # type: ignore[index]
        atts = [_ids(a) if a else () for a in cols[i_att]]  # type: ignore[index]
        if any(c is not None and (not c.isascii() or c not in cadres) for c in chairs) or \
                any(c is not None and (not c.isascii() or c not in cluster_ids)
                    for c in clusters) or \
                any(a not in cadres for group in atts for a in group):
            return False
        base = len(table.ids)
        for k, (chair, group, cluster) in enumerate(zip(chairs, atts, clusters)):
            if chair:
                table.chair[base + k] = chair
            if group:
                table.attendees[base + k] = tuple(group)
            if cluster:
                table.cluster[base + k] = cluster
        seen.update(ids)
        table.ids.extend(ids)
        table.unit.extend(map(unit_index.__getitem__, uids))
        table.date.extend(days)
        table.kind.extend(codes)
        return True

    def slow_row(start: int, row: list[str]) -> None:
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
        for plain, chunk in t.chunks(problems, _CHUNK):
            if plain and fast and fast_chunk(chunk):
                continue
            for start, row in (t.numbered(chunk) if plain else chunk):
                slow_row(start, row)
    return table
