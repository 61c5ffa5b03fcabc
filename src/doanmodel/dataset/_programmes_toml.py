"""Reading ``programmes.toml``: strict, every problem with its line and key, all at once."""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Container, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..model._enums import Level
from ..model._i18n import Text, nfc
from ._csvio import Problems, _as_date, read_toml
from ._programmes import (
    Addressee,
    Coverage,
    Programme,
    Recommendation,
    RecStatus,
    Selector,
    Topic,
    TopicResult,
)

__all__ = ["FILE", "read_programmes"]

FILE = "programmes.toml"
_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")
_MAX_DAYS = 3650  # a report deadline of more than ten years is a typo

_KEYS = {
    "programme": {"id", "kind", "title", "title_en", "start", "end", "document", "document_date",
                  "lead", "targets", "selector", "topic", "unit", "report_within_days",
                  "reconstructed", "cluster", "quarter", "chair", "conclusions", "figures"},
    "selector": {"under", "levels", "on"},
    "topic": {"id", "title", "title_en"},
    "unit": {"unit", "visits", "meetings", "results", "conclusions", "recommendation"},
    "recommendation": {"id", "text", "text_en", "addressee", "addressee_name", "due", "status",
                       "closed_on", "reconstructed"},
}
_REQUIRED = {
    "programme": ("id", "kind", "title", "start", "end", "document"),
    "selector": ("under", "levels"),
    "topic": ("id", "title", "title_en"),
    "unit": ("unit",),
    "recommendation": ("id", "text", "addressee"),
}
_HEADERS = {
    "programme": r"^\s*\[\[\s*programme\s*\]\]",
    "selector": r"^\s*\[\s*programme\.selector\s*\]",
    "topic": r"^\s*\[\[\s*programme\.topic\s*\]\]",
    "unit": r"^\s*\[\[\s*programme\.unit\s*\]\]",
    "recommendation": r"^\s*\[\[\s*programme\.unit\.recommendation\s*\]\]",
}


@attrs.define
class _Refs:
    """What the rest of the dataset offers programmes to refer to."""

    spans: Mapping[str, tuple[int, int]]
    cadres: Mapping[str, Any]
    visits: Mapping[str, Any]
    meetings: Container[str]


