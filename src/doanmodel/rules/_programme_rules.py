"""The rules over work programmes (semantics in docs/rules.md and docs/programmes.md).

Each finding's source is the programme's own issuing document; the rules themselves hold for
every programme, whatever its dates. A programme is judged in the period its end falls in;
recommendations in every period up to the one they were closed in.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from ..dataset._programmes import (
    OWN_RULE_KINDS,
    Programme,
    ProgrammeKind,
    Recommendation,
    RecStatus,
    Topic,
    TopicResult,
    briefing_members,
    covered_units,
    planned_units,
    programme_visits,
)
from ..model._entities import Visit
from ..model._i18n import Text
from ._context import Context, Finding, Rule, Status

__all__ = ["PROGRAMME_RULES", "programme_topics_rule", "review_figures_rule", "topics_rule"]

_PASS, _FAIL, _NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
SOURCE = "Văn bản ban hành chương trình công tác (programmes.toml: document), từng chương trình"


def _vi_day(day: _dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _ending(ctx: Context) -> Iterator[Programme]:
    """The programmes whose period ends inside the context's period."""
    for p in ctx.dataset.programmes:
        if ctx.period.start <= p.end <= ctx.period.end:
            yield p


def _name(ctx: Context, uid: str) -> str:
    unit = ctx.dataset.units.get(uid)
    return unit.name if unit is not None else uid


# ---------------------------------------------------------------------------- coverage
def _coverage(ctx: Context) -> Iterator[Finding]:
    ds = ctx.dataset
    for p in _ending(ctx):
        if p.kind in OWN_RULE_KINDS:
            continue
        planned = planned_units(ds, p)
        covered = covered_units(ds, p)
        done = [u for u in planned if u in covered]
        province = ctx.province(ds.root, p.end)
        base = {"programme": p.id, "start": p.start, "end": p.end}
        ok = len(done) == len(planned)
        yield Finding(
            rule="programmes.coverage", subject_type="programme", subject_id=p.id,
            status=_PASS if ok else _FAIL, value=len(done), threshold=len(planned),
            province=province, source=p.document,
            inputs={**base, "missing": [u for u in planned if u not in covered],
                    "outside_plan": sorted(set(covered) - set(planned))},
            message=Text(f"{p.title}: {len(done)}/{len(planned)} đơn vị theo kế hoạch",
                         f"{p.get_title('en')}: {len(done)}/{len(planned)} planned units"))
        for uid in planned:
            if uid not in covered:
                yield Finding(
                    rule="programmes.coverage", subject_type="unit", subject_id=uid,
                    status=_FAIL, value=0, threshold=1, province=ctx.province(uid, p.end),
                    source=p.document, inputs=base,
                    message=Text(f"{_name(ctx, uid)}: chưa được {p.id} làm việc đến "
                                 f"{_vi_day(p.end)}",
                                 f"{_name(ctx, uid)}: not covered by {p.id} by {p.end}"))
        for uid in sorted(set(covered) - set(planned)):
            yield Finding(
                rule="programmes.coverage", subject_type="unit", subject_id=uid,
                status=_FAIL, value=1, threshold=0, province=ctx.province(uid, p.end),
                source=p.document, inputs={**base, "on": covered[uid]},
                message=Text(f"{_name(ctx, uid)}: {p.id} làm việc ngày {_vi_day(covered[uid])} "
                             "nhưng đơn vị không có trong kế hoạch",
                             f"{_name(ctx, uid)}: covered by {p.id} on {covered[uid]} but not "
                             "in the plan"))


# ---------------------------------------------------------------------------- topics
def _topic_findings(ctx: Context, p: Programme, topics: tuple[Topic, ...], rule: str,
                    source: str, kind: ProgrammeKind | None = None) -> Iterator[Finding]:
    covered = covered_units(ctx.dataset, p, {kind.id: kind} if kind is not None else None)
    for c in p.units:
        if c.unit_id not in covered:
            continue
        missing = [t for t in topics if c.result(t.id) is TopicResult.NOT_COVERED]
        issues = [t.id for t in topics if c.result(t.id) is TopicResult.ISSUE]
        checked = len(topics) - len(missing)
        ok = not missing
        yield Finding(
            rule=rule, subject_type="unit", subject_id=c.unit_id,
            status=_PASS if ok else _FAIL, value=checked, threshold=len(topics),
            province=ctx.province(c.unit_id, p.end), source=source,
            inputs={"programme": p.id, "not_covered": [t.id for t in missing],
                    "issues": issues},
            message=Text(
                f"{_name(ctx, c.unit_id)} ({p.id}): {checked}/{len(topics)} nội dung"
                + ("" if ok else "; chưa kiểm tra: " + ", ".join(t.title.vi for t in missing)),
                f"{_name(ctx, c.unit_id)} ({p.id}): {checked}/{len(topics)} topics"
                + ("" if ok else "; not covered: " + ", ".join(t.title.en for t in missing))))


