"""The same core figures as pandas_baseline.py, written with polars (run when it is installed).

Multi-version trees (2025) are handled as in the pandas baseline: every figure uses the unit
version valid on the day of the event, through ancestors per structural epoch.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

BOUND = ["secretary", "deputy_secretary", "standing_member", "committee_member"]


def tree(path: str) -> tuple[pl.DataFrame, pl.Series, pl.DataFrame, pl.DataFrame]:
    """(versions, change points, ancestors (e, id, anc) per epoch, newest level per unit)."""
    u = (pl.read_csv(f"{path}/units.csv",
                     columns=["id", "level", "parent_id", "valid_from", "valid_to"],
                     infer_schema=False)
         .with_columns(vf=pl.col("valid_from").str.to_date(), vt=pl.col("valid_to").str.to_date()))
    points = pl.concat([u["vf"].drop_nulls(), u["vt"].drop_nulls() + dt.timedelta(days=1)]
                       ).unique().sort()
    reps = [points[0] - dt.timedelta(days=1)] if len(points) else [dt.date(2000, 1, 1)]
    reps += points.to_list()
    ve = pl.concat([u.filter((pl.col("vf").is_null() | (pl.col("vf") <= rep)) &
                             (pl.col("vt").is_null() | (pl.col("vt") >= rep)))
                    .select("id", "parent_id", e=pl.lit(e, dtype=pl.UInt32))
                    for e, rep in enumerate(reps)])
    parent = ve.filter(pl.col("parent_id").is_not_null()).select(
        "e", anc="id", up="parent_id")
    cur = ve.select("e", "id", anc="id")
    parts = [cur]
    while cur.height:
        cur = cur.join(parent, on=["e", "anc"]).select("e", "id", anc="up")
        parts.append(cur)
    anc = pl.concat(parts)
    newest = (u.with_columns(k=pl.col("vf").fill_null(dt.date(1, 1, 1)))
              .sort("k", maintain_order=True).group_by("id", maintain_order=True).last()
              .select(anc="id", level="level"))
    return u, points, anc, newest


def figures(path: str, year: int) -> dict[str, dict[str, int]]:
    y0, y1 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    u, points, anc, newest = tree(path)

    def epoch(col: str) -> pl.Expr:
        return pl.col(col).map_batches(
            lambda s: points.search_sorted(s, side="right").cast(pl.UInt32),
            return_dtype=pl.UInt32)

    pos = (pl.read_csv(f"{path}/positions.csv", infer_schema=False)
           .filter((pl.col("full_time") == "true") & pl.col("role").is_in(BOUND))
           .join(u.filter(pl.col("level") == "province").select(unit_id="id", vf="vf", vt="vt"),
                 on="unit_id")
           .with_columns(p0=pl.max_horizontal(pl.col("start").str.to_date(),
                                              pl.col("vf").fill_null(y0), pl.lit(y0)),
                         p1=pl.min_horizontal(pl.col("end").str.to_date().fill_null(y1),
                                              pl.col("vt").fill_null(y1), pl.lit(y1)))
           .filter(pl.col("p0") <= pl.col("p1")))
    vis = (pl.read_csv(f"{path}/visits.csv", columns=["cadre_id", "unit_id", "start", "end"],
                       infer_schema=False)
           .with_columns(s=pl.col("start").str.to_date())
           .with_columns(e=pl.col("end").str.to_date().fill_null(pl.col("s"))))
    v = (vis.join(pos.select("cadre_id", pl.col("unit_id").alias("bound"), "p0", "p1"),
                  on="cadre_id")
         .filter(pl.col("unit_id") != pl.col("bound"))
         .with_columns(a=pl.max_horizontal("s", "p0"), b=pl.min_horizontal("e", "p1"))
         .filter(pl.col("a") <= pl.col("b"))
         .with_columns(day=pl.date_ranges("a", "b")).explode("day")
         .with_columns(ep=epoch("day"))
         .join(anc, left_on=["ep", "unit_id", "bound"], right_on=["e", "id", "anc"])
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
    mem = pl.read_csv(f"{path}/members.csv",
                      columns=["branch_id", "joined_on", "party_introduced_on"],
                      infer_schema=False)
    out: dict[str, dict[str, int]] = {}
    for name, col in (("new_members", "joined_on"), ("party_introductions",
                                                      "party_introduced_on")):
        ev = (mem.select("branch_id", d=pl.col(col).str.to_date())
              .filter(pl.col("d").is_between(y0, y1))
              .with_columns(ep=epoch("d")).group_by("branch_id", "ep").len()
              .join(anc, left_on=["ep", "branch_id"], right_on=["e", "id"])
              .join(newest, on="anc"))
        for level, key in (("grassroots", name), ("province", name + "_province")):
            df = ev.filter(pl.col("level") == level).group_by("anc").agg(pl.col("len").sum())
            out[key] = {k: int(n) for k, n in zip(df["anc"], df["len"]) if n}
    return {"visit_days": {k: int(n) for k, n in visit_days.items()},
            "meeting_months": dict(zip(meet["unit_id"], meet["d"])), **out}