class _Reader:
    """Walks the parsed TOML, knowing where each table starts in the text."""

    def __init__(self, text: str, problems: Problems) -> None:
        self.lines = text.splitlines()
        self.problems = problems
        self.starts = {kind: [i for i, ln in enumerate(self.lines, 1) if re.search(rx, ln)]
                       for kind, rx in _HEADERS.items()}
        self.seen = dict.fromkeys(_HEADERS, 0)
        self.bad = False

    def header(self, kind: str, fallback: int) -> int:
        """The line of the next ``kind`` table (in file order), or *fallback*."""
        n = self.seen[kind]
        self.seen[kind] += 1
        found = self.starts[kind]
        return found[n] if n < len(found) else fallback

    def key_line(self, start: int, key: str) -> int:
        """The line where *key* is set in the table starting at *start* (else *start*)."""
        rx = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if line.lstrip().startswith("["):
                break
            if rx.search(line):
                return i + 1
        return start

    def add(self, start: int, key: str, vi: str, en: str) -> None:
        self.problems.add(FILE, self.key_line(start, key) if key != "-" else start, key, vi, en)
        self.bad = True

    def keys(self, kind: str, entry: Mapping[str, Any], start: int) -> bool:
        ok = True
        for key in entry:
            if key not in _KEYS[kind] and not key.startswith("x_"):
                self.add(start, key, "khóa không được biết", "unknown key")
                ok = False
        for key in _REQUIRED[kind]:
            if entry.get(key) in (None, ""):
                self.add(start, key, "thiếu khóa bắt buộc", "required key is missing")
                ok = False
        return ok

    def text(self, entry: Mapping[str, Any], key: str, start: int) -> str | None:
        value = entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(start, key, "phải là chuỗi không rỗng", "must be a non-empty string")
            return None
        return nfc(value.strip())

    def ident(self, entry: Mapping[str, Any], key: str, start: int) -> str | None:
        value = self.text(entry, key, start)
        if value is not None and not _ID.match(value):
            self.add(start, key, f"mã không hợp lệ {value!r} (chữ, số, _ . : -)",
                     f"invalid id {value!r} (letters, digits, _ . : -)")
            return None
        return value

    def date(self, entry: Mapping[str, Any], key: str, start: int) -> _dt.date | None:
        value = entry.get(key)
        if value is None:
            return None
        day = _as_date(value)
        if day is None:
            self.add(start, key, f"không phải ngày: {value!r} (YYYY-MM-DD hoặc DD/MM/YYYY)",
                     f"not a date: {value!r} (YYYY-MM-DD or DD/MM/YYYY)")
        return day

    def strings(self, entry: Mapping[str, Any], key: str, start: int) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.add(start, key, "phải là danh sách chuỗi", "must be a list of strings")
            return ()
        return tuple(nfc(v.strip()) for v in value)

    def choice(self, entry: Mapping[str, Any], key: str, start: int, cls: type[enum.Enum],
               default: Any = None) -> Any:
        value = entry.get(key)
        if value is None:
            return default
        allowed = {m.value: m for m in cls}
        if value not in allowed:
            self.add(start, key, f"giá trị không hợp lệ {value!r}; chỉ nhận: {', '.join(allowed)}",
                     f"invalid value {value!r}; allowed: {', '.join(allowed)}")
            return default
        return allowed[value]


def read_programmes(path: Path, problems: Problems, spans: Mapping[str, tuple[int, int]],
                    cadres: Mapping[str, Any], visits: Mapping[str, Any],
                    meetings: Container[str]) -> tuple[Programme, ...]:
    """Parse and check ``programmes.toml``; problems are added, bad programmes dropped."""
    data, text = read_toml(path, FILE, problems)
    if data is None:
        return ()
    r = _Reader(text, problems)
    for key in data:
        if key != "programme":
            r.add(1, key, "khóa không được biết", "unknown key")
    entries = data.get("programme", [])
    if not isinstance(entries, list):
        r.add(1, "programme", "phải là [[programme]]", "must be [[programme]] tables")
        return ()
    refs = _Refs(spans=spans, cadres=cadres, visits=visits, meetings=meetings)
    out: list[Programme] = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            r.add(r.header("programme", 1), "programme", "phải là [[programme]]",
                  "must be [[programme]] tables")
            continue
        p = _programme(r, entry, refs)
        if p is None:
            continue
        if p.id in seen:
            r.add(p.line, "id", f"mã bị trùng: {p.id!r}", f"duplicate id: {p.id!r}")
            continue
        seen.add(p.id)
        out.append(p)
    return tuple(out)


def _programme(r: _Reader, entry: Mapping[str, Any], refs: _Refs) -> Programme | None:
    start = r.header("programme", 1)
    before = len(r.problems.items)
    r.keys("programme", entry, start)
    head = _head(r, entry, start, refs)
    first, last = head["start"], head["end"]
    span = (first.toordinal(), last.toordinal()) if first and last else None
    targets = r.strings(entry, "targets", start)
    for uid in targets:
        _unit_ref(r, start, "targets", uid, refs, span)
    selector = _selector(r, entry.get("selector"), start, refs)
    if not targets and selector is None and "selector" not in entry and not head["cluster"]:
        r.add(start, "targets", "cần targets hoặc [programme.selector]",
              "needs targets or a [programme.selector]")
    topics = _topics(r, entry.get("topic", []), start)
    units = _units(r, entry.get("unit", []), start, refs, span, {t.id for t in topics})
    conclusions = r.strings(entry, "conclusions", start)
    figures = _figures(r, entry.get("figures", {}), start)
    if len(r.problems.items) > before:
        return None
    return Programme(**head, targets=targets, selector=selector, topics=topics, units=units,
                     conclusions=conclusions, figures=figures, line=start)


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FIGURE = re.compile(r"^[a-z_]+(\.[a-z_]+)?\.(cadres|committee|standing|secretaries|deputies|"
                     r"full_time|units)$")
