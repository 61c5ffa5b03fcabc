"""JSON, the readable table, CSV and DataFrame of a cadre :class:`~doanmodel.Census`."""

from __future__ import annotations

from typing import Any

from ..model._labels import UNKNOWN
from ..scoring._census import GROUPS, Census, CensusRow
from .text import csv_text, table

__all__ = ["HEAD", "row_dict", "rows", "to_csv", "to_dataframe", "to_dict", "to_table"]

#: the table's and CSV's column headings, per language
HEAD: dict[str, list[str]] = {
    "vi": ["cấp", "đơn vị", "cán bộ", "UV BCH", "UV BTV", "Bí thư", "Phó Bí thư",
           "chuyên trách", "trình độ"],
    "en": ["level", "units", "cadres", "committee", "standing", "secretaries", "deputies",
           "full-time", "education"]}


def row_dict(r: CensusRow, lang: str = "vi") -> dict[str, Any]:
    """JSON form of one row."""
    return {"group": r.group, "label": GROUPS[r.group].get(lang), "units": r.units,
            "cadres": r.cadres, "committee": r.committee, "standing": r.standing,
            "secretaries": r.secretaries, "deputies": r.deputies,
            "full_time": r.full_time, "education": r.education,
            "age_bands": r.age_bands, "gender": r.gender}


def to_dict(c: Census, lang: str = "vi") -> dict[str, Any]:
    """JSON form of a census."""
    return {"dataset": c.dataset, "as_of": c.as_of.isoformat(),
            "rows": [row_dict(r, lang) for r in c.rows]}


def rows(c: Census, lang: str) -> list[list[Any]]:
    """The table's rows: the level's label, the counts and the education summary."""
    return [[GROUPS[r.group].get(lang), r.units, r.cadres, r.committee, r.standing,
             r.secretaries, r.deputies, r.full_time,
             "; ".join(f"{UNKNOWN.get(lang) if k == 'unknown' else k}: {v}"
                       for k, v in sorted(r.education.items()))]
            for r in c.rows]


def to_table(c: Census, lang: str = "vi") -> str:
    """A readable table."""
    head = ("Cadre census of " if lang == "en" else "Thống kê cán bộ Đoàn ") + \
        f"{c.dataset} — {c.as_of:%d/%m/%Y}"
    return head + "\n\n" + table(HEAD[lang], rows(c, lang),
                                 right=(1, 2, 3, 4, 5, 6, 7)) + "\n"


def to_csv(c: Census, lang: str = "vi") -> str:
    """CSV text."""
    return csv_text(HEAD[lang], rows(c, lang))


def to_dataframe(c: Census, lang: str = "vi") -> Any:
    """A pandas DataFrame of the table (needs the ``notebook`` extra)."""
    from .notebook import dataframe  # noqa: PLC0415 - optional dependency

    return dataframe([dict(zip(HEAD[lang], r)) for r in rows(c, lang)])
