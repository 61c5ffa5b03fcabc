"""
Checked command-line values: years, seeds, weights, ``--set`` parameters, ids with a did-you-mean,
and warnings for a period without data (docs/cli.md).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ..exceptions import BilingualError, DoanmodelError
from ..model._i18n import Text
from ..model._suggest import suggest
from ._argparser import OptionError

__all__ = [
    "InputError",
    "VersionAction",
    "check_ids",
    "date_arg",
    "localise",
    "parse_set",
    "parse_weights",
    "period_arg",
    "period_warnings",
    "seconds_arg",
    "seed_arg",
    "unknown",
    "year_arg",
]

YEARS = (1900, 2200)
MAX_WEIGHT = Decimal(10) ** 6
MAX_SEED = 2**63 - 1
#: the criteria set's own ``[quality]`` key that replaces each parameter
SHADOWED_BY_SET = {"quality.excellent_share": "excellent", "quality.good_share": "good",
                   "quality.complete_share": "complete", "quality.excellent_cap": "excellent_cap"}


class InputError(BilingualError, ValueError):
    """Bad command-line input, with a message in both languages (``.text``)."""


# ---------------------------------------------------------------------------- argparse types
def year_arg(text: str) -> int:
    """An argparse type: a year from 1900 to 2200."""
    try:
        value = int(text.strip()) if len(text) < 12 else None
    except ValueError:
        value = None
    if value is None or not YEARS[0] <= value <= YEARS[1]:
        shown = repr(text[:20])
        raise OptionError(Text(f"{shown} không phải năm từ {YEARS[0]} đến {YEARS[1]}",
                               f"{shown} is not a year from {YEARS[0]} to {YEARS[1]}"))
    return value


def seed_arg(text: str) -> int:
    """An argparse type: a seed from 0 to 2⁶³ − 1."""
    try:
        value = int(text.strip()) if len(text) < 25 else None
    except ValueError:
        value = None
    if value is None or not 0 <= value <= MAX_SEED:
        shown = repr(text[:20])
        raise OptionError(Text(f"{shown} không phải số nguyên từ 0 đến {MAX_SEED}",
                               f"{shown} is not an integer from 0 to {MAX_SEED}"))
    return value


def date_arg(text: str) -> _dt.date:
    """An argparse type: a date, ``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    from ..model._dates import parse_date  # noqa: PLC0415

    try:
        return parse_date(text)
    except ValueError:
        shown = repr(text)
        raise OptionError(Text(f"{shown} không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY)",
                               f"not a date: {shown} (YYYY-MM-DD or DD/MM/YYYY)")) from None


def period_arg(text: str) -> Any:
    """An argparse type: a period, ``2023``, ``2023-H1``, ``2023-Q1`` or ``2023-03``."""
    from ..model._dates import parse_period  # noqa: PLC0415

    try:
        return parse_period(text)
    except ValueError:
        shown = repr(text)
        raise OptionError(Text(f"{shown} không phải kỳ (2023, 2023-H1, 2023-Q1 hoặc 2023-03)",
                               f"not a period: {shown} (2023, 2023-H1, 2023-Q1 or 2023-03)")
                          ) from None


def seconds_arg(text: str) -> float:
    """An argparse type: a number of seconds, more than 0 and less than a day."""
    try:
        value = float(text)
    except ValueError:
        raise OptionError(Text(f"{text!r} không phải số giây",
                               f"not a number of seconds: {text!r}")) from None
    if not 0 < value < 86_400:
        raise OptionError(Text(f"cần lớn hơn 0 và nhỏ hơn một ngày: {text!r}",
                               f"must be more than 0 and less than a day: {text!r}"))
    return value


# ---------------------------------------------------------------------------- did-you-mean
def unknown(what: Text, word: str, choices: Iterable[str], option: str = "") -> InputError:
    """
    An :class:`InputError` ``OPTION: unknown <what> 'word'; did you mean …?`` (or the known
    ids), *option* naming where the id was given (``--rule``, ``UNIT_ID`` …).
    """
    choices = sorted(set(choices))
    near = suggest(word, choices)
    if near:
        hint = Text(f"; có phải: {', '.join(near)}?", f"; did you mean {', '.join(near)}?")
    elif choices and len(choices) <= 12:
        hint = Text(f" (có: {', '.join(choices)})", f" (known: {', '.join(choices)})")
    else:
        hint = Text("", "")
    where = f"{option}: " if option else ""
    return InputError(Text(f"{where}không có {what.vi} {word[:80]!r}",
                           f"{where}unknown {what.en} {word[:80]!r}") + hint)