def _topics(ctx: Context) -> Iterator[Finding]:
    for p in _ending(ctx):
        if p.topics and p.kind not in OWN_RULE_KINDS:
            yield from _topic_findings(ctx, p, p.topics, "programmes.topics", p.document)


def topics_rule(rule_id: str, kind: ProgrammeKind, title: Text) -> Rule:
    """
    A rule judging topic completeness against *kind*'s own checklist, for the programmes of
    that kind that list no topics of their own (a plugin returns it from ``doanmodel_rules``).
    """

    def evaluate(ctx: Context) -> Iterator[Finding]:
        for p in _ending(ctx):
            if p.kind == kind.id and not p.topics:
                yield from _topic_findings(ctx, p, kind.topics, rule_id, kind.source, kind)

    return Rule(id=rule_id, title=title, source=kind.source, evaluate=evaluate)


# ---------------------------------------------------------------------------- recommendations
def _waits_on(rec: Recommendation) -> Text:
    who = rec.addressee.label
    if rec.addressee_name:
        who = Text(f"{who.vi} ({rec.addressee_name})", f"{who.en} ({rec.addressee_name})")
    return who


def _recommendations(ctx: Context) -> Iterator[Finding]:
    end, start = ctx.period.end, ctx.period.start
    for p in ctx.dataset.programmes:
        if p.start > end:
            continue
        for c in p.units:
            for rec in c.recommendations:
                if rec.due is None or rec.due > end or (
                        rec.status is RecStatus.CLOSED and rec.closed_on is not None
                        and rec.closed_on < start):
                    continue
                yield _rec_finding(ctx, p, c.unit_id, rec)


def _rec_finding(ctx: Context, p: Programme, uid: str, rec: Recommendation) -> Finding:
    f = _rec_verdict(ctx, p, uid, rec)
    if not rec.reconstructed:
        return f
    # the due date (and so "N days overdue") is made up, not published: say so (issue 22)
    return attrs.evolve(f, message=Text(
        f"{f.message.vi} [hạn và trạng thái dựng lại, không có trong nguồn]",
        f"{f.message.en} [due date and status reconstructed, not in the source]"))


def _rec_verdict(ctx: Context, p: Programme, uid: str, rec: Recommendation) -> Finding:
    end = ctx.period.end
    who = _waits_on(rec)
    assert rec.due is not None
    inputs = {"programme": p.id, "unit_id": uid, "due": rec.due, "addressee": rec.addressee,
              "addressee_name": rec.addressee_name, "closed_on": rec.closed_on,
              "reconstructed": rec.reconstructed}
    if rec.overdue_on(end):
        late = (end - rec.due).days
        return Finding(
            rule="programmes.recommendations", subject_type="recommendation", subject_id=rec.id,
            status=_FAIL, value=late, threshold=0, province=ctx.province(uid, p.end),
            source=p.document, inputs=inputs,
            message=Text(f"{_name(ctx, uid)}: quá hạn {late} ngày (hạn {_vi_day(rec.due)}), "
                         f"chờ {who.vi}: {rec.text}",
                         f"{_name(ctx, uid)}: {late} days overdue (due {rec.due}), waiting on "
                         f"{who.en}: {rec.get_text('en')}"))
    if rec.status is RecStatus.OPEN:  # due on the period's last day: not late yet
        return Finding(
            rule="programmes.recommendations", subject_type="recommendation", subject_id=rec.id,
            status=_PASS, value=0, threshold=0, province=ctx.province(uid, p.end),
            source=p.document, inputs=inputs,
            message=Text(f"{_name(ctx, uid)}: đến hạn {_vi_day(rec.due)}, chờ {who.vi}",
                         f"{_name(ctx, uid)}: due {rec.due}, waiting on {who.en}"))
    late = (rec.closed_on - rec.due).days if rec.closed_on else 0
    return Finding(
        rule="programmes.recommendations", subject_type="recommendation", subject_id=rec.id,
        status=_PASS, value=max(late, 0), threshold=0, province=ctx.province(uid, p.end),
        source=p.document, inputs=inputs,
        message=Text(f"{_name(ctx, uid)}: đã giải quyết"
                     + (f" ngày {_vi_day(rec.closed_on)}" if rec.closed_on else "")
                     + (f", trễ {late} ngày" if late > 0 else ""),
                     f"{_name(ctx, uid)}: closed"
                     + (f" on {rec.closed_on}" if rec.closed_on else "")
                     + (f", {late} days late" if late > 0 else "")))


