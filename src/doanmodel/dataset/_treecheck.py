"""Checking the organisation tree: versions, parents over time, levels, cycles."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise

from ..model._entities import (
    Unit,
    UnitVersion,
)
from ._csvio import _MAX, _MIN, Problems, _Row


# ---------------------------------------------------------------------------- the tree
def _interval(start: _dt.date | None, end: _dt.date | None) -> tuple[int, int]:
    return (start.toordinal() if start else _MIN, end.toordinal() if end else _MAX)


def _covered(intervals: list[tuple[int, int]], first: int, last: int) -> bool:
    """Whether merged, sorted *intervals* cover every day of [first, last]."""
    at = first
    for lo, hi in intervals:
        if lo > at:
            return False
        if hi >= at:
            at = hi + 1
            if at > last:
                return True
    return at > last


_Versions = dict[str, list[tuple[int, UnitVersion]]]


def _group_versions(rows: list[_Row], problems: Problems) -> _Versions:
    """Each unit's versions with their lines; a version that ends before it starts is reported."""
    grouped: _Versions = defaultdict(list)
    for line, raw, extra in rows:
        version = UnitVersion(extra=extra, **raw)
        if version.valid_from and version.valid_to and version.valid_to < version.valid_from:
            problems.add("units.csv", line, "valid_to", "kết thúc trước khi bắt đầu (valid_from)",
                         "ends before it starts (valid_from)")
        grouped[version.id].append((line, version))
    return grouped


def _order_versions(grouped: _Versions, problems: Problems) -> tuple[dict[str, Unit], _Versions]:
    """The units, their versions in time order (with lines); overlapping versions are reported."""
    units: dict[str, Unit] = {}
    lines: _Versions = {}
    for uid, versions in grouped.items():
        versions.sort(key=lambda lv: _interval(lv[1].valid_from, lv[1].valid_to))
        for (_, prev), (line, cur) in pairwise(versions):
            if _interval(prev.valid_from, prev.valid_to)[1] >= _interval(cur.valid_from,
                                                                        cur.valid_to)[0]:
                problems.add("units.csv", line, "valid_from",
                             f"phiên bản chồng lên phiên bản khác của đơn vị {uid!r}",
                             f"version overlaps another version of unit {uid!r}")
        units[uid] = Unit(id=uid, versions=tuple(v for _, v in versions))
        lines[uid] = versions
    return units, lines


def _check_parent(uid: str, line: int, v: UnitVersion, units: dict[str, Unit],
                  cover: dict[str, list[tuple[int, int]]], problems: Problems) -> None:
    """Report the parent of version *v* when it is missing, absent at times or not above it."""
    name = "units.csv"
    if v.parent_id is None:
        return
    if v.parent_id == uid:
        return  # reported as a cycle
    if v.parent_id not in units:
        if v.parent_id not in problems.rejected[name]:
            problems.add(name, line, "parent_id", f"không có đơn vị {v.parent_id!r}",
                         f"no unit {v.parent_id!r}")
        return
    first, last = _interval(v.valid_from, v.valid_to)
    if not _covered(cover[v.parent_id], first, last):
        problems.add(name, line, "parent_id",
                     f"đơn vị cấp trên {v.parent_id!r} không tồn tại trong suốt thời gian "
                     "của phiên bản này",
                     f"parent {v.parent_id!r} does not exist for the whole time of this "
                     "version")
    _check_level(line, v, units[v.parent_id], first, last, problems)


def _check_level(line: int, v: UnitVersion, parent: Unit, first: int, last: int,
                 problems: Problems) -> None:
    """Report (once) a version of *parent* overlapping [first, last] not above *v*'s level."""
    for pv in parent.versions:
        plo, phi = _interval(pv.valid_from, pv.valid_to)
        if plo <= last and first <= phi and pv.level.depth >= v.level.depth:
            problems.add("units.csv", line, "level",
                         f"cấp không giảm dần: {v.level.label.vi} không thể trực thuộc "
                         f"{pv.level.label.vi} {v.parent_id!r}",
                         f"levels do not descend: a {v.level.value} cannot be under the "
                         f"{pv.level.value} {v.parent_id!r}")
            break


def _check_units(rows: list[_Row], problems: Problems) -> dict[str, Unit]:
    name = "units.csv"
    units, lines = _order_versions(_group_versions(rows, problems), problems)
    cover = {uid: sorted(_interval(v.valid_from, v.valid_to) for v in u.versions)
             for uid, u in units.items()}
    for uid, versions in lines.items():
        for line, v in versions:
            if v.successor_id is not None and v.successor_id not in units and \
                    v.successor_id not in problems.rejected[name]:
                problems.add(name, line, "successor_id", f"không có đơn vị {v.successor_id!r}",
                             f"no unit {v.successor_id!r}")
            _check_parent(uid, line, v, units, cover, problems)
    _check_cycles(lines, problems)
    return units


def _check_cycles(lines: dict[str, list[tuple[int, UnitVersion]]], problems: Problems) -> None:
    """Report each cycle of parent links once, at the first file line among its links."""
    edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for uid, versions in lines.items():
        for line, v in versions:
            if v.parent_id is not None and v.parent_id in lines:
                edges[uid].append((v.parent_id, line))
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    reported: set[frozenset[str]] = set()
    for start in lines:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(start, iter(edges.get(start, ())))]
        path: list[tuple[str, int]] = []
        state[start] = 1
        while stack:
            node, it = stack[-1]
            step = next(it, None)
            if step is None:
                state[node] = 2
                stack.pop()
                if path:
                    path.pop()
                continue
            parent, line = step
            if state.get(parent) == 1:
                # the cycle: from parent's position in the path back to node
                ids = [n for n, _ in stack]
                cut = ids.index(parent)
                members = ids[cut:]
                cyc_lines = [ln for _, ln in path[cut:]] + [line]
                key = frozenset(members)
                if key not in reported:
                    reported.add(key)
                    chain = " → ".join([*members, parent])
                    problems.add("units.csv", min(cyc_lines), "parent_id",
                                 f"vòng lặp cấp trên: {chain}", f"cycle of parents: {chain}")
            elif not state.get(parent):
                state[parent] = 1
                path.append((parent, line))
                stack.append((parent, iter(edges.get(parent, ()))))
