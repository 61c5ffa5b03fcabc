"""
Notebook views: HTML for every result type, DataFrames and plots, in one language.

The language is ``dm.set_language("en")`` for the session (Vietnamese by default), or per
object with ``obj.lang("en")``. Numbers are right-aligned with 2 decimals; every piece of text
goes through :func:`html.escape`. pandas and matplotlib are optional (the ``notebook`` extra):
without them a clear :class:`MissingDependencyError` says how to install them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..engine._engine import WhatIf
from ..exceptions import DoanmodelError
from ..model._i18n import LANGS, Text, language, set_language
from ..rules._context import Report
from ..scoring._census import Census
from ..scoring._scoring import RATINGS, Explanation, Scoreboard
from ..scoring._sensitivity import Sensitivity

__all__ = ["RENDERED", "LangView", "MissingDependencyError", "dataframe", "html_of", "language",
           "plot_scoreboard", "require", "set_language"]

INSTALL = "pip install 'doanmodel[notebook]'"


class MissingDependencyError(DoanmodelError, ImportError):
    """An optional dependency is not installed; the message says how to install it, in the
    session's language (:func:`set_language`); ``.text`` holds both languages."""

    def __init__(self, message: str | Text) -> None:
        self.text = message if isinstance(message, Text) else Text(message, message)
        super().__init__(self.text.get(language()))


def require(module: str) -> Any:
    """Import an optional dependency, or raise an error saying how to install it."""
    import importlib  # noqa: PLC0415

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        name = module.split(".")[0]
        raise MissingDependencyError(Text(f"chưa cài gói {name}: {INSTALL}",
                                          f"{name} is not installed: {INSTALL}")) from exc


def dataframe(records: list[dict[str, Any]], columns: Sequence[str] | None = None) -> Any:
    """A pandas DataFrame of *records* (needs the ``notebook`` extra)."""
    pd = require("pandas")
    return pd.DataFrame.from_records(records, columns=list(columns) if columns else None)


class LangView:
    """
    A result shown in one language: ``board.lang("en")`` in a notebook cell. Its HTML and
    ``plot()`` use that language; every other attribute is the result's own.
    """

    def __init__(self, obj: Any, code: str) -> None:
        if code not in LANGS:
            msg = f"unknown language {code!r} (known: {', '.join(LANGS)})"
            raise ValueError(msg)
        self._obj, self._lang = obj, code

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)

    def __repr__(self) -> str:
        return f"<{type(self._obj).__name__} in {self._lang!r}>"

    def _repr_html_(self) -> str:
        return html_of(self._obj, self._lang)

    def plot(self, *args: Any, **kw: Any) -> Any:
        """The object's plot in this view's language."""
        return self._obj.plot(*args, lang=self._lang, **kw)


# ---------------------------------------------------------------------------- HTML pieces
_STYLE = ("<style>.doanmodel td.num,.doanmodel th.num{text-align:right;"
          "font-variant-numeric:tabular-nums}.doanmodel .warn{color:#b45309}</style>")


