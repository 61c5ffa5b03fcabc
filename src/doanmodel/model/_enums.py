"""The enumerations of the dataset contract, each value with a Vietnamese and an English label."""

from __future__ import annotations

import enum

from ._i18n import Text

__all__ = [
    "AbsenceReason",
    "Level",
    "MeetingKind",
    "PeriodKind",
    "Role",
    "ScoreStage",
    "Sector",
    "VisitPurpose",
]  # (also OFFICE_LABELS, names, office_label: the workbook labels the loader reads)


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a bilingual label."""

    @property
    def label(self) -> Text:
        """The bilingual label of this value."""
        vi, en = type(self)._labels()[self.value]
        return Text(vi, en)

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        return LABELS[cls.__name__]

    def __str__(self) -> str:
        return str(self.value)


class Level(LabelledEnum):
    """Level of a union unit, from the top (``central``) down (``sub_branch``)."""

    CENTRAL = "central"
    PROVINCE = "province"
    UPPER_GRASSROOTS = "upper_grassroots"
    GRASSROOTS = "grassroots"
    BRANCH_GROUP = "branch_group"
    BRANCH = "branch"
    SUB_BRANCH = "sub_branch"

    @property
    def depth(self) -> int:
        """0 for central … 6 for sub_branch; a child's depth is always larger than its parent's."""
        return _LEVEL_DEPTH[self]


_LEVEL_DEPTH = {lv: i for i, lv in enumerate(Level)}


class Sector(LabelledEnum):
    """The kind of community a unit is formed in."""

    RURAL = "rural"
    URBAN = "urban"
    SCHOOL = "school"
    UNIVERSITY = "university"
    ARMED_FORCES = "armed_forces"
    ENTERPRISE_STATE = "enterprise_state"
    ENTERPRISE_PRIVATE = "enterprise_private"
    ENTERPRISE_FDI = "enterprise_fdi"
    AGENCY = "agency"
    OTHER = "other"


class Role(LabelledEnum):
    """A cadre's role in a unit."""

    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    STANDING_MEMBER = "standing_member"
    COMMITTEE_MEMBER = "committee_member"
    INSPECTION_MEMBER = "inspection_member"
    STAFF = "staff"


class AbsenceReason(LabelledEnum):
    """Why a cadre is exempt from the visit quota for a while."""

    MATERNITY = "maternity"
    LONG_STUDY = "long_study"
    SICK_LEAVE = "sick_leave"
    OTHER = "other"


class VisitPurpose(LabelledEnum):
    """What a base visit was for (HD 03-HD/TWĐTN-BTC; Đà Nẵng, Ninh Bình lists)."""

    SURVEY = "survey"
    CO_ORGANISE = "co_organise"
    INSPECTION = "inspection"
    ATTEND_MEETING = "attend_meeting"
    ATTEND_BRANCH_MEETING = "attend_branch_meeting"
    GUIDE_CONGRESS = "guide_congress"
    REVIEW = "review"
    CONSOLIDATION = "consolidation"
    OTHER = "other"


class MeetingKind(LabelledEnum):
    """The kind of a meeting."""

    BRANCH_MEETING = "branch_meeting"
    COMMITTEE_MEETING = "committee_meeting"
    STANDING_MEETING = "standing_meeting"
    CLUSTER_BRIEFING = "cluster_briefing"
    REVIEW_CONFERENCE = "review_conference"
    CONGRESS = "congress"
    WORKING_SESSION = "working_session"


class ScoreStage(LabelledEnum):
    """The stage of an emulation score (``indicators.csv`` column ``stage``), in order: the
    unit's own score, the cluster lead's cross-check, the verified (appraised) score."""

    SELF = "self"
    CROSS_CHECK = "cross_check"
    VERIFIED = "verified"

    @property
    def order(self) -> int:
        """0 for ``self`` … 2 for ``verified``: a later stage replaces an earlier one."""
        return list(ScoreStage).index(self)


