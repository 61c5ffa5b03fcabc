"""The built-in national compliance rules (semantics documented in docs/rules.md)."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..model._dates import Period
from ..model._entities import used_indicators
from ..model._enums import Level, MeetingKind, PeriodKind
from ..model._i18n import Text
from ..model._params import EXTENDED, NATIONAL, extended_note
from ..query import AgeProblem, QuotaRow
from ._context import Context, Finding, Rule, Status

__all__ = ["BUILTIN_RULES", "RECONSTRUCTED", "TABLE_LABELS", "mark_reconstructed",
           "mark_reconstructed_rows",
           "no_data_finding"]

_HD03 = NATIONAL[0].source
_CHARTER = "Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XI, 2017), Điều 15"
_AGE = ("BTV TW Đoàn, kỳ họp 12 khóa IX (28/9/2010); Hướng dẫn 22-HD/TWĐTN ngày 28/6/2013; "
        "Điều lệ Đoàn (khóa XI, 2017), Điều 1 (đoàn viên quá 30 tuổi)")
_PASS, _FAIL, _NA, _NO = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE, Status.NO_DATA

#: the tables a no-data finding names, in both languages
TABLE_LABELS: dict[str, Text] = {
    "cadres": Text("cán bộ (cadres.csv)", "cadres (cadres.csv)"),
    "positions": Text("chức vụ (positions.csv)", "positions (positions.csv)"),
    "absences": Text("vắng mặt được miễn (absences.csv)", "exempt absences (absences.csv)"),
    "visits": Text("đi cơ sở (visits.csv)", "base visits (visits.csv)"),
    "meetings": Text("cuộc họp (meetings.csv)", "meetings (meetings.csv)"),
    "members": Text("đoàn viên (members.csv)", "members (members.csv)"),
    "indicators": Text("số liệu báo cáo (indicators.csv)", "reported figures (indicators.csv)"),
    "targets": Text("chỉ tiêu (targets.csv)", "targets (targets.csv)"),
    "clusters": Text("cụm thi đua (clusters.toml)", "emulation clusters (clusters.toml)"),
}


#: the tables each national rule's verdict rests on (a plugin's rule: every table)
_RULE_TABLES: dict[str, tuple[str, ...]] = {
    "visits.quota": ("positions", "visits", "absences", "cadres"),
    "branches.monthly_meeting": ("meetings",),
    "branches.size": ("members",), "grassroots.size": ("members",), "members.age": ("members",),
    "targets.progress": ("targets", "indicators", "members", "meetings", "visits", "positions"),
    "indicators.consistency": ("indicators", "members", "meetings", "visits", "positions"),
    "programmes.coverage": ("visits", "meetings"), "programmes.topics": ("visits", "meetings"),
    "programmes.report_deadline": ("visits",),
    "programmes.recommendations": (),  # programmes.toml marks its own (``reconstructed``)
}
#: how a finding, a board or a line resting on a reconstructed value is marked
RECONSTRUCTED = Text("số liệu dựng lại, không có trong nguồn", "reconstructed, not in the source")


def mark_reconstructed(findings: tuple[Finding, ...], tables: tuple[str, ...]
                       ) -> tuple[Finding, ...]:
    """*findings*, each resting on a table of *tables* marked (``inputs["reconstructed"]`` and
    the message)."""
    import attrs  # noqa: PLC0415

    made_up = set(tables)
    out = []
    for f in findings:
        hit = sorted(made_up & set(_RULE_TABLES.get(f.rule, tables)))
        if hit and f.status is not _NO:
            note = ", ".join(hit)
            f = attrs.evolve(f, inputs={**f.inputs, "reconstructed": hit}, message=Text(
                f"{f.message.vi} [{RECONSTRUCTED.vi}: {note}]",
                f"{f.message.en} [{RECONSTRUCTED.en}: {note}]"))
        out.append(f)
    return tuple(out)


def _row_marks(ds: Any) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(visit id → its reconstructed columns, cadre id → its positions' reconstructed marks)
    from the rows' ``reconstructed`` column."""
    visits = {v.id: v.extra["reconstructed"].split(";") for v in ds.visits
              if v.extra.get("reconstructed")}
    positions: dict[str, list[str]] = defaultdict(list)
    for p in ds.positions:
        if p.extra.get("reconstructed"):
            positions[p.cadre_id].append(f"{p.unit_id}:{p.role.value}")
    return visits, positions