_MAX_FIGURE = 10_000_000


def _figures(r: _Reader, raw: Any, start: int) -> dict[str, int]:
    """A review conference's reported figures: { "group.count" = number }."""
    if not isinstance(raw, dict):
        r.add(start, "figures", "phải là bảng { \"nhóm.chỉ số\" = số }",
              "must be a table { \"group.count\" = number }")
        return {}
    out: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _FIGURE.match(key):
            r.add(start, "figures", f"chỉ số không hợp lệ {key!r} (vd. \"province.committee\")",
                  f"invalid figure {key!r} (e.g. \"province.committee\")")
        elif (not isinstance(value, int) or isinstance(value, bool)
              or not 0 <= value <= _MAX_FIGURE):
            r.add(start, "figures", f"{key}: phải là số nguyên từ 0 đến {_MAX_FIGURE}",
                  f"{key}: must be a whole number from 0 to {_MAX_FIGURE}")
        else:
            out[key] = value
    return out


def _head(r: _Reader, entry: Mapping[str, Any], start: int, refs: _Refs) -> dict[str, Any]:
    """The programme's own scalar keys, checked."""
    head: dict[str, Any] = {
        "id": r.ident(entry, "id", start), "kind": r.ident(entry, "kind", start),
        "start": r.date(entry, "start", start), "end": r.date(entry, "end", start),
        "document_date": r.date(entry, "document_date", start),
        **{k: r.text(entry, k, start) for k in ("title", "title_en", "document", "lead",
                                                  "reconstructed", "chair")},
        "cluster": r.ident(entry, "cluster", start), "quarter": r.text(entry, "quarter", start)}
    if head["quarter"] is not None and not _QUARTER.match(head["quarter"]):
        r.add(start, "quarter", f"quý không hợp lệ {head['quarter']!r} (vd. \"2023-Q1\")",
              f"invalid quarter {head['quarter']!r} (e.g. \"2023-Q1\")")
        head["quarter"] = None
    if entry.get("kind") == "cluster_briefing" and (not head["cluster"] or not head["quarter"]):
        r.add(start, "quarter" if head["cluster"] else "cluster",
              "giao ban cụm cần cluster và quarter", "a cluster briefing needs cluster and quarter")
    if head["start"] and head["end"] and head["end"] < head["start"]:
        r.add(start, "end", "end trước start", "end is before start")
    within = entry.get("report_within_days")
    if within is not None and (not isinstance(within, int) or isinstance(within, bool)
                               or not 0 <= within <= _MAX_DAYS):
        r.add(start, "report_within_days", f"phải là số ngày từ 0 đến {_MAX_DAYS}",
              f"must be a number of days from 0 to {_MAX_DAYS}")
    head["report_within_days"] = within
    lead = head["lead"]
    if lead is not None and lead not in refs.cadres:
        r.add(start, "lead", f"không có cán bộ {lead!r}", f"no cadre {lead!r}")
    return head


def _unit_ref(r: _Reader, start: int, key: str, uid: str, refs: _Refs,
              span: tuple[int, int] | None) -> None:
    found = refs.spans.get(uid)
    if found is None:
        r.add(start, key, f"không có đơn vị {uid!r}", f"no unit {uid!r}")
    elif span is not None and (found[0] > span[1] or span[0] > found[1]):
        r.add(start, key, f"đơn vị {uid!r} không tồn tại trong thời gian chương trình",
              f"unit {uid!r} does not exist during the programme")


