"""
Bilingual labels for identifiers that reach users: finding subjects, census keys, what a plugin
contributes, and award names (one language per run, docs/cli.md).
"""

from __future__ import annotations

from ._i18n import Text

__all__ = ["AWARD_KINDS", "CONTRIBUTES", "SUBJECTS", "UNKNOWN", "award_label", "label"]

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
}

#: keys of what a plugin contributes (``doanmodel plugins``)
CONTRIBUTES: dict[str, Text] = {
    "parameters": Text("tham số", "parameters"),
    "rules": Text("quy định", "rules"),
    "indicators": Text("chỉ số", "indicators"),
    "scoring_methods": Text("phương pháp chấm", "scoring methods"),
    "criteria_sets": Text("bộ tiêu chí", "criteria sets"),
    "validators": Text("kiểm tra dữ liệu", "validators"),
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
