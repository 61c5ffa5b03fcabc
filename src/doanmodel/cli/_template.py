"""``doanmodel new-plugin``: write a working province plugin package to start from."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from ..model._i18n import Text
from ._cliargs import InputError

__all__ = ["new_plugin"]

_PYPROJECT = '''[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "doanmodel-{name}"
version = "0.1.0"
description = {description}
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["doanmodel>=0.1"]

[project.entry-points.doanmodel]
{name} = "doanmodel_{module}.hooks"

[tool.hatch.build.targets.wheel]
packages = ["src/doanmodel_{module}"]
'''

_HOOKS = '''"""Hook implementations of this plugin (only hooks; the values are in plugin.toml and
parameters.toml)."""

from __future__ import annotations

import sys
from importlib.resources import files
from typing import Any

from doanmodel import PLUGIN_API, hookimpl

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HERE = files(__package__)
PLUGIN = tomllib.loads((_HERE / "plugin.toml").read_text(encoding="utf-8"))
PARAMETERS = tomllib.loads((_HERE / "parameters.toml").read_text(encoding="utf-8"))


@hookimpl
def doanmodel_plugin_info() -> dict[str, Any]:
    return {{"name": PLUGIN["name"], "version": PLUGIN["version"], "api": PLUGIN_API,
            "title": PLUGIN["title"], "provinces": list(PLUGIN["provinces"]),
            "start": PLUGIN.get("start"), "end": PLUGIN.get("end"),
            "sources": sorted({{p["source"] for p in PARAMETERS["parameter"]}}),
            "overrides": sorted({{p["name"] for p in PARAMETERS["parameter"]}})}}


@hookimpl
def doanmodel_parameters() -> list[dict[str, Any]]:
    return list(PARAMETERS["parameter"])
'''

_PARAMETERS = '''\
# Dated values this province sets instead of the national ones (docs/parameters.md lists the
# names). Every value needs the document it comes from. Replace this example with yours.
[[parameter]]
name = "visits.min_days"
from = 2018-01-01
value = 60
source = {param_source}
'''

_TEST = '''"""Tests for this plugin (its name, title and province are in plugin.toml)."""

from doanmodel.testing import check_conformance, plugin_engine, tiny_dataset
from doanmodel_{module} import hooks


def test_only_my_province():
    """The plugin's values apply to its province; another province keeps the national ones."""
    province = {province_py}
    ds = tiny_dataset((province, "OTHER"), year={year})
    report = plugin_engine(hooks).check(ds, {year}, rules=["visits.quota"])
    mine = report.finding("visits.quota", province + "-CB1")
    assert mine.threshold == 60  # change to your province's value
    assert report.finding("visits.quota", "OTHER-CB1").threshold == 60


def test_conformance():
    """The plugin passes doanmodel's conformance check."""
    assert check_conformance(hooks) == []
'''

_README = '''# doanmodel-{name}

