"""A plugin's fault, recorded: :class:`PluginFailure` (plain data, carried by every result).

The boundary that catches faults and records them is :mod:`doanmodel.engine._boundary`.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["KINDS", "PluginFailure", "failure_dict"]

#: failure kinds: ``error`` (raised), ``contract`` (returned the wrong thing), ``scope`` (spoke of
#: units or dates outside its scope), ``conflict`` (two plugins set the same thing), ``load``
#: (could not be loaded), ``timeout`` (ran past ``--plugin-timeout``), ``integrity`` (changed
#: doanmodel's own code or national values, engine/_integrity.py)
KINDS = ("error", "contract", "scope", "conflict", "load", "timeout", "integrity")


@attrs.frozen(kw_only=True)
class PluginFailure:
    """One fault of one plugin in one run: who, where, and what happened."""

    plugin: str
    #: the distribution that installed it and its version (``?`` when unknown)
    package: str = "?"
    version: str = "?"
    #: the rule, hook, indicator or scoring method it failed in (``doanmodel_rules``, ``tg.x`` …)
    where: str
    kind: str = "error"
    #: the exception type's name (``ZeroDivisionError``), or ``ScopeViolation`` and the like
    error: str
    message: str
    #: the message in Vietnamese, when doanmodel wrote it (a conflict, a scope violation, a
    #: timeout); an exception's own message is the plugin's and is shown as it is
    message_vi: str | None = None
    #: the traceback text, kept only when ``DOANMODEL_DEBUG=1``
    traceback: str | None = attrs.field(default=None, eq=False, repr=False)

    def line(self, lang: str = "en") -> str:
        """The one stderr line: ``plugin NAME (package VERSION) failed in WHERE: Exc: msg``
        (in Vietnamese with *lang* ``vi``: ``… bị lỗi ở WHERE: …``)."""
        if lang == "vi":
            return (f"plugin {self.plugin} (gói {self.package} {self.version}) bị lỗi ở "
                    f"{_where_vi(self.where)}: {self.error}: {self.message_vi or self.message}")
        return (f"plugin {self.plugin} ({self.package} {self.version}) failed in {self.where}: "
                f"{self.error}: {self.message}")


#: what a failure's ``where`` starts with, in Vietnamese (hook names are identifiers)
_WHERE_VI = (("scoring method ", "phương pháp chấm "), ("criteria set ", "bộ tiêu chí "),
             ("programme kind ", "loại chương trình "), ("parameter ", "tham số "),
             ("indicator ", "chỉ số "), ("method ", "phương pháp chấm "), ("rule ", "quy tắc "),
             ("import", "nạp gói"), ("register", "đăng ký"))


def _where_vi(where: str) -> str:
    for en, vi in _WHERE_VI:
        if where.startswith(en):
            return vi + where[len(en):]
    return where


def failure_dict(f: PluginFailure) -> dict[str, Any]:
    """The JSON form of a failure (the traceback only when kept)."""
    return attrs.asdict(f, filter=lambda a, v: a.name != "traceback" or v is not None)