class PeriodKind(LabelledEnum):
    """The length of a reporting period."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "Level": {
        "central": ("Trung ương", "central"),
        "province": ("tỉnh", "province"),
        "upper_grassroots": ("cấp trên cơ sở", "upper-grassroots"),
        "grassroots": ("cơ sở", "grassroots"),
        "branch_group": ("liên chi đoàn", "branch group"),
        "branch": ("chi đoàn", "branch"),
        "sub_branch": ("phân đoàn", "sub-branch"),
    },
    "Sector": {
        "rural": ("nông thôn", "rural"),
        "urban": ("đô thị", "urban"),
        "school": ("trường học", "school"),
        "university": ("đại học, cao đẳng", "university or college"),
        "armed_forces": ("lực lượng vũ trang", "armed forces"),
        "enterprise_state": ("doanh nghiệp nhà nước", "state enterprise"),
        "enterprise_private": ("doanh nghiệp ngoài nhà nước", "private enterprise"),
        "enterprise_fdi": ("doanh nghiệp có vốn đầu tư nước ngoài", "foreign-invested enterprise"),
        "agency": ("khối cơ quan", "public agency"),
        "other": ("khác", "other"),
    },
    "Role": {
        "secretary": ("Bí thư", "secretary"),
        "deputy_secretary": ("Phó Bí thư", "deputy secretary"),
        "standing_member": ("Ủy viên Ban Thường vụ", "standing committee member"),
        "committee_member": ("Ủy viên Ban Chấp hành", "executive committee member"),
        "inspection_member": ("Ủy viên Ủy ban Kiểm tra", "inspection committee member"),
        "staff": ("cán bộ, chuyên viên", "staff"),
    },
    "AbsenceReason": {
        "maternity": ("nghỉ thai sản", "maternity leave"),
        "long_study": ("đi học dài hạn", "long-term study"),
        "sick_leave": ("nghỉ ốm dài ngày", "long-term sick leave"),
        "other": ("lý do khác", "other reason"),
    },
    "VisitPurpose": {
        "survey": ("điều tra, khảo sát", "survey"),
        "co_organise": ("phối hợp tổ chức hoạt động", "co-organising an activity"),
        "inspection": ("kiểm tra, giám sát", "inspection"),
        "attend_meeting": ("dự hội nghị Ban Chấp hành, Ban Thường vụ",
                           "attending a committee meeting"),
        "attend_branch_meeting": ("dự sinh hoạt chi đoàn", "attending a branch meeting"),
        "guide_congress": ("chỉ đạo đại hội", "guiding a congress"),
        "review": ("kiểm tra sơ kết", "mid-year review"),
        "consolidation": ("củng cố, nâng chất cơ sở", "consolidating a weak unit"),
        "other": ("khác", "other"),
    },
    "MeetingKind": {
        "branch_meeting": ("sinh hoạt chi đoàn", "branch meeting"),
        "committee_meeting": ("hội nghị Ban Chấp hành", "executive committee meeting"),
        "standing_meeting": ("họp Ban Thường vụ", "standing committee meeting"),
        "cluster_briefing": ("giao ban cụm thi đua", "emulation-cluster briefing"),
        "review_conference": ("hội nghị sơ kết, tổng kết", "review conference"),
        "congress": ("đại hội", "congress"),
        "working_session": ("buổi làm việc", "working session"),
    },
    "ScoreStage": {
        "self": ("tự chấm", "self-score"),
        "cross_check": ("chấm chéo", "cross-check"),
        "verified": ("thẩm định", "verified"),
    },
    "PeriodKind": {
        "year": ("năm", "year"),
        "half": ("6 tháng", "half-year"),
        "quarter": ("quý", "quarter"),
        "month": ("tháng", "month"),
    },
}


#: the names an office uses for a level (the template's drop-down shows these)
OFFICE_LABELS: dict[str, dict[str, str]] = {
    "Level": {
        "central": "Trung ương Đoàn",
        "province": "Tỉnh đoàn",
        "upper_grassroots": "Huyện đoàn",
        "grassroots": "Đoàn cơ sở",
        "branch_group": "Liên chi đoàn",
        "branch": "Chi đoàn",
        "sub_branch": "Phân đoàn",
    },
}
#: more names read as a value (a district-level union is also a city's or a town's)
_MORE_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "Level": {"upper_grassroots": ("Thành đoàn", "Quận đoàn", "Thị đoàn")},
    "ScoreStage": {"self": ("tự chấm điểm", "tự đánh giá", "đơn vị tự chấm"),
                   "cross_check": ("kiểm tra chéo", "cụm trưởng chấm chéo", "chấm chéo cụm"),
                   "verified": ("cấp trên xác nhận", "xác nhận", "đã thẩm định",
                                "thẩm định, xác nhận")},
}


def _key(text: str) -> str:
    import unicodedata  # noqa: PLC0415

    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return folded.replace("uỷ", "ủy")  # the old and the new placing of the tone mark


def office_label(cls: type[LabelledEnum], value: str, lang: str) -> str:
    """The label a workbook shows for *value*: the office's name in Vietnamese (``Huyện
    đoàn``), else the value's label in *lang*."""
    if lang == "vi":
        office = OFFICE_LABELS.get(cls.__name__, {}).get(value)
        if office:
            return office
    vi, en = LABELS[cls.__name__][value]
    return en if lang == "en" else vi[:1].upper() + vi[1:]


def names(cls: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Every name read as a member of *cls* — its code, its labels in both languages, the
    office's names — NFC, case and spacing folded; a name two members share is left out."""
    out: dict[str, LabelledEnum] = {}
    clash: set[str] = set()
    for member in cls:
        said = {member.value, *LABELS[cls.__name__][member.value],
                OFFICE_LABELS.get(cls.__name__, {}).get(member.value, member.value),
                *_MORE_NAMES.get(cls.__name__, {}).get(member.value, ())}
        for name in {_key(s) for s in said}:
            if name in out and out[name] is not member:
                clash.add(name)
            out[name] = member
    for name in clash:
        del out[name]
    return out
