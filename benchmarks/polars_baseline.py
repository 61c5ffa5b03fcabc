"""The same core figures as pandas_baseline.py, written with polars (run when it is installed)."""

from __future__ import annotations

import datetime as dt

import polars as pl

BOUND = ["secretary", "deputy_secretary", "standing_member", "committee_member"]


def figures(path: str, year: int) -> dict[str, dict[str, int]]:
    y0, y1 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = pl.read_csv(f"{path}/units.csv", columns=["id", "level", "parent_id"],
                        infer_schema=False).with_columns(pl.col("parent_id").fill_null(""))
    level = dict(zip(units["id"], units["level"]))
    parent = dict(zip(units["id"], units["parent_id"]))

    def up(uid: str, want: str) -> str | None:  # ~170k units: a dict walk is fine here
        while uid:
            if level.get(uid) == want:
                return uid
            uid = parent.get(uid, "")
        return None

    prov = {u: up(u, "province") for u in units["id"]}
    grass = {u: up(u, "grassroots") for u in units["id"]}
    pos = (pl.read_csv(f"{path}/positions.csv", infer_schema=False)
           .filter((pl.col("full_time") == "true") & pl.col("role").is_in(BOUND))
           .filter(pl.col("unit_id").replace_strict(level, default="") == "province")
           .with_columns(p0=pl.max_horizontal(pl.col("start").str.to_date(), pl.lit(y0)),
                         p1=pl.min_horizontal(pl.col("end").str.to_date().fill_null(y1),
                                              pl.lit(y1)))
           .filter(pl.col("p0") <= pl.col("p1")))
    vis = (pl.read_csv(f"{path}/visits.csv", columns=["cadre_id", "unit_id", "start", "end"],
                       infer_schema=False)
           .with_columns(s=pl.col("start").str.to_date())
           .with_columns(e=pl.col("end").str.to_date().fill_null(pl.col("s")),
                         prov=pl.col("unit_id").replace_strict(prov, default=None)))
    v = (vis.join(pos.select("cadre_id", pl.col("unit_id").alias("bound"), "p0", "p1"),
                  on="cadre_id")
         .filter((pl.col("prov") == pl.col("bound")) & (pl.col("unit_id") != pl.col("bound")))
         .with_columns(a=pl.max_horizontal("s", "p0"), b=pl.min_horizontal("e", "p1"))
         .filter(pl.col("a") <= pl.col("b"))
         .with_columns(day=pl.date_ranges("a", "b")).explode("day")
         .unique(["cadre_id", "day"]).group_by("cadre_id").len())
    visit_days = dict(zip(v["cadre_id"], v["len"]))
    for c in pos["cadre_id"].unique():
        visit_days.setdefault(c, 0)
    meet = (pl.read_csv(f"{path}/meetings.csv", columns=["unit_id", "date", "kind"],
                        infer_schema=False)
            .filter(pl.col("kind") == "branch_meeting")
            .with_columns(d=pl.col("date").str.to_date())
            .filter(pl.col("d").is_between(y0, y1))
            .group_by("unit_id").agg(pl.col("d").dt.month().n_unique()))
    mem = (pl.read_csv(f"{path}/members.csv",
                       columns=["branch_id", "joined_on", "party_introduced_on"],
                       infer_schema=False)
           .with_columns(j=pl.col("joined_on").str.to_date(),
                         i=pl.col("party_introduced_on").str.to_date(),
                         g=pl.col("branch_id").replace_strict(grass, default=None),
                         p=pl.col("branch_id").replace_strict(prov, default=None)))

    def counts(date_col: str, key: str) -> dict[str, int]:
        df = mem.filter(pl.col(date_col).is_between(y0, y1)).group_by(key).len()
        return {k: n for k, n in zip(df[key], df["len"]) if k is not None}

    return {"visit_days": {k: int(n) for k, n in visit_days.items()},
            "meeting_months": dict(zip(meet["unit_id"], meet["d"])),
            "new_members": counts("j", "g"), "party_introductions": counts("i", "g"),
            "new_members_province": counts("j", "p"),
            "party_introductions_province": counts("i", "p")}
