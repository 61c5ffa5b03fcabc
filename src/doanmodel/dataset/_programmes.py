"""Work programmes: inspections, supervision and working sessions run under a plan.

A programme (chương trình / kế hoạch kiểm tra, làm việc) has a kind, a period, the document that
issued it, the units it plans to cover (explicit ids or a selector), a checklist of topics and,
for each unit it covered, the visits or meetings that covered it, a result per topic, the
conclusions (kết luận) and the recommendations (kiến nghị) with whom they wait on.

This module holds the entities and the questions every user of them asks (which units were
planned, which visits belong to a programme, which unit is covered); rules live in
:mod:`doanmodel.rules._programme_rules`, the report in :mod:`doanmodel.engine._programme_report`.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..model._enums import Level, VisitPurpose
from ..model._i18n import Text
from ..model._params import Scope
from ._dataset import unwrap

if TYPE_CHECKING:  # pragma: no cover
    from ..model._entities import Visit
    from ._dataset import Dataset

__all__ = [
    "BUILTIN_KINDS",
    "OWN_RULE_KINDS",
    "Addressee",
    "Coverage",
    "Programme",
    "ProgrammeKind",
    "ProgrammeSelector",
    "ProgrammeTopic",
    "ProgrammeUnit",
    "RecStatus",
    "Recommendation",
    "RecommendationStatus",
    "Selector",
    "Topic",
    "TopicResult",
    "briefing_members",
    "coverage_evidence",
    "covered_units",
    "planned_units",
    "programme_visit_ids",
    "programme_visits",
]


class TopicResult(str, enum.Enum):
    """What a programme found on one topic at one unit."""

    DONE = "done"
    ISSUE = "issue"
    NOT_COVERED = "not_covered"

    @property
    def label(self) -> Text:
        """Bilingual label."""
        return _RESULT_LABELS[self.value]

    def __str__(self) -> str:
        return self.value


_RESULT_LABELS = {
    "done": Text("đạt", "done"),
    "issue": Text("có tồn tại", "issue found"),
    "not_covered": Text("chưa kiểm tra", "not covered"),
}


class Addressee(str, enum.Enum):
    """Whom a recommendation (kiến nghị) is addressed to, i.e. whom it waits on."""

    UNIT = "unit"
    PARTY_COMMITTEE = "party_committee"
    UPPER_LEVEL = "upper_level"

    @property
    def label(self) -> Text:
        """Bilingual label."""
        return _ADDRESSEE_LABELS[self.value]

    def __str__(self) -> str:
        return self.value


_ADDRESSEE_LABELS = {
    "unit": Text("đơn vị được làm việc", "the unit itself"),
    "party_committee": Text("cấp ủy Đảng", "the Party committee"),
    "upper_level": Text("Đoàn cấp trên", "the upper Union level"),
}


class RecStatus(str, enum.Enum):
    """Whether a recommendation is still open."""

    OPEN = "open"
    CLOSED = "closed"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class Topic:
    """One item of a programme's checklist (nội dung kiểm tra / làm việc)."""

    id: str
    title: Text


@attrs.frozen(kw_only=True)
class ProgrammeKind:
    """
    A kind of programme (``inspection``, ``supervision``, ``working_session`` or a plugin's).

    *purposes* are the visit purposes that belong to a programme of this kind when they go to
    one of its units during its period without being listed; *topics* is the kind's checklist,
    used by programmes that list none of their own.
    """

    id: str
    title: Text
    source: str
    purposes: tuple[VisitPurpose, ...] = ()
    topics: tuple[Topic, ...] = ()
    origin: str = "national"
    scope: Scope = Scope()


@attrs.frozen(kw_only=True)
class Selector:
    """Every unit of *levels* below *under* as the tree stood on *on* (default: the start)."""

    under: str
    levels: tuple[Level, ...]
    on: _dt.date | None = None


@attrs.frozen(kw_only=True)
class Recommendation:
    """A recommendation (kiến nghị, yêu cầu): addressee, due date, status."""

    id: str
    text: str
    addressee: Addressee
    text_en: str | None = None
    #: the addressee's name, e.g. "BTV Thị ủy Cai Lậy"
    addressee_name: str | None = None
    due: _dt.date | None = None
    status: RecStatus = RecStatus.OPEN
    closed_on: _dt.date | None = None
    reconstructed: bool = False
    line: int = attrs.field(default=0, eq=False)

    def overdue_on(self, day: _dt.date) -> bool:
        """Whether the recommendation is still open on *day* after its due date."""
        return self.status is RecStatus.OPEN and self.due is not None and self.due < day

    def get_text(self, lang: str) -> str:
        """The text in *lang* when the data gives one, else as written."""
        return self.text_en if lang == "en" and self.text_en else self.text


