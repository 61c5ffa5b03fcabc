"""The example datasets are what examples/build_examples.py makes from the seed articles."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys

from conftest import EXAMPLES


def test_examples_rebuild_identically(tmp_path):
    """Running the build script in an empty folder writes the committed examples byte for byte."""
    shutil.copy(EXAMPLES / "build_examples.py", tmp_path)
    subprocess.run([sys.executable, str(tmp_path / "build_examples.py")], check=True,
                   capture_output=True)
    built = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    # every dataset folder (examples/notebooks/ holds notebooks, not a dataset)
    assert built == sorted(p.name for p in EXAMPLES.iterdir() if (p / "dataset.toml").is_file())
    for name in built:
        cmp = filecmp.dircmp(tmp_path / name, EXAMPLES / name)
        assert not cmp.diff_files and not cmp.left_only and not cmp.right_only, name
        for f in cmp.common_files:
            assert (tmp_path / name / f).read_bytes() == (EXAMPLES / name / f).read_bytes()


def test_analyst_script_runs(tmp_path):
    """examples/analyse_clusters.py prints the board and explanation and saves a chart."""
    import pytest

    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    proc = subprocess.run([sys.executable, str(EXAMPLES / "analyse_clusters.py"), str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Rank 1 of 3" in proc.stdout and (tmp_path / "clusters-2023.png").stat().st_size > 1000