def mark_reconstructed_rows(findings: tuple[Finding, ...], ds: Any) -> tuple[Finding, ...]:
    """*findings* of the 1+2 quota marked where they rest on a row a dataset marks
    ``reconstructed`` (a counted visit, a position of the cadre; a province on any of its
    cadres'): ``inputs["reconstructed_rows"]`` and the message, in both languages."""
    import attrs  # noqa: PLC0415

    visits, positions = _row_marks(ds)
    if "visits" in ds.meta.reconstructed:  # marked whole already (:func:`mark_reconstructed`)
        visits = {}
    if "positions" in ds.meta.reconstructed:
        positions = defaultdict(list)
    if not visits and not positions:
        return findings
    rows_of: dict[str, list[str]] = {}
    for f in findings:
        if f.rule == "visits.quota" and f.subject_type == "cadre" and f.status is not _NO:
            hit = [f"visits {v}" for v in f.inputs.get("visits_counted", ()) if v in visits]
            hit += [f"positions {f.subject_id} {p}" for p in positions.get(f.subject_id, ())]
            if hit:
                rows_of[f.subject_id] = hit
    by_province: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f.subject_id in rows_of and f.province:
            by_province[f.province].extend(rows_of[f.subject_id])
    out = []
    for f in findings:
        marks: list[str] | None = None
        if f.rule == "visits.quota" and f.status is not _NO:
            marks = rows_of.get(f.subject_id) if f.subject_type == "cadre" else \
                by_province.get(f.subject_id)
        if marks:
            shown = "; ".join(marks[:5]) + (f" (+{len(marks) - 5})" if len(marks) > 5 else "")
            f = attrs.evolve(f, inputs={**f.inputs, "reconstructed_rows": marks}, message=Text(
                f"{f.message.vi} [{RECONSTRUCTED.vi}: {shown}]",
                f"{f.message.en} [{RECONSTRUCTED.en}: {shown}]"))
        out.append(f)
    return tuple(out)


def _absent(ctx: Context, *tables: str) -> list[str]:
    """Those of *tables* the dataset did not report."""
    return [t for t in tables if not ctx.dataset.reported(t)]


def no_data_finding(rule: str, subject_type: str, subject_id: str, source: str,
                    absent: list[str], *, province: str | None = None, threshold: Any = None,
                    inputs: Mapping[str, Any] | None = None, why: Text | None = None) -> Finding:
    """A ``no_data`` finding naming the absent tables (or saying *why*)."""
    names = [TABLE_LABELS[t] if t in TABLE_LABELS else Text(t, t) for t in absent]
    reason = why or Text("không báo cáo bảng " + ", ".join(n.vi for n in names),
                         "not reported: " + ", ".join(n.en for n in names))
    return Finding(rule=rule, subject_type=subject_type, subject_id=subject_id, status=_NO,
                   value=None, threshold=threshold, province=province, source=source,
                   inputs={**(inputs or {}), "absent_tables": list(absent)}, message=reason)


#: the parameters the 1+2 quota's verdict rests on
_QUOTA_PARAMS = ("visits.min_days", "visits.bound_roles", "visits.require_order",
                 "visits.exempt_reasons")


def _extended(ctx: Context, names: tuple[str, ...], on: _dt.date, province: str | None,
              inputs: dict[str, Any]) -> Text | None:
    """The "extended, no document" note when a value of *names* on *on* is past its source's
    end (their notes go to ``inputs["extended"]``), else ``None``."""
    notes: list[Text] = []
    for name in names:
        try:
            pv = ctx.params.entry(name, on, province)
        except KeyError:
            continue
        if pv.extended_on(on):
            notes.append(extended_note(pv))
            inputs.setdefault("extended", []).append(name)
    if not notes:
        return None
    return Text(f"{EXTENDED.vi}: " + "; ".join(n.vi for n in notes),
                f"{EXTENDED.en}: " + "; ".join(n.en for n in notes))


def _with_note(text: Text, note: Text | None) -> Text:
    return text if note is None else Text(f"{text.vi} [{note.vi}]", f"{text.en} [{note.en}]")


def _names(ctx: Context, cadre_id: str) -> str:
    c = ctx.query.cadre(cadre_id)
    return c.name if c else cadre_id


# ---------------------------------------------------------------------------- data that end early
#: a table whose last dated row is more than this many days before the period ends (or before
#: the top unit ends) is taken to stop there [M]: a whole province with no visit, or no meeting,
#: in its last quarter is a table that was not brought up to date (docs/decisions.md)
DATA_GAP_DAYS = 92
#: and only a table holding at least this many rows in the period [M]: a handful of visits
#: (one inspection round) say nothing of when the table stops
DATA_END_MIN_ROWS = 10


