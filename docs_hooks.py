"""MkDocs hooks: pages that live outside docs/ (the notebooks, the benchmark figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent


@event_priority(100)  # before mkdocs-jupyter turns the notebooks into pages
def on_files(files: Files, config: Any) -> Files:
    """Add examples/notebooks/*.ipynb as notebooks/… and benchmarks/README.md as benchmarks.md."""
    for nb in sorted((ROOT / "examples" / "notebooks").glob("*.ipynb")):
        # a real File rooted at examples/ (mkdocs-jupyter cannot read generated files)
        files.append(File(f"notebooks/{nb.name}", src_dir=str(ROOT / "examples"),
                          dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    readme = ROOT / "benchmarks" / "README.md"
    files.append(File.generated(config, "benchmarks.md", abs_src_path=str(readme)))
    return files