UNIT = Text("đơn vị", "unit")
CLUSTER = Text("cụm thi đua", "cluster")
CRITERION = Text("tiêu chí", "criterion")
CRITERIA_SET = Text("bộ tiêu chí", "criteria set")
RULE = Text("quy định", "rule")
PARAMETER = Text("tham số", "parameter")
CADRE = Text("cán bộ", "cadre")


# ---------------------------------------------------------------------------- pairs
def _pair(item: str, option: str) -> tuple[str, str]:
    if "=" not in item:
        raise InputError(Text(f"{option} cần dạng TÊN=GIÁ_TRỊ, không phải {item[:80]!r}",
                              f"{option} must be NAME=VALUE, not {item[:80]!r}"))
    key, value = item.split("=", 1)
    return key.strip(), value.strip()


def _number(option: str, key: str, value: str, *, low: Decimal = Decimal(0),
            high: Decimal = MAX_WEIGHT, integral: bool = False) -> Decimal:
    try:
        d = Decimal(value) if len(value) <= 40 else None
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite() or not low <= d <= high or (
            integral and d != d.to_integral_value()):
        kind = Text("số nguyên", "an integer") if integral else Text("một số", "a number")
        raise InputError(Text(f"{option} {key}: {value[:40]!r} không hợp lệ; cần {kind.vi} từ "
                              f"{low} đến {high}",
                              f"{option} {key}: {value[:40]!r} is not valid; {kind.en} from "
                              f"{low} to {high} is needed"))
    return d


def parse_weights(items: Sequence[str] | None, criteria: Iterable[str]) -> dict[str, Decimal]:
    """``--weight CRITERION=POINTS``: known criterion ids, finite points from 0 to 10⁶."""
    known = list(criteria)
    out: dict[str, Decimal] = {}
    for item in items or ():
        key, value = _pair(item, "--weight")
        if key not in known:
            raise unknown(CRITERION, key, known, "--weight")
        out[key] = _number("--weight", key, value)
    return out


def _typed(key: str, value: str, current: Any) -> Any:
    """*value* converted to the type of the parameter's *current* value."""
    if isinstance(current, bool):
        low = value.lower()
        if low not in ("true", "false"):
            raise InputError(Text(f"--set {key}: cần true hoặc false, không phải {value[:40]!r}",
                                  f"--set {key}: true or false is needed, not {value[:40]!r}"))
        return low == "true"
    if isinstance(current, int):
        return int(_number("--set", key, value, high=Decimal(10) ** 9, integral=True))
    if isinstance(current, (Decimal, float)):
        return _number("--set", key, value, high=Decimal(10) ** 9)
    if isinstance(current, tuple):
        return tuple(p.strip() for p in value.replace(";", ",").split(",") if p.strip())
    return value


def parse_set(items: Sequence[str] | None, params: Any, on: _dt.date,
              quality: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], list[Text]]:
    """
    ``--set NAME=VALUE``: a registered parameter (did-you-mean otherwise), a value of its type,
    and a warning when the criteria set's own value (``[quality]``) shadows it.
    """
    names = params.names()
    out: dict[str, Any] = {}
    warnings: list[Text] = []
    for item in items or ():
        key, value = _pair(item, "--set")
        if key not in names:
            raise unknown(PARAMETER, key, names, "--set")
        history = params.history(key)
        current = next((v.value for v in reversed(history) if v.start <= on), history[-1].value)
        out[key] = _typed(key, value, current)
        own = SHADOWED_BY_SET.get(key)
        if own is not None and quality and own in quality:
            warnings.append(Text(
                f"--set {key} không có tác dụng: bộ tiêu chí tự đặt [quality] {own} = "
                f"{quality[own]}",
                f"--set {key} has no effect: the criteria set sets its own [quality] {own} = "
                f"{quality[own]}"))
    return out, warnings


# ---------------------------------------------------------------------------- ids
def check_ids(*, ids: Sequence[str] | None, known: Iterable[str], what: Text,
              option: str = "") -> None:
    """Raise a did-you-mean :class:`InputError` for the first of *ids* not in *known*."""
    known = list(known)
    for i in ids or ():
        if i not in known:
            raise unknown(what, i, known, option)