def data_end(ds: Any, table: str, start: _dt.date, end: _dt.date) -> _dt.date | None:
    """The last day *table* (``visits`` or ``meetings``) holds data for, when it stops more than
    :data:`DATA_GAP_DAYS` before the period [*start*, *end*] ends (or the top unit ends), having
    data inside the period; else ``None`` (the table covers the period, or says nothing of it)."""
    if not ds.reported(table):
        return None
    lo, hi = start.toordinal(), end.toordinal()
    root = ds.units.get(ds.meta.root)
    if root is not None and root.valid_to is not None:
        hi = min(hi, root.valid_to.toordinal())
    if table == "visits":
        days = [(v.end or v.start).toordinal() for v in ds.visits]
    else:
        days = list(ds.meetings.date)
    inside = [d for d in days if lo <= d <= hi]
    if len(inside) < DATA_END_MIN_ROWS or hi - max(inside) <= DATA_GAP_DAYS:
        return None
    return _dt.date.fromordinal(max(inside))


def _ends_text(table: str, last: _dt.date, end: _dt.date) -> Text:
    return Text(f"{table}.csv chỉ có số liệu đến {last:%d/%m/%Y}, kỳ kết thúc {end:%d/%m/%Y}",
                f"{table}.csv holds data only to {last.isoformat()}; the period ends "
                f"{end.isoformat()}")


# ---------------------------------------------------------------------------- visits.quota
def _quota(ctx: Context) -> Iterator[Finding]:
    q = ctx.query
    if _absent(ctx, "positions"):  # who is bound is not known: no verdict on anyone
        yield no_data_finding("visits.quota", "unit", q.root, _HD03,
                              _absent(ctx, "positions", "visits"))
        return
    rows = q.quota()
    no_visits = _absent(ctx, "visits")
    ends = data_end(ctx.dataset, "visits", ctx.period.start, ctx.period.end)
    cut: set[str] = set()  # provinces with a cadre left unjudged because visits.csv ends early
    by_province: dict[str, list[QuotaRow]] = defaultdict(list)
    unknown: dict[str, list[str]] = {}  # province → tables whose absence left a cadre unjudged
    for cadre_id in sorted(rows):
        r = rows[cadre_id]
        name = _names(ctx, cadre_id)
        inputs: dict[str, Any] = {
            "bound_days": r.bound_days, "exempt_days": r.exempt_days,
            "eligible_days": r.eligible_days, "min_days": r.min_days,
            "visits_counted": list(r.visits_counted), "name": name}
        note = _extended(ctx, _QUOTA_PARAMS, r.evaluated_on, r.province, inputs)
        if not r.applicable:
            yield Finding(rule="visits.quota", subject_type="cadre", subject_id=cadre_id,
                          status=_NA, value=r.visit_days, threshold=0, province=r.province,
                          source=_HD03, inputs=inputs,
                          message=Text(f"{name}: không có ngày phải đi cơ sở (miễn trừ cả năm)",
                                       f"{name}: no eligible day (exempt all year)"))
            continue
        by_province[r.province].append(r)
        if no_visits:
            yield no_data_finding("visits.quota", "cadre", cadre_id, _HD03, no_visits,
                                  province=r.province, threshold=r.required, inputs=inputs,
                                  why=Text(f"{name}: phải đi {r.required} ngày; không có bảng "
                                           "đi cơ sở (visits.csv) để đánh giá",
                                           f"{name}: {r.required} days due; base visits "
                                           "(visits.csv) not reported"))
            continue
        ok = r.met
        if not ok and not ctx.dataset.reported("absences") and \
                ctx.param("visits.exempt_reasons", r.evaluated_on, r.province):
            # short, but the province's plan exempts some absences and none were reported:
            # the cadre may have been exempt, so no verdict
            yield no_data_finding(
                "visits.quota", "cadre", cadre_id, _HD03, ["absences"], province=r.province,
                threshold=r.required, inputs=inputs,
                why=Text(f"{name}: {r.visit_days}/{r.required} ngày, nhưng không có bảng vắng "
                         "mặt được miễn (absences.csv) để biết có được miễn không",
                         f"{name}: {r.visit_days}/{r.required} days, but exempt absences "
                         "(absences.csv) were not reported, so an exemption cannot be ruled out"))
            unknown.setdefault(r.province, ["absences"])
            continue
        if not ok and ends is not None:  # short, but the visits stop early: may yet catch up
            gap = _ends_text("visits", ends, ctx.period.end)
            cut.add(r.province)
            yield no_data_finding(
                "visits.quota", "cadre", cadre_id, _HD03, [], province=r.province,
                threshold=r.required, inputs={**inputs, "data_end": ends,
                                              "visit_days": r.visit_days},
                why=Text(f"{name}: {r.visit_days}/{r.required} ngày, nhưng {gap.vi}: phần còn "
                         "lại của kỳ không đánh giá được",
                         f"{name}: {r.visit_days}/{r.required} days, but {gap.en}: the rest of "
                         "the period cannot be judged"))
            continue
        yield Finding(
            rule="visits.quota", subject_type="cadre", subject_id=cadre_id,
            status=_PASS if ok else _FAIL, value=r.visit_days, threshold=r.required,
            province=r.province, source=_HD03, inputs=inputs,
            message=_with_note(Text(
                f"{name}: {r.visit_days}/{r.required} ngày đi cơ sở"
                + ("" if ok else f", thiếu {r.required - r.visit_days} ngày"),
                f"{name}: {r.visit_days}/{r.required} base-visit days"
                + ("" if ok else f", {r.required - r.visit_days} short")), note))
    for province in sorted(by_province):
        yield _province_quota(ctx, province, by_province[province],
                              no_visits or unknown.get(province, []),
                              ends if province in cut else None)


