"""The documentation keeps up with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pluggy
import pytest

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


ROOT = DOCS.parent
#: pages whose Python blocks are fragments of a plugin package (relative imports, `...`), not a
#: session; the template they describe is tested by `doanmodel new-plugin`'s own tests
FRAGMENT_PAGES = {"plugin-hooks.md", "writing-plugins.md"}


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")
                                        if p.name not in FRAGMENT_PAGES))
def test_python_blocks_run(page, monkeypatch, capsys, tmp_path):
    """Every ```python block of a page runs, in order, in one namespace, in a scratch folder
    that sees the repository's examples (so a block that writes a file writes it there)."""
    for name in ("examples", "docs", "benchmarks"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    for block in _python_blocks((DOCS / page).read_text(encoding="utf-8")):
        exec(compile(block, str(DOCS / page), "exec"), namespace)  # noqa: S102 - our own docs
    import doanmodel as dm_  # noqa: PLC0415

    dm_.set_language("vi")


def test_some_blocks_run():
    """The pages above do hold Python blocks (the test above is not vacuous)."""
    runnable = [p for p in DOCS.glob("*.md") if p.name not in FRAGMENT_PAGES]
    assert sum(len(_python_blocks(p.read_text(encoding="utf-8"))) for p in runnable) >= 4


def test_every_page_is_in_the_site():
    """mkdocs.yml's nav lists every page of docs/ (strict mode refuses the rest)."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        assert re.search(rf":\s+{re.escape(page.name)}\s*$", nav, re.M), page.name
