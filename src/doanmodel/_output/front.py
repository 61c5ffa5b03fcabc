"""
The front door to every format: ``dm.to_table(x)``, ``dm.to_json(x)``, ``dm.to_csv(x)``,
``dm.to_html(x)``, ``dm.to_records(x)``, ``dm.to_dataframe(x)``, ``dm.write_excel(x, path)``,
``dm.plot(x)`` … for every result type.

The results (``Report``, ``Finding``, ``Scoreboard``, ``ClusterBoard``, ``Standing``,
``CriterionScore``, ``Explanation``, ``WhatIf``, ``Census``, ``CensusRow``, ``Sensitivity``,
``ProgrammeReport``) are plain frozen data and know nothing of formats; each function here is a
:func:`functools.singledispatch` over their classes, handing the work to the module of that type
(:mod:`.report`, :mod:`.scoreboard`, :mod:`.census`, …). A type without a format raises a
``TypeError`` naming both. To add a format for a type: ``@to_table.register(MyType)``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import IO, Any, TypeVar

from ..engine._engine import WhatIf
from ..engine._programme_report import ProgrammeReport
from ..model._i18n import language
from ..model._rating import RatingReport
from ..rules._context import Finding, Report
from ..scoring._census import Census, CensusRow
from ..scoring._scoring import ClusterBoard, CriterionScore, Explanation, Scoreboard, Standing
from ..scoring._sensitivity import Sensitivity
from . import census as _census
from . import convert as _convert
from . import excel as _excel
from . import explain as _explain
from . import notebook as _notebook
from . import programme as _programme
from . import rating as _rating
from . import report as _report
from . import scoreboard as _scoreboard
from . import sensitivity as _sensitivity
from . import whatif as _whatif

__all__ = ["from_dict", "from_json", "in_language", "notebook_html", "plot", "to_csv",
           "to_dataframe", "to_dict", "to_html", "to_json", "to_records", "to_table",
           "to_text", "write_csv", "write_excel", "write_json"]

T = TypeVar("T")


def _none(what: str, result: object) -> TypeError:
    return TypeError(f"doanmodel has no {what} for {type(result).__name__}")


def _lang(result: Explanation | Sensitivity, lang: str | None) -> str:
    """The language asked, else the one the result carries, else the session's."""
    return lang or result.language or language()


# ---------------------------------------------------------------------------- JSON-ready data
@functools.singledispatch
def to_dict(result: object, lang: str | None = None) -> dict[str, Any]:
    """*result* as JSON-ready data in the contract's shape, in *lang*."""
    raise _none("JSON form", result)


@to_dict.register(Finding)
def _(result: Finding, lang: str | None = None) -> dict[str, Any]:
    return _report.finding_dict(result, lang or "vi")


@to_dict.register(Report)
def _(result: Report, lang: str | None = None) -> dict[str, Any]:
    return _report.report_dict(result, lang or "vi")


@to_dict.register(CriterionScore)
def _(result: CriterionScore, lang: str | None = None) -> dict[str, Any]:
    return _scoreboard.criterion_dict(result, lang or "vi")


@to_dict.register(Standing)
def _(result: Standing, lang: str | None = None) -> dict[str, Any]:
    return _scoreboard.standing_dict(result, lang or "vi")


@to_dict.register(ClusterBoard)
def _(result: ClusterBoard, lang: str | None = None) -> dict[str, Any]:
    return _scoreboard.cluster_dict(result, lang or "vi")


@to_dict.register(Scoreboard)
def _(result: Scoreboard, lang: str | None = None) -> dict[str, Any]:
    return _scoreboard.to_dict(result, lang or "vi")


@to_dict.register(Explanation)
def _(result: Explanation, lang: str | None = None) -> dict[str, Any]:
    return _scoreboard.explanation_dict(result, _lang(result, lang))


@to_dict.register(CensusRow)
def _(result: CensusRow, lang: str | None = None) -> dict[str, Any]:
    return _census.row_dict(result, lang or "vi")


@to_dict.register(Census)
def _(result: Census, lang: str | None = None) -> dict[str, Any]:
    return _census.to_dict(result, lang or "vi")


@to_dict.register(Sensitivity)
def _(result: Sensitivity, lang: str | None = None) -> dict[str, Any]:
    return _sensitivity.to_dict(result, _lang(result, lang))


@to_dict.register(ProgrammeReport)
def _(result: ProgrammeReport, lang: str | None = None) -> dict[str, Any]:
    return _programme.to_dict(result, lang or "vi")


@to_dict.register(RatingReport)
def _(result: RatingReport, lang: str | None = None) -> dict[str, Any]:
    return _rating.to_dict(result, lang or "vi")


# ---------------------------------------------------------------------------- JSON text
@functools.singledispatch
def to_json(result: object, lang: str | None = None, *, exact: bool = False,
            **kw: Any) -> str:
    """
    JSON text of *result*: the contract's shape in *lang* (:func:`to_dict`), whose ``exact``
    keys keep it lossless (:func:`from_json` reads it back equal), or with *exact* the
    converter's form. *kw* goes to :func:`json.dumps` (``indent=2`` …).
    """
    if exact:
        return _convert.to_json(result, **kw)
    return json.dumps(to_dict(result, lang), ensure_ascii=False, **kw)