def _province_quota(ctx: Context, province: str, group: list[QuotaRow],
                    no_visits: list[str], ends: _dt.date | None = None) -> Finding:
    """The province's mean against the mean of each cadre's own (prorated) quota: a cadre bound
    or eligible for part of the year counts with the days due for that part, so on a full year
    the threshold is the full quota (docs/rules.md, "Part of a year")."""
    total = sum(r.visit_days for r in group)
    tenth = Decimal("0.1")
    mean = (Decimal(total) / len(group)).quantize(tenth, rounding=ROUND_HALF_UP)
    met = sum(1 for r in group if r.met)
    min_days = group[0].min_days
    due = [r.required for r in group]
    full = all(d == min_days for d in due)
    threshold: Any = min_days if full else \
        (Decimal(sum(due)) / len(due)).quantize(tenth, rounding=ROUND_HALF_UP)
    on = max(r.evaluated_on for r in group)
    pname = ctx.query.unit(province, group[0].evaluated_on).name
    inputs: dict[str, Any] = {
        "bound_cadres": len(group), "met": met, "total_days": total,
        "cadres_met": [r.cadre_id for r in group if r.met],
        "cadres_short": [r.cadre_id for r in group if not r.met], "min_days": min_days,
        "prorated": not full}
    note = _extended(ctx, _QUOTA_PARAMS, on, province, inputs)
    if no_visits:
        return no_data_finding("visits.quota", "unit", province, _HD03, no_visits,
                               province=province, threshold=threshold, inputs={
                                   "bound_cadres": len(group)})
    ok = mean >= Decimal(threshold)
    if ends is not None and not ok:  # short, on data that stop early: no verdict (a mean met
        # already is met whatever the rest of the year holds)
        gap = _ends_text("visits", ends, ctx.period.end)
        return no_data_finding(
            "visits.quota", "unit", province, _HD03, [], province=province,
            threshold=threshold, inputs={**inputs, "mean": mean, "data_end": ends},
            why=Text(f"{pname}: trung bình {mean}/{threshold} ngày, nhưng {gap.vi}: phần còn "
                     "lại của kỳ không đánh giá được",
                     f"{pname}: mean {mean}/{threshold} days, but {gap.en}: the rest of the "
                     "period cannot be judged"))
    part = "" if full else f" (bình quân số ngày phải đi {threshold}, theo thời gian giữ chức vụ)"
    part_en = "" if full else f" (mean days due {threshold}, by time in post)"
    unit = ctx.dataset.units.get(province)
    ended = unit.valid_to if unit is not None else None
    if ended is not None and ended < ctx.period.end:  # the province existed part of the period
        inputs["until"] = ended
        part += f"; đơn vị tồn tại đến {ended:%d/%m/%Y}"
        part_en += f"; the unit existed until {ended.isoformat()}"
    return Finding(
        rule="visits.quota", subject_type="unit", subject_id=province,
        status=_PASS if ok else _FAIL, value=mean, threshold=threshold, province=province,
        source=_HD03, inputs=inputs,
        message=_with_note(Text(
            f"{pname}: {len(group)} cán bộ chuyên trách, trung bình {mean} ngày/người; "
            f"{met}/{len(group)} đạt chỉ tiêu{part}",
            f"{pname}: {len(group)} full-time cadres, mean {mean} days each; "
            f"{met}/{len(group)} met the quota{part_en}"), note))