def num(value: Any, places: int = 2) -> str:
    """A number with *places* decimals (half-up), or an em dash for a missing one."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return html.escape(str(value))


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Iterable[int] = (),
          places: int = 2, ints: Iterable[int] = ()) -> str:
    """
    An HTML table; columns in *numeric* are numbers, right-aligned with *places* decimals;
    columns in *ints* (ranks, counts) are right-aligned as they are.
    """
    right, whole = set(numeric), set(ints)
    head = "".join(f'<th class="num">{_e(h)}</th>' if i in right | whole else f"<th>{_e(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    for r in rows:
        cells = "".join(f'<td class="num">{num(c, places)}</td>' if i in right else
                        f'<td class="num">{_e(c)}</td>' if i in whole else
                        f"<td>{_e(c)}</td>" for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    return (f"<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _t(lang: str, vi: str, en: str) -> str:
    return Text(vi, en).get(lang)


# ---------------------------------------------------------------------------- per type
def _scoreboard(board: Scoreboard, lang: str) -> str:
    from .scoreboard import award_cell  # noqa: PLC0415

    heads = (["rank", "code", "unit", "total", "core", "bonus", "penalty", "award", "rating"]
             if lang == "en" else ["hạng", "mã", "đơn vị", "tổng", "điểm chính", "thưởng",
                                   "trừ", "khen thưởng", "xếp loại"])
    parts = [_STYLE, f"<h4>{_e(board.criteria_title)} ({_e(board.criteria_id)}, "
                     f"{board.year})</h4>",
             f"<p>{_t(lang, 'Căn cứ', 'Source')}: {_e(board.criteria_source)}; "
             f"{_t(lang, 'tối đa', 'maximum')} {num(board.max_total)}</p>"]
    for c in board.clusters:
        rows = [[s.rank if s.rank is not None else "—", s.unit_id, s.unit_name, s.total,
                 s.core, s.bonus, s.penalty, award_cell(s, lang), RATINGS[s.rating].get(lang)]
                for s in c.standings]
        shown = heads
        if any(s.self_total is not None for s in c.standings):  # the stages of the score
            shown = [*heads, _t(lang, "tự chấm", "self-score"), _t(lang, "chênh lệch",
                                                                   "deviation")]
            for row, s in zip(rows, c.standings):
                row += ["—" if v is None else v for v in (s.self_total, s.deviation)]
        parts.append(f"<h5>{_e(c.name)} ({_e(c.id)})</h5>")
        parts.append(table(shown, rows, numeric=(3, 4, 5, 6, 9, 10), ints=(0,)))
        notes = [n for n in (s.undecided_reason or s.unranked_reason or s.award_reason
                             for s in c.standings) if n is not None]
        parts.extend(f'<p class="warn">{_e(n.get(lang))}</p>' for n in notes)
    return "".join(parts)


def _explanation(ex: Explanation, lang: str) -> str:

    s = ex.standing
    how = {"reported": ("báo cáo", "reported"), "derived": ("từ dữ liệu", "derived"),
           "missing": ("THIẾU", "MISSING")}
    heads = (["criterion", "title", "group", "value", "target", "points", "max", "how",
              "note", "source"] if lang == "en" else
             ["tiêu chí", "nội dung", "nhóm", "giá trị", "chỉ tiêu", "điểm", "tối đa",
              "nguồn số liệu", "ghi chú", "căn cứ"])
    rows = [[c.id + (" (+)" if c.bonus else " (−)" if c.penalty else ""), c.title, c.group,
             c.value, c.target, -c.points if c.penalty and c.points else c.points, c.max,
             how[c.how][lang == "en"], c.note.get(lang) if c.note else "", c.source]
            for c in s.criteria]
    rank = s.rank if s.rank is not None else "—"
    lines = [f"<h4>{_e(s.unit_name)} ({_e(s.unit_id)}) — {_e(ex.cluster.name)}, "
             f"{ex.board.year}</h4>",
             f"<p>{_t(lang, 'Hạng', 'Rank')} {rank}/{len(ex.cluster.standings)}; "
             f"{_t(lang, 'tổng', 'total')} {num(s.total)} = {_t(lang, 'điểm chính', 'core')} "
             f"{num(s.core)} + {_t(lang, 'thưởng', 'bonus')} {num(s.bonus)} − "
             f"{_t(lang, 'trừ', 'penalties')} {num(s.penalty)}; "
             f"{_t(lang, 'xếp loại', 'rating')}: {_e(RATINGS[s.rating].get(lang))}</p>"]
    if s.award:
        from .scoreboard import award_cell  # noqa: PLC0415

        lines.append(f"<p>{_t(lang, 'Khen thưởng', 'Award')}: {_e(award_cell(s, lang))}</p>")
    for note in (s.undecided_reason, s.unranked_reason, s.award_reason):
        if note:
            lines.append(f'<p class="warn">{_e(note.get(lang))}</p>')
    from .explain import stage_story  # noqa: PLC0415

    story = [ln.strip() for ln in stage_story(s, lang, 10_000) if ln.strip()]
    if story:
        lines.append(f"<p><b>{_e(story[0])}</b></p><ul>"
                     + "".join(f"<li>{_e(ln)}</li>" for ln in story[1:]) + "</ul>")
    return _STYLE + "".join(lines) + table(heads, rows, numeric=(3, 4, 5, 6))


def _whatif(w: WhatIf, lang: str) -> str:
    heads = (["cluster", "unit", "rank before", "rank after", "total before", "total after"]
             if lang == "en" else
             ["cụm", "đơn vị", "hạng trước", "hạng sau", "điểm trước", "điểm sau"])
    rows = [[c.cluster_id, c.unit_id, c.rank_before or "—", c.rank_after or "—",
             c.total_before, c.total_after] for c in w.changes]
    head = f"<h4>{_t(lang, 'Thay đổi thứ hạng', 'Rank changes')}</h4>"
    if not rows:
        return head + f"<p>{_t(lang, 'Không có thay đổi.', 'No change.')}</p>" + \
            _scoreboard(w.after, lang)
    return (_STYLE + head + table(heads, rows, numeric=(4, 5), ints=(2, 3))
            + _scoreboard(w.after, lang))


def _report(r: Report, lang: str) -> str:
    s = r.summary()
    heads = (["rule", "subject", "id", "status", "value", "threshold", "message", "source"]
             if lang == "en" else
             ["quy định", "đối tượng", "mã", "kết quả", "giá trị", "ngưỡng", "ghi chú", "căn cứ"])
    shown = list(r.findings[:500])
    from ..model._labels import SUBJECTS, label  # noqa: PLC0415

    rows = [[f.rule, label(SUBJECTS, f.subject_type, lang), f.subject_id,
             f.status.label.get(lang), f.value,
             f.threshold, f.message.get(lang), f.source] for f in shown]
    summary = (f"{s['findings']} findings, {s['pass']} pass, {s['fail']} fail, "
               f"{s['not_applicable']} not applicable, {s['no_data']} no data" if lang == "en"
               else f"{s['findings']} kết quả, {s['pass']} đạt, {s['fail']} không đạt, "
               f"{s['not_applicable']} không áp dụng, {s['no_data']} không đủ dữ liệu")
    if s["absent_tables"]:
        summary += (" — tables not reported: " if lang == "en" else
                    " — bảng không báo cáo: ") + ", ".join(s["absent_tables"])
    more = len(r.findings) - len(shown)
    tail = f"<p>… {more} {_t(lang, 'dòng nữa', 'more')}</p>" if more > 0 else ""
    return (_STYLE + f"<h4>{_e(r.dataset)} — {_e(r.period)}</h4><p>{_e(summary)}</p>"
            + table(heads, rows, numeric=(4, 5)) + tail)


def _census(c: Census, lang: str) -> str:
    from .census import HEAD, rows  # noqa: PLC0415

    head = HEAD[lang]
    title = _t(lang, "Thống kê cán bộ Đoàn", "Cadre census")
    return (_STYLE + f"<h4>{title}: {_e(c.dataset)} — {c.as_of:%d/%m/%Y}</h4>"
            + table(head, rows(c, lang), ints=(1, 2, 3, 4, 5, 6, 7)))


def _sensitivity(s: Sensitivity, lang: str) -> str:
    from .sensitivity import criteria_rows, describe, unit_rows  # noqa: PLC0415

    heads, rows, numeric = unit_rows(s, lang)
    cheads, crows = criteria_rows(s, lang)
    parts = [_STYLE, f"<h4>{_e(describe(s, lang))}</h4>",
             table(heads, rows, numeric=numeric),
             f"<h5>{_t(lang, 'Mức phụ thuộc vào từng tiêu chí', 'Dependence on each criterion')}"
             "</h5>", table(cheads, crows, numeric=(1, 2, 3))]
    parts.append(f"<p>{_e(s.reversal_note.get(lang))}</p>")
    if s.reversals:
        parts.append(table(["cluster", "removed", "ahead", "behind"] if lang == "en" else
                           ["cụm", "bỏ ra", "trước", "sau"],
                           [[r.cluster_id, r.removed, r.ahead, r.behind] for r in s.reversals]))
    return "".join(parts)


def _programmes(r: Any, lang: str) -> str:
    from .programme import html_fragment  # noqa: PLC0415

    return _STYLE + html_fragment(r, lang)


def _rating_html(report: Any, lang: str) -> str:
    from .rating import to_html  # noqa: PLC0415

    page = to_html(report, lang)
    return page[page.index("<h1>"):page.rindex("</body>")]


_RENDER: dict[str, Callable[[Any, str], str]] = {
    "Scoreboard": _scoreboard, "Explanation": _explanation, "WhatIf": _whatif,
    "Report": _report, "Census": _census, "Sensitivity": _sensitivity,
    "ProgrammeReport": _programmes,
    "RatingReport": lambda r, lang: _STYLE + _rating_html(r, lang),
}

#: the result types that have a notebook view
RENDERED = frozenset(_RENDER)


def html_of(obj: Any, lang: str | None = None) -> str:
    """The notebook HTML of a result, in *lang* (else the object's own, else the session's)."""
    own = getattr(obj, "language", None)  # Explanation and Sensitivity carry their own
    code = lang or (own if isinstance(own, str) else None) or language()
    return f'<div class="doanmodel">{_RENDER[type(obj).__name__](obj, code)}</div>'


# ---------------------------------------------------------------------------- plots
def plot_scoreboard(board: Scoreboard, ax: Any = None, lang: str | None = None) -> Any:
    """
    One horizontal bar per ranked unit whose length is its total: the core points left after
    penalties, then the bonus that counts. Value labels at the bar ends; the legend sits
    outside the axes, so it covers no bar.
    """
    code = lang or language()
    plt = require("matplotlib.pyplot")
    rows = [(c, s) for c in board.clusters for s in c.standings]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.35 * len(rows) + 1.5), layout="constrained")
    y = list(range(len(rows)))[::-1]
    totals = [float(s.total) for _, s in rows]
    base = [min(t, max(0.0, float(s.core - s.penalty))) for t, (_, s) in zip(totals, rows)]
    top = [t - b for t, b in zip(totals, base)]
    en = code == "en"
    ax.barh(y, base, label="core, after penalties" if en else "điểm chính (đã trừ điểm trừ)",
            color="tab:blue")
    ax.barh(y, top, left=base, label="bonus counted" if en else "điểm thưởng được tính",
            color="tab:green")
    for yy, t in zip(y, totals):
        ax.text(t, yy, f" {num(t)}", va="center", ha="left", fontsize=8)
    ax.set_yticks(y, [f"{c.id} · {s.unit_name}" for c, s in rows])
    ax.set_xlabel("points" if en else "điểm")
    ax.set_xlim(0, max([float(board.max_total), *totals, 1.0]) * 1.12)
    ax.set_title(f"Total score by unit — {board.criteria_id} ({board.year})" if en else
                  f"Tổng điểm thi đua theo đơn vị — {board.criteria_id} ({board.year})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax
