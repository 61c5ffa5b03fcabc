"""
The rules of the annual quality rating, each with its source (docs/rating.md, docs/rules.md).

- ``rating.stages``: a decision needs the stages before it; a decision without a
  self-assessment (or without the review and appraisal the guidance puts before it) fails on
  that subject, and a stage dated before the one it follows fails too.
- ``rating.cap``: within each deciding unit (the decision's ``by``), the subjects decided
  "excellent" may not exceed 20% of those decided "excellent" or "good" (rounded down).
- ``rating.ceiling``: the highest level the data allow a member (attendance at the branch's
  meetings where attendance is recorded; membership through the year); a decision above it
  fails. Where the data cannot tell, the finding says ``no_data``, never fail.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ..model._enums import MeetingKind
from ..model._i18n import Text
from ..model._rating import (
    RatingEntry,
    RatingFinding,
    RatingLevel,
    RatingReport,
    RatingStage,
    SubjectRating,
)

__all__ = ["ATTENDANCE_FOR_EXCELLENT", "CAP_SHARE", "SOURCES", "cap_of", "rate"]

#: Quy định 124-QĐ/TW (Politburo, 2023): "hoàn thành xuất sắc" at most 20% of "hoàn thành tốt"
CAP_SHARE = Fraction(1, 5)
#: Hướng dẫn 25-HD/TWĐTN-BTC (2023), mục IV tiết 1.2: an excellent member takes part in at
#: least 90% of the activities of the organisation that manages them
ATTENDANCE_FOR_EXCELLENT = Fraction(9, 10)

QD124 = "Quy định 124-QĐ/TW (Bộ Chính trị, 2023)"
HD25 = "Hướng dẫn 25-HD/TWĐTN-BTC (Ban Bí thư Trung ương Đoàn, 2023, giai đoạn 2023-2027)"
QNAM = "Tỉnh Đoàn Quảng Nam, Hướng dẫn 10-HD/TĐTN-TCKT ngày 30/10/2023"
QD124_EN = "Quy định 124-QĐ/TW (Politburo, 2023)"
HD25_EN = "Hướng dẫn 25-HD/TWĐTN-BTC (Union Central Secretariat, 2023, for 2023-2027)"
QNAM_EN = "Quảng Nam Province Union, Hướng dẫn 10-HD/TĐTN-TCKT of 30/10/2023"
SOURCES = {
    "rating.levels": Text(f"{QD124}, bốn mức xếp loại; {HD25}, mục IV",
                          f"{QD124_EN}, the four levels; {HD25_EN}, part IV"),
    "rating.stages": Text(
        f"{QD124}: tự đánh giá, xếp loại; thẩm định, đề xuất; quyết định. [M] bước chi đoàn "
        f"nhận xét đoàn viên: thực hành hướng dẫn cấp tỉnh 2023-2027 (vd. {QNAM})",
        f"{QD124_EN}: self-assessment; appraisal and proposal; decision. [M] the branch's review "
        f"of a member: practice of the provinces' 2023-2027 guidance (e.g. {QNAM_EN})"),
    "rating.cap": Text(
        f"{QD124}: số hoàn thành xuất sắc nhiệm vụ không quá 20% số hoàn thành tốt nhiệm vụ; "
        f"{HD25}. [M] cơ số: số xếp loại từ hoàn thành tốt trở lên của đơn vị quyết định, "
        "làm tròn xuống",
        f"{QD124_EN}: excellent at most 20% of those rated good; {HD25_EN}. [M] the base: those "
        "decided good or better by the deciding unit, rounded down"),
    "rating.ceiling": Text(
        f"{HD25}, mục IV tiết 1.2: hoàn thành xuất sắc khi tham gia từ 90% hoạt động. [M] "
        "đoàn viên vào hoặc rời Đoàn trong năm: không quá hoàn thành nhiệm vụ",
        f"{HD25_EN}, part IV 1.2: excellent needs at least 90% of the activities. [M] a member "
        "who joined or left during the year: at most complete"),
}


def cap_of(base: int) -> int:
    """How many "excellent" a deciding unit may have, with *base* decided good or better."""
    return int(base * CAP_SHARE)


def _ordered(entries: Iterable[RatingEntry]) -> tuple[RatingEntry, ...]:
    return tuple(sorted(entries, key=lambda e: e.stage.order))


def _finding(rule: str, status: str, s: SubjectRating | tuple[str, str], vi: str,
             en: str) -> RatingFinding:
    kind, sid = (s.subject_type, s.subject_id) if isinstance(s, SubjectRating) else s
    return RatingFinding(rule=rule, status=status, subject_type=kind, subject_id=sid,
                         message=Text(vi, en), source=SOURCES[rule])


def _stage_findings(s: SubjectRating) -> list[RatingFinding]:
    decision = s.decided is not None
    names = ", ".join(st.value for st in s.missing)
    out: list[RatingFinding] = []
    if decision and s.missing:
        vi = ", ".join(st.label.get("vi") for st in s.missing)
        out.append(_finding("rating.stages", "fail", s,
                            f"có quyết định xếp loại nhưng thiếu bước: {vi}",
                            f"a decision without the stage(s): {names}"))
    dated = [e for e in s.stages if e.on is not None]
    for a, b in pairwise(dated):
        if b.on is not None and a.on is not None and b.on < a.on:
            out.append(_finding("rating.stages", "fail", s,
                                f"bước {b.stage.label.get('vi')} ({b.on}) trước bước "
                                f"{a.stage.label.get('vi')} ({a.on})",
                                f"stage {b.stage.value} ({b.on}) is before stage "
                                f"{a.stage.value} ({a.on})"))
    if not out:
        if decision:
            out.append(_finding("rating.stages", "pass", s, "đủ các bước, đúng thứ tự",
                                "every stage, in order"))
        else:
            out.append(_finding("rating.stages", "no_data", s, "chưa có quyết định xếp loại",
                                "no decision yet"))
    return out


def _ceiling_finding(s: SubjectRating) -> RatingFinding:
    if s.ceiling is None or s.decided is None:
        return _finding("rating.ceiling", "no_data", s,
                        "không đủ dữ liệu để biết mức cao nhất được phép",
                        "the data cannot tell the highest level allowed")
    if s.decided.rank > s.ceiling.rank:
        why = s.ceiling_reason or Text("", "")
        return _finding("rating.ceiling", "fail", s,
                        f"quyết định {s.decided.label.get('vi')} vượt mức dữ liệu cho phép "
                        f"({s.ceiling.label.get('vi')}): {why.get('vi')}",
                        f"decided {s.decided.value}, above what the data allow "
                        f"({s.ceiling.value}): {why.get('en')}")
    return _finding("rating.ceiling", "pass", s,
                    f"không vượt mức dữ liệu cho phép ({s.ceiling.label.get('vi')})",
                    f"within what the data allow ({s.ceiling.value})")


def _cap_findings(entries: Sequence[RatingEntry]) -> list[RatingFinding]:
    by_unit: dict[str, list[RatingEntry]] = defaultdict(list)
    for e in entries:
        if e.stage is RatingStage.DECISION and e.by:
            by_unit[e.by].append(e)
    out = []
    for unit in sorted(by_unit):
        decided = by_unit[unit]
        excellent = sum(e.level is RatingLevel.EXCELLENT for e in decided)
        base = sum(e.level in (RatingLevel.EXCELLENT, RatingLevel.GOOD) for e in decided)
        cap = cap_of(base)
        status = "fail" if excellent > cap else "pass"
        out.append(_finding(
            "rating.cap", status, ("unit", unit),
            f"{excellent} hoàn thành xuất sắc / {base} từ hoàn thành tốt trở lên: tối đa {cap}",
            f"{excellent} excellent / {base} good or better: at most {cap}"))
    return out


def _attendance(ds: Any, year: int) -> dict[tuple[str, str], tuple[int, int]] | None:
    """(branch, member) → (meetings held with attendance recorded, attended); ``None`` when no
    branch meeting of *year* records attendance."""
    held: dict[str, int] = defaultdict(int)
    came: dict[tuple[str, str], int] = defaultdict(int)
    any_recorded = False
    for m in ds.meetings:
        if m.kind is not MeetingKind.BRANCH_MEETING or m.date.year != year or not m.attendees:
            continue
        any_recorded = True
        held[m.unit_id] += 1
        for who in m.attendees:
            came[(m.unit_id, who)] += 1
    if not any_recorded:
        return None
    return {(b, who): (n, came[(b, who)]) for (b, who) in came for n in (held[b],)} | {
        ("", b): (n, 0) for b, n in held.items()}


def _ceiling(ds: Any, kind: str, sid: str, year: int, members: dict[str, Any],
             attendance: dict[tuple[str, str], tuple[int, int]] | None
             ) -> tuple[RatingLevel | None, Text | None]:
    if kind != "member" or sid not in members:
        return None, None
    m = members[sid]
    first, last = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    ceiling, reason = RatingLevel.EXCELLENT, None
    if m.joined_on > first or (m.left_on is not None and m.left_on <= last):
        ceiling = RatingLevel.COMPLETE
        reason = Text("không sinh hoạt đủ cả năm", "not a member through the whole year")
    if attendance is None or ("", m.branch_id) not in attendance:
        return (ceiling, reason) if reason is not None else (None, None)
    held = attendance[("", m.branch_id)][0]
    came = attendance.get((m.branch_id, sid), (held, 0))[1]
    if Fraction(came, held) < ATTENDANCE_FOR_EXCELLENT and ceiling.rank > RatingLevel.GOOD.rank:
        ceiling = RatingLevel.GOOD
        reason = Text(f"dự {came}/{held} buổi sinh hoạt chi đoàn (dưới 90%)",
                      f"attended {came}/{held} branch meetings (under 90%)")
    return ceiling, reason or Text(f"dự {came}/{held} buổi sinh hoạt chi đoàn",
                                   f"attended {came}/{held} branch meetings")


def rate(ds: Any, entries: Sequence[RatingEntry], year: int) -> RatingReport:
    """The rating report of *year* from *entries* (``ratings.csv``) and the dataset *ds*."""
    rows = [e for e in entries if e.year == year]
    groups: dict[tuple[str, str], list[RatingEntry]] = defaultdict(list)
    for e in rows:
        groups[(e.subject_type, e.subject_id)].append(e)
    members = {m.id: m for m in ds.members} if any(k == "member" for k, _ in groups) else {}
    attendance = _attendance(ds, year) if members else None
    subjects, findings = [], []
    for key in sorted(groups):
        stages = _ordered(groups[key])
        decided = next((e.level for e in stages if e.stage is RatingStage.DECISION), None)
        ceiling, reason = _ceiling(ds, key[0], key[1], year, members, attendance)
        s = SubjectRating(subject_type=key[0], subject_id=key[1], stages=stages,
                          decided=decided, ceiling=ceiling, ceiling_reason=reason)
        subjects.append(s)
        findings.extend(_stage_findings(s))
        findings.append(_ceiling_finding(s))
    findings.extend(_cap_findings(rows))
    if not rows:
        root = ds.meta.root if ds.meta is not None else ""
        findings.append(_finding("rating.stages", "no_data", ("unit", root),
                                 f"không có dữ liệu xếp loại năm {year} (ratings.csv)",
                                 f"no rating data for {year} (ratings.csv)"))
    return RatingReport(dataset=ds.meta.name if ds.meta is not None else "", year=year,
                        subjects=tuple(subjects), findings=tuple(findings),
                        sources=dict(SOURCES))