@to_json.register(WhatIf)
def _(result: WhatIf, lang: str | None = None, *, exact: bool = True, **kw: Any) -> str:
    return _convert.to_json(result, **kw)  # a what-if has no contract shape: always exact


@to_json.register(Sensitivity)
def _(result: Sensitivity, lang: str | None = None, *, exact: bool = False, **kw: Any) -> str:
    if exact:
        return _convert.to_json(result, **kw)
    return _sensitivity.to_json(result, _lang(result, lang), **kw)


@to_json.register(Explanation)
def _(result: Explanation, lang: str | None = None, *, exact: bool = False, **kw: Any) -> str:
    # the explanation's dict plus its board and language, so that it reads back equal
    shown = result if lang is None else result.lang(lang)
    return _scoreboard.explanation_json(shown, exact=exact, **kw)


@to_json.register(ProgrammeReport)
def _(result: ProgrammeReport, lang: str | None = None, *, exact: bool = False,
      **kw: Any) -> str:
    if exact:
        return _convert.to_json(result, **kw)
    return _programme.to_json(result, lang or "vi", **kw)


@to_json.register(RatingReport)
def _(result: RatingReport, lang: str | None = None, *, exact: bool = False,
      **kw: Any) -> str:
    if exact:
        return _convert.to_json(result, **kw)
    return _rating.to_json(result, lang or "vi", **kw)


#: how a class reads back from :func:`to_dict` data
_FROM_DICT: dict[type, Callable[[Any, Mapping[str, Any]], Any]] = {
    Scoreboard: _scoreboard.from_dict,
    ClusterBoard: _scoreboard.cluster_from_dict,
    Standing: _scoreboard.standing_from_dict,
    CriterionScore: _scoreboard.criterion_from_dict,
}


def from_json(cls: type[T], text: str | bytes) -> T:
    """Read a *cls* back from JSON text: its default :func:`to_json` (the contract's shape,
    whose ``exact`` keys keep it lossless; computed keys such as ``summary`` are ignored) or
    the converter's form of ``to_json(x, exact=True)``.

    Raises:
        DoanmodelError: the text is not a *cls*.
    """
    out: T = _convert.loads(text, cls)
    return out


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Read a *cls* back from its :func:`to_dict` data (a board and its parts)."""
    reader = _FROM_DICT.get(cls)
    if reader is None:
        raise TypeError(f"doanmodel reads no {cls.__name__} from its JSON form")
    out: T = reader(cls, data)
    return out


def write_json(result: Report, stream: IO[str], lang: str = "vi") -> None:
    """Write a report's contract JSON to *stream*, one finding at a time."""
    if not isinstance(result, Report):
        raise _none("streamed JSON", result)
    _report.write_json(result, stream, lang)


def write_csv(result: Report, stream: IO[str], lang: str = "vi") -> None:
    """Write a report's CSV to *stream*, one finding at a time."""
    if not isinstance(result, Report):
        raise _none("streamed CSV", result)
    _report.write_csv(result, stream, lang)


# ---------------------------------------------------------------------------- text, CSV, rows
@functools.singledispatch
def to_table(result: object, lang: str | None = None) -> str:
    """A readable text table of *result* in *lang*."""
    raise _none("table", result)


@to_table.register(Report)
def _(result: Report, lang: str | None = None, *, only_failed: bool = False) -> str:
    return _report.to_table(result, lang or "vi", only_failed=only_failed)


@to_table.register(Scoreboard)
def _(result: Scoreboard, lang: str | None = None) -> str:
    return _scoreboard.to_table(result, lang or "vi")


@to_table.register(WhatIf)
def _(result: WhatIf, lang: str | None = None) -> str:
    return _whatif.to_table(result, lang or "vi")


@to_table.register(Census)
def _(result: Census, lang: str | None = None) -> str:
    return _census.to_table(result, lang or "vi")


@to_table.register(Sensitivity)
def _(result: Sensitivity, lang: str | None = None) -> str:
    return _sensitivity.to_table(result, _lang(result, lang))


@to_table.register(ProgrammeReport)
def _(result: ProgrammeReport, lang: str | None = None) -> str:
    return _programme.to_table(result, lang or "vi")


@to_table.register(RatingReport)
def _(result: RatingReport, lang: str | None = None) -> str:
    return _rating.to_table(result, lang or "vi")


@to_table.register(Explanation)
def _(result: Explanation, lang: str | None = None) -> str:
    return _explain.render(result if lang is None else result.lang(lang))


@functools.singledispatch
def to_text(result: object) -> str:
    """``str(result)``: the readable form of an explanation; a result's ``repr`` otherwise."""
    return repr(result)


@to_text.register(Explanation)
def _(result: Explanation) -> str:
    return _explain.render(result)