# ---------------------------------------------------------------------------- meetings
def _monthly_meeting(ctx: Context) -> Iterator[Finding]:
    q = ctx.query
    if not q.has_meetings(MeetingKind.BRANCH_MEETING):
        # no branch-meeting data: no verdict, and say so when there are branches to judge
        if q.units(level=Level.BRANCH):
            absent = _absent(ctx, "meetings")
            yield no_data_finding(
                "branches.monthly_meeting", "unit", q.root, _CHARTER, absent,
                why=None if absent else Text(
                    "meetings.csv không có buổi sinh hoạt chi đoàn nào (branch_meeting)",
                    "meetings.csv holds no branch meeting (branch_meeting)"))
        return
    months = q.branch_months()
    texts: dict[tuple[int, int, tuple[int, ...], tuple[int, ...]], Text] = {}  # a few shared texts
    ends = data_end(ctx.dataset, "meetings", ctx.period.start, ctx.period.end)
    year = ctx.period.start.year
    for uid in sorted(months):
        bm = months[uid]
        n_active, n_met = len(bm.active), len(bm.met)
        ok = n_met >= n_active
        missing = () if ok else bm.missing
        if missing and ends is not None and all(_dt.date(year, m, 1) > ends for m in missing):
            # the only months missed are past the end of meetings.csv: no verdict
            gap = _ends_text("meetings", ends, ctx.period.end)
            yield no_data_finding(
                "branches.monthly_meeting", "unit", uid, _CHARTER, [], threshold=n_active,
                province=q.province_of(uid, bm.first_days[-1] if bm.first_days
                                       else bm.last_day),
                inputs={"missing_months": list(missing), "data_end": ends},
                why=Text(f"sinh hoạt {n_met}/{n_active} tháng, nhưng {gap.vi}",
                         f"met in {n_met} of {n_active} months, but {gap.en}"))
            continue
        # a fail is judged on the months the data cover; those past the data's end are named
        after = tuple(m for m in missing if ends is not None and _dt.date(year, m, 1) > ends)
        inside = tuple(m for m in missing if m not in after)
        key = (n_met, n_active, inside, after)
        text = texts.get(key)
        if text is None:
            text = Text(
                f"sinh hoạt {n_met}/{n_active - len(after)} tháng"
                + ("" if ok else "; thiếu tháng " + ", ".join(map(str, inside))),
                f"met in {n_met} of {n_active - len(after)} months"
                + ("" if ok else "; missing months " + ", ".join(map(str, inside))))
            if after and ends is not None:
                text = text + Text(
                    f"; tháng {', '.join(map(str, after))}: không đủ dữ liệu (meetings.csv chỉ "
                    f"đến {ends:%d/%m/%Y})",
                    f"; months {', '.join(map(str, after))}: no data (meetings.csv only to "
                    f"{ends:%Y-%m-%d})")
            texts[key] = text
        inputs: dict[str, Any] = {"missing_months": list(inside)}
        if after:
            inputs.update(months_after_data=list(after), data_end=ends)
        yield Finding(
            rule="branches.monthly_meeting", subject_type="unit", subject_id=uid,
            status=_PASS if ok else _FAIL, value=n_met, threshold=n_active - len(after),
            province=q.province_of(uid, bm.first_days[-1] if bm.first_days else bm.last_day),
            source=_CHARTER, inputs=inputs, message=text)


# ---------------------------------------------------------------------------- sizes
def _members_absent(ctx: Context, rule: str, level: Level | None, source: str) -> Finding | None:
    """The no-data finding of a members rule when members.csv was not reported (and there is
    a unit of *level* to judge), else ``None``."""
    absent = _absent(ctx, "members")
    if not absent or (level is not None and not ctx.query.units(level=level)):
        return None
    return no_data_finding(rule, "unit", ctx.query.root, source, absent)


def _branch_size(ctx: Context) -> Iterator[Finding]:
    q = ctx.query
    missing = _members_absent(ctx, "branches.size", Level.BRANCH, _CHARTER)
    if missing is not None:
        yield missing
        return
    if not q.has_members():
        return
    per_day: dict[_dt.date, tuple[Any, Mapping[str, int], str, str]] = {}
    texts: dict[tuple[int, Any, _dt.date], Text] = {}  # a few shared (immutable) texts
    for uid in q.units(level=Level.BRANCH):
        day = q.last_day(uid)
        assert day is not None  # noqa: S101 - units() lists units existing in the period
        found = per_day.get(day)  # most branches share a last day: ask once per day
        if found is None:
            found = per_day[day] = (ctx.param("branches.min_members", day), q.active_members(day),
                                    f"{day:%d/%m/%Y}", day.isoformat())
        need, counts, vi_day, en_day = found
        n = counts.get(uid, 0)
        ok = n >= need
        text = texts.get((n, need, day))
        if text is None:
            text = texts[(n, need, day)] = Text(f"{n} đoàn viên ngày {vi_day} (tối thiểu {need})",
                                                f"{n} members on {en_day} (at least {need})")
        yield Finding(rule="branches.size", subject_type="unit", subject_id=uid,
                      status=_PASS if ok else _FAIL, value=n, threshold=need,
                      province=q.province_of(uid, day), source=_CHARTER, inputs={"on": day},
                      message=text)


