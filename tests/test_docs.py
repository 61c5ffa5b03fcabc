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


def _api_entries() -> dict[str, str]:
    """Public name → the API reference page (docs/api/*.md) that has its ``::: doanmodel.NAME``."""
    out: dict[str, str] = {}
    for page in sorted((DOCS / "api").glob("*.md")):
        for name in re.findall(r"^::: doanmodel\.(\w+)\s*$", page.read_text(encoding="utf-8"),
                               re.M):
            out.setdefault(name, page.name)
    return out


def test_every_public_name_has_an_api_entry():
    """Each name of ``dm.__all__`` has an API reference entry on its public path
    (``::: doanmodel.NAME`` on a page of docs/api/), and no entry names what is not public."""
    entries = _api_entries()
    assert [n for n in dm.__all__ if n not in entries] == []
    assert [n for n in entries if n not in dm.__all__ and n != "hookspecs"] == []


def test_the_reference_shows_no_private_path():
    """No page anchors an entry on a private module (``::: doanmodel._output…``)."""
    for page in [*DOCS.glob("*.md"), *(DOCS / "api").glob("*.md")]:
        text = page.read_text(encoding="utf-8")
        assert not re.findall(r"^::: doanmodel(\.\w+)*\._(?!_)", text, re.M), page.name


def test_every_api_page_is_in_the_site():
    """mkdocs.yml's nav lists every page of docs/api/."""
    nav = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")
    pages = list((DOCS / "api").glob("*.md"))
    assert len(pages) >= 5
    for page in pages:
        assert re.search(rf":\s+api/{re.escape(page.name)}\s*$", nav, re.M), page.name


def test_every_hook_has_real_types():
    """No hook spec returns ``Any``: each names the classes a plugin gives back."""
    import typing  # noqa: PLC0415

    names = [n for n in dir(hookspecs) if n.startswith("doanmodel_")]
    assert len(names) == 8
    classes = {n: getattr(dm, n) for n in ("Dataset", "ProgrammeKind", "PluginInfo", "Problem",
                                           "ParamValue", "IndicatorDef", "Rule", "CriteriaSet",
                                           "ScoringMethod")}
    from importlib.resources.abc import Traversable  # noqa: PLC0415 - named by a hook

    classes["Traversable"] = Traversable
    for name in names:
        hints = typing.get_type_hints(getattr(hookspecs, name), vars(hookspecs), classes)
        assert hints["return"] is not typing.Any, name
        assert all(h is not typing.Any for h in hints.values()), name
