"""The documentation keeps up with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pluggy

import doanmodel as dm
from doanmodel import hookspecs

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_hook_has_a_heading():
    """docs/plugin-hooks.md has one `## name(args)` heading per hook, and no stale one."""
    pm = pluggy.PluginManager("doanmodel")
    pm.add_hookspecs(hookspecs)
    hooks = {name for name in dir(pm.hook) if name.startswith("doanmodel_")}
    text = (DOCS / "plugin-hooks.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (doanmodel_\w+)\(", text, re.M))
    assert headings == hooks


def test_every_hook_has_a_docstring():
    """Each hook spec documents what it returns."""
    for name in dir(hookspecs):
        if name.startswith("doanmodel_"):
            assert ":return:" in getattr(hookspecs, name).__doc__


def test_every_rule_is_documented():
    """docs/rules.md has a section for every built-in rule, naming its source."""
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for rule in dm.Engine(load_entry_points=False).rules():
        assert f"`{rule.id}`" in text


def test_every_parameter_is_documented():
    """docs/parameters.md lists every national parameter."""
    text = (DOCS / "parameters.md").read_text(encoding="utf-8")
    for p in dm.NATIONAL:
        assert f"`{p.name}`" in text


def test_every_method_is_documented():
    """docs/scoring.md describes every built-in scoring method."""
    text = (DOCS / "scoring.md").read_text(encoding="utf-8")
    for name in ("ratio", "threshold", "steps", "boolean", "count", "rank"):
        assert f"`{name}`" in text


def _python_blocks(name: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_query_docs_run(monkeypatch):
    """Every python block of docs/query.md runs, in order, from the repository root."""
    monkeypatch.chdir(DOCS.parent)
    namespace: dict[str, object] = {}
    for block in _python_blocks("query.md"):
        exec(compile(block, "docs/query.md", "exec"), namespace)  # noqa: S102 - our own docs