@attrs.frozen(kw_only=True)
class Coverage:
    """What a programme did at one unit."""

    unit_id: str
    visits: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()
    #: topic id → result; a topic not listed was not covered
    results: Mapping[str, TopicResult] = attrs.field(factory=dict, hash=False)
    conclusions: tuple[str, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    line: int = attrs.field(default=0, eq=False)

    def result(self, topic_id: str) -> TopicResult:
        """The result on *topic_id* (``not_covered`` when not recorded)."""
        return self.results.get(topic_id, TopicResult.NOT_COVERED)


@attrs.frozen(kw_only=True)
class Programme:
    """A work programme (contract addition: ``programmes.toml``)."""

    id: str
    kind: str
    title: str
    start: _dt.date
    end: _dt.date
    #: the issuing document (number and date), the source of everything judged under it
    document: str
    title_en: str | None = None
    document_date: _dt.date | None = None
    lead: str | None = None
    targets: tuple[str, ...] = ()
    selector: Selector | None = None
    topics: tuple[Topic, ...] = ()
    units: tuple[Coverage, ...] = ()
    #: days to file a visit report, where the programme's own document sets a deadline
    report_within_days: int | None = None
    #: what in this entry is reconstructed rather than published
    reconstructed: str | None = None
    #: a cluster briefing's emulation cluster (clusters.toml id) and the quarter it reviews
    cluster: str | None = None
    quarter: str | None = None
    #: who chaired (name and post, as the report gives it)
    chair: str | None = None
    #: the programme's own conclusions (kết luận hội nghị), beside each unit's
    conclusions: tuple[str, ...] = ()
    #: a review conference's figures: "group.count" (census) → the figure the conference reported
    figures: Mapping[str, int] = attrs.field(factory=dict, hash=False)
    line: int = attrs.field(default=0, eq=False)

    def quarter_key(self) -> tuple[int, int] | None:
        """(year, quarter) of a briefing's ``quarter`` ("2023-Q1"), if any."""
        year, sep, q = (self.quarter or "").partition("-Q")
        if not sep or not year.isdigit() or q not in ("1", "2", "3", "4"):
            return None  # absent, or malformed in a dataset built in Python (the reader refuses)
        return int(year), int(q)

    def get_title(self, lang: str) -> str:
        """The title in *lang* when the data gives one, else as written."""
        return self.title_en if lang == "en" and self.title_en else self.title

    def entry(self, unit_id: str) -> Coverage | None:
        """The coverage entry of *unit_id*, if any."""
        return next((c for c in self.units if c.unit_id == unit_id), None)

    def overlaps(self, first: _dt.date, last: _dt.date) -> bool:
        """Whether [*first*, *last*] meets the programme's period."""
        return first <= self.end and self.start <= last


_T = Text
BUILTIN_KINDS: tuple[ProgrammeKind, ...] = (
    ProgrammeKind(
        id="inspection", title=_T("kiểm tra", "inspection"),
        source="Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XII, 2022): công tác kiểm tra của Đoàn",
        purposes=(VisitPurpose.INSPECTION,)),
    ProgrammeKind(
        id="supervision", title=_T("giám sát", "supervision"),
        source="Điều lệ Đoàn TNCS Hồ Chí Minh (khóa XII, 2022): công tác kiểm tra, giám sát",
        purposes=(VisitPurpose.INSPECTION,)),
    ProgrammeKind(
        id="working_session", title=_T("làm việc với đơn vị", "working session"),
        source="Chương trình công tác năm của Ban Thường vụ (làm việc, củng cố cơ sở Đoàn)",
        purposes=(VisitPurpose.CONSOLIDATION, VisitPurpose.REVIEW,
                  VisitPurpose.ATTEND_MEETING, VisitPurpose.SURVEY)),
    ProgrammeKind(
        id="cluster_briefing", title=_T("giao ban cụm thi đua", "cluster briefing"),
        source=("[M] Thực tiễn giao ban công tác Đoàn, Hội, Đội các Cụm thi đua hằng quý "
                "(Tỉnh đoàn, Hội nghị giao ban quý I/2023, 12–14/4/2023); quy chế hoạt động "
                "cụm thi đua của từng tỉnh"),
        topics=(Topic(id="doan", title=_T("công tác Đoàn", "Union work")),
                Topic(id="hoi", title=_T("công tác Hội", "Federation work")),
                Topic(id="doi", title=_T("công tác Đội", "Pioneer work")),
                Topic(id="campaigns", title=_T("các đợt thi đua, hoạt động trong quý",
                                               "the quarter's campaigns")))),
    ProgrammeKind(
        id="review_conference", title=_T("hội nghị sơ kết, tổng kết", "review conference"),
        source=("Kết luận 07-KL/TWĐTN-BTC (14/02/2019), Kết luận 08-KL/TWĐTN-BTC (05/3/2019): "
                "sơ kết, tổng kết việc thực hiện")),
)

#: programme kinds judged by their own rules, not by coverage through visits and meetings
OWN_RULE_KINDS = frozenset({"cluster_briefing", "review_conference"})


# ---------------------------------------------------------------------------- questions
def planned_units(ds: Dataset, p: Programme) -> list[str]:
    """The units *p* plans to cover: its explicit targets, then its selector's, each once."""
    out = list(dict.fromkeys(p.targets))
    sel = p.selector
    if sel is not None and sel.under in ds.units:
        on = sel.on or p.start
        for uid in ds.descendants(sel.under, on):
            version = ds.units[uid].at(on)
            if version is not None and version.level in sel.levels and uid not in out:
                out.append(uid)
    return out


def briefing_members(ds: Dataset, p: Programme) -> list[str] | None:
    """
    The units that should report at cluster briefing *p*: its targets (or selector), else its
    cluster's members in ``clusters.toml`` for the quarter's year (``None``: no list at all).
    """
    if p.targets or p.selector is not None:
        return planned_units(ds, p)
    key = p.quarter_key()
    year = key[0] if key else p.start.year
    for c in ds.clusters_of_year(year):
        if c.id == p.cluster:
            return list(c.members)
    return None


def _kind_purposes(kinds: Mapping[str, ProgrammeKind], kind: str) -> tuple[VisitPurpose, ...]:
    found = kinds.get(kind)
    return found.purposes if found is not None else ()


def programme_visits(ds: Dataset, p: Programme,
                     kinds: Mapping[str, ProgrammeKind] | None = None) -> dict[str, list[Visit]]:
    """
    unit id → the visits that belong to *p* at that unit: those its entry lists, and the
    unlisted visits to a planned or entered unit during the period whose purpose is one of the
    kind's.
    """
    kinds = _KINDS if kinds is None else kinds
    by_id = unwrap(ds)._index.visits_by_id  # noqa: SLF001 - a shared index
    if by_id is None:
        by_id = unwrap(ds)._index.visits_by_id = {v.id: v for v in ds.visits}  # noqa: SLF001
    listed = {vid for c in p.units for vid in c.visits}
    purposes = _kind_purposes(kinds, p.kind)
    out: dict[str, list[Visit]] = {}
    for c in p.units:
        out.setdefault(c.unit_id, []).extend(by_id[v] for v in c.visits if v in by_id)
    for uid in dict.fromkeys([*planned_units(ds, p), *(c.unit_id for c in p.units)]):
        for v in ds.visits_by_unit(uid):
            if v.id not in listed and v.purpose in purposes and p.overlaps(v.start, v.last_day):
                out.setdefault(uid, []).append(v)
    return out


def programme_visit_ids(ds: Dataset) -> frozenset[str]:
    """Ids of every visit that belongs to one of the dataset's programmes (cached)."""
    found: frozenset[str] | None = unwrap(ds)._index.programme_visit_ids  # noqa: SLF001
    if found is None:
        ids: set[str] = set()
        for p in getattr(ds, "programmes", ()):
            for visits in programme_visits(ds, p).values():
                ids.update(v.id for v in visits)
        unwrap(ds)._index.programme_visit_ids = found = frozenset(ids)  # noqa: SLF001
    return found


def covered_units(ds: Dataset, p: Programme,
                  kinds: Mapping[str, ProgrammeKind] | None = None) -> dict[str, _dt.date]:
    """
    unit id → the first day *p* covered it within its period: by a visit that belongs to it,
    or by a meeting its entry lists.
    """
    return {uid: day for uid, (day, _) in coverage_evidence(ds, p, kinds).items()}


def coverage_evidence(ds: Dataset, p: Programme, kinds: Mapping[str, ProgrammeKind] | None = None
                      ) -> dict[str, tuple[_dt.date, tuple[str, ...]]]:
    """unit id → (first day covered in the period, ids of the meetings and visits that did)."""
    found: dict[str, tuple[_dt.date, list[str]]] = {}

    def add(uid: str, day: _dt.date, ident: str) -> None:
        first, ids = found.setdefault(uid, (day, []))
        found[uid] = (min(first, day), ids)
        ids.append(ident)

    meetings = _meetings_by_id(ds)
    for c in p.units:
        for mid in c.meetings:
            m = meetings.get(mid)
            if m is not None and p.start <= m.date <= p.end:
                add(c.unit_id, m.date, mid)
    for uid, visits in programme_visits(ds, p, kinds).items():
        for v in visits:
            if p.overlaps(v.start, v.last_day):
                add(uid, max(v.start, p.start), v.id)
    return {uid: (day, tuple(ids)) for uid, (day, ids) in found.items()}


def _meetings_by_id(ds: Dataset) -> dict[str, Any]:
    found: dict[str, Any] | None = unwrap(ds)._index.meetings_by_id  # noqa: SLF001
    if found is None:
        found = unwrap(ds)._index.meetings_by_id = {m.id: m for m in ds.meetings}  # noqa: SLF001
    return found


def kinds_by_id(kinds: Iterable[ProgrammeKind] = BUILTIN_KINDS) -> dict[str, ProgrammeKind]:
    """Kind id → kind."""
    return {k.id: k for k in kinds}


_KINDS = kinds_by_id()

#: Public names (``doanmodel.ProgrammeTopic`` …) of the entities above.
ProgrammeTopic = Topic
ProgrammeUnit = Coverage
ProgrammeSelector = Selector
RecommendationStatus = RecStatus