def _selector(r: _Reader, raw: Any, fallback: int, refs: _Refs) -> Selector | None:
    if raw is None:
        return None
    start = r.header("selector", fallback)
    if not isinstance(raw, dict):
        r.add(start, "selector", "phải là một bảng", "must be a table")
        return None
    if not r.keys("selector", raw, start):
        return None
    under = r.text(raw, "under", start)
    if under is not None and under not in refs.spans:
        r.add(start, "under", f"không có đơn vị {under!r}", f"no unit {under!r}")
    names = r.strings(raw, "levels", start)
    levels = []
    for name in names:
        level = r.choice({"levels": name}, "levels", start, Level)
        if level is not None:
            levels.append(level)
    on = r.date(raw, "on", start)
    if under is None or len(levels) != len(names) or not levels:
        return None
    return Selector(under=under, levels=tuple(levels), on=on)


def _topics(r: _Reader, raw: Any, fallback: int) -> tuple[Topic, ...]:
    out: list[Topic] = []
    for entry in _tables(r, raw, "topic", fallback):
        start = r.header("topic", fallback)
        if not r.keys("topic", entry, start):
            continue
        tid = r.ident(entry, "id", start)
        vi, en = r.text(entry, "title", start), r.text(entry, "title_en", start)
        if tid is None or vi is None or en is None:
            continue
        if any(t.id == tid for t in out):
            r.add(start, "id", f"nội dung bị trùng: {tid!r}", f"duplicate topic: {tid!r}")
            continue
        out.append(Topic(id=tid, title=Text(vi, en)))
    return tuple(out)


def _tables(r: _Reader, raw: Any, key: str, line: int) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        r.add(line, key, f"phải là [[programme.{key}]]", f"must be [[programme.{key}]] tables")
        return []
    return raw


def _units(r: _Reader, raw: Any, fallback: int, refs: _Refs, span: tuple[int, int] | None,
           topic_ids: set[str]) -> tuple[Coverage, ...]:
    out: list[Coverage] = []
    rec_ids: set[str] = set()
    for entry in _tables(r, raw, "unit", fallback):
        start = r.header("unit", fallback)
        recs_raw = entry.get("recommendation", [])
        r.keys("unit", entry, start)
        uid = r.text(entry, "unit", start)
        if uid is not None:
            _unit_ref(r, start, "unit", uid, refs, span)
            if any(c.unit_id == uid for c in out):
                r.add(start, "unit", f"đơn vị {uid!r} đã có mục", f"unit {uid!r} has an entry")
        visits = r.strings(entry, "visits", start)
        for vid in visits:
            _visit_ref(r, start, vid, uid, refs)
        meetings = r.strings(entry, "meetings", start)
        for mid in meetings:
            if mid not in refs.meetings:
                r.add(start, "meetings", f"không có cuộc họp {mid!r}", f"no meeting {mid!r}")
        results = _results(r, entry.get("results", {}), start, topic_ids)
        conclusions = r.strings(entry, "conclusions", start)
        recs = [_recommendation(r, e, start, rec_ids)
                for e in _tables(r, recs_raw, "unit.recommendation", start)]
        if uid is not None:
            out.append(Coverage(unit_id=uid, visits=visits, meetings=meetings, results=results,
                                conclusions=conclusions,
                                recommendations=tuple(x for x in recs if x is not None),
                                line=start))
    return tuple(out)


def _visit_ref(r: _Reader, start: int, vid: str, uid: str | None, refs: _Refs) -> None:
    visit = refs.visits.get(vid)
    if visit is None:
        r.add(start, "visits", f"không có chuyến đi cơ sở {vid!r}", f"no visit {vid!r}")
    elif uid is not None and visit.unit_id != uid:
        r.add(start, "visits", f"chuyến {vid!r} đến đơn vị {visit.unit_id!r}, không phải {uid!r}",
              f"visit {vid!r} went to {visit.unit_id!r}, not {uid!r}")