def _grassroots_size(ctx: Context) -> Iterator[Finding]:
    q = ctx.query
    missing = _members_absent(ctx, "grassroots.size", Level.GRASSROOTS, _CHARTER)
    if missing is not None:
        yield missing
        return
    if not q.has_members():
        return
    for uid in q.units(level=Level.GRASSROOTS):
        day = q.last_day(uid)
        assert day is not None  # noqa: S101 - units() lists units existing in the period
        branches = q.descendants(uid, day, level=Level.BRANCH)
        counts = q.active_members(day)
        members = sum(counts.get(b, 0) for b in branches)
        need_b = ctx.param("grassroots.min_branches", day)
        need_m = ctx.param("grassroots.min_members", day)
        ok = len(branches) >= need_b and members >= need_m
        yield Finding(
            rule="grassroots.size", subject_type="unit", subject_id=uid,
            status=_PASS if ok else _FAIL, value=members, threshold=need_m,
            province=q.province_of(uid, day), source=_CHARTER,
            inputs={"branches": len(branches), "min_branches": need_b, "on": day},
            message=Text(f"{len(branches)} chi đoàn (tối thiểu {need_b}), {members} đoàn viên "
                         f"(tối thiểu {need_m})",
                         f"{len(branches)} branches (at least {need_b}), {members} members "
                         f"(at least {need_m})"))


# ---------------------------------------------------------------------------- ages
def _member_age(ctx: Context) -> Iterator[Finding]:
    q = ctx.query
    missing = _members_absent(ctx, "members.age", Level.BRANCH, _AGE)
    if missing is not None:
        yield missing
        return
    if not q.has_members():
        return
    checked, problems = q.age_problems()
    try:
        kept_age = int(ctx.param("members.max_age_kept", ctx.period.end))
    except KeyError:  # before the Charter XI (2017): no keeping past max_age is documented
        kept_age = None
    # Điều lệ khóa XI, Điều 1: past 30 the branch may keep a member up to 35; an elected or
    # full-time Union cadre stays with no limit — members.csv does not say who is one, so
    # a member past 35 has no verdict (no_data), one of 31–35 none either way
    kept = [p for p in problems if p.check != "admission" and kept_age is not None
            and p.age <= kept_age]
    unknown = [p for p in problems if p.check != "admission" and kept_age is not None
               and p.age > kept_age]
    failed = [p for p in problems if p not in kept and p not in unknown]
    for p in failed:
        yield _age_finding(ctx, p)
    for p in unknown:
        yield _over_age_finding(ctx, p, kept_age or 0)
    yield Finding(rule="members.age", subject_type="unit", subject_id=q.root,
                  status=_PASS if not failed else _FAIL, value=len(failed), threshold=0,
                  province=None, source=_AGE,
                  inputs={"admissions_checked": checked, "kept_past_max_age": len(kept),
                          "past_kept_age_unknown_post": len(unknown)},
                  message=Text(f"{len(failed)} trường hợp sai tuổi đoàn viên"
                               + (f"; {len(kept)} đoàn viên quá 30 tuổi (chi đoàn có thể cho "
                                  f"tiếp tục sinh hoạt đến {kept_age} tuổi)" if kept else ""),
                               f"{len(failed)} member age problems"
                               + (f"; {len(kept)} members past 30 (a branch may keep them up "
                                  f"to {kept_age})" if kept else "")))


