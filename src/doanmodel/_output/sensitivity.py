"""Table, JSON, CSV, records and plot of a :class:`~doanmodel.scoring._sensitivity.Sensitivity`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .text import csv_text, fmt_number, table

if TYPE_CHECKING:  # pragma: no cover
    from ..scoring._sensitivity import Sensitivity

__all__ = ["criteria_rows", "describe", "plot", "to_csv", "to_dict", "to_json", "to_records",
           "to_table", "unit_rows"]


def describe(s: Sensitivity, lang: str) -> str:
    """One line: the set, the draws, the seed and the spreads."""
    if s.dirichlet is not None:
        w = f"Dirichlet K={fmt_number(s.dirichlet)}"
    else:
        w = f"±{fmt_number((s.weights_spread or 0) * 100)}%"
    v = f"±{fmt_number(s.value_spread * 100)}%"
    if lang == "en":
        return (f"Sensitivity of {s.criteria_id} ({s.year}): {s.draws} draws, seed {s.seed}; "
                f"weights {w}, values {v}")
    return (f"Độ vững của xếp hạng {s.criteria_id} ({s.year}): {s.draws} lần rút, hạt giống "
            f"{s.seed}; trọng số {w}, số liệu {v}")


def _award_heads(s: Sensitivity, lang: str) -> list[str]:
    return [("P " if lang == "en" else "XS ") + s.award_title(t, lang) for t in s.awards]


def unit_rows(s: Sensitivity, lang: str) -> tuple[list[str], list[list[Any]], tuple[int, ...]]:
    """Headers, rows and numeric columns of the per-unit table (probabilities as numbers)."""
    heads = (["cluster", "unit", "name", "rank", "median", "5%", "95%"] if lang == "en" else
             ["cụm", "mã", "đơn vị", "hạng", "trung vị", "5%", "95%"])
    heads += _award_heads(s, lang) + ["P undecided" if lang == "en" else "XS chưa quyết"]
    rows = [[u.cluster_id, u.unit_id, u.unit_name, u.rank, u.median_rank, u.low, u.high,
             *[u.awards.get(t, 0.0) for t in s.awards], u.undecided] for u in s.units]
    return heads, rows, tuple(range(7, 8 + len(s.awards)))


def criteria_rows(s: Sensitivity, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the per-criterion table."""
    heads = (["criterion", "weight", "Spearman without it", "units moved"] if lang == "en" else
             ["tiêu chí", "trọng số", "Spearman khi bỏ", "số đơn vị đổi hạng"])
    return heads, [[c.id, c.weight, c.spearman, c.units_moved] for c in s.criteria]


def to_dict(s: Sensitivity, lang: str) -> dict[str, Any]:
    """JSON form (its ``exact`` key keeps it lossless: ``Sensitivity.from_json`` reads it)."""
    from .convert import sensitivity_exact  # noqa: PLC0415 - the converter loads the engine

    return {
        "dataset": s.dataset, "year": s.year, "criteria_set": s.criteria_id, "draws": s.draws,
        "seed": s.seed, "weights_spread": s.weights_spread, "dirichlet": s.dirichlet,
        "value_spread": s.value_spread, "awards": [s.award_title(t, lang) for t in s.awards],
        "units": [{"cluster_id": u.cluster_id, "unit_id": u.unit_id, "unit_name": u.unit_name,
                   "rank": u.rank, "median_rank": u.median_rank, "rank_5": u.low,
                   "rank_95": u.high, "awards": {s.award_title(t, lang):
                                                 round(u.awards.get(t, 0.0), 4)
                                                 for t in s.awards},
                   "undecided": round(u.undecided, 4)} for u in s.units],
        "criteria": [{"id": c.id, "title": c.title, "weight": float(c.weight),
                      "spearman": None if c.spearman is None else round(c.spearman, 4),
                      "units_moved": c.units_moved} for c in s.criteria],
        "rank_reversals": [{"cluster_id": r.cluster_id, "removed": r.removed,
                            "ahead": r.ahead, "behind": r.behind} for r in s.reversals],
        "rank_reversal_note": s.reversal_note.get(lang),
        "provenance": dict(s.provenance),
        "exact": sensitivity_exact(s),
    }


def to_json(s: Sensitivity, lang: str, **kw: Any) -> str:
    """JSON text."""
    return json.dumps(to_dict(s, lang), ensure_ascii=False, **kw)


def to_records(s: Sensitivity, lang: str) -> list[dict[str, Any]]:
    """One flat dict per unit."""
    heads, rows, _ = unit_rows(s, lang)
    keys = ["cluster_id", "unit_id", "unit_name", "rank", "median_rank", "rank_5", "rank_95",
            *heads[7:]]
    return [dict(zip(keys, r)) for r in rows]


def to_csv(s: Sensitivity, lang: str) -> str:
    """CSV, one row per unit; probabilities with 4 decimals."""
    records = to_records(s, lang)
    keys = list(records[0]) if records else ["cluster_id", "unit_id"]
    return csv_text(keys, [[fmt_number(v, 4) if isinstance(v, float) else v for v in r.values()]
                           for r in records])


def to_table(s: Sensitivity, lang: str) -> str:
    """Readable tables: units, criteria, rank reversals."""
    heads, rows, numeric = unit_rows(s, lang)
    shown = [[fmt_number(v) if isinstance(v, float) else v for v in r] for r in rows]
    out = [describe(s, lang), "", table(heads, shown, right=(3, 4, 5, 6, *numeric)), ""]
    cheads, crows = criteria_rows(s, lang)
    out.append(table(cheads, [[c[0], fmt_number(c[1]), fmt_number(c[2], 3), c[3]]
                              for c in crows], right=(1, 2, 3)))
    out += ["", s.reversal_note.get(lang)]
    for r in s.reversals:
        out.append((f"  {r.cluster_id}: without {r.removed}, {r.behind} moves ahead of "
                    f"{r.ahead}") if lang == "en" else
                   f"  {r.cluster_id}: bỏ {r.removed} thì {r.behind} vượt lên trước {r.ahead}")
    if not s.reversals:
        out.append("  (none)" if lang == "en" else "  (không có)")
    return "\n".join(out) + "\n"


def plot(s: Sensitivity, ax: Any, lang: str) -> Any:
    """Each unit's 5–95 % rank interval (a bar) and median rank (a dot); rank 1 at the top."""
    from .notebook import require  # noqa: PLC0415

    plt = require("matplotlib.pyplot")
    units = list(s.units)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.3 * len(units) + 1.5), layout="constrained")
    y = list(range(len(units)))[::-1]
    en = lang == "en"
    ax.hlines(y, [u.low for u in units], [u.high for u in units], color="tab:blue", lw=4,
              label="5–95% of draws" if en else "5–95% số lần rút")
    ax.plot([u.median_rank for u in units], y, "o", color="black",
            label="median rank" if en else "hạng trung vị")
    ax.plot([u.rank for u in units], y, "|", color="tab:red", markersize=12,
            label="rank as scored" if en else "hạng đã chấm")
    for yy, u in zip(y, units):
        ax.text(u.high + 0.15, yy, f"{u.low}–{u.high}", va="center", fontsize=8)
    ax.set_yticks(y, [f"{u.cluster_id} · {u.unit_id}" for u in units])
    ax.set_xlabel("rank in cluster" if en else "hạng trong cụm")
    ax.set_xlim(0.5, max([u.high for u in units] + [1]) + 1.5)
    ax.xaxis.set_major_locator(require("matplotlib.ticker").MaxNLocator(integer=True))
    ax.set_title(describe(s, lang), fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax
