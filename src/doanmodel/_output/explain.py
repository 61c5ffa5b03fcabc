"""The readable form of ``doanmodel explain``: at most 100 columns, criterion titles by group,
each source once as a numbered footnote."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from ..model._enums import ScoreStage
from ..model._i18n import Text, language
from ..scoring._scoring import RATINGS, CriterionScore, Explanation, StageValue, Standing
from .text import _width, fmt_number

__all__ = ["WIDTH", "render", "stage_label", "stage_story"]

WIDTH = 100
_HOW = {"reported": Text("báo cáo", "reported"), "derived": Text("từ dữ liệu", "derived"),
        "missing": Text("THIẾU", "MISSING")}
_HEAD = {"vi": ("tiêu chí", "giá trị", "chỉ tiêu", "điểm", "tối đa", "số liệu", "căn cứ"),
         "en": ("criterion", "value", "target", "points", "max", "data", "source")}
_NO_GROUP = Text("(không nhóm)", "(no group)")


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "    ",
                         break_long_words=True, break_on_hyphens=False) or [indent]


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _summary(expl: Explanation, lang: str) -> list[str]:
    s, en = expl.standing, lang == "en"
    rank = s.rank if s.rank is not None else "—"
    n = len(expl.cluster.standings)
    lines = _wrap(f"{s.unit_name} ({s.unit_id}) — {expl.cluster.name}, {expl.board.year}", WIDTH)
    lines += _wrap(
        (f"Rank {rank} of {n}; total {fmt_number(s.total)} = core {fmt_number(s.core)} + bonus "
         f"{fmt_number(s.bonus)} (of {fmt_number(s.bonus_raw)}) − penalties "
         f"{fmt_number(s.penalty)}") if en else
        (f"Hạng {rank}/{n}; tổng {fmt_number(s.total)} = điểm chính {fmt_number(s.core)} + "
         f"thưởng {fmt_number(s.bonus)} (trên {fmt_number(s.bonus_raw)}) − trừ "
         f"{fmt_number(s.penalty)}"), WIDTH)
    return lines


def render(expl: Explanation) -> str:
    """*expl* (an :class:`~doanmodel.scoring._scoring.Explanation`) as text no wider than 100
    columns."""
    lang = expl.language or language()  # the explanation's language, else the session's
    s = expl.standing
    sources: list[str] = []

    def ref(source: str | None) -> str:
        if not source:
            return ""
        if source not in sources:
            sources.append(source)
        return f"[{sources.index(source) + 1}]"

    lines = _summary(expl, lang)
    set_ref = ref(expl.board.criteria_source)
    lines += _wrap(("Criteria set: " if lang == "en" else "Bộ tiêu chí: ")
                   + f"{expl.board.criteria_title} {set_ref}", WIDTH)
    lines.append("")
    lines += _table(s.criteria, lang, ref)
    notes = [f"{c.title or c.id}: {c.note.get(lang)}" for c in s.criteria if c.note]
    if notes:
        lines.append("")
        lines.append("Notes:" if lang == "en" else "Ghi chú:")
        for note in notes:
            lines += _wrap(note, WIDTH, "  ")
    lines += stage_story(s, lang)
    lines.append("")
    award = s.award_label(lang)
    if award:
        lines += _wrap(("Award: " if lang == "en" else "Khen thưởng: ") + award, WIDTH)
    if s.undecided_reason:
        lines += _wrap(s.undecided_reason.get(lang), WIDTH)
    if s.award_reason:
        lines += _wrap(s.award_reason.get(lang), WIDTH)
    lines.append(("Rating: " if lang == "en" else "Xếp loại: ") + _rating(s.rating, lang))
    if s.unranked_reason:
        lines += _wrap(s.unranked_reason.get(lang), WIDTH)
    from .scoreboard import reconstructed_line  # noqa: PLC0415

    made_up = reconstructed_line(expl.board, lang, unit=s.unit_id)
    if made_up:
        lines += _wrap(made_up, WIDTH)
    lines.append("")
    lines.append("Sources:" if lang == "en" else "Căn cứ:")
    for i, src in enumerate(sources, 1):
        lines += [f"[{i}] " + ln if k == 0 else ln
                  for k, ln in enumerate(_wrap(src, WIDTH - 4 - len(str(i))))]
    return "\n".join(ln.rstrip() for ln in lines)


def _rating(key: str, lang: str) -> str:
    return RATINGS[key].get(lang)


def _table(criteria: Sequence[CriterionScore], lang: str,
           ref: Callable[[str | None], str]) -> list[str]:
    head = _HEAD[lang]
    rows = []
    for c in criteria:
        mark = " (+)" if c.bonus else " (−)" if c.penalty else ""
        rows.append((c.group or _NO_GROUP.get(lang), f"{c.title or c.id}{mark} — {c.id}", [
            fmt_number(c.value), fmt_number(c.target),
            ("-" if c.penalty and c.points else "") + fmt_number(c.points), fmt_number(c.max),
            _HOW[c.how].get(lang) if c.how in _HOW else c.how, ref(c.source)]))
    widths = [max([_width(head[i + 1])] + [_width(r[2][i]) for r in rows]) for i in range(6)]
    first = max(24, WIDTH - sum(widths) - 2 * 6)
    out = ["  ".join([_pad(head[0], first)] + [_pad(h, w, i < 4)
                                                for i, (h, w) in enumerate(zip(head[1:], widths))])]
    out.append("  ".join("-" * w for w in [first, *widths]))
    group = None
    for grp, label, cells in rows:
        if grp != group:
            out.append(grp[:WIDTH])
            group = grp
        wrapped = _wrap(label, first, "  ")
        padded = [_pad(c, w, i < 4) for i, (c, w) in enumerate(zip(cells, widths))]
        out.append("  ".join([_pad(wrapped[0], first), *padded]))
        out += wrapped[1:]
    return out


_FINAL = Text("giá trị cuối (không ghi bước)", "final value (no stage given)")


def stage_label(stage: str | None, lang: str) -> str:
    """The name of a score's stage in *lang* (no stage: the final value)."""
    return _FINAL.get(lang) if stage is None else ScoreStage(stage).label.get(lang)


