"""What an analyst does in a notebook: score the Q1/2023 clusters, look at them as a DataFrame,
explain one unit, try a what-if, and save a chart.

    python examples/analyse_clusters.py [OUTPUT_FOLDER]

Needs the notebook extra (pandas, matplotlib): pip install 'doanmodel[notebook]'.
"""

from __future__ import annotations

import sys
from pathlib import Path

import doanmodel as dm

HERE = Path(__file__).resolve().parent


def main(out: Path) -> int:
    import matplotlib

    matplotlib.use("Agg")
    ds = dm.load_dataset(HERE / "cum-thi-dua-2023")
    engine = dm.Engine(load_entry_points=False)
    board = engine.score(ds, 2023)

    df = board.to_dataframe("en")
    print(df[["cluster_id", "unit_id", "rank", "total", "award"]].to_string(index=False))
    print(df.groupby("cluster_id")["total"].agg(["mean", "max"]).round(2))

    print(board.explain("H01", "en"))

    what_if = engine.what_if(ds, 2023, weights={"xay-dung-doan.ket-nap": 120})
    print(what_if.to_table("en"))

    out.mkdir(parents=True, exist_ok=True)
    ax = board.plot(lang="en")
    ax.figure.tight_layout()
    ax.figure.savefig(out / "clusters-2023.png", dpi=100)
    print(f"chart: {out / 'clusters-2023.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")))