# ---------------------------------------------------------------------------- report deadline
def _report_deadline(ctx: Context) -> Iterator[Finding]:
    ds = ctx.dataset
    for p in ds.programmes:
        within = p.report_within_days
        if within is None:
            continue
        for uid, visits in programme_visits(ds, p).items():
            for v in visits:
                if not ctx.period.start <= v.last_day <= ctx.period.end:
                    continue
                yield _deadline_finding(ctx, p, uid, v, within)


def _deadline_finding(ctx: Context, p: Programme, uid: str, v: Visit, within: int) -> Finding:
    last, report_on, vid = v.last_day, v.report_on, v.id
    try:
        due = last + _dt.timedelta(days=within)
    except OverflowError:  # a visit in the last days of year 9999
        due = _dt.date.max
    inputs = {"programme": p.id, "unit_id": uid, "end": last, "due": due, "report_on": report_on,
              "cadre_id": v.cadre_id}
    province = ctx.province(uid, last)
    if report_on is None:
        return Finding(rule="programmes.report_deadline", subject_type="visit", subject_id=vid,
                       status=_FAIL, value=None, threshold=within, province=province,
                       source=p.document, inputs=inputs,
                       message=Text(f"{p.id}: chưa có báo cáo (hạn {_vi_day(due)})",
                                    f"{p.id}: no report filed (due {due})"))
    late = (report_on - last).days
    ok = late <= within
    return Finding(rule="programmes.report_deadline", subject_type="visit", subject_id=vid,
                   status=_PASS if ok else _FAIL, value=late, threshold=within,
                   province=province, source=p.document, inputs=inputs,
                   message=Text(f"{p.id}: báo cáo sau {late} ngày (hạn {within} ngày)",
                                f"{p.id}: report filed {late} days after the visit "
                                f"(limit {within})"))


# ---------------------------------------------------------------------------- cluster briefings
BRIEFING_SOURCE = (
    "[M] Hội nghị giao ban công tác Đoàn, Hội, Đội các Cụm thi đua hằng quý (Tỉnh đoàn: giao ban "
    "quý I/2023 tại các Cụm, 12–14/4/2023, các đơn vị trong cụm lần lượt báo cáo); kỳ giao ban "
    "theo quy chế hoạt động cụm thi đua của từng tỉnh")
_Q_MONTHS = {1: (1, 3, 31), 2: (4, 6, 30), 3: (7, 9, 30), 4: (10, 12, 31)}


def _briefings(ctx: Context) -> list[Programme]:
    return [p for p in ctx.dataset.programmes
            if p.kind == "cluster_briefing" and p.cluster and p.quarter_key() is not None]


def _quarters(period_start: _dt.date, period_end: _dt.date) -> Iterator[tuple[int, int]]:
    """(year, quarter) of every quarter whose last day falls in the period."""
    for year in range(period_start.year, period_end.year + 1):
        for q, (_, month, day) in _Q_MONTHS.items():
            if period_start <= _dt.date(year, month, day) <= period_end:
                yield year, q


def _briefing_held(ctx: Context) -> Iterator[Finding]:
    province = ctx.province(ctx.dataset.root, ctx.period.end)
    years = range(ctx.period.start.year, ctx.period.end.year + 1)
    if not any(c.year in years for c in ctx.dataset.clusters):
        return  # no emulation cluster that period: a cluster's briefing does not apply
    if not ctx.dataset.programmes:
        yield Finding(
            rule="programmes.briefing_quarterly", subject_type="unit",
            subject_id=ctx.dataset.root, status=Status.NO_DATA, value=None, threshold=None,
            province=province, source=BRIEFING_SOURCE, inputs={"programmes": 0},
            message=Text("không báo cáo bảng chương trình công tác (programmes.toml)",
                         "not reported: work programmes (programmes.toml)"))
        return
    held: dict[tuple[str, int, int], list[Programme]] = {}
    for p in _briefings(ctx):
        key = p.quarter_key()
        assert key is not None and p.cluster is not None
        held.setdefault((p.cluster, *key), []).append(p)
    for cluster in sorted({c for c, _, _ in held}):
        for year, q in _quarters(ctx.period.start, ctx.period.end):
            found = held.get((cluster, year, q), [])
            ok = bool(found)
            yield Finding(
                rule="programmes.briefing_quarterly", subject_type="cluster",
                subject_id=f"{cluster}/{year}-Q{q}", status=_PASS if ok else _FAIL,
                value=len(found), threshold=1, province=province,
                source=f"{found[0].document}; {BRIEFING_SOURCE}" if ok else BRIEFING_SOURCE,
                inputs={"cluster": cluster, "quarter": f"{year}-Q{q}",
                        "programmes": [p.id for p in found]},
                message=Text(
                    f"Cụm {cluster}, quý {q}/{year}: "
                    + (f"đã giao ban ({', '.join(p.id for p in found)})" if ok
                       else "không có hội nghị giao ban"),
                    f"Cluster {cluster}, Q{q} {year}: "
                    + (f"briefing held ({', '.join(p.id for p in found)})" if ok
                       else "no briefing held")))


