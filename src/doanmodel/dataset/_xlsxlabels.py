"""Labels and notes for the dataset's columns in workbooks (template, label row, export)."""

from __future__ import annotations

from ..model._enums import (
    AbsenceReason,
    LabelledEnum,
    Level,
    MeetingKind,
    Role,
    Sector,
    VisitPurpose,
    office_label,
)
from ..model._i18n import Text
from ._csvio import FILES, _bool, _date, _decimal, _ids, _period, _term

__all__ = ["COLUMN_LABELS", "ENUMS", "ENUM_CLASSES", "LEFT_REASONS", "YES_NO", "choices",
           "column_format", "column_note"]

T = Text

#: column → its human label (the optional second header row)
COLUMN_LABELS: dict[str, Text] = {
    "id": T("Mã", "Id"), "name": T("Tên", "Name"), "level": T("Cấp", "Level"),
    "parent_id": T("Mã đơn vị cấp trên", "Parent unit id"), "sector": T("Khối", "Sector"),
    "valid_from": T("Hiệu lực từ", "Valid from"), "valid_to": T("Hiệu lực đến", "Valid to"),
    "successor_id": T("Mã đơn vị kế thừa", "Successor unit id"), "code": T("Mã hành chính", "Code"),
    "birth_date": T("Ngày sinh", "Birth date"), "gender": T("Giới tính", "Gender"),
    "education": T("Trình độ", "Education"), "cadre_id": T("Mã cán bộ", "Cadre id"),
    "unit_id": T("Mã đơn vị", "Unit id"), "role": T("Chức vụ", "Role"),
    "full_time": T("Chuyên trách", "Full-time"), "start": T("Từ ngày", "Start"),
    "end": T("Đến ngày", "End"), "term": T("Nhiệm kỳ", "Term"), "reason": T("Lý do", "Reason"),
    "purpose": T("Nội dung", "Purpose"), "order_ref": T("Số công lệnh", "Travel order"),
    "report_on": T("Ngày nộp báo cáo", "Report filed on"), "date": T("Ngày", "Date"),
    "kind": T("Loại cuộc họp", "Meeting kind"), "chair_id": T("Mã người chủ trì", "Chair id"),
    "attendees": T("Người dự (mã, cách nhau bởi ;)", "Attendees (ids, ; separated)"),
    "cluster_id": T("Mã cụm", "Cluster id"), "branch_id": T("Mã chi đoàn", "Branch id"),
    "joined_on": T("Ngày vào Đoàn", "Joined on"), "left_on": T("Ngày ra Đoàn", "Left on"),
    "left_reason": T("Lý do ra Đoàn", "Reason for leaving"),
    "party_introduced_on": T("Ngày giới thiệu vào Đảng", "Introduced to the Party on"),
    "party_admitted_on": T("Ngày vào Đảng", "Admitted to the Party on"),
    "period": T("Kỳ", "Period"), "indicator": T("Chỉ số", "Indicator"),
    "value": T("Giá trị", "Value"), "evidence": T("Minh chứng", "Evidence"),
    "source": T("Văn bản căn cứ", "Source document"),
    "members": T("Đơn vị thành viên (mã, cách nhau bởi ;)", "Member units (ids, ; separated)"),
    "lead": T("Mã đơn vị cụm trưởng", "Lead unit id"), "year": T("Năm", "Year"),
    "key": T("Khóa", "Key"),
    # the criteria sheet
    "group": T("Nhóm", "Group"), "title": T("Nội dung", "Title"),
    "points": T("Điểm tối đa", "Points"), "method": T("Cách chấm", "Method"),
    "target": T("Chỉ tiêu", "Target"), "parameters": T("Tham số", "Parameters"),
}

#: enumeration columns → allowed values (data-validation lists)
ENUMS: dict[str, tuple[str, ...]] = {
    "level": tuple(v.value for v in Level), "sector": tuple(v.value for v in Sector),
    "role": tuple(v.value for v in Role), "purpose": tuple(v.value for v in VisitPurpose),
    "kind": tuple(v.value for v in MeetingKind), "reason": tuple(v.value for v in AbsenceReason),
    "full_time": ("true", "false"),
}
#: enumeration columns → their enumeration (labels in the drop-down lists)
ENUM_CLASSES: dict[str, type[LabelledEnum]] = {
    "level": Level, "sector": Sector, "role": Role, "purpose": VisitPurpose,
    "kind": MeetingKind, "reason": AbsenceReason,
}
#: what the template's full_time drop-down offers (the loader reads these as true/false)
YES_NO = {"vi": ("Có", "Không"), "en": ("yes", "no")}


def choices(col: str, lang: str) -> tuple[str, ...]:
    """What the drop-down of *col* offers in *lang*: the labels the loader reads."""
    if col == "full_time":
        return YES_NO["en" if lang == "en" else "vi"]
    cls = ENUM_CLASSES[col]
    return tuple(office_label(cls, m.value, lang) for m in cls)


#: reasons for leaving offered in the template (as the synthetic data writes them); the column
#: is free text, so the list only suggests
LEFT_REASONS = ("trưởng thành Đoàn", "chuyển sinh hoạt", "khác")

