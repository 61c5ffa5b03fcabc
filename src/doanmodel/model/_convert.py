"""
The one cattrs converter of doanmodel: the dataset (``dm.dataset_to_json``) and every result
(``Report.to_json()`` …) go through this object.

It lives in the lowest layer, ``model``, and knows only values: ISO dates, decimals as strings,
periods as written (``2023-H1``), bilingual texts as ``{"vi", "en"}``. The entities need nothing
more. The layers above add what they own by registration on this same object: the result types'
hooks (a finding's free-form ``value``, a rule that describes but does not run …) are registered
by ``doanmodel._output.convert`` when it is imported, so no module of a lower layer has to know
the result classes (see docs/decisions.md, "One converter").
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import cattrs

from ._dates import Period, parse_period
from ._i18n import Text

__all__ = ["converter"]


def _build() -> cattrs.Converter:
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_unstructure_hook(_dt.date, lambda d: d.isoformat())
    c.register_structure_hook(_dt.date, lambda v, _: _dt.date.fromisoformat(v))
    c.register_unstructure_hook(Decimal, str)
    c.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    c.register_unstructure_hook(Period, str)
    c.register_structure_hook(Period, lambda v, _: parse_period(str(v)))
    c.register_unstructure_hook(Text, lambda t: {"vi": t.vi, "en": t.en})
    c.register_structure_hook(Text, lambda v, _: Text(v["vi"], v["en"]))
    return c


#: The converter every doanmodel JSON goes through (dates ISO, decimals as strings).
converter = _build()
