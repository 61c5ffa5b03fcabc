"""A valid, realistic synthetic dataset, reproducible for a seed (``doanmodel synth``).

Files are written as they are generated: national scale (~6.4M members) never sits in memory.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import random
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from ..model._entities import Unit, UnitVersion
from ..model._enums import Level, Sector
from ._csvio import FILES, WRITTEN_WHEN_USED
from ._reference import reorganise_2025
from ._serialization import dump_toml
from ._synth_scope import Shape, resolve, select

__all__ = ["SCALES", "Scale", "synth"]

CUTOVER = _dt.date(2025, 7, 1)
LAST_OLD = _dt.date(2025, 6, 30)


@attrs.frozen(kw_only=True)
class Scale:
    """The size of a synthetic dataset."""

    name: str
    provinces: str  # "one", "region" (6 consecutive in GSO order) or "all"
    districts: int  # per province (before 1/7/2025)
    blocs: int  # attached upper-grassroots units per province
    communes: int  # per province
    schools: int  # attached grassroots units (schools, agencies, enterprises) per province
    branches: int  # per grassroots unit
    members: int  # per branch
    visits: int  # total
    district_cadres: int  # full-time cadres per district


SCALES = {
    # 1 province, 2 districts, ~100 branches: fast enough for unit tests
    "tiny": Scale(name="tiny", provinces="one", districts=2, blocs=1, communes=4, schools=2,
                  branches=4, members=12, visits=120, district_cadres=2),
    # ≈ 1 province, 10 upper-grassroots, 150 grassroots, 1,500 branches, 100k members
    "province": Scale(name="province", provinces="one", districts=7, blocs=3, communes=110,
                      schools=40, branches=10, members=67, visits=1000, district_cadres=3),
    # ≈ 6 provinces (each like `province`): 60 upper-grassroots, 900 grassroots, 9,000
    # branches, 600k members, 6k visits
    "region": Scale(name="region", provinces="region", districts=7, blocs=3, communes=110,
                    schools=40, branches=10, members=67, visits=6000, district_cadres=3),
    # ≈ 34 provinces, 3,300 communes + blocs and schools, 160k branches, 6.4M members
    "national": Scale(name="national", provinces="all", districts=11, blocs=5, communes=97,
                      schools=44, branches=34, members=40, visits=150_000, district_cadres=3),
}

_EDU = ["Đại học", "Đại học", "Đại học", "Thạc sĩ", "Cao đẳng"]
_GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hằng", "Hòa", "Hùng", "Hương",
          "Khánh", "Lan", "Linh", "Minh", "Nam", "Nga", "Ngọc", "Nguyệt", "Phong", "Phương",
          "Quang", "Sang", "Tâm", "Thảo", "Thành", "Trung", "Tuấn", "Vân", "Yến"]
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ",
           "Hồ", "Ngô", "Dương", "Lý"]
_MIDDLE = ["Văn", "Thị", "Thanh", "Minh", "Ngọc", "Quang", "Hồng", "Duy"]
_PURPOSES = ["attend_branch_meeting", "attend_branch_meeting", "inspection", "survey",
             "co_organise", "attend_meeting", "guide_congress", "review", "consolidation"]


class _Writer:
    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.handle = open(root / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow([c for c, _, _ in FILES[name]
                              if c not in WRITTEN_WHEN_USED.get(name, ())])
        self.rows = 0

    def row(self, values: list[Any]) -> None:
        self.writer.writerow(values)
        self.rows += 1

    def close(self) -> None:
        self.handle.close()


def _iso(cache: dict[int, str], ordinal: int) -> str:
    s = cache.get(ordinal)
    if s is None:
        s = cache[ordinal] = _dt.date.fromordinal(ordinal).isoformat()
    return s


def synth(out: str | os.PathLike[str], *, scale: str = "tiny", seed: int = 1,
          year: int = 2024, province: str | None = None) -> dict[str, int]:
    """
    Write a synthetic dataset directory at *out* (which must not exist or be empty).

    With *year* 2025 the tree changes on 1/7/2025 as it did: districts end on 30/6, their
    communes move under the province, and merged provinces end with a ``successor_id`` (the
    2025 reference data of Nghị quyết 202/2025/QH15). Returns rows written per file.

    *province* (a doanmodel or GSO code, or a name, see :func:`doanmodel.find_province`) picks
    the province of the ``tiny`` and ``province`` scales, or the centre of a ``region``: one of
    the 63 before 2025, one of the 34 after, either in 2025 (a new one comes with the provinces
    it was formed from). Default: Trà Vinh (Vĩnh Long after 2025). A province that does not
    exist in *year* raises :class:`~doanmodel.UnknownProvinceError`, before anything is written.
    """
    if scale not in SCALES:
        msg = f"unknown scale {scale!r} ({', '.join(SCALES)})"
        raise ValueError(msg)
    sc = SCALES[scale]
    if province is not None and sc.provinces == "all":
        msg = f"--province does not apply to the {scale} scale (every province)"
        raise ValueError(msg)
    shapes = select(sc.provinces, year, province)
    root = Path(out)
    if (root.is_dir() and any(root.iterdir())) or (root.exists() and not root.is_dir()):
        msg = f"{root} is not empty; doanmodel never overwrites a dataset"
        raise FileExistsError(msg)
    title = resolve(province, year).name if province and sc.provinces == "one" else ""
    return _written(root, lambda tmp: _run(tmp, sc, random.Random(seed), year, title, shapes))


def _run(root: Path, sc: Scale, rng: random.Random, year: int, title: str,
         shapes: Any) -> dict[str, int]:
    gen = _Gen(root, sc, rng, year)
    gen.title = title
    return gen.run(shapes)


def _written(root: Path, make: Any) -> dict[str, int]:
    """``make(folder)`` in a new folder beside *root*, renamed to *root* when complete: a
    disk or system error is a clear error naming *root* and the reason, and leaves nothing."""
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from ..exceptions import bilingual  # noqa: PLC0415
    from ..model._i18n import os_reason  # noqa: PLC0415

    tmp: Path | None = None
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
        os.chmod(tmp, 0o777 & ~_umask())
        counts: dict[str, int] = make(tmp)
        os.replace(tmp, root)  # over an empty folder too
    except BaseException as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if not isinstance(exc, OSError):
            raise
        why = os_reason(exc)
        raise bilingual(f"{root}: không ghi được bộ dữ liệu ({why.vi}); không có gì được ghi",
                        f"{root}: cannot write the dataset ({why.en}); nothing was "
                        "written") from None
    return counts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Gen:
    def __init__(self, root: Path, sc: Scale, rng: random.Random, year: int) -> None:
        self.root, self.sc, self.rng, self.year = root, sc, rng, year
        self.y0 = _dt.date(year, 1, 1).toordinal()
        self.y1 = _dt.date(year, 12, 31).toordinal()
        self.iso: dict[int, str] = {}
        self.w = {n: _Writer(root, n) for n in FILES if n.endswith(".csv")}
        self.cadre_n = 0
        # province code → list of (grassroots id, [branch ids]) ; kept small (ids only)
        self.cluster_units: dict[str, list[str]] = {}
        self.bound: list[tuple[str, str, int, int]] = []  # cadre, province, first, last
        self.visitors: list[tuple[str, list[str], int, int]] = []  # cadre, targets, first, last
        self.briefing_chairs: dict[str, str] = {}
        self.units: list[Unit] = []
        self.province_span: dict[str, tuple[int, int]] = {}
        self.title = ""

    # ------------------------------------------------------------------ helpers
    def d(self, ordinal: int) -> str:
        return _iso(self.iso, ordinal)

    def unit(self, uid: str, name: str, level: str, parent: str | None, sector: str = "",
             start: str = "", end: str = "", successor: str = "", code: str = "") -> None:
        version = UnitVersion(id=uid, name=name, level=Level(level), parent_id=parent or None,
                              sector=Sector(sector) if sector else None,
                              valid_from=_dt.date.fromisoformat(start) if start else None,
                              valid_to=_dt.date.fromisoformat(end) if end else None,
                              successor_id=successor or None, code=code or None)
        self.units.append(Unit(id=uid, versions=(version,)))

    def write_units(self) -> None:
        units = self.units
        if self.year == 2025:
            units = reorganise_2025(units)
        w = self.w["units.csv"]
        for u in units:
            for v in u.versions:
                w.row([v.id, v.name, v.level.value, v.parent_id or "",
                       v.sector.value if v.sector else "",
                       v.valid_from.isoformat() if v.valid_from else "",
                       v.valid_to.isoformat() if v.valid_to else "", v.successor_id or "",
                       v.code or ""])

    def name(self) -> str:
        r = self.rng
        return f"{r.choice(_FAMILY)} {r.choice(_MIDDLE)} {r.choice(_GIVEN)}"

    def cadre(self) -> str:
        self.cadre_n += 1
        cid = f"CB{self.cadre_n:06d}"
        born = _dt.date(self.year - self.rng.randint(26, 40), self.rng.randint(1, 12),
                        self.rng.randint(1, 28))
        self.w["cadres.csv"].row([cid, self.name(), born.isoformat(), self.rng.choice("MF"),
                                  self.rng.choice(_EDU)])
        return cid

    def position(self, cid: str, uid: str, role: str, full_time: bool, start: str,
                 end: str = "", term: str = "2022 – 2027") -> None:
        self.w["positions.csv"].row([cid, uid, role, "true" if full_time else "false", start, end,
                                     term])

    # ------------------------------------------------------------------ the tree
    def run(self, shapes: list[Shape]) -> dict[str, int]:
        self.unit("TW", "Trung ương Đoàn TNCS Hồ Chí Minh", "central", None, code="TW")
        first_day = _dt.date(self.year, 1, 1)
        for r, shape in shapes:
            if shape != "newonly":  # the new provinces of 2025 come from reorganise_2025
                self.unit(r.code, r.union_name(first_day), "province", "TW", "", "", "", "",
                          r.code)
        # national figures are totals: the 63 provinces before 1/7/2025 share them as the 34 do
        count = sum(1 for _, shape in shapes if shape != "newonly")
        self.factor = 34 / count if self.sc.provinces == "all" else 1.0
        for r, shape in shapes:
            if shape == "newonly":
                self.province_cadres(r.code, CUTOVER.toordinal(), self.y1)
                continue
            successor = r.successor if (shape == "both" and r.valid_to) else ""
            self.province(r.code, shape, successor or r.code)
        self.write_units()
        self.meetings_and_visits()
        self.clusters_and_scores(shapes)
        for w in self.w.values():
            w.close()
        counts = {n: w.rows for n, w in self.w.items()}
        for n, c in counts.items():
            if c == 0:
                (self.root / n).unlink()
        self.write_meta()
        return counts

    def province_cadres(self, pid: str, first: int, last: int) -> list[str]:
        self.province_span[pid] = (first, last)
        roles = ["secretary"] + ["deputy_secretary"] * 2 + ["standing_member"] * 6 + \
            ["committee_member"] * 10
        out = []
        for role in roles:
            cid = self.cadre()
            self.position(cid, pid, role, True, self.d(first),
                          self.d(last) if last < self.y1 else "")
            self.bound.append((cid, pid, first, last))
            out.append(cid)
        self.briefing_chairs[pid] = out[0]
        # one maternity leave and one long study per province, for the exemptions
        a = self.rng.randint(first, max(first, last - 200))
        self.w["absences.csv"].row([out[-1], self.d(a), self.d(min(a + 180, last)), "maternity"])
        return out

    def province(self, pid: str, shape: str, later_pid: str) -> None:
        both = shape == "both"  # 2025: districts end on 30/6
        merged = later_pid != pid  # 2025: the province itself ends on 30/6
        self.province_cadres(pid, self.y0, LAST_OLD.toordinal() if merged else self.y1)
        districts = self._districts(pid, shape)
        blocs = self._blocs(pid)
        communes = self._communes(pid, districts)
        grassroots = communes + self._schools(pid, blocs)
        self._district_cadres(pid, districts, grassroots, both)
        branches_by_province = self._grassroots_branches(grassroots)
        self.province_branches = getattr(self, "province_branches", {})
        self.province_branches[pid] = branches_by_province
        self.grassroots_of = getattr(self, "grassroots_of", {})
        self.grassroots_of[pid] = [g for g, _ in grassroots]
        if merged:  # the new province's cadres visit these units from 1/7/2025
            self.grassroots_of.setdefault(later_pid, []).extend(g for g, _ in grassroots)
        if both:
            key, extra = later_pid, [g for g, _ in grassroots if "-X" in g] + blocs
        else:
            clusterable = districts if shape == "old" else []
            clusterable = clusterable + blocs
            if shape == "new":
                clusterable = clusterable + [g for g, _ in communes]
            key, extra = pid, clusterable
        self.cluster_units[key] = self.cluster_units.get(key, []) + extra

    def _districts(self, pid: str, shape: str) -> list[str]:
        """The district unions of *pid* (before 1/7/2025 only)."""
        districts: list[str] = []
        if shape in ("old", "both"):
            for i in range(1, self.sc.districts + 1):
                did = f"{pid}-H{i:02d}"
                self.unit(did, f"Huyện đoàn {pid} số {i}", "upper_grassroots", pid, "rural")
                districts.append(did)
        return districts

    def _blocs(self, pid: str) -> list[str]:
        """The attached upper-grassroots units (blocs, schools, armed forces) of *pid*."""
        blocs = []
        for i in range(1, self.sc.blocs + 1):
            bid = f"{pid}-K{i:02d}"
            name = ["Đoàn khối các cơ quan tỉnh", "Đoàn khối doanh nghiệp", "Đoàn Trường Cao đẳng",
                    "Đoàn Bộ đội Biên phòng", "Đoàn Công an tỉnh"][(i - 1) % 5]
            self.unit(bid, f"{name} {pid}", "upper_grassroots", pid, "agency")
            blocs.append(bid)
        return blocs

    def _communes(self, pid: str, districts: list[str]) -> list[tuple[str, str]]:
        """The commune and ward unions of *pid* (under its districts when it has some)."""
        rng = self.rng
        communes: list[tuple[str, str]] = []
        for i in range(1, max(1, round(self.sc.communes * self.factor)) + 1):
            gid = f"{pid}-X{i:03d}"
            sector = "rural" if rng.random() < 0.75 else "urban"
            kind = "Đoàn xã" if sector == "rural" else "Đoàn phường"
            if districts:
                parent = districts[(i - 1) % len(districts)]
                self.unit(gid, f"{kind} {pid}-{i}", "grassroots", parent, sector)
            else:
                self.unit(gid, f"{kind} {pid}-{i}", "grassroots", pid, sector)
            communes.append((gid, sector))
        return communes

    def _schools(self, pid: str, blocs: list[str]) -> list[tuple[str, str]]:
        """The attached grassroots units (schools, agencies, enterprises) under the blocs."""
        schools: list[tuple[str, str]] = []
        for i in range(1, max(1, round(self.sc.schools * self.factor)) + 1):
            gid = f"{pid}-T{i:03d}"
            sector = self.rng.choice(["school", "agency", "enterprise_private",
                                      "enterprise_state", "armed_forces"])
            self.unit(gid, f"Đoàn cơ sở {pid}-T{i}", "grassroots", blocs[(i - 1) % len(blocs)],
                      sector)
            schools.append((gid, sector))
        return schools

    def _district_cadres(self, pid: str, districts: list[str],
                         grassroots: list[tuple[str, str]], both: bool) -> None:
        """Full-time district cadres, each visiting its district's share of the units."""
        sc = self.sc
        cut = LAST_OLD.isoformat()
        end_ord = LAST_OLD.toordinal() if both else self.y1
        for did in districts:
            for k in range(sc.district_cadres):
                cid = self.cadre()
                role = ["secretary", "deputy_secretary", "standing_member"][k % 3]
                self.position(cid, did, role, True, self.d(self.y0), cut if both else "")
                targets = [g for g, _ in grassroots if g.startswith(pid)][: sc.communes]
                self.visitors.append((cid, [t for j, t in enumerate(targets)
                                            if j % len(districts) == districts.index(did)],
                                      self.y0, end_ord))

    def _grassroots_branches(self, grassroots: list[tuple[str, str]]) -> list[str]:
        """Each grassroots unit's secretary, branches and members; the branch ids."""
        rng = self.rng
        branches: list[str] = []
        for gid, sector in grassroots:
            cid = self.cadre()
            self.position(cid, gid, "secretary", False, self.d(self.y0 - rng.randint(100, 900)))
            for j in range(1, self.sc.branches + 1):
                bid = f"{gid}-C{j:02d}"
                self.unit(bid, f"Chi đoàn {j:02d} {gid}", "branch", gid, sector)
                branches.append(bid)
                self.members(bid)
        return branches

    def members(self, bid: str) -> None:
        rng, year, w = self.rng, self.year, self.w["members.csv"]
        n = max(3, int(rng.gauss(self.sc.members, self.sc.members / 4)))
        y0, y1 = self.y0, self.y1
        for k in range(n):
            age = rng.randint(16, 30)
            birth = _dt.date(year - age, 1, 1).toordinal() + rng.randint(0, 364)
            earliest = birth + 5845  # 16 years
            if rng.random() < 0.12:
                joined = rng.randint(y0, y1)
            else:
                joined = rng.randint(min(earliest, y0 - 1), y0 - 1)
            if joined < earliest:
                joined = earliest if earliest <= y1 else y1
            if rng.random() < 0.001:  # a few admitted too young: the age rule must see them
                joined = birth + 5000
            left = intro = admit = ""
            reason = ""
            if rng.random() < 0.04:
                lo = max(joined + 1, y0)
                if lo <= y1:
                    left = self.d(rng.randint(lo, y1))
                    reason = rng.choice(["trưởng thành Đoàn", "chuyển sinh hoạt", "khác"])
            if rng.random() < 0.02:
                io = rng.randint(max(joined, y0), y1)
                intro = self.d(io)
                if rng.random() < 0.6 and io < y1:
                    admit = self.d(rng.randint(io + 1, y1))
            w.row([f"{bid}-{k:03d}", bid, self.d(birth), self.d(joined), left, reason, intro,
                   admit])

    # ------------------------------------------------------------------ events
    def meetings_and_visits(self) -> None:
        year = self.year
        months = [(_dt.date(year, m, 1).toordinal(),
                   (_dt.date(year + (m == 12), m % 12 + 1, 1).toordinal() - 1)) for m in
                  range(1, 13)]
        n = self._branch_meetings(months)
        self._standing_meetings(months, n)
        # visits: bound provincial cadres first (around 60 days), then district cadres
        v = self._bound_visits()
        self._district_visits(v)

    def _branch_meetings(self, months: list[tuple[int, int]]) -> int:
        """Monthly branch meetings (most months); the number of meetings written."""
        rng, w = self.rng, self.w["meetings.csv"]
        n = 0
        for branches in self.province_branches.values():
            for bid in branches:
                for lo, hi in months:
                    if rng.random() < 0.93:
                        n += 1
                        w.row([f"SH{n:08d}", bid, self.d(rng.randint(lo, hi)), "branch_meeting",
                               "", "", ""])
        return n

    def _standing_meetings(self, months: list[tuple[int, int]], n: int) -> None:
        """A standing committee meeting in each month a province exists, numbered after *n*."""
        rng, w = self.rng, self.w["meetings.csv"]
        for pid, (first, last) in self.province_span.items():
            chair = self.briefing_chairs.get(pid)
            for lo, hi in months:
                if lo >= first and hi <= last:
                    n += 1
                    w.row([f"SH{n:08d}", pid, self.d(rng.randint(lo, hi)), "standing_meeting",
                           chair or "", "", ""])

    def _bound_visits(self) -> int:
        """The bound provincial cadres' visits (around 60 days each); the number written."""
        rng, year = self.rng, self.year
        total = self.sc.visits
        share = 0.45 if self.visitors else 1.0
        per_bound = max(1, int(total * share / max(1, len(self.bound))))
        v = 0
        wv = self.w["visits.csv"]
        for cid, pid, first, last in self.bound:
            targets = self.grassroots_of.get(pid)
            if not targets:
                continue
            days_wanted = rng.randint(48, 72) * (last - first + 1) // (self.y1 - self.y0 + 1)
            length = max(1, round(days_wanted / per_bound))
            for _ in range(per_bound):
                v += 1
                start = rng.randint(first, max(first, last - length))
                end = min(last, start + rng.randint(max(0, length - 1), length))
                report = "" if rng.random() < 0.05 else self.d(end + rng.randint(0, 13))
                order = f"CL-{year}-{v:06d}" if rng.random() < 0.85 else ""
                wv.row([f"DCS{v:07d}", cid, rng.choice(targets), self.d(start),
                        self.d(end) if end != start else "", rng.choice(_PURPOSES), order,
                        report])
        return v

    def _district_visits(self, v: int) -> None:
        """The district cadres' one-day visits, sharing what is left of the total after *v*."""
        rng, year = self.rng, self.year
        wv = self.w["visits.csv"]
        rest = max(0, self.sc.visits - v)
        per_other = max(1, rest // max(1, len(self.visitors))) if self.visitors else 0
        for cid, targets, first, last in self.visitors:
            if not targets:
                continue
            for _ in range(per_other):
                v += 1
                start = rng.randint(first, last)
                wv.row([f"DCS{v:07d}", cid, rng.choice(targets), self.d(start), "",
                        rng.choice(_PURPOSES), f"CL-{year}-{v:06d}",
                        self.d(min(start + rng.randint(0, 9), self.y1 + 30))])

    def clusters_and_scores(self, shapes: list[Shape]) -> None:
        rng, year = self.rng, self.year
        clusters: list[dict[str, Any]] = []
        wt, wi = self.w["targets.csv"], self.w["indicators.csv"]
        for pid, units in self.cluster_units.items():
            units = sorted(set(units))
            size = max(3, min(12, len(units) // 4 or 3))
            for k in range(0, len(units), size):
                members = units[k:k + size]
                if len(members) < 2:
                    clusters[-1]["members"].extend(members)
                    continue
                clusters.append({"id": f"{pid}-cum-{k // size + 1}",
                                 "name": f"Cụm thi đua số {k // size + 1} — {pid}",
                                 "year": year, "members": members, "lead": members[0]})
            for uid in units:
                nm = rng.randint(20, 200)
                wt.row([uid, str(year), "new_members", nm, "Chương trình công tác Đoàn năm "
                        f"{year} (synthetic)"])
                wt.row([uid, str(year), "party_introductions", max(1, nm // 10),
                        f"Chương trình công tác Đoàn năm {year} (synthetic)"])
                wi.row([uid, str(year), "creative_model", int(rng.random() < 0.3), ""])
                wi.row([uid, str(year), "late_reports", rng.choice([0, 0, 0, 1, 2, 4]), ""])
        self.clusters = clusters

    def write_meta(self) -> None:
        meta: dict[str, Any] = {
            "format": 1,
            "name": " ".join(filter(None, ["Dữ liệu tổng hợp", self.sc.name, self.title,
                                            str(self.year)])),
            "root": "TW", "year": self.year,
            "description": "synthetic (doanmodel synth); names and figures are invented",
            "plugins": [],
        }
        (self.root / "dataset.toml").write_text(dump_toml(meta), encoding="utf-8")
        if self.clusters:
            (self.root / "clusters.toml").write_text(dump_toml({"cluster": self.clusters}),
                                                     encoding="utf-8")
        (self.root / "criteria.toml").write_text(
            (files("doanmodel") / "data" / "synth-criteria.toml").read_text(encoding="utf-8")
            .replace("YEAR", str(self.year)), encoding="utf-8")