def _briefing_reports(ctx: Context) -> Iterator[Finding]:
    for p in _ending(ctx):
        if p.kind != "cluster_briefing":
            continue
        members = briefing_members(ctx.dataset, p)
        base = {"programme": p.id, "cluster": p.cluster, "quarter": p.quarter}
        if members is None:
            yield Finding(
                rule="programmes.briefing_reports", subject_type="programme", subject_id=p.id,
                status=Status.NO_DATA, value=None, threshold=None,
                province=ctx.province(ctx.dataset.root, p.end), source=p.document,
                inputs={**base, "absent_tables": ["clusters"]},
                message=Text(f"{p.id}: không có danh sách đơn vị của cụm {p.cluster} "
                             "(targets hoặc clusters.toml)",
                             f"{p.id}: no member list for cluster {p.cluster} "
                             "(targets or clusters.toml)"))
            continue
        reported = {c.unit_id for c in p.units}
        for uid in members:
            ok = uid in reported
            yield Finding(
                rule="programmes.briefing_reports", subject_type="unit", subject_id=uid,
                status=_PASS if ok else _FAIL, value=int(ok), threshold=1,
                province=ctx.province(uid, p.end), source=f"{p.document}; {BRIEFING_SOURCE}",
                inputs=base,
                message=Text(f"{_name(ctx, uid)}: " + ("đã báo cáo" if ok else "không báo cáo")
                             + f" tại giao ban {p.id}",
                             f"{_name(ctx, uid)}: " + ("reported" if ok else "did not report")
                             + f" at briefing {p.id}"))


# ---------------------------------------------------------------------------- review conference
_COUNT_LABELS = {
    "cadres": Text("cán bộ", "cadres"), "committee": Text("Ủy viên BCH", "committee members"),
    "standing": Text("Ủy viên BTV", "standing members"),
    "secretaries": Text("Bí thư", "secretaries"),
    "deputies": Text("Phó Bí thư", "deputy secretaries"),
    "full_time": Text("cán bộ chuyên trách", "full-time cadres"),
    "units": Text("đơn vị có cán bộ", "units with cadres"),
}


def review_figures_rule(census: Callable[[Any, _dt.date], Any], groups: Mapping[str, Text]) -> Rule:
    """
    The rule judging a review conference's reported figures against the census of
    positions.csv on the conference's day (*census* is :func:`doanmodel.scoring._census.census`,
    passed in because rules sit beside scoring, not above it).
    """

    def evaluate(ctx: Context) -> Iterator[Finding]:
        for p in _ending(ctx):
            if p.kind != "review_conference":
                continue
            yield from _review_findings(ctx, p, census, groups)

    return Rule(id="programmes.review_figures",
                title=Text("Số liệu hội nghị sơ kết khớp với dữ liệu cán bộ",
                           "A review conference's figures match the cadre data"),
                source=REVIEW_SOURCE, evaluate=evaluate,
                description=Text("mỗi số liệu hội nghị nêu, so với thống kê cán bộ "
                                 "(positions.csv) đúng ngày hội nghị",
                                 "each figure the conference reported, against the cadre census "
                                 "(positions.csv) on the conference's day"))


REVIEW_SOURCE = ("Kết luận 07-KL/TWĐTN-BTC (14/02/2019) về nâng cao chất lượng công tác cán bộ "
                 "Đoàn giai đoạn 2019–2022; số liệu: văn bản của hội nghị "
                 "(programmes.toml: document)")


