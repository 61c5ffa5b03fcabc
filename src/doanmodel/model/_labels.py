"""
Bilingual labels for identifiers that reach users: finding subjects, census keys, what a plugin
contributes, and award names (one language per run, docs/cli.md).
"""

from __future__ import annotations

from ._i18n import Text

__all__ = ["AWARD_KINDS", "CONTRIBUTES", "SUBJECTS", "TOML_ERRORS", "UNKNOWN", "award_label",
           "label", "toml_error"]

#: ``Finding.subject_type`` → label
SUBJECTS: dict[str, Text] = {
    "cadre": Text("cán bộ", "cadre"),
    "unit": Text("đơn vị", "unit"),
    "visit": Text("đợt đi cơ sở", "visit"),
    "member": Text("đoàn viên", "member"),
    "meeting": Text("cuộc họp", "meeting"),
    "position": Text("chức vụ", "position"),
    "indicator": Text("chỉ số", "indicator"),
    "target": Text("chỉ tiêu", "target"),
    "cluster": Text("cụm thi đua", "cluster"),
    "programme": Text("chương trình", "programme"),
    "recommendation": Text("kiến nghị", "recommendation"),
}

#: keys of what a plugin contributes (``doanmodel plugins``)
CONTRIBUTES: dict[str, Text] = {
    "parameters": Text("tham số", "parameters"),
    "rules": Text("quy định", "rules"),
    "indicators": Text("chỉ số", "indicators"),
    "scoring_methods": Text("phương pháp chấm", "scoring methods"),
    "criteria_sets": Text("bộ tiêu chí", "criteria sets"),
    "validators": Text("kiểm tra dữ liệu", "validators"),
    "programme_kinds": Text("loại chương trình công tác", "programme kinds"),
}

#: a value the data does not give (census education, gender, age)
UNKNOWN = Text("không rõ", "unknown")

#: award kinds of Vietnamese emulation rules (Luật Thi đua, khen thưởng 2022) → English
AWARD_KINDS: dict[str, str] = {
    "cờ thi đua": "Emulation flag",
    "bằng khen": "Certificate of merit",
    "giấy khen": "Certificate of commendation",
    "tập thể lao động xuất sắc": "Excellent collective",
    "chiến sĩ thi đua": "Emulation soldier",
}


def label(table: dict[str, Text], key: str, lang: str) -> str:
    """*key*'s label in *lang*, or *key* itself when it has none."""
    text = table.get(key)
    return text.get(lang) if text is not None else key


def award_label(title: str | None, title_en: str | None, lang: str) -> str | None:
    """
    An award's name in *lang*. English uses the criteria set's ``title_en``; without one, the
    award kind is translated and marked ``(auto)`` (``Cờ thi đua của BCH …`` → ``Emulation flag
    (auto)``), and an unknown kind keeps its title marked ``(vi)``.
    """
    if title is None or lang != "en":
        return title
    if title_en:
        return title_en
    low = title.casefold()
    for kind, english in AWARD_KINDS.items():
        if low.startswith(kind):
            return f"{english} (auto)"
    return f"{title} (vi)"


#: tomllib's messages (English only) → Vietnamese; ``{x}`` is the key or character it names
TOML_ERRORS: tuple[tuple[str, str], ...] = (
    (r"Cannot overwrite a value", "không được ghi đè một giá trị"),
    (r"Escaped character is not a Unicode scalar value", "ký tự thoát không phải ký tự Unicode"),
    (r"Expected '=' after a key in a key/value pair", "thiếu '=' sau khóa"),
    (r"Expected ']' at the end of a table declaration", "thiếu ']' ở cuối tên bảng"),
    (r"Expected ']]' at the end of an array declaration", "thiếu ']]' ở cuối tên mảng bảng"),
    (r"Expected newline or end of document after a statement", "thiếu xuống dòng sau câu lệnh"),
    (r"Invalid date or datetime", "ngày hoặc thời điểm không hợp lệ"),
    (r"Invalid hex value", "giá trị hex không hợp lệ"),
    (r"Invalid initial character for a key part", "ký tự đầu của khóa không hợp lệ"),
    (r"Invalid statement", "câu lệnh không hợp lệ"),
    (r"Invalid value", "giá trị không hợp lệ"),
    (r"Unclosed array", "mảng chưa đóng"),
    (r"Unclosed inline table", "bảng nội dòng chưa đóng"),
    (r"Unescaped '\\' in a string", "dấu '\\' chưa thoát trong chuỗi"),
    (r"Unterminated string", "chuỗi chưa đóng"),
    (r"Cannot declare (?P<x>.+) twice", "khai báo {x} hai lần"),
    (r"Cannot mutate immutable namespace (?P<x>.+)", "không được sửa bảng {x}"),
    (r"Cannot redefine namespace (?P<x>.+)", "không được định nghĩa lại bảng {x}"),
    (r"Duplicate inline table key (?P<x>.+)", "khóa {x} lặp lại trong bảng nội dòng"),
    (r"Found invalid character (?P<x>.+)", "ký tự không hợp lệ {x}"),
    (r"Illegal character (?P<x>.+)", "ký tự không được phép {x}"),
)


def toml_error(message: str) -> Text:
    """A tomllib error *message* (``… (at line L, column C)``) in both languages."""
    import re  # noqa: PLC0415

    head = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", message)
    for pattern, vi in TOML_ERRORS:
        m = re.fullmatch(pattern, head)
        if m:
            return Text(f"TOML sai cú pháp: {vi.format(**m.groupdict())}", f"bad TOML: {head}")
    return Text("TOML sai cú pháp", f"bad TOML: {head}")
