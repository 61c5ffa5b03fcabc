"""
The file loader's checks for a dataset built in memory (issue 23: the app developer's door).

``Dataset.build`` (validating by default) and :func:`dataset_problems` write the dataset to a
private temporary folder exactly as :func:`~doanmodel.write_dataset` does and read it back with
:func:`~doanmodel.load_dataset`: every check the command line runs on files runs on it, and a
problem names the file and line it would have in that written folder (``visits.csv`` line 3 is
the second visit given). One home for the checks, no second copy to drift; the cost is one
write and one read (benchmarks/bench_isolation.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import DatasetError, Problem
from ..model._i18n import Text

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["dataset_problems"]


def dataset_problems(ds: Dataset) -> list[Problem]:
    """Every problem the loader finds in *ds* (empty: it loads as it is)."""
    from ._loader import load_dataset  # noqa: PLC0415 - the loader imports the dataset module
    from ._serialization import write_dataset  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="doanmodel-check-") as tmp:
        out = Path(tmp) / "dataset"
        try:
            write_dataset(ds, out)
        except (TypeError, ValueError, AttributeError) as exc:
            return [Problem("dataset", 0, "", Text(
                f"không ghi được thành tệp: {type(exc).__name__}: {exc}",
                f"cannot be written as files: {type(exc).__name__}: {exc}"))]
        try:
            load_dataset(out)
        except DatasetError as exc:
            return list(exc.problems)
    return []
