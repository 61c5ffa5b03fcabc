"""The pandas notebook an analyst would write instead of doanmodel (the benchmark's baseline).

Reads the same dataset directory with ``read_csv`` and computes, with ``groupby``:

1. visit days per bound cadre (full-time, bound role, at a province-level unit), overlaps merged,
   counting only visits to units below the cadre's province, clipped to the year and to the days
   the cadre was bound;
2. months with a branch meeting, per branch;
3. new members and party introductions per grassroots unit for the year, and both rolled up to
   provinces.

Written as a competent analyst would (vectorised, no Python loops over rows). Multi-version
trees (2025) are handled as doanmodel does: every figure uses the unit version valid on the day
of the event, through a table of ancestors per structural epoch (the stretches of time between
two version changes).

    python benchmarks/pandas_baseline.py DATASET YEAR  → JSON figures on stdout
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

BOUND = {"secretary", "deputy_secretary", "standing_member", "committee_member"}


def tree(path: str) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, pd.Series]:
    """(versions, change points, ancestors (e, id, anc) per epoch, newest level per unit)."""
    u = pd.read_csv(f"{path}/units.csv",
                    usecols=["id", "level", "parent_id", "valid_from", "valid_to"],
                    dtype=str, keep_default_na=False)
    u["vf"] = pd.to_datetime(u["valid_from"].replace("", None))
    u["vt"] = pd.to_datetime(u["valid_to"].replace("", None))
    points = np.array(sorted(set(u["vf"].dropna()) | set(u["vt"].dropna() + pd.Timedelta(days=1))),
                      dtype="datetime64[ns]")
    reps = [points[0] - np.timedelta64(1, "D")] if len(points) else [np.datetime64("2000-01-01")]
    reps += list(points)
    frames = []
    for e, rep in enumerate(reps):
        ok = (u["vf"].isna() | (u["vf"] <= rep)) & (u["vt"].isna() | (u["vt"] >= rep))
        frames.append(u.loc[ok, ["id", "parent_id"]].assign(e=e))
    ve = pd.concat(frames, ignore_index=True)
    parent = ve[ve["parent_id"] != ""].rename(columns={"id": "anc", "parent_id": "up"})
    cur = ve[["e", "id"]].assign(anc=ve["id"])
    parts = [cur]
    while len(cur):
        cur = cur.merge(parent, on=["e", "anc"])[["e", "id", "up"]].rename(columns={"up": "anc"})
        parts.append(cur)
    anc = pd.concat(parts, ignore_index=True)
    newest = u.assign(k=u["vf"].fillna(pd.Timestamp("1678-01-01"))).sort_values(
        "k", kind="stable").groupby("id").tail(1).set_index("id")["level"]
    return u, points, anc, newest


def figures(path: str, year: int) -> dict[str, dict[str, int]]:
    start_y, end_y = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    u, points, anc, newest = tree(path)

    def epoch(days: pd.Series) -> np.ndarray:
        return np.searchsorted(points, days.values.astype("datetime64[ns]"), side="right")

    # 1. visit days per bound cadre: positions at a province-level version, while it lasts
    pos = pd.read_csv(f"{path}/positions.csv", dtype=str, keep_default_na=False)
    pos = pos[(pos["full_time"] == "true") & pos["role"].isin(BOUND)]
    pos = pos.merge(u.loc[u["level"] == "province", ["id", "vf", "vt"]],
                    left_on="unit_id", right_on="id")
    pos["p0"] = pd.concat([pd.to_datetime(pos["start"]), pos["vf"].fillna(start_y)],
                          axis=1).max(axis=1).clip(lower=start_y)
    pos["p1"] = pd.concat([pd.to_datetime(pos["end"].replace("", None)).fillna(end_y),
                           pos["vt"].fillna(end_y)], axis=1).min(axis=1).clip(upper=end_y)
    pos = pos[pos["p0"] <= pos["p1"]]
    vis = pd.read_csv(f"{path}/visits.csv", usecols=["cadre_id", "unit_id", "start", "end"],
                      dtype=str, keep_default_na=False)
    vis["s"] = pd.to_datetime(vis["start"])
    vis["e"] = pd.to_datetime(vis["end"].replace("", None)).fillna(vis["s"])
    v = vis.merge(pos[["cadre_id", "unit_id", "p0", "p1"]].rename(columns={"unit_id": "bound"}),
                  on="cadre_id")
    v = v[v["unit_id"] != v["bound"]]
    v["a"] = v[["s", "p0"]].max(axis=1)
    v["b"] = v[["e", "p1"]].min(axis=1)
    v = v[v["a"] <= v["b"]].reset_index(drop=True)
    n = (v["b"] - v["a"]).dt.days + 1
    days = v.loc[v.index.repeat(n), ["cadre_id", "unit_id", "bound", "a"]]
    days["day"] = days["a"] + pd.to_timedelta(days.groupby(level=0).cumcount(), unit="D")
    days["e"] = epoch(days["day"])
    days = days.merge(anc, left_on=["e", "unit_id", "bound"], right_on=["e", "id", "anc"])
    visit_days = days.drop_duplicates(["cadre_id", "day"]).groupby("cadre_id").size()
    bound_cadres = pos["cadre_id"].unique()
    visit_days = visit_days.reindex(bound_cadres, fill_value=0)

    # 2. months with a branch meeting
    meet = pd.read_csv(f"{path}/meetings.csv", usecols=["unit_id", "date", "kind"],
                       dtype=str, keep_default_na=False)
    meet = meet[meet["kind"] == "branch_meeting"]
    d = pd.to_datetime(meet["date"])
    meet = meet[(d >= start_y) & (d <= end_y)].assign(month=d.dt.month)
    months = meet.groupby("unit_id")["month"].nunique()

    # 3. new members and party introductions per grassroots unit and province, on the day
    mem = pd.read_csv(f"{path}/members.csv",
                      usecols=["branch_id", "joined_on", "party_introduced_on"],
                      dtype=str, keep_default_na=False)
    out: dict[str, pd.Series] = {}
    for name, col in (("new_members", "joined_on"), ("party_introductions",
                                                      "party_introduced_on")):
        day = pd.to_datetime(mem[col].replace("", None))
        sel = (day >= start_y) & (day <= end_y)
        ev = pd.DataFrame({"branch_id": mem.loc[sel, "branch_id"].values,
                           "e": epoch(day[sel])}).value_counts().rename("n").reset_index()
        ev = ev.merge(anc, left_on=["e", "branch_id"], right_on=["e", "id"])
        ev["level"] = ev["anc"].map(newest)
        for level, key in (("grassroots", name), ("province", name + "_province")):
            out[key] = ev[ev["level"] == level].groupby("anc")["n"].sum()

    def plain(s: pd.Series) -> dict[str, int]:
        return {str(k): int(val) for k, val in s.items() if val}

    return {"visit_days": plain(visit_days) | {c: 0 for c in bound_cadres
                                               if not visit_days.get(c)},
            "meeting_months": plain(months), **{k: plain(s) for k, s in out.items()}}


def main() -> int:
    path, year = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    out = figures(path, year)
    out["_seconds"] = time.perf_counter() - t0  # type: ignore[assignment]
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
