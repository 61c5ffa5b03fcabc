"""
The plugin hooks of doanmodel (contract §4).

A plugin is a module (usually ``hooks.py`` of a ``doanmodel-<province>`` distribution) whose
functions are marked with :data:`hookimpl` and named after the specs below. It is found through
the ``doanmodel`` entry-point group, or passed to ``Engine(plugins=[...])``. Every hook is
optional. See ``docs/plugin-hooks.md`` for one section per hook and ``docs/writing-plugins.md``
for the tutorial.
"""

# mypy: disable-error-code="empty-body"
# pyright: reportReturnType=false
# (a hook spec has a docstring and no body: pluggy calls the plugins' implementations)
from __future__ import annotations

from collections.abc import Iterable, Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # the classes are only named here, so that importing the hooks stays light
    from importlib.resources.abc import Traversable

    from .dataset._dataset import Dataset
    from .dataset._programmes import ProgrammeKind
    from .engine._plugins import PluginInfo
    from .exceptions import Problem
    from .model._params import ParamValue
    from .rules._context import IndicatorDef, Rule
    from .scoring._criteria import CriteriaSet, ScoringMethod

__all__ = ["PLUGIN_API", "hookimpl", "hookspec"]

#: The plugin API version this doanmodel offers. A plugin names the one it targets in
#: :func:`doanmodel_plugin_info` (``api``); a different major version is refused.
PLUGIN_API = 1

hookspec = pluggy.HookspecMarker("doanmodel")
hookimpl = pluggy.HookimplMarker("doanmodel")


@hookspec
def doanmodel_plugin_info() -> PluginInfo | Mapping[str, Any]:
    """Say who the plugin is and where it applies.

    :return: a :class:`doanmodel.PluginInfo` (or a dict of its fields): ``name``, ``version``,
        ``api`` (the plugin API it targets, :data:`PLUGIN_API`), ``provinces`` (unit ids or
        province codes), ``start``/``end`` (dates, inclusive), ``sources`` and ``overrides``
        (the national parameters, rules, indicators or criteria sets it deliberately replaces).
        A plugin without this hook applies everywhere and may override nothing.
    """


@hookspec
def doanmodel_parameters() -> Iterable[ParamValue | Mapping[str, Any]]:
    """Contribute dated parameter values.

    :return: a list of :class:`doanmodel.ParamValue` (or dicts with ``name``, ``from``,
        ``value``, ``source``). A province plugin's values apply only to units of its provinces
        on its dates; replacing a national parameter must be listed in ``overrides``.
    """


@hookspec
def doanmodel_rules() -> Iterable[Rule]:
    """Contribute compliance rules.

    :return: a list of :class:`doanmodel.Rule`. A finding need not name its ``province``: the
        host derives it from the subject on the dataset's dated tree (the province, among the
        plugin's, the subject belonged to during the period) and overwrites whatever the rule
        set; findings about subjects outside the plugin's provinces and dates are dropped.
    """


@hookspec
def doanmodel_indicators() -> Iterable[IndicatorDef]:
    """Contribute derived indicators.

    :return: a list of :class:`doanmodel.IndicatorDef`, each computing unit id → value for the
        context's period.
    """


@hookspec
def doanmodel_scoring_methods() -> Iterable[ScoringMethod]:
    """Contribute criterion scoring methods, by name.

    :return: a list of :class:`doanmodel.ScoringMethod`. Built-in method names (``ratio``,
        ``threshold``, ``steps``, ``boolean``, ``count``, ``rank``) cannot be replaced.
    """


@hookspec
def doanmodel_criteria_sets() -> Iterable[
        CriteriaSet | Mapping[str, Any] | str | PathLike[str] | Traversable]:
    """Contribute criteria sets (bộ tiêu chí).

    :return: a list of :class:`doanmodel.CriteriaSet`, or of paths / package resources of
        TOML files in the ``criteria.toml`` format (or their parsed tables).
    """


@hookspec
def doanmodel_validate(dataset: Dataset) -> Iterable[Problem]:
    """Check a loaded dataset for problems the core does not know about.

    :param dataset: the :class:`doanmodel.Dataset`, read-only.
    :return: a list of :class:`doanmodel.Problem` (file, line, column, message).
    """


@hookspec
def doanmodel_programme_kinds() -> Iterable[ProgrammeKind]:
    """Contribute kinds of work programme (``programmes.toml``: ``kind``), with checklists.

    :return: a list of :class:`doanmodel.ProgrammeKind`: an id, a bilingual title, a source,
        the visit purposes that belong to such a programme, and optionally a topic checklist
        used by programmes of this kind that list no topics. A province plugin's kinds may be
        used only by programmes inside its provinces and dates; a rule judging its checklist
        comes through :func:`doanmodel_rules` (see :func:`doanmodel.programme_topics_rule`).
    """
