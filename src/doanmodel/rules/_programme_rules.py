"""The rules over work programmes (semantics in docs/rules.md and docs/programmes.md).

Each finding's source is the programme's own issuing document; the rules themselves hold for
every programme, whatever its dates. A programme is judged in the period its end falls in;
recommendations in every period up to the one they were closed in.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

import attrs

from ..dataset._programmes import (
    Programme,
    ProgrammeKind,
    Recommendation,
    RecStatus,
    Topic,
    TopicResult,
    covered_units,
    planned_units,
    programme_visits,
)
from ..model._entities import Visit
from ..model._i18n import Text
from ._context import Context, Finding, Rule, Status

__all__ = ["PROGRAMME_RULES", "programme_topics_rule", "topics_rule"]

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
        if p.topics:
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
)


#: Public name: ``doanmodel.programme_topics_rule``.
programme_topics_rule = topics_rule
