"""The pandas notebook an analyst would write instead of doanmodel (the benchmark's baseline).

Reads the same dataset directory with ``read_csv`` and computes, with ``groupby``:

1. visit days per bound cadre (full-time, bound role, at a province-level unit), overlaps merged,
   counting only visits to units below the cadre's province, clipped to the year and to the days
   the cadre was bound;
2. months with a branch meeting, per branch;
3. new members and party introductions per grassroots unit for the year, and both rolled up to
   provinces.

Written as a competent analyst would (vectorised, no Python loops over rows). It handles the
single-version trees ``doanmodel synth`` writes for years other than 2025: the tree of the year.

    python benchmarks/pandas_baseline.py DATASET YEAR  → JSON figures on stdout
"""

from __future__ import annotations

import json
import sys
import time

import pandas as pd

BOUND = {"secretary", "deputy_secretary", "standing_member", "committee_member"}


def figures(path: str, year: int) -> dict[str, dict[str, int]]:
    start_y, end_y = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    units = pd.read_csv(f"{path}/units.csv", usecols=["id", "level", "parent_id"],
                        dtype=str, keep_default_na=False)
    parent = units.set_index("id")["parent_id"]
    level = units.set_index("id")["level"]
    # province and grassroots ancestor of every unit, by repeated parent joins
    prov = pd.Series(units["id"].where(units["level"] == "province", None).values,
                     index=units["id"])
    grass = pd.Series(units["id"].where(units["level"] == "grassroots", None).values,
                      index=units["id"])
    cur = parent.copy()
    for _ in range(8):
        lv = level.reindex(cur.values).values
        prov = prov.where(prov.notna(), pd.Series(cur.where(lv == "province").values,
                                                  index=cur.index))
        grass = grass.where(grass.notna(), pd.Series(cur.where(lv == "grassroots").values,
                                                     index=cur.index))
        cur = pd.Series(parent.reindex(cur.values).values, index=cur.index)
        if cur.isna().all() or (cur == "").all():
            break

    # 1. visit days per bound cadre
    pos = pd.read_csv(f"{path}/positions.csv", dtype=str, keep_default_na=False)
    pos = pos[(pos["full_time"] == "true") & pos["role"].isin(BOUND) &
              (pos["unit_id"].map(level) == "province")].copy()
    pos["p0"] = pd.to_datetime(pos["start"]).clip(lower=start_y)
    pos["p1"] = pd.to_datetime(pos["end"].replace("", None)).fillna(end_y).clip(upper=end_y)
    pos = pos[pos["p0"] <= pos["p1"]]
    vis = pd.read_csv(f"{path}/visits.csv", usecols=["cadre_id", "unit_id", "start", "end"],
                      dtype=str, keep_default_na=False)
    vis["s"] = pd.to_datetime(vis["start"])
    vis["e"] = pd.to_datetime(vis["end"].replace("", None)).fillna(vis["s"])
    vis["prov"] = vis["unit_id"].map(prov)
    v = vis.merge(pos[["cadre_id", "unit_id", "p0", "p1"]].rename(columns={"unit_id": "bound"}),
                  on="cadre_id")
    v = v[(v["prov"] == v["bound"]) & (v["unit_id"] != v["bound"])]
    v["a"] = v[["s", "p0"]].max(axis=1)
    v["b"] = v[["e", "p1"]].min(axis=1)
    v = v[v["a"] <= v["b"]]
    n = (v["b"] - v["a"]).dt.days + 1
    days = v.loc[v.index.repeat(n), ["cadre_id", "a"]]
    days["day"] = days["a"] + pd.to_timedelta(days.groupby(level=0).cumcount(), unit="D")
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

    # 3. new members and party introductions per grassroots unit, and per province
    mem = pd.read_csv(f"{path}/members.csv",
                      usecols=["branch_id", "joined_on", "party_introduced_on"],
                      dtype=str, keep_default_na=False)
    joined = pd.to_datetime(mem["joined_on"])
    intro = pd.to_datetime(mem["party_introduced_on"].replace("", None))
    g = mem["branch_id"].map(grass)
    new = g[(joined >= start_y) & (joined <= end_y)].value_counts()
    intros = g[(intro >= start_y) & (intro <= end_y)].value_counts()
    p = mem["branch_id"].map(prov)
    new_p = p[(joined >= start_y) & (joined <= end_y)].value_counts()
    intros_p = p[(intro >= start_y) & (intro <= end_y)].value_counts()

    def plain(s: pd.Series) -> dict[str, int]:
        return {str(k): int(val) for k, val in s.items() if val}

    return {"visit_days": plain(visit_days) | {c: 0 for c in bound_cadres
                                               if not visit_days.get(c)},
            "meeting_months": plain(months), "new_members": plain(new),
            "party_introductions": plain(intros), "new_members_province": plain(new_p),
            "party_introductions_province": plain(intros_p)}


def main() -> int:
    path, year = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    out = figures(path, year)
    out["_seconds"] = time.perf_counter() - t0  # type: ignore[assignment]
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