@functools.singledispatch
def to_csv(result: object, lang: str | None = None) -> str:
    """CSV text of *result* in *lang*, with a header row."""
    raise _none("CSV", result)


@to_csv.register(Report)
def _(result: Report, lang: str | None = None) -> str:
    return _report.to_csv(result, lang or "vi")


@to_csv.register(Scoreboard)
def _(result: Scoreboard, lang: str | None = None) -> str:
    return _scoreboard.to_csv(result, lang or "vi")


@to_csv.register(Census)
def _(result: Census, lang: str | None = None) -> str:
    return _census.to_csv(result, lang or "vi")


@to_csv.register(Sensitivity)
def _(result: Sensitivity, lang: str | None = None) -> str:
    return _sensitivity.to_csv(result, _lang(result, lang))


@to_csv.register(RatingReport)
def _(result: RatingReport, lang: str | None = None) -> str:
    return _rating.to_csv(result, lang or "vi")


@to_csv.register(ProgrammeReport)
def _(result: ProgrammeReport, lang: str | None = None) -> str:
    return _programme.to_csv(result, lang or "vi")


@functools.singledispatch
def to_records(result: object, lang: str | None = None) -> list[dict[str, Any]]:
    """One flat dict per row of *result* (finding, unit, programme and unit …)."""
    raise _none("records", result)


@to_records.register(Report)
def _(result: Report, lang: str | None = None) -> list[dict[str, Any]]:
    return _report.records(result, lang or "vi")


@to_records.register(Scoreboard)
def _(result: Scoreboard, lang: str | None = None) -> list[dict[str, Any]]:
    return _scoreboard.to_records(result, lang or "vi")


@to_records.register(Sensitivity)
def _(result: Sensitivity, lang: str | None = None) -> list[dict[str, Any]]:
    return _sensitivity.to_records(result, _lang(result, lang))


@to_records.register(RatingReport)
def _(result: RatingReport, lang: str | None = None) -> list[dict[str, Any]]:
    return _rating.records(result, lang or "vi")


@to_records.register(ProgrammeReport)
def _(result: ProgrammeReport, lang: str | None = None) -> list[dict[str, Any]]:
    return _programme.to_records(result, lang or "vi")


@functools.singledispatch
def to_dataframe(result: object, lang: str | None = None) -> Any:
    """A pandas DataFrame of *result* (needs the ``notebook`` extra)."""
    raise _none("DataFrame", result)


@to_dataframe.register(Report)
def _(result: Report, lang: str | None = None) -> Any:
    return _report.to_dataframe(result, lang or "vi")


@to_dataframe.register(Scoreboard)
@to_dataframe.register(Sensitivity)
def _(result: Scoreboard | Sensitivity, lang: str | None = None) -> Any:
    return _notebook.dataframe(to_records(result, lang))


@to_dataframe.register(Census)
def _(result: Census, lang: str | None = None) -> Any:
    return _census.to_dataframe(result, lang or "vi")


@to_dataframe.register(ProgrammeReport)
def _(result: ProgrammeReport, lang: str | None = None) -> Any:
    return _programme.to_dataframe(result, lang or "vi")


# ---------------------------------------------------------------------------- HTML, plots, Excel
def notebook_html(result: object, lang: str | None = None) -> str | None:
    """The notebook HTML of *result* (``None``: it has none, and a notebook shows its text)."""
    if type(result).__name__ not in _notebook.RENDERED:
        return None
    return _notebook.html_of(result, lang)


def to_html(result: object, lang: str | None = None) -> str:
    """HTML of *result*: a self-contained page for a programme report, the notebook view's
    HTML for the other results."""
    if isinstance(result, ProgrammeReport):
        return _programme.to_html(result, lang or "vi")
    if isinstance(result, RatingReport):
        return _rating.to_html(result, lang or "vi")
    html = notebook_html(result, lang)
    if html is None:
        raise _none("HTML", result)
    return html


def in_language(result: object, code: str) -> Any:
    """*result* shown in *code* (``"vi"`` or ``"en"``) in a notebook."""
    if isinstance(result, (Explanation, Sensitivity)):
        return result.lang(code)  # these carry their language themselves
    return _notebook.LangView(result, code)


@functools.singledispatch
def plot(result: object, ax: Any = None, lang: str | None = None) -> Any:
    """A matplotlib plot of *result* on *ax* (new axes when ``None``); returns the Axes
    (needs the ``notebook`` extra)."""
    raise _none("plot", result)


@plot.register(Scoreboard)
def _(result: Scoreboard, ax: Any = None, lang: str | None = None) -> Any:
    return _notebook.plot_scoreboard(result, ax, lang)


@plot.register(Sensitivity)
def _(result: Sensitivity, ax: Any = None, lang: str | None = None) -> Any:
    return _sensitivity.plot(result, ax, _lang(result, lang))


def write_excel(result: Scoreboard | Report | Census, path: Any, lang: str = "vi", *,
                force: bool = False) -> None:
    """An office-ready workbook of *result* at *path* (:func:`doanmodel._output.excel
    .write_excel`)."""
    _excel.write_excel(result, path, lang, force=force)