def _review_findings(ctx: Context, p: Programme, census: Callable[[Any, _dt.date], Any],
                     groups: Mapping[str, Text]) -> Iterator[Finding]:
    province = ctx.province(ctx.dataset.root, p.end)
    base = {"programme": p.id, "table": "positions.csv", "as_of": p.end}
    if not p.figures:
        yield Finding(rule="programmes.review_figures", subject_type="programme",
                      subject_id=p.id, status=Status.NO_DATA, value=None, threshold=None,
                      province=province, source=p.document, inputs=base,
                      message=Text(f"{p.id}: hội nghị không nêu số liệu nào (figures)",
                                   f"{p.id}: the conference lists no figures (figures)"))
        return
    result = census(ctx.dataset, p.end) if ctx.dataset.positions else None
    for key, reported in p.figures.items():
        group, _, count = key.rpartition(".")
        label = _COUNT_LABELS.get(count, Text(count, count))
        where = groups.get(group, Text(group, group))
        what = Text(f"{label.vi} {where.vi}", f"{label.en}, {where.en}")
        inputs = {**base, "figure": key, "group": group, "count": count, "reported": reported}
        row = None
        if result is not None and count in _COUNT_LABELS:
            row = next((r for r in result.rows if r.group == group), None)
        if row is None:
            yield Finding(
                rule="programmes.review_figures", subject_type="programme",
                subject_id=f"{p.id}:{key}", status=Status.NO_DATA, value=None,
                threshold=reported, province=province, source=p.document,
                inputs={**inputs, **({} if ctx.dataset.positions
                                     else {"absent_tables": ["positions"]})},
                message=Text(f"{what.vi}: hội nghị nêu {reported}; positions.csv không có chức "
                             f"vụ nào ở cấp này ngày {_vi_day(p.end)}, không tính được",
                             f"{what.en}: the conference reported {reported}; positions.csv "
                             f"holds no position at this level on {p.end}, no census"))
            continue
        value = getattr(row, count)
        ok = value == reported
        yield Finding(
            rule="programmes.review_figures", subject_type="programme",
            subject_id=f"{p.id}:{key}", status=_PASS if ok else _FAIL, value=value,
            threshold=reported, province=province, source=p.document,
            inputs={**inputs, "census": value},
            message=Text(f"{what.vi}: hội nghị nêu {reported}, thống kê positions.csv ngày "
                         f"{_vi_day(p.end)}: {value}",
                         f"{what.en}: the conference reported {reported}, the census of "
                         f"positions.csv on {p.end}: {value}"))


def _rule(rule_id: str, vi: str, en: str, fn: object, dvi: str, den: str) -> Rule:
    return Rule(id=rule_id, title=Text(vi, en), source=SOURCE, evaluate=fn,  # type: ignore[arg-type]
                description=Text(dvi, den))


#: The national rules over programmes, in report order.
PROGRAMME_RULES: tuple[Rule, ...] = (
    _rule("programmes.coverage", "Chương trình làm việc đủ các đơn vị theo kế hoạch",
          "A programme covers the units it planned", _coverage,
          "đơn vị theo kế hoạch chưa được làm việc đến hết thời gian chương trình; đơn vị ngoài "
          "kế hoạch", "planned units not covered by the end of the period; units covered "
          "outside the plan"),
    _rule("programmes.topics", "Làm việc đủ các nội dung tại mỗi đơn vị",
          "Every topic is covered at every unit", _topics,
          "nội dung chưa kiểm tra tại từng đơn vị", "topics left unchecked at each unit"),
    _rule("programmes.recommendations", "Kiến nghị được giải quyết đúng hạn",
          "Recommendations are closed by their due date", _recommendations,
          "kiến nghị còn mở quá hạn và nơi đang chờ", "open recommendations past their due date "
          "and whom they wait on"),
    _rule("programmes.report_deadline", "Báo cáo chuyến làm việc đúng hạn của chương trình",
          "Programme visit reports on time under the programme's document", _report_deadline,
          "hạn báo cáo do văn bản của chương trình quy định",
          "the report deadline the programme's own document sets"),
    Rule(id="programmes.briefing_quarterly",
         title=Text("Cụm thi đua giao ban mỗi quý", "A cluster holds a briefing every quarter"),
         source=BRIEFING_SOURCE, evaluate=_briefing_held,
         description=Text("mỗi cụm có giao ban trong dữ liệu: quý không có hội nghị giao ban",
                          "each cluster with briefings in the data: quarters without one")),
    Rule(id="programmes.briefing_reports",
         title=Text("Mọi đơn vị trong cụm báo cáo tại giao ban",
                    "Every member unit reports at the cluster briefing"),
         source=BRIEFING_SOURCE, evaluate=_briefing_reports,
         description=Text("đơn vị của cụm không báo cáo tại hội nghị giao ban",
                          "member units that did not report at the briefing")),
)


#: Public name: ``doanmodel.programme_topics_rule``.
programme_topics_rule = topics_rule
