"""The same core figures as pandas_baseline.py, as hand-written DuckDB SQL (the fastest peer).

Handles multi-version trees (2025): every figure uses the unit version valid on the day of the
event, through a table of ancestors per structural epoch (the stretches of time between two
version changes), as doanmodel's roll-up does.

    python benchmarks/duckdb_baseline.py DATASET YEAR  → JSON figures on stdout
"""

from __future__ import annotations

import json
import sys
import time

import duckdb

BOUND = ("secretary", "deputy_secretary", "standing_member", "committee_member")


def _csv(path: str, name: str) -> str:
    return f"read_csv('{path}/{name}', header = true, all_varchar = true)"


def tree(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Tables ``u`` (versions), ``ep`` (epochs: e, lo, hi), ``anc`` (e, id, anc) and
    ``latest`` (id, level of the newest version)."""
    con.execute(f"""
        CREATE TEMP TABLE u AS SELECT id, level, nullif(parent_id, '') AS parent_id,
            CAST(nullif(valid_from, '') AS DATE) AS vf, CAST(nullif(valid_to, '') AS DATE) AS vt
        FROM {_csv(path, 'units.csv')};
        CREATE TEMP TABLE ep AS
        WITH pts AS (SELECT vf AS d FROM u WHERE vf IS NOT NULL
                     UNION SELECT vt + 1 FROM u WHERE vt IS NOT NULL),
             starts AS (SELECT DATE '0001-01-01' AS lo UNION SELECT d FROM pts)
        SELECT row_number() OVER (ORDER BY lo) AS e, lo,
               coalesce(lead(lo) OVER (ORDER BY lo) - 1, DATE '9999-12-31') AS hi FROM starts;
        CREATE TEMP TABLE ve AS SELECT e, id, parent_id FROM ep JOIN u
            ON (u.vf IS NULL OR u.vf <= ep.lo) AND (u.vt IS NULL OR u.vt >= ep.lo);
        CREATE TEMP TABLE anc AS
        WITH RECURSIVE a(e, id, anc) AS (
            SELECT e, id, id FROM ve
            UNION ALL
            SELECT a.e, a.id, ve.parent_id FROM a JOIN ve ON ve.e = a.e AND ve.id = a.anc
            WHERE ve.parent_id IS NOT NULL)
        SELECT * FROM a;
        CREATE TEMP TABLE latest AS SELECT id, level FROM u
            QUALIFY row_number() OVER (PARTITION BY id ORDER BY coalesce(vf, DATE '0001-01-01')
                                       DESC) = 1;
    """)


def figures(path: str, year: int) -> dict[str, dict[str, int]]:
    con = duckdb.connect()
    y0, y1 = f"DATE '{year}-01-01'", f"DATE '{year}-12-31'"
    tree(con, path)
    bound = ", ".join(f"'{r}'" for r in BOUND)
    # 1. visit days per bound cadre, below the cadre's province as the tree stood each day
    con.execute(f"""
        CREATE TEMP TABLE pos AS
        SELECT p.cadre_id, p.unit_id AS prov,
               greatest(CAST(p.start AS DATE), coalesce(u.vf, {y0}), {y0}) AS p0,
               least(coalesce(CAST(nullif(p."end", '') AS DATE), {y1}), coalesce(u.vt, {y1}),
                     {y1}) AS p1
        FROM {_csv(path, 'positions.csv')} p JOIN u ON u.id = p.unit_id AND u.level = 'province'
        WHERE p.full_time = 'true' AND p.role IN ({bound});
        DELETE FROM pos WHERE p0 > p1;
    """)
    visit_days = dict(con.execute(f"""
        WITH v AS (SELECT cadre_id, unit_id, CAST(start AS DATE) AS s,
                          coalesce(CAST(nullif("end", '') AS DATE), CAST(start AS DATE)) AS e
                   FROM {_csv(path, 'visits.csv')}),
             d AS (SELECT DISTINCT v.cadre_id, v.unit_id, pos.prov,
                          CAST(unnest(generate_series(greatest(v.s, pos.p0), least(v.e, pos.p1),
                                                      INTERVAL 1 DAY)) AS DATE) AS day
                   FROM v JOIN pos ON pos.cadre_id = v.cadre_id
                   WHERE greatest(v.s, pos.p0) <= least(v.e, pos.p1) AND v.unit_id <> pos.prov),
             ok AS (SELECT DISTINCT d.cadre_id, d.day FROM d
                    JOIN ep ON d.day BETWEEN ep.lo AND ep.hi
                    JOIN anc ON anc.e = ep.e AND anc.id = d.unit_id AND anc.anc = d.prov)
        SELECT c.cadre_id, count(ok.day) FROM (SELECT DISTINCT cadre_id FROM pos) c
        LEFT JOIN ok USING (cadre_id) GROUP BY ALL
    """).fetchall())
    # 2. months with a branch meeting
    months = dict(con.execute(f"""
        SELECT unit_id, count(DISTINCT month(d)) FROM (
            SELECT unit_id, CAST(date AS DATE) AS d FROM {_csv(path, 'meetings.csv')}
            WHERE kind = 'branch_meeting') WHERE d BETWEEN {y0} AND {y1} GROUP BY ALL
    """).fetchall())
    # 3. new members and introductions per grassroots unit and province, on the event's day
    con.execute(f"""
        CREATE TEMP TABLE ev AS
        SELECT branch_id, 'new_members' AS what, CAST(joined_on AS DATE) AS d
        FROM {_csv(path, 'members.csv')}
        WHERE CAST(joined_on AS DATE) BETWEEN {y0} AND {y1}
        UNION ALL
        SELECT branch_id, 'party_introductions', CAST(nullif(party_introduced_on, '') AS DATE)
        FROM {_csv(path, 'members.csv')}
        WHERE CAST(nullif(party_introduced_on, '') AS DATE) BETWEEN {y0} AND {y1}
    """)
    rows = con.execute("""
        WITH per AS (SELECT branch_id, what, e, count(*) AS n FROM ev
                     JOIN ep ON ev.d BETWEEN ep.lo AND ep.hi GROUP BY ALL)
        SELECT what || CASE WHEN l.level = 'province' THEN '_province' ELSE '' END, anc.anc,
               sum(n)::BIGINT
        FROM per JOIN anc ON anc.e = per.e AND anc.id = per.branch_id
        JOIN latest l ON l.id = anc.anc AND l.level IN ('grassroots', 'province')
        GROUP BY ALL
    """).fetchall()
    out: dict[str, dict[str, int]] = {"visit_days": visit_days, "meeting_months": months,
                                      "new_members": {}, "party_introductions": {},
                                      "new_members_province": {},
                                      "party_introductions_province": {}}
    for key, unit, n in rows:
        if n:
            out[key][unit] = int(n)
    return out


def main() -> int:
    path, year = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    out = figures(path, year)
    out["_seconds"] = time.perf_counter() - t0  # type: ignore[assignment]
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