A doanmodel plugin for **{title}** (province `{province}`). Start here: put your province's
values in `src/doanmodel_{module}/parameters.toml`, add rules or a criteria set in `hooks.py`
(see doanmodel's docs/writing-plugins.md), then:

    pip install -e . pytest hypothesis
    pytest tests
    pytest --doanmodel-conformance pyproject.toml
'''


def _toml_str(text: str) -> str:
    """*text* as a TOML basic string (every character that needs it escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif unicodedata.category(ch)[0] == "C":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _checked(option: str, value: object, limit: int) -> str:
    """*value* when it is one printable line without surrounding spaces; else ValueError."""
    if not isinstance(value, str):  # argparse gives a list for ``--province=--``
        value = ""
    bad = next((ch for ch in value if unicodedata.category(ch)[0] == "C"
                or unicodedata.category(ch) in ("Zl", "Zp")), None)
    if bad is not None:
        raise InputError(Text(
            f"{option}: không được có ký tự điều khiển hoặc ký tự ẩn U+{ord(bad):04X} "
            "(chỉ một dòng in được)",
            f"{option}: control or invisible character U+{ord(bad):04X} is not allowed "
            "(one printable line)"))
    if not value.strip() or value != value.strip() or len(value) > limit:
        raise InputError(Text(
            f"{option}: cần 1 đến {limit} ký tự, không để trống, không có khoảng trắng ở hai đầu",
            f"{option}: must be 1 to {limit} characters, not blank and without surrounding "
            "spaces"))
    return value


def _fields(name: str, province: str, title: str, start: str | None,
            end: str | None) -> dict[str, object]:
    year = int((end or "2024-12-31")[:4]) - (1 if end else 0)
    plugin = [f"name = {_toml_str(name)}", 'version = "0.1.0"', f"title = {_toml_str(title)}",
              f"provinces = [{_toml_str(province)}]"]
    plugin += [f"{k} = {_toml_str(v)}" for k, v in (("start", start), ("end", end)) if v]
    return {"name": name, "module": name, "province": province, "title": title, "year": year,
            "province_py": repr(province),
            "description": _toml_str(f"doanmodel plugin for {title}"),
            "param_source": _toml_str(f"Kế hoạch … của Ban Thường vụ {title} "
                                      "(replace with the real document)"),
            "plugin_toml": "# What doanmodel shows about this plugin; edit freely.\n"
                           + "\n".join(plugin) + "\n"}


def _province(value: str, start: str | None, end: str | None) -> tuple[str, str | None]:
    """*value* and *end* as the plugin will declare them: a province's name becomes its code; a
    province that ceased (30/6/2025) gets that day as its end when ``--end`` is not given; a code
    that does not exist is refused (issue 23)."""
    import datetime as _dt  # noqa: PLC0415

    from ..engine._provinces import as_code, province_problems  # noqa: PLC0415

    try:
        first = _dt.date.fromisoformat(start) if start else None
        last = _dt.date.fromisoformat(end) if end else None
    except ValueError:
        return value, end  # the date itself is refused where it is read
    code = as_code(value, first, last)
    wrong = province_problems([code], first, last)
    ref = _reference_code(code)
    if wrong and code == value and ref is not None and last is None and ref.valid_to and \
            not province_problems([code], first, ref.valid_to):
        return code, ref.valid_to.isoformat()  # a merged province ends on its last day
    if wrong and code != value:  # a name: say which code fits which dates
        from ..dataset._reference import lookup_provinces  # noqa: PLC0415

        spans = ", ".join(f"{p.code} ({p.valid_from or '…'} – {p.valid_to or '…'})"
                          for p in lookup_provinces(value))
        raise InputError(Text(
            f"--province {value[:60]!r}: là tên tỉnh; dùng mã: {spans}, với --start/--end "
            "trong thời gian đó",
            f"--province {value[:60]!r}: is a province's name; use a code: {spans}, with "
            "--start/--end inside its dates"))
    if wrong:
        raise InputError(Text(f"--province {value[:60]!r}: {wrong[0].vi}",
                              f"--province {value[:60]!r}: {wrong[0].en}"))
    return code, end


def _reference_code(code: str) -> Any:
    from ..dataset._reference import provinces  # noqa: PLC0415

    return next((p for p in provinces() if p.code == code), None)


def new_plugin(out: str | Path, *, name: str, province: str, title: str | None = None,
               start: str | None = None, end: str | None = None) -> Path:
    """
    Write a working plugin package for *province* at *out* (which must not exist or be empty).

    *name* is the entry-point name (lower case letters, digits, underscores); *start* and
    *end* are ISO dates bounding where it applies (a merged province ends on 2025-06-30).
    *province* is a province code (a province's name is turned into its code; a code that does
    not exist, or a province that ceased before *end*, is refused) or a unit id.
    *province* and *title* must each be one printable line; they reach the generated code only
    as data (``plugin.toml``) or Python literals, never as code.

    Raises:
        InputError: a value cannot be valid (the message names the option), or *out* is
            not empty.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
        raise InputError(Text(
            f"--name {name[:60]!r}: dùng 1 đến 40 chữ thường, chữ số và _ (bắt đầu bằng chữ)",
            f"--name {name[:60]!r}: use 1 to 40 lower-case letters, digits and _ (a letter "
            "first)"))
    province = _checked("--province", province, 64)
    title = _checked("--title", title, 200) if title is not None else f"Tỉnh đoàn {province}"
    for option, day in (("--start", start), ("--end", end)):
        if day is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise InputError(Text(f"{option} {day[:20]!r}: cần ngày dạng YYYY-MM-DD",
                                  f"{option} {day[:20]!r}: an ISO date is needed"))
    province, end = _province(province, start, end)
    root = Path(out)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        msg = f"{root} is not empty; doanmodel never overwrites files"
        raise InputError(Text(f"{root} không trống; doanmodel không bao giờ ghi đè tệp", msg))
    fields = _fields(name, province, title, start, end)
    module = name
    pkg = root / "src" / f"doanmodel_{module}"
    (root / "tests").mkdir(parents=True, exist_ok=True)
    pkg.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(_PYPROJECT.format(**fields), encoding="utf-8")
    (root / "README.md").write_text(_README.format(**fields), encoding="utf-8")
    (pkg / "__init__.py").write_text('"""A doanmodel province plugin (see plugin.toml)."""\n',
                                     encoding="utf-8")
    (pkg / "py.typed").write_text("", encoding="utf-8")
    (pkg / "hooks.py").write_text(_HOOKS.format(**fields), encoding="utf-8")
    (pkg / "plugin.toml").write_text(str(fields["plugin_toml"]), encoding="utf-8")
    (pkg / "parameters.toml").write_text(_PARAMETERS.format(**fields), encoding="utf-8")
    (root / "tests" / f"test_{module}.py").write_text(_TEST.format(**fields), encoding="utf-8")
    return root