def _over_age_finding(ctx: Context, p: AgeProblem, kept_age: int) -> Finding:
    """A member past the oldest age a branch may keep: allowed only for an elected or
    full-time Union cadre, which members.csv does not record (no verdict)."""
    return Finding(
        rule="members.age", subject_type="member", subject_id=p.member_id, status=_NO,
        value=p.age, threshold=kept_age,
        province=ctx.query.province_of(p.branch_id, p.on), source=_AGE,
        inputs={"branch_id": p.branch_id, "on": p.on, "check": "over_kept_age"},
        message=Text(f"{p.age} tuổi, quá {kept_age} tuổi: chỉ được tiếp tục sinh hoạt nếu được "
                     "bầu vào cơ quan lãnh đạo của Đoàn hoặc làm công tác chuyên trách — dữ "
                     "liệu không cho biết",
                     f"aged {p.age}, past {kept_age}: may stay only if elected to a Union "
                     "leadership body or working full-time for the Union — the data do not "
                     "say"))


def _age_finding(ctx: Context, p: AgeProblem) -> Finding:
    day, age, limit = p.on, p.age, p.limit
    if p.check == "admission":
        extra = p.extra_days
        msg = Text(f"kết nạp lúc {age} tuổi ({day:%d/%m/%Y}); tuổi kết nạp từ đủ {limit} tuổi"
                   + (" + 1 ngày" if extra else "") + " đến 30",
                   f"admitted aged {age} on {day.isoformat()}; admission age is from {limit} years"
                   + (" + 1 day" if extra else "") + " to 30")
    else:
        msg = Text(f"{age} tuổi, quá {limit} tuổi mà vẫn sinh hoạt",
                   f"aged {age}, past {limit} and still active")
    return Finding(rule="members.age", subject_type="member", subject_id=p.member_id,
                   status=_FAIL, value=age, threshold=limit,
                   province=ctx.query.province_of(p.branch_id, day), source=_AGE,
                   inputs={"branch_id": p.branch_id, "on": day, "check": p.check}, message=msg)


# ---------------------------------------------------------------------------- targets
def _targets(ctx: Context) -> Iterator[Finding]:
    ds = ctx.dataset
    period = ctx.period
    year = period.year
    facts = ctx.facts
    for t in ds.targets:
        if t.period.year != year:
            continue
        # the check's period is inside the target's: measure pace; else the target's own period
        partial = period.kind is not PeriodKind.YEAR and t.period.start <= period.start \
            and period.end < t.period.end
        if partial:
            measured = Period(year, period.kind, period.index)
            upto = Period(year, PeriodKind.MONTH, period.end.month)
            value, how = facts.reported(t.indicator, t.unit_id, measured), "reported"
            if value is None and facts.derivable(t.indicator):
                value = _cumulative(ctx, t.indicator, t.unit_id, t.period.start, upto.end)
                how = "derived"
        else:
            value, how = facts.value(t.indicator, t.unit_id, t.period)
        on = min(period.end, t.period.end)
        province = ctx.province(t.unit_id, on)
        inputs: dict[str, object] = {"period": str(t.period), "indicator": t.indicator,
                                     "how": how, "target_source": t.source}
        if value is None:
            yield Finding(rule="targets.progress", subject_type="unit", subject_id=t.unit_id,
                          status=_NO, value=None, threshold=t.value, province=province,
                          source=t.source or _TARGET_SRC, inputs=inputs,
                          message=Text(f"{t.indicator} {t.period}: thiếu số liệu",
                                       f"{t.indicator} {t.period}: no data"))
            continue
        value = Decimal(value)
        if partial:
            share = Decimal((period.end - t.period.start).days + 1) / \
                ((t.period.end - t.period.start).days + 1)
            tolerance = Decimal(ctx.param("targets.pace_tolerance", on))
            expected = t.value * share * tolerance
            ok = value >= expected
            inputs.update(expected=expected, share_of_period=share)
            msg = Text(f"{t.indicator} {t.period}: đạt {value} đến hết {period}, cần ≥ "
                       f"{expected.quantize(Decimal('0.1'))} để đúng tiến độ (chỉ tiêu {t.value})",
                       f"{t.indicator} {t.period}: {value} by end of {period}, needs ≥ "
                       f"{expected.quantize(Decimal('0.1'))} to be on pace (target {t.value})")
        else:
            ok = value >= t.value
            pct = (value * 100 / t.value).quantize(Decimal("0.1")) if t.value else None
            msg = Text(f"{t.indicator} {t.period}: đạt {value}/{t.value}"
                       + (f" ({pct}%)" if pct is not None else ""),
                       f"{t.indicator} {t.period}: {value} of {t.value}"
                       + (f" ({pct}%)" if pct is not None else ""))
        inputs["on_track"] = ok
        yield Finding(rule="targets.progress", subject_type="unit", subject_id=t.unit_id,
                      status=_PASS if ok else _FAIL, value=value, threshold=t.value,
                      province=province, source=t.source or _TARGET_SRC, inputs=inputs,
                      message=msg)


