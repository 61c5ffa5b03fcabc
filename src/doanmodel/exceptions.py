"""Every error doanmodel raises; all derive from :class:`DoanmodelError`."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .model._i18n import Text

__all__ = [
    "CriteriaError",
    "DatasetError",
    "DoanmodelError",
    "PluginContractError",
    "PluginError",
    "Problem",
    "UnknownProvinceError",
    "UnknownRuleError",
    "UnknownUnitError",
]


@attrs.frozen
class Problem:
    """
    One problem in the input: where it is and what is wrong.

    Rendered as ``FILE:LINE: COLUMN: message``; *line* is 0 when the problem is about a whole file.
    """

    file: str
    line: int
    column: str
    message: Text

    def render(self, lang: str = "vi") -> str:
        """The one-line form ``FILE:LINE: COLUMN: message``."""
        return f"{self.file}:{self.line}: {self.column}: {self.message.get(lang)}"

    def to_dict(self, lang: str = "vi") -> dict[str, object]:
        """The JSON form of the contract: ``file``, ``line``, ``column``, ``message``."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message.get(lang),
        }

    def __str__(self) -> str:
        return self.render()


class DoanmodelError(Exception):
    """Base of every doanmodel error."""


class BilingualError(DoanmodelError):
    """A :class:`DoanmodelError` with its message in both languages (``.text``): the command
    line prints the run's language; ``str(error)`` is the English one."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def bilingual(vi: str, en: str) -> DoanmodelError:
    """A :class:`DoanmodelError` whose message is *en*, with *vi* beside it (``.text``)."""
    return BilingualError(Text(vi, en))


class DatasetError(DoanmodelError, ValueError):
    """
    A dataset (or another input file) has problems; nothing was loaded.

    Attributes:
        problems: every problem found, in file and line order.
    """

    def __init__(self, problems: Sequence[Problem], omitted: int = 0) -> None:
        self.problems = tuple(problems)
        #: problems found beyond those kept (a file of millions of bad rows keeps the first)
        self.omitted = omitted
        # str(error) is English, as every error's (the CLI prints the run's language)
        head = "\n".join(p.render("en") for p in self.problems[:20])
        more = len(self.problems) + omitted - 20
        if more > 0:
            head += f"\n… {more} more"
        super().__init__(f"{len(self.problems) + omitted} problem(s):\n{head}")


class CriteriaError(DatasetError):
    """A criteria set (bộ tiêu chí) is malformed."""


class UnknownUnitError(DoanmodelError, LookupError):
    """A unit id is not in the dataset."""

    def __init__(self, unit_id: str, known: Sequence[str] = ()) -> None:
        from .model._suggest import suggest  # noqa: PLC0415

        self.unit_id = unit_id
        #: the known ids closest to *unit_id* (case- and accent-insensitive)
        self.suggestions = suggest(unit_id, known) if known else []
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown unit: {unit_id!r}{hint}")


class UnknownProvinceError(DoanmodelError, LookupError):
    """
    No province of the reference list matches a code or name (on a date).

    Attributes:
        province: what was asked for; ``on``: the date, if any; ``message``: bilingual text.
    """

    def __init__(self, province: str, on: object = None, elsewhen: Sequence[str] = ()) -> None:
        self.province = province
        self.on = on
        if on is None:
            self.message = Text(f"không có tỉnh, thành phố nào tên hoặc mã {province!r}",
                                f"no province or city has the name or code {province!r}")
        else:
            tail = Text(f"; chỉ có: {'; '.join(elsewhen)}" if elsewhen else "",
                        f"; only: {'; '.join(elsewhen)}" if elsewhen else "")
            self.message = Text(f"không có tỉnh, thành phố {province!r} vào ngày {on}",
                                f"no province or city {province!r} on {on}") + tail
        super().__init__(self.message.en)


class UnknownRuleError(DoanmodelError, LookupError):
    """A rule id is not registered."""

    def __init__(self, rule_id: str, known: Sequence[str] = ()) -> None:
        self.rule_id = rule_id
        known_text = f" (known: {', '.join(known)})" if known else ""
        super().__init__(f"unknown rule: {rule_id!r}{known_text}")


class PluginError(DoanmodelError):
    """A plugin could not be loaded or failed while running; ``.plugin`` names it."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")


class PluginContractError(PluginError, TypeError):
    """A plugin's hook returned something of the wrong shape."""