# ---------------------------------------------------------------------------- warnings
def period_warnings(ds: Any, start: _dt.date, end: _dt.date) -> list[Text]:
    """A warning when the dataset has dated rows, but none between *start* and *end*."""
    lo, hi = start.toordinal(), end.toordinal()
    dated: list[int] = [v.start.toordinal() for v in ds.visits]
    dated.extend(ds.meetings.date)
    dated.extend(p.start.toordinal() for p in (*(i.period for i in ds.indicators),
                                               *(t.period for t in ds.targets)))
    dated.extend(_dt.date(c.year, 6, 30).toordinal() for c in ds.clusters)
    if not dated or any(lo <= d <= hi for d in dated):
        return []
    first = _dt.date.fromordinal(min(dated)).year
    last = _dt.date.fromordinal(max(dated)).year
    span = str(first) if first == last else f"{first}–{last}"
    when = f"{start.isoformat()} – {end.isoformat()}"
    return [Text(f"bộ dữ liệu không có số liệu nào trong kỳ {when} (số liệu có cho {span}); "
                 "kết quả dưới đây không có ý nghĩa",
                 f"the dataset has no data for {when} (its data covers {span}); "
                 "the results below are not meaningful")]


def warn(warnings: Sequence[Text], lang: str) -> None:
    """Print each warning to stderr in *lang*."""
    word = "warning" if lang == "en" else "cảnh báo"
    for w in warnings:
        sys.stderr.write(f"doanmodel: {word}: {w.get(lang)}\n")


# ---------------------------------------------------------------------------- --version
class VersionAction(argparse.Action):
    """``--version``: doanmodel, the plugin API, and every installed plugin with its version."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        sys.stdout.write(version_text() + "\n")
        parser.exit(0)


def version_text() -> str:
    """``doanmodel X (plugin API Y)`` and one line per plugin."""
    import doanmodel

    from ..hookspecs import PLUGIN_API

    lines = [f"doanmodel {doanmodel.__version__} (plugin API {PLUGIN_API})"]
    try:
        engine = doanmodel.Engine()
        plugins = [p.to_dict() for p in engine.plugins]
    except DoanmodelError as exc:  # a broken plugin must not hide the version
        return "\n".join([*lines, f"  plugins: {exc}"])
    lines.extend(f"  {p['name']} {p['version']}" + (f" ({p['error']})" if p.get("error") else "")
                 for p in plugins)
    return "\n".join(lines)


# ---------------------------------------------------------------------------- engine messages
#: the engine's English-only errors (``_engine.py``) and their Vietnamese form, for the CLI
_ENGINE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"no year given and dataset\.toml has no year",
     "không có năm: hãy dùng --year, hoặc đặt year trong dataset.toml"),
    (r"unknown criteria set (?P<a>.+)", "không có bộ tiêu chí {a}"),
    (r"criteria set (?P<a>.+) is not for (?P<b>\d+)", "bộ tiêu chí {a} không dành cho năm {b}"),
    (r"no criteria set for (?P<a>\d+): add criteria\.toml to the dataset or name one",
     ("không có bộ tiêu chí nào cho năm {a}: hãy thêm criteria.toml vào bộ dữ liệu hoặc dùng "
      "--criteria")),
    (r"no cluster (?P<a>.+) in (?P<b>\d+)", "không có cụm thi đua {a} trong năm {b}"),
    (r"unknown criteria in weights: (?P<a>.+)", "tiêu chí không có trong bộ tiêu chí: {a}"),
    (r"unknown indicator (?P<a>.+)", "không có chỉ số {a}"),
    (r"unknown unit: (?P<a>.+)", "không có đơn vị {a}"),
    (r"unknown rule: (?P<a>'[^']*')(?: \(known: (?P<b>.*)\))?", "không có quy định {a}"),
)


def localise(message: str, lang: str) -> str:
    """An engine error *message* (English) in *lang*; unknown messages stay as they are."""
    if lang == "en":
        return message
    for pattern, vi in _ENGINE_MESSAGES:
        m = re.fullmatch(pattern, message)
        if m:
            return vi.format(**{k: v or "" for k, v in m.groupdict().items()})
    return message
