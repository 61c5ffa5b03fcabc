"""
The annual quality rating (đánh giá, xếp loại chất lượng hằng năm): its stages, its four levels
and the frozen result of ``Engine.rating``.

Sources: Quy định 124-QĐ/TW of the Politburo (2023) on the yearly review and rating of
collectives and individuals in the political system (four levels; steps: self-assessment, then
appraisal and proposal, then decision by the competent level; the cap of "hoàn thành xuất sắc"
at 20% of those rated "hoàn thành tốt"); Hướng dẫn 25-HD/TWĐTN-BTC (2023) of the Union's
Central Committee on the review and rating of Union organisations, leadership collectives and
members for 2023-2027 (the same four levels for members and organisations). See docs/rating.md.
"""

from __future__ import annotations

import datetime as _dt
import enum
import unicodedata

import attrs

from ._formats import Formats
from ._i18n import Text

__all__ = ["RatingEntry", "RatingFinding", "RatingLevel", "RatingReport", "RatingStage",
           "SubjectRating", "parse_level", "parse_stage"]


def _norm(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).casefold().split())


class RatingStage(enum.Enum):
    """A step of the rating, in the order the guidance runs them."""

    SELF = "self"
    COLLECTIVE = "collective"
    APPRAISAL = "appraisal"
    DECISION = "decision"

    @property
    def label(self) -> Text:
        return _STAGE_LABELS[self]

    @property
    def order(self) -> int:
        return list(RatingStage).index(self)


class RatingLevel(enum.Enum):
    """The four levels of Quy định 124-QĐ/TW (2023) and Hướng dẫn 25-HD/TWĐTN-BTC (2023)."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> Text:
        return _LEVEL_LABELS[self]

    @property
    def rank(self) -> int:
        """3 for excellent … 0 for incomplete: a higher rank is a higher level."""
        return 3 - list(RatingLevel).index(self)


_STAGE_LABELS = {
    RatingStage.SELF: Text("tự đánh giá", "self-assessment"),
    RatingStage.COLLECTIVE: Text("tập thể nhận xét", "collective review"),
    RatingStage.APPRAISAL: Text("thẩm định", "appraisal"),
    RatingStage.DECISION: Text("quyết định", "decision"),
}
_LEVEL_LABELS = {
    RatingLevel.EXCELLENT: Text("hoàn thành xuất sắc nhiệm vụ", "excellent"),
    RatingLevel.GOOD: Text("hoàn thành tốt nhiệm vụ", "good"),
    RatingLevel.COMPLETE: Text("hoàn thành nhiệm vụ", "complete"),
    RatingLevel.INCOMPLETE: Text("không hoàn thành nhiệm vụ", "incomplete"),
}
_STAGE_INPUT = {
    **{s.value: s for s in RatingStage},
    **{_norm(s.label.get("vi")): s for s in RatingStage},
    "tự đánh giá, xếp loại": RatingStage.SELF, "chi đoàn nhận xét": RatingStage.COLLECTIVE,
    "nhận xét": RatingStage.COLLECTIVE, "quyết định xếp loại": RatingStage.DECISION,
}
_LEVEL_INPUT = {
    **{lv.value: lv for lv in RatingLevel},
    **{_norm(lv.label.get("vi")): lv for lv in RatingLevel},
    "hoàn thành xuất sắc": RatingLevel.EXCELLENT, "htxsnv": RatingLevel.EXCELLENT,
    "hoàn thành tốt": RatingLevel.GOOD, "htt": RatingLevel.GOOD, "httnv": RatingLevel.GOOD,
    "hoàn thành": RatingLevel.COMPLETE, "htnv": RatingLevel.COMPLETE,
    "không hoàn thành": RatingLevel.INCOMPLETE, "khtnv": RatingLevel.INCOMPLETE,
}


def parse_stage(raw: str) -> RatingStage | None:
    """The stage named by *raw* (``self`` … or its Vietnamese label), else ``None``."""
    return _STAGE_INPUT.get(_norm(raw))


def parse_level(raw: str) -> RatingLevel | None:
    """The level named by *raw* (``excellent`` … or its Vietnamese label), else ``None``."""
    return _LEVEL_INPUT.get(_norm(raw))


SUBJECT_TYPES = ("member", "branch", "grassroots", "unit", "collective")


@attrs.frozen(kw_only=True)
class RatingEntry:
    """One row of ``ratings.csv``: a stage of one subject's rating in one year."""

    subject_type: str
    subject_id: str
    year: int
    stage: RatingStage
    level: RatingLevel
    by: str | None = None
    on: _dt.date | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class RatingFinding:
    """A finding of a rating rule: ``status`` is ``fail``, ``pass`` or ``no_data``."""

    rule: str
    status: str
    subject_type: str
    subject_id: str
    message: Text
    source: Text

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@attrs.frozen(kw_only=True)
class SubjectRating:
    """Every stage of one subject's rating, the level decided and the data's ceiling."""

    subject_type: str
    subject_id: str
    stages: tuple[RatingEntry, ...] = ()
    decided: RatingLevel | None = None
    #: the highest level the data allow (``None``: the data cannot tell)
    ceiling: RatingLevel | None = None
    #: why the ceiling is what it is
    ceiling_reason: Text | None = None

    @property
    def missing(self) -> tuple[RatingStage, ...]:
        """The stages before the latest one present that have no row (the collective review
        is a member's step: an organisation's own committee reviews itself in its
        self-assessment)."""
        have = {e.stage for e in self.stages}
        last = max((s.order for s in have), default=-1)
        return tuple(s for s in RatingStage if s.order < last and s not in have
                     and (s is not RatingStage.COLLECTIVE or self.subject_type == "member"))


@attrs.frozen(kw_only=True)
class RatingReport(Formats):
    """``Engine.rating(ds, year)``: every subject's stages, decisions, ceilings and findings."""

    dataset: str
    year: int
    subjects: tuple[SubjectRating, ...] = ()
    findings: tuple[RatingFinding, ...] = ()
    #: rule id → its source document(s); ``[M]`` marks what is practice, not a document
    sources: dict[str, Text] = attrs.field(factory=dict)

    @property
    def failed(self) -> tuple[RatingFinding, ...]:
        return tuple(f for f in self.findings if f.status == "fail")

    @property
    def ok(self) -> bool:
        return not self.failed

    def subject(self, subject_type: str, subject_id: str) -> SubjectRating | None:
        """The rating of one subject, or ``None``."""
        for s in self.subjects:
            if (s.subject_type, s.subject_id) == (subject_type, subject_id):
                return s
        return None

    def __repr__(self) -> str:
        return (f"RatingReport(dataset={self.dataset!r}, year={self.year}, "
                f"subjects={len(self.subjects)}, failed={len(self.failed)})")