_TARGET_SRC = "Chương trình công tác Đoàn và phong trào thanh thiếu nhi hằng năm (chỉ tiêu)"


def _cumulative(ctx: Context, indicator: str, unit_id: str, start: _dt.date,
                end: _dt.date) -> Decimal:
    total = Decimal(0)
    for m in range(start.month, end.month + 1):
        total += Decimal(ctx.facts.derived(indicator, Period(start.year, PeriodKind.MONTH, m))
                         .get(unit_id, 0))
    return total


# ---------------------------------------------------------------------------- consistency
def _consistency(ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    year = ctx.period.year
    rows = ctx.dataset.indicators
    if any(i.stage is not None for i in rows):  # the rows the score uses: the latest stages
        rows = tuple(used_indicators(rows).values())
    for ind in rows:
        if ind.period.year != year or ind.indicator not in facts.defs:
            continue
        on = min(ind.period.end, ctx.period.end)
        found = facts.derived_value(ind.indicator, ind.unit_id, ind.period)
        if found is None:  # nothing to compare with: no verdict
            needs = list(facts.defs[ind.indicator].requires)
            yield no_data_finding(
                "indicators.consistency", "unit", ind.unit_id, _CONSISTENCY_SRC,
                _absent(ctx, *needs), province=ctx.province(ind.unit_id, on),
                inputs={"indicator": ind.indicator, "period": str(ind.period),
                        "reported": ind.value, "requires": needs},
                why=Text(f"{ind.indicator} {ind.period}: báo cáo {ind.value}, không có dữ liệu "
                         f"({', '.join(needs) or '-'}) để đối chiếu",
                         f"{ind.indicator} {ind.period}: reported {ind.value}, no data "
                         f"({', '.join(needs) or '-'}) to compare with"))
            continue
        derived_d = Decimal(found)
        same = abs(ind.value - derived_d) <= Decimal("0.05")
        if same:
            continue
        yield Finding(
            rule="indicators.consistency", subject_type="unit", subject_id=ind.unit_id,
            status=_FAIL, value=ind.value, threshold=derived_d,
            province=ctx.province(ind.unit_id, on), source=_CONSISTENCY_SRC,
            inputs={"indicator": ind.indicator, "period": str(ind.period),
                    "reported": ind.value, "derived": derived_d, "evidence": ind.evidence},
            message=Text(f"{ind.indicator} {ind.period}: báo cáo {ind.value}, dữ liệu cho "
                         f"{derived_d.normalize()}",
                         f"{ind.indicator} {ind.period}: reported {ind.value}, data give "
                         f"{derived_d.normalize()}"))


_CONSISTENCY_SRC = ("Hướng dẫn 42-HD/TWĐTN-BKT ngày 31/3/2014 "
                    "(minh chứng cho từng nội dung chấm điểm)")


def _rule(rule_id: str, vi: str, en: str, source: str, fn: Callable[[Context], Iterator[Finding]],
          valid_from: str | None = None,
          dvi: str | None = None, den: str | None = None) -> Rule:
    return Rule(id=rule_id, title=Text(vi, en), source=source, evaluate=fn,
                valid_from=_dt.date.fromisoformat(valid_from) if valid_from else None,
                description=Text(dvi, den) if dvi and den else None)


#: The national rules, in report order.
BUILTIN_RULES: tuple[Rule, ...] = (
    _rule("visits.quota", "Cán bộ chuyên trách cấp tỉnh đi cơ sở theo chủ trương 1+2",
          "Provincial full-time cadres' base-visit quota (1+2)", _HD03, _quota, "2018-01-01"),
    _rule("branches.monthly_meeting", "Chi đoàn sinh hoạt hằng tháng",
          "Every branch meets every month", _CHARTER, _monthly_meeting),
    _rule("branches.size", "Chi đoàn có ít nhất 3 đoàn viên", "A branch has at least 3 members",
          _CHARTER, _branch_size),
    _rule("grassroots.size", "Đoàn cơ sở có ít nhất 2 chi đoàn và 30 đoàn viên",
          "A grassroots union has at least 2 branches and 30 members", _CHARTER, _grassroots_size),
    _rule("members.age", "Tuổi đoàn viên từ 16 đến 30", "Members are 16 to 30", _AGE, _member_age),
    _rule("targets.progress", "Tiến độ thực hiện chỉ tiêu", "Progress towards targets",
          _TARGET_SRC, _targets),
    _rule("indicators.consistency", "Số liệu báo cáo khớp với dữ liệu",
          "Reported figures agree with the data", _CONSISTENCY_SRC, _consistency),
)