def _step(v: StageValue, lang: str) -> str:
    who = ", ".join(x for x in (v.by, None if v.on is None else (
        v.on.isoformat() if lang == "en" else f"{v.on:%d/%m/%Y}")) if x)
    used = (" [used]" if lang == "en" else " [dùng]") if v.used else ""
    return f"{stage_label(v.stage, lang)} {fmt_number(v.value)}" + (f" ({who})" if who else "") \
        + used


def stage_story(s: Standing, lang: str, width: int = WIDTH) -> list[str]:
    """The unit's score stage by stage: each figure's values with who gave them and when,
    then its self-score total and the deviation (empty when no figure has a stage)."""
    if not s.stages:
        return []
    en = lang == "en"
    out = ["", "Stages of the score:" if en else "Các bước chấm điểm:"]
    figures: dict[str, list[StageValue]] = {}
    for v in s.stages:
        figures.setdefault(v.indicator, []).append(v)
    for name, steps in figures.items():
        out += _wrap(f"{name}: " + " → ".join(_step(v, lang) for v in steps), width, "  ")
    if s.self_total is None:
        out += _wrap("No self-score this year: no deviation." if en else
                     "Không có điểm tự chấm năm này: không tính chênh lệch.", width, "  ")
    else:
        from .scoreboard import signed  # noqa: PLC0415

        dev = signed(s.deviation) if s.deviation is not None else "—"
        out += _wrap((f"Self-scored total {fmt_number(s.self_total)}; total used "
                      f"{fmt_number(s.total)}; deviation (self − used) {dev}") if en else
                     (f"Tổng tự chấm {fmt_number(s.self_total)}; tổng được dùng "
                      f"{fmt_number(s.total)}; chênh lệch (tự chấm − được dùng) {dev}"),
                     width, "  ")
    if s.deviation_note is not None:
        out += _wrap(s.deviation_note.get(lang), width, "  ")
    return out