def _results(r: _Reader, raw: Any, start: int,
             topic_ids: set[str]) -> dict[str, TopicResult]:
    if not isinstance(raw, dict):
        r.add(start, "results", "phải là bảng { nội dung = kết quả }",
              "must be a table { topic = result }")
        return {}
    out: dict[str, TopicResult] = {}
    for tid, value in raw.items():
        if topic_ids and tid not in topic_ids:
            r.add(start, "results", f"không có nội dung {tid!r} trong chương trình",
                  f"no topic {tid!r} in the programme")
            continue
        result = r.choice({"results": value}, "results", start, TopicResult)
        if result is not None:
            out[tid] = result
    return out


def _recommendation(r: _Reader, entry: dict[str, Any], fallback: int,
                    seen: set[str]) -> Recommendation | None:
    start = r.header("recommendation", fallback)
    if not r.keys("recommendation", entry, start):
        return None
    rid = r.ident(entry, "id", start)
    addressee = r.choice(entry, "addressee", start, Addressee)
    status = r.choice(entry, "status", start, RecStatus, RecStatus.OPEN)
    due, closed = r.date(entry, "due", start), r.date(entry, "closed_on", start)
    if closed is not None and status is not RecStatus.CLOSED:
        r.add(start, "closed_on", "closed_on chỉ dùng khi status = \"closed\"",
              "closed_on needs status = \"closed\"")
    reconstructed = entry.get("reconstructed", False)
    if not isinstance(reconstructed, bool):
        r.add(start, "reconstructed", "phải là true/false", "must be true/false")
    if rid is not None and rid in seen:
        r.add(start, "id", f"mã bị trùng: {rid!r}", f"duplicate id: {rid!r}")
        return None
    if rid is None or addressee is None:
        return None
    seen.add(rid)
    return Recommendation(id=rid, text=r.text(entry, "text", start) or "",
                          text_en=r.text(entry, "text_en", start), addressee=addressee,
                          addressee_name=r.text(entry, "addressee_name", start), due=due,
                          status=status, closed_on=closed, reconstructed=bool(reconstructed),
                          line=start)



# ---------------------------------------------------------------------------- writing
def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, (), [], {}, False)}


def programmes_to_toml(programmes: tuple[Programme, ...]) -> dict[str, Any]:
    """The ``programmes.toml`` document of *programmes* (for :func:`doanmodel.write_dataset`)."""
    out = []
    for p in programmes:
        sel = p.selector
        out.append(_clean({
            "id": p.id, "kind": p.kind, "title": p.title, "title_en": p.title_en,
            "start": p.start, "end": p.end, "document": p.document,
            "document_date": p.document_date, "lead": p.lead, "targets": list(p.targets),
            "report_within_days": p.report_within_days, "reconstructed": p.reconstructed,
            "cluster": p.cluster, "quarter": p.quarter, "chair": p.chair,
            "conclusions": list(p.conclusions), "figures": dict(p.figures),
            "selector": _clean({"under": sel.under, "levels": [lv.value for lv in sel.levels],
                                "on": sel.on}) if sel else None,
            "topic": [{"id": t.id, "title": t.title.vi, "title_en": t.title.en}
                      for t in p.topics],
            "unit": [_clean({
                "unit": c.unit_id, "visits": list(c.visits), "meetings": list(c.meetings),
                "results": {k: v.value for k, v in c.results.items()},
                "conclusions": list(c.conclusions),
                "recommendation": [_clean({
                    "id": x.id, "text": x.text, "text_en": x.text_en,
                    "addressee": x.addressee.value, "addressee_name": x.addressee_name,
                    "due": x.due, "status": x.status.value, "closed_on": x.closed_on,
                    "reconstructed": x.reconstructed}) for x in c.recommendations],
            }) for c in p.units],
        }))
    return {"programme": out}