_MEANING: dict[tuple[str, str], Text] = {
    ("units", "id"): T("mã duy nhất của đơn vị", "the unit's unique id"),
    ("units", "name"): T("tên đơn vị", "the unit's name"),
    ("units", "level"): T("cấp của tổ chức Đoàn", "the unit's level"),
    ("units", "parent_id"): T("đơn vị cấp trên trực tiếp", "the unit directly above"),
    ("units", "valid_from"): T("ngày phiên bản này bắt đầu (trống: từ trước)",
                               "first day of this version (empty: always)"),
    ("units", "valid_to"): T("ngày phiên bản này kết thúc (trống: còn hiệu lực)",
                             "last day of this version (empty: still valid)"),
    ("cadres", "id"): T("mã duy nhất của cán bộ", "the cadre's unique id"),
    ("cadres", "name"): T("họ và tên", "full name"),
    ("visits", "id"): T("mã chuyến đi cơ sở", "the visit's id"),
    ("visits", "end"): T("ngày về (trống: trong ngày)", "last day (empty: same day)"),
    ("meetings", "id"): T("mã cuộc họp", "the meeting's id"),
    ("members", "id"): T("mã đoàn viên", "the member's id"),
    ("indicators", "value"): T("số liệu báo cáo", "the reported number"),
    ("targets", "value"): T("chỉ tiêu được giao", "the target set"),
}

_EXAMPLES: dict[str, str] = {
    "id": "H01", "name": "Huyện đoàn Càng Long", "level": "upper_grassroots",
    "parent_id": "TV", "sector": "rural", "cadre_id": "CB01", "unit_id": "H01",
    "role": "secretary", "full_time": "true", "term": "2022 – 2027", "reason": "maternity",
    "purpose": "survey", "order_ref": "CL-12/TĐTN", "kind": "branch_meeting",
    "chair_id": "CB01", "attendees": "CB01;CB02", "cluster_id": "cum-1", "branch_id": "CD01",
    "left_reason": "trưởng thành Đoàn", "period": "2023-Q1", "indicator": "new_members",
    "value": "120",
    "evidence": "BC 05/2023", "source": "QĐ 12-QĐ/TĐTN", "gender": "F", "education": "Đại học",
    "code": "84", "successor_id": "H02", "members": "H01;H02;H03", "lead": "H01", "year": "2023",
}


def column_format(table: str, col: str) -> Text:
    """How a cell of *col* is written."""
    parser = next(p for c, _, p in FILES[f"{table}.csv"] if c == col)
    if col in ENUM_CLASSES:
        return T("chọn trong danh sách: " + ", ".join(choices(col, "vi")) + " (mã cũng được: "
                 + ", ".join(ENUMS[col]) + ")", "one of: " + ", ".join(ENUMS[col])
                 + " (or its label: " + ", ".join(choices(col, "en")) + ")")
    if parser is _date:
        return T("ngày: ô ngày của Excel, YYYY-MM-DD hoặc DD/MM/YYYY",
                 "a date: an Excel date, YYYY-MM-DD or DD/MM/YYYY")
    if parser is _bool:
        return T("Có hoặc Không (true/false cũng được)", "yes or no (or true/false)")
    if parser is _decimal:
        return T("số; dấu phẩy thập phân (0,81) và phần trăm (85% là 0,85) đều được",
                 "a number; a decimal comma (0,81) and a percentage (85% is 0.85) are read "
                 "too")
    if parser is _period:
        return T("kỳ: 2023, 2023-H1, 2023-Q1 hoặc 2023-03",
                 "a period: 2023, 2023-H1, 2023-Q1 or 2023-03")
    if parser is _term:
        return T("nhiệm kỳ: YYYY – YYYY", "a term: YYYY – YYYY")
    if parser is _ids:
        return T("các mã, cách nhau bởi ;", "ids separated by ;")
    return T("văn bản (mã giữ nguyên số 0 ở đầu khi ô là văn bản)",
             "text (an id keeps its leading zeros when the cell is text)")


def column_note(table: str, col: str, required: bool, lang: str) -> str:
    """The note of a column header: meaning, format, example."""
    label = COLUMN_LABELS.get(col, T(col, col))
    meaning = _MEANING.get((table, col), label)
    example = _EXAMPLES.get(col, "2023-03-15" if column_format(table, col).en.startswith("a date")
                            else "")
    if col in ENUM_CLASSES or col == "full_time":  # the label the drop-down offers
        codes = ("true", "false") if col == "full_time" else ENUMS[col]
        example = choices(col, lang)[codes.index(example)]
    if lang == "en":
        parts = [f"{col}: {meaning.en}" + (" (required)" if required else ""),
                 f"Format: {column_format(table, col).en}"]
        return "\n".join(parts + ([f"Example: {example}"] if example else []))
    parts = [f"{col}: {meaning.vi}" + (" (bắt buộc)" if required else ""),
             f"Cách ghi: {column_format(table, col).vi}"]
    return "\n".join(parts + ([f"Ví dụ: {example}"] if example else []))
