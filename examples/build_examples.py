"""Rebuild the example datasets under examples/ from the seed articles (shared/seeds).

Every example keeps the figures the article reports; rows the article does not give (individual
visit dates, unnamed cadres, unit-level figures) are reconstructed so that the published totals
come out, and are marked as reconstructed in each dataset's description. Run:

    python examples/build_examples.py

It writes only into example folders that do not exist yet (delete one to rebuild it).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent


def write(folder: Path, name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(["" if c is None else c for c in r] for r in rows)


def new(folder: str) -> Path | None:
    path = HERE / folder
    if path.exists():
        print(f"{path} exists; skipped")
        return None
    path.mkdir()
    return path


UNITS = ["id", "name", "level", "parent_id", "sector", "valid_from", "valid_to", "successor_id",
         "code"]


# ---------------------------------------------------------------------------- Trà Vinh 2019
TV_DISTRICTS = [
    ("TV-CL", "Huyện đoàn Càng Long", ["An Trường A", "An Trường", "Bình Phú"]),
    ("TV-CK", "Huyện đoàn Cầu Kè", ["Hòa Ân", "Phong Phú"]),
    ("TV-TC", "Huyện đoàn Tiểu Cần", ["Hiếu Tử", "Tập Ngãi"]),
    ("TV-CT", "Huyện đoàn Châu Thành", ["Đa Lộc", "Hòa Thuận"]),
    ("TV-CN", "Huyện đoàn Cầu Ngang", ["Mỹ Long Bắc", "Hiệp Mỹ Đông"]),
    ("TV-TCU", "Huyện đoàn Trà Cú", ["Đại An", "Ngãi Xuyên"]),
    ("TV-DH", "Huyện đoàn Duyên Hải", ["Long Khánh", "Ngũ Lạc"]),
    ("TV-TP", "Thành đoàn Trà Vinh", ["Phường 1", "Phường 7"]),
    ("TV-TXDH", "Thị đoàn Duyên Hải", ["Phường 2", "Trường Long Hòa"]),
]


def tra_vinh_2019() -> None:
    out = new("tra-vinh-2019")
    if out is None:
        return
    rng = random.Random(2019)
    units = [["TV", "Tỉnh đoàn Trà Vinh", "province", "", "", "", "", "", "TV"]]
    targets = []
    for did, name, communes in TV_DISTRICTS:
        sector = "urban" if did in ("TV-TP", "TV-TXDH") else "rural"
        units.append([did, name, "upper_grassroots", "TV", sector, "", "", "", ""])
        for i, c in enumerate(communes, 1):
            cid = f"{did}-{i:02d}"
            kind = "Đoàn phường" if c.startswith("Phường") else "Đoàn xã"
            units.append([cid, f"{kind} {c}", "grassroots", did, sector, "", "", "", ""])
            for j in range(1, 4):
                units.append([f"{cid}-C{j}", f"Chi đoàn ấp/khóm {j} — {c}", "branch", cid, sector,
                              "", "", "", ""])
            targets.append(f"{cid}-C1")
            targets.append(cid)
    # the branch of the photo: chi đoàn ấp, khóm tại cụm 3, xã An Trường A, huyện Càng Long
    units.append(["TV-CL-01-C3B", "Chi đoàn ấp (cụm 3) — An Trường A", "branch", "TV-CL-01",
                  "rural", "", "", "", ""])
    write(out, "units.csv", UNITS, units)
    roles = ["secretary", "deputy_secretary", "deputy_secretary"] + ["standing_member"] * 4 + \
        ["committee_member"] * 6
    cadres = [["TV-BT", "Huỳnh Thị Hằng Nga", "", "F", "Đại học"]]
    cadres += [[f"TV-UV{i:02d}", f"Ủy viên BCH chuyên trách số {i} (không nêu tên)", "", "",
                ""] for i in range(2, 14)]
    cadres.append(["TV-TCKT", "Nguyễn Thị Cẩm Hương", "", "F", ""])
    write(out, "cadres.csv", ["id", "name", "birth_date", "gender", "education"], cadres)
    positions = [[c[0], "TV", r, "true", "2017-10-01", "", "2017 – 2022"]
                 for c, r in zip(cadres, roles)]
    positions.append(["TV-TCKT", "TV", "staff", "true", "2018-01-01", "", ""])
    write(out, "positions.csv", ["cadre_id", "unit_id", "role", "full_time", "start", "end",
                                 "term"], positions)
    # 13 cadres, 785 days in all (mean 60.4): five did 61 days, eight did 60
    wanted = [61] * 5 + [60] * 8
    purposes = ["attend_branch_meeting"] * 5 + ["inspection", "co_organise", "survey",
                                                 "guide_congress", "review"]
    visits = []
    n = 0
    for (cid, *_), days in zip(cadres, wanted):
        taken: set[int] = set()
        start_of_year = dt.date(2019, 1, 2).toordinal()
        while len(taken) < days:
            length = min(rng.choice([1, 1, 1, 2, 2, 3]), days - len(taken))
            first = rng.randint(start_of_year, dt.date(2019, 12, 28).toordinal())
            span = set(range(first, first + length))
            if span & taken:
                continue
            taken |= span
            n += 1
            start = dt.date.fromordinal(first)
            end = dt.date.fromordinal(first + length - 1)
            unit = "TV-CL-01-C3B" if cid == "TV-BT" and n % 7 == 0 else rng.choice(targets)
            visits.append([f"TV19-{n:04d}", cid, unit, start.isoformat(),
                           end.isoformat() if length > 1 else "", rng.choice(purposes),
                           f"CL-{n:04d}/TĐTN", (end + dt.timedelta(days=rng.randint(1, 8)))
                           .isoformat()])
    visits.sort(key=lambda r: (r[3], r[0]))
    write(out, "visits.csv", ["id", "cadre_id", "unit_id", "start", "end", "purpose", "order_ref",
                              "report_on"], visits)
    (out / "dataset.toml").write_text('''format = 1
name = "Tỉnh đoàn Trà Vinh — đi công tác cơ sở năm 2019"
root = "TV"
year = 2019
description = """Ủy viên BCH chuyên trách Tỉnh đoàn Trà Vinh đi cơ sở theo chủ trương 1+2 năm 2019:
13 đồng chí, trung bình 60,4 ngày/người (bài "Tăng cường đi công tác cơ sở theo chủ trương 1 + 2",
TC-KT Tỉnh đoàn Trà Vinh). Reconstructed: the article gives the 13 cadres, the mean and the kinds of
visits; the individual visits, dates and the names of 12 cadres are not published and are
generated (five cadres at 61 days, eight at 60) so that the published mean comes out."""
sources = [
  "Hướng dẫn 03-HD/TWĐTN-BTC ngày 21/3/2018 của Ban Bí thư Trung ương Đoàn",
  "Kế hoạch 53-KH/TĐTN-TC-KT ngày 26/4/2018 của BTV Tỉnh đoàn Trà Vinh",
  "Quy định 784-QĐ/TU ngày 10/5/2016 của BTV Tỉnh ủy Trà Vinh",
]
plugins = []
# values no source gave, made up so the published totals come out (docs/dataset.md)
reconstructed = ["cadres", "visits"]

[parameters]
"visits.min_days" = [{ from = 2018-04-26, value = 60, source = "Kế hoạch 53-KH/TĐTN-TC-KT ngày 26/4/2018 của BTV Tỉnh đoàn Trà Vinh" }]
''', encoding="utf-8")


# ---------------------------------------------------------------------------- clusters 2023
CLUSTERS = {
    "cum-1": ("Cụm thi đua số 1", "PBT-TT", ["H01", "H02", "H03"]),
    "cum-2": ("Cụm thi đua số 2", "PBT-2", ["H04", "H05", "H06"]),
    "cum-3": ("Cụm thi đua số 3", "PBT-3", ["H07", "H08", "K01"]),
    "cum-4": ("Cụm thi đua số 4", "BT", ["K02", "K03", "K04"]),
}


def cum_thi_dua_2023() -> None:
    out = new("cum-thi-dua-2023")
    if out is None:
        return
    rng = random.Random(2023)
    names = {f"H{i:02d}": f"Huyện đoàn số {i}" for i in range(1, 9)}
    names.update({"K01": "Đoàn khối các cơ quan tỉnh", "K02": "Đoàn khối doanh nghiệp tỉnh",
                  "K03": "Đoàn Trường Cao đẳng Cộng đồng", "K04": "Đoàn Công an tỉnh"})
    units = [["T", "Tỉnh đoàn (bài giao ban cụm thi đua quý I/2023)", "province", "", "", "", "",
              "", ""]]
    for uid, name in names.items():
        sector = "rural" if uid.startswith("H") else "agency"
        units.append([uid, name, "upper_grassroots", "T", sector, "", "", "", ""])
    write(out, "units.csv", UNITS, units)
    cadres = [["BT", "Hà Duy Trung", "", "M", ""],
              ["PBT-TT", "Nguyễn Thành Trung", "", "M", ""],
              ["PBT-3", "Huỳnh Thị Thanh Nguyệt", "", "F", ""],
              ["PBT-2", "Phạm Hồng Hiệp", "", "M", ""]]
    write(out, "cadres.csv", ["id", "name", "birth_date", "gender", "education"], cadres)
    write(out, "positions.csv", ["cadre_id", "unit_id", "role", "full_time", "start", "end",
                                 "term"],
          [["BT", "T", "secretary", "true", "2022-10-01", "", "2022 – 2027"],
           ["PBT-TT", "T", "deputy_secretary", "true", "2022-10-01", "", "2022 – 2027"],
           ["PBT-3", "T", "deputy_secretary", "true", "2022-10-01", "", "2022 – 2027"],
           ["PBT-2", "T", "deputy_secretary", "true", "2022-10-01", "", "2022 – 2027"]])
    dates = {"cum-4": "2023-04-12", "cum-1": "2023-04-13", "cum-3": "2023-04-13",
             "cum-2": "2023-04-14"}
    meetings = []
    for cid, (_, chair, members) in CLUSTERS.items():
        meetings.append([f"GB-Q1-{cid}", members[0], dates[cid], "cluster_briefing", chair, chair,
                         cid])
    write(out, "meetings.csv", ["id", "unit_id", "date", "kind", "chair_id", "attendees",
                                "cluster_id"], meetings)
    lines = ['[[cluster]]\nid = "{}"\nname = "{}"\nyear = 2023\nmembers = [{}]\nlead = "{}"\n'
             'source = "Hội nghị giao ban các Cụm thi đua quý I/2023 (12–14/4/2023)"\n'.format(
                 cid, name, ", ".join(f'"{m}"' for m in members), members[0])
             for cid, (name, _, members) in CLUSTERS.items()]
    (out / "clusters.toml").write_text("\n".join(lines), encoding="utf-8")
    indicators, targets = [], []
    for uid in names:
        big = uid.startswith("H")
        tnm = rng.randint(180, 420) if big else rng.randint(40, 120)
        targets.append([uid, "2023", "new_members", tnm, "Chỉ tiêu giao ước thi đua năm 2023"])
        targets.append([uid, "2023", "party_introductions", max(5, tnm // 8),
                        "Chỉ tiêu giao ước thi đua năm 2023"])
        targets.append([uid, "2023", "youth_works", 2 if big else 1,
                        "Chỉ tiêu giao ước thi đua năm 2023"])
        values = {
            "new_members": round(tnm * rng.uniform(0.75, 1.2)),
            "party_introductions": round(max(5, tnm // 8) * rng.uniform(0.6, 1.3)),
            "youth_works": rng.choice([0, 1, 2, 3]),
            "education_sessions": rng.randint(4, 14),
            "volunteer_share": round(rng.uniform(0.55, 0.98), 2),
            "branch_meeting_share": round(rng.uniform(0.78, 1.0), 2),
            "digital_members_share": round(rng.uniform(0.6, 1.0), 2),
            "pioneer_activities": rng.randint(2, 10),
            "missing_reports": rng.choice([0, 0, 0, 1, 2, 3, 4]),
            "creative_model": rng.choice([0, 1]),
            "hosted_events": rng.choice([0, 0, 1, 2]),
            "late_reports": rng.choice([0, 0, 1, 2, 5]),
        }
        for k, v in values.items():
            indicators.append([uid, "2023", k, v, "Báo cáo tổng kết năm 2023 (reconstructed)"])
    # the Q1 briefing's figures: new members admitted in Tháng Thanh niên
    for uid in names:
        indicators.append([uid, "2023-Q1", "new_members", rng.randint(20, 90),
                           "Báo cáo giao ban cụm quý I/2023 (reconstructed)"])
    write(out, "indicators.csv", ["unit_id", "period", "indicator", "value", "evidence"],
          indicators)
    write(out, "targets.csv", ["unit_id", "period", "indicator", "value", "source"], targets)
    (out / "dataset.toml").write_text('''format = 1
name = "Các Cụm thi đua cấp huyện năm 2023"
root = "T"
year = 2023
description = """Bốn Cụm thi đua của một Tỉnh đoàn, giao ban quý I/2023 ngày 12–14/4/2023 (bài "Hội nghị
giao ban công tác Đoàn, Hội, Đội các Cụm thi đua quý I/2023", Văn phòng Tỉnh đoàn): Cụm 4 do Bí thư
Hà Duy Trung chủ trì, Cụm 1 do Phó Bí thư Thường trực Nguyễn Thành Trung, Cụm 3 do Phó Bí thư Huỳnh
Thị Thanh Nguyệt, Cụm 2 do Phó Bí thư Phạm Hồng Hiệp. The article does not name the province or the
cluster members; the twelve units and their 2023 figures are reconstructed. Scored with a 400-point
set shaped like Quảng Ngãi 2018 (360 + 40 bonus)."""
plugins = []
# values no source gave, made up so the published totals come out (docs/dataset.md)
reconstructed = ["clusters", "indicators", "targets"]
''', encoding="utf-8")
    (out / "criteria.toml").write_text(CRITERIA_400, encoding="utf-8")


CRITERIA_400 = '''# A 400-point district-level set shaped like Quảng Ngãi's of 18/4/2018 (7 criteria,
# 360 core points + 40 "điểm thưởng, sáng tạo"). The group structure and totals are sourced; the
# split of points inside each group is this example's, since the contents are not public.
id = "huyen-2023"
title = "Bộ tiêu chí thi đua cấp huyện năm 2023 (400 điểm)"
year = 2023
source = "Bộ tiêu chí thi đua cấp huyện, Tỉnh đoàn Quảng Ngãi 18/4/2018 (7 tiêu chí, 23 nội dung, 400 = 360 + 40 điểm thưởng)"
bonus_cap = 40
tie_break = ["total", "core", "penalty", "bonus"]

[quality]
excellent = 0.9
good = 0.8
complete = 0.5
excellent_cap = 0.2

[[criterion]]
id = "giao-duc.sinh-hoat-chinh-tri"
group = "1. Công tác giáo dục"
title = "Tổ chức sinh hoạt chính trị, học tập Nghị quyết"
points = 40
method = "count"
points_each = 4
indicator = "education_sessions"

[[criterion]]
id = "phong-trao.cong-trinh"
group = "2. Phong trào hành động cách mạng"
title = "Công trình, phần việc thanh niên"
points = 30
method = "ratio"
indicator = "youth_works"
target = "targets"
cap = 1.0

[[criterion]]
id = "phong-trao.tinh-nguyen"
group = "2. Phong trào hành động cách mạng"
title = "Tỷ lệ đoàn viên tham gia hoạt động tình nguyện"
points = 40
method = "steps"
indicator = "volunteer_share"
steps = [{ min = 0.9, points = 40 }, { min = 0.8, points = 30 }, { min = 0.7, points = 20 }, { points = 5 }]

[[criterion]]
id = "dong-hanh.chuyen-doi-so"
group = "3. Đồng hành với thanh niên"
title = "Đoàn viên cập nhật trên Phần mềm Quản lý đoàn viên (Năm chuyển đổi số 2023)"
points = 50
method = "threshold"
min = 0.8
indicator = "digital_members_share"

[[criterion]]
id = "thieu-nhi.hoat-dong"
group = "4. Công tác Đội và phong trào thiếu nhi"
title = "Hoạt động Đội, thiếu nhi"
points = 30
method = "count"
points_each = 5
indicator = "pioneer_activities"

[[criterion]]
id = "xay-dung-doan.ket-nap"
group = "5. Xây dựng tổ chức Đoàn"
title = "Kết nạp đoàn viên mới"
points = 60
method = "ratio"
indicator = "new_members"
target = "targets"
cap = 1.0

[[criterion]]
id = "xay-dung-doan.sinh-hoat-chi-doan"
group = "5. Xây dựng tổ chức Đoàn"
title = "Tỷ lệ chi đoàn sinh hoạt hằng tháng"
points = 30
method = "steps"
indicator = "branch_meeting_share"
steps = [{ min = 0.95, points = 30 }, { min = 0.9, points = 24 }, { min = 0.8, points = 15 }, { points = 0 }]

[[criterion]]
id = "xay-dung-dang.gioi-thieu"
group = "6. Tham gia xây dựng Đảng"
title = "Giới thiệu đoàn viên ưu tú cho Đảng"
points = 50
method = "ratio"
indicator = "party_introductions"
target = "targets"
cap = 1.0

[[criterion]]
id = "chi-dao.bao-cao"
group = "7. Công tác chỉ đạo, báo cáo"
title = "Báo cáo đầy đủ, đúng hạn (thang điểm Bù Đăng 2015: 8/6/4/0)"
points = 30
method = "steps"
indicator = "missing_reports"
steps = [{ max = 0, points = 30 }, { max = 2, points = 22 }, { max = 3, points = 15 }, { points = 0 }]
source = "Thang điểm công tác Đoàn, Huyện đoàn Bù Đăng 2015 (báo cáo: đủ, đúng hạn 8; thiếu 2 tháng 6; thiếu 1 quý hoặc 3 tháng 4; còn lại 0), quy đổi 30 điểm"

[[criterion]]
id = "thuong.mo-hinh-sang-tao"
group = "Điểm thưởng, sáng tạo"
title = "Mô hình sáng tạo được Tỉnh đoàn công nhận"
points = 25
bonus = true
method = "boolean"
indicator = "creative_model"

[[criterion]]
id = "thuong.dang-cai"
group = "Điểm thưởng, sáng tạo"
title = "Đăng cai sự kiện của Tỉnh đoàn"
points = 30
bonus = true
method = "count"
points_each = 15
indicator = "hosted_events"

[[penalty]]
id = "tru.bao-cao-tre"
title = "Báo cáo trễ hạn"
points_each = 2
max = 10
indicator = "late_reports"

[[award]]
rank = 1
title = "Cờ thi đua của Ban Chấp hành Tỉnh đoàn"
title_en = "Emulation flag of the Provincial Union Executive Committee"

[[award]]
rank = 2
title = "Bằng khen của Ban Chấp hành Tỉnh đoàn"
title_en = "Certificate of merit of the Provincial Union Executive Committee"
'''


# ---------------------------------------------------------------------------- Tiền Giang 2024
def tien_giang_2024() -> None:
    out = new("tien-giang-2024")
    if out is None:
        return
    units = [["TG", "Tỉnh Đoàn Tiền Giang", "province", "", "", "", "2025-06-30", "", "TG"],
             ["TG-CL", "Thị Đoàn Cai Lậy", "upper_grassroots", "TG", "urban", "", "2025-06-30",
              "", ""],
             ["TG-CG", "Huyện Đoàn Chợ Gạo", "upper_grassroots", "TG", "rural", "", "2025-06-30",
              "", ""]]
    write(out, "units.csv", UNITS, units)
    cadres = [["TG-BT", "Nguyễn Quang Minh", "", "M", ""],
              ["TG-BTV1", "Ủy viên BTV Tỉnh Đoàn (không nêu tên) 1", "", "", ""],
              ["TG-BTV2", "Ủy viên BTV Tỉnh Đoàn (không nêu tên) 2", "", "", ""],
              ["TG-CL-BT", "Bí thư Thị Đoàn Cai Lậy (không nêu tên)", "", "", ""],
              ["TG-CG-BT", "Bí thư Huyện Đoàn Chợ Gạo (không nêu tên)", "", "", ""]]
    write(out, "cadres.csv", ["id", "name", "birth_date", "gender", "education"], cadres)
    write(out, "positions.csv", ["cadre_id", "unit_id", "role", "full_time", "start", "end",
                                 "term"],
          [["TG-BT", "TG", "secretary", "true", "2022-09-01", "", "2022 – 2027"],
           ["TG-BTV1", "TG", "standing_member", "true", "2022-09-01", "", "2022 – 2027"],
           ["TG-BTV2", "TG", "standing_member", "true", "2022-09-01", "", "2022 – 2027"],
           ["TG-CL-BT", "TG-CL", "secretary", "true", "2022-07-01", "", "2022 – 2027"],
           ["TG-CG-BT", "TG-CG", "secretary", "true", "2022-07-01", "", "2022 – 2027"]])
    team = "TG-BT;TG-BTV1;TG-BTV2"
    write(out, "meetings.csv", ["id", "unit_id", "date", "kind", "chair_id", "attendees",
                                "cluster_id"],
          [["TG24-LV-CL", "TG-CL", "2024-04-24", "working_session", "TG-BT", team + ";TG-CL-BT",
            ""],
           ["TG24-LV-CG", "TG-CG", "2024-05-02", "working_session", "TG-BT", team + ";TG-CG-BT",
            ""]])
    visits = []
    for cid in ("TG-BT", "TG-BTV1", "TG-BTV2"):
        visits.append([f"TG24-{cid}-CL", cid, "TG-CL", "2024-04-24", "", "consolidation",
                       "", ""])
        visits.append([f"TG24-{cid}-CG", cid, "TG-CG", "2024-05-02", "", "consolidation",
                       "", ""])
    write(out, "visits.csv", ["id", "cadre_id", "unit_id", "start", "end", "purpose", "order_ref",
                              "report_on"], visits)
    (out / "dataset.toml").write_text('''format = 1
name = "Tỉnh Đoàn Tiền Giang — làm việc, củng cố và nâng chất cơ sở Đoàn năm 2024"
root = "TG"
year = 2024
description = """Ngày 24/4 và 2/5/2024, BTV Tỉnh Đoàn Tiền Giang (trưởng đoàn: Bí thư Nguyễn Quang Minh)
làm việc với Thị Đoàn Cai Lậy và Huyện Đoàn Chợ Gạo. Recorded as two working sessions and, for each
member of the delegation, a one-day consolidation visit; the other members are not named. Reports
and travel orders are not in the article and are left empty. The sessions also form a work
programme (programmes.toml) with the published contents and requests."""
plugins = []
# values no source gave, made up so the published totals come out (docs/dataset.md)
reconstructed = ["cadres"]
''', encoding="utf-8")
    (out / "programmes.toml").write_text(TG_PROGRAMME, encoding="utf-8")


TG_TOPICS = [
    ("ket-qua-quy", "Kết quả công tác Đoàn quý I/2024, phương hướng nhiệm vụ quý II",
     "Union work in Q1 2024 and the plan for Q2"),
    ("dai-hoi-hoi", "Đại hội Hội LHTN Việt Nam cấp cơ sở, chuẩn bị Đại hội nhiệm kỳ 2024 – 2029",
     "Youth Federation congresses at the base and preparing the 2024–2029 congress"),
    ("quy-hoach", "Rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ 2022 – 2027 và 2027 – 2032",
     "Cadre planning for the 2022–2027 and 2027–2032 terms"),
    ("tinh-nguyen-he", "Chiến dịch Thanh niên tình nguyện Hè 2024, 30 năm phong trào",
     "The summer 2024 volunteer campaign and the movement's 30th anniversary"),
    ("dao-tao", "Đào tạo cán bộ Đoàn, đoàn viên ưu tú", "Training Union cadres and outstanding "
     "members"),
    ("gioi-thieu-dang", "Giới thiệu đoàn viên ưu tú cho tổ chức Đảng xem xét, kết nạp",
     "Introducing outstanding members to the Party"),
]
# (id suffix, addressee, addressee name or "", Vietnamese text as published, English, due)
TG_REQUESTS = [
    ("phoi-hop", "unit", "", "Tăng cường công tác phối hợp với các ngành trong triển khai thực "
     "hiện nhiệm vụ", "Work more closely with the local departments on its tasks", "2024-06-30"),
    ("ke-hoach", "unit", "", "Xây dựng kế hoạch chi tiết, cụ thể phát huy những mặt đạt được, "
     "khắc phục những hạn chế, khuyết điểm được nhận xét trong năm 2023",
     "Draw up a detailed plan building on strengths and fixing the shortcomings noted in 2023",
     "2024-06-30"),
    ("bao-cao", "unit", "", "Tăng cường công tác báo cáo, tham mưu cấp ủy và Tỉnh Đoàn",
     "Report to and advise the Party committee and the Provincial Union more", "2024-06-30"),
    ("nguon-luc", "party_committee", "BTV {party}", "Xem xét giao nhiệm vụ và nguồn lực để tổ "
     "chức Đoàn thực hiện các công trình, phần việc; chỉ đạo các ngành phối hợp với Đoàn",
     "Consider assigning tasks and resources for Union youth works, and direct the local "
     "departments to work with the Union", "2024-12-31"),
]


def _tg_unit(uid: str, meeting: str, party: str, name: str) -> str:
    out = [f'''
[[programme.unit]]
unit = "{uid}"
meetings = ["{meeting}"]
results = {{ {", ".join(f'{t} = "done"' for t, _, _ in TG_TOPICS)} }}
conclusions = ["Công tác Đoàn và phong trào thanh thiếu nhi trên địa bàn {name} có nhiều chuyển biến tích cực, các mảng công tác Đoàn - Hội - Đội được triển khai hiệu quả, đồng bộ."]
''']
    for rid, addressee, who, vi, en, due in TG_REQUESTS:
        out.append(f'''
[[programme.unit.recommendation]]
id = "{uid}-{rid}"
text = "{vi}"
text_en = "{en}"
addressee = "{addressee}"
''' + (f'addressee_name = "{who.format(party=party)}"\n' if who else "") + f'''due = {due}
status = "open"
reconstructed = true
''')
    return "".join(out)


TG_PROGRAMME = '''# Reconstructed details are marked: the programme's period (the year its title names), the due
# dates and the status of the requests (published: their text and whom they address).
[[programme]]
id = "TG-NC-2024"
kind = "working_session"
title = "Làm việc, củng cố và nâng chất cơ sở Đoàn năm 2024"
title_en = "Working sessions to consolidate and improve grassroots Union units, 2024"
start = 2024-01-01
end = 2024-12-31
document = "Chương trình làm việc, củng cố và nâng chất cơ sở Đoàn năm 2024, BTV Tỉnh Đoàn Tiền Giang"
lead = "TG-BT"
targets = ["TG-CL", "TG-CG"]
reconstructed = "Dựng lại: thời gian cả năm 2024 (theo tên chương trình); hạn và trạng thái các yêu cầu không được công bố. Bài viết cho biết sẽ làm việc thêm với các đơn vị cấp huyện và cơ sở nhưng không nêu tên."
''' + "".join(f'''
[[programme.topic]]
id = "{t}"
title = "{vi}"
title_en = "{en}"
''' for t, vi, en in TG_TOPICS) + _tg_unit("TG-CL", "TG24-LV-CL", "Thị ủy Cai Lậy", "Thị xã Cai Lậy") \
    + _tg_unit("TG-CG", "TG24-LV-CG", "Huyện ủy Chợ Gạo", "huyện Chợ Gạo")


# ---------------------------------------------------------------------------- census 2021
def census_2021() -> None:
    out = new("can-bo-2021")
    if out is None:
        return
    units = [["P", "Tỉnh đoàn (hội nghị sơ kết KL 07, KL 08, 15/11/2021)", "province", "", "",
              "", "", "", ""]]
    for i in range(1, 10):
        units.append([f"H{i}", f"Huyện, thành Đoàn số {i}", "upper_grassroots", "P", "rural", "",
                      "", "", ""])
    for i in range(1, 10):
        units.append([f"K{i}", f"Đoàn trực thuộc số {i}", "upper_grassroots", "P", "agency", "",
                      "", "", ""])
    for i in range(1, 144):
        parent = f"H{(i - 1) % 9 + 1}" if i <= 110 else f"K{(i - 1) % 9 + 1}"
        units.append([f"CS{i:03d}", f"Đoàn cơ sở số {i}", "grassroots", parent,
                      "rural" if i <= 110 else "agency", "", "", "", ""])
    write(out, "units.csv", UNITS, units)
    cadres, positions = [], []

    def add(cid: str, name: str, unit: str, role: str, full_time: bool, edu: str) -> None:
        cadres.append([cid, name, "", "", edu])
        positions.append([cid, unit, role, "true" if full_time else "false", "2017-10-01", "",
                          "2017 – 2022"])

    # province: BCH 30 = BTV 9 (1 Bí thư, 2 Phó Bí thư, 6 UV BTV) + 21 UV BCH;
    # 19 full-time = the 9 of the BTV + 10 of the other committee members
    add("P-BT", "Bí thư Tỉnh đoàn", "P", "secretary", True, "Thạc sĩ")
    add("P-PBT1", "Hoàng Ngọc Hòa", "P", "deputy_secretary", True, "Đại học")
    add("P-PBT2", "Phó Bí thư Tỉnh đoàn 2", "P", "deputy_secretary", True, "Đại học")
    for i in range(1, 7):
        add(f"P-BTV{i}", f"Ủy viên BTV {i}", "P", "standing_member", True, "Đại học")
    for i in range(1, 22):
        add(f"P-BCH{i:02d}", f"Ủy viên BCH {i}", "P", "committee_member", i <= 10,
            "Thạc sĩ" if i % 5 == 0 else "Đại học")
    # districts: 30 full-time, of whom 9 secretaries and 7 deputies
    n = 0
    for i in range(1, 10):
        add(f"H{i}-BT", f"Bí thư Huyện đoàn {i}", f"H{i}", "secretary", True, "Đại học")
        n += 1
        if i <= 7:
            add(f"H{i}-PBT", f"Phó Bí thư Huyện đoàn {i}", f"H{i}", "deputy_secretary", True,
                "Đại học")
            n += 1
    for k in range(30 - n):
        add(f"H{k % 9 + 1}-CB{k}", f"Cán bộ chuyên trách Huyện đoàn {k % 9 + 1}",
            f"H{k % 9 + 1}", "staff", True, "Đại học")
    # directly-attached unions: 22 cadres, 9 secretaries and 13 deputies
    for i in range(1, 10):
        add(f"K{i}-BT", f"Bí thư Đoàn trực thuộc {i}", f"K{i}", "secretary", True, "Đại học")
    for k in range(13):
        add(f"K{k % 9 + 1}-PBT{k}", f"Phó Bí thư Đoàn trực thuộc {k % 9 + 1}", f"K{k % 9 + 1}",
            "deputy_secretary", True, "Đại học")
    # 143 grassroots secretaries
    for i in range(1, 144):
        add(f"CS{i:03d}-BT", f"Bí thư Đoàn cơ sở {i}", f"CS{i:03d}", "secretary", False, "")
    write(out, "cadres.csv", ["id", "name", "birth_date", "gender", "education"], cadres)
    write(out, "positions.csv", ["cadre_id", "unit_id", "role", "full_time", "start", "end",
                                 "term"], positions)
    (out / "dataset.toml").write_text('''format = 1
name = "Đội ngũ cán bộ Đoàn của tỉnh, tháng 11/2021"
root = "P"
year = 2021
description = """Hội nghị sơ kết Kết luận 07-KL/TWĐTN-BTC và 08-KL/TWĐTN-BTC, 15/11/2021: toàn tỉnh có 30
Ủy viên BCH, 9 UV BTV, 1 Bí thư, 2 Phó Bí thư, 19 cán bộ chuyên trách cấp tỉnh (100% đại học trở lên);
30 cán bộ chuyên trách huyện, thành Đoàn (9 Bí thư, 7 Phó Bí thư); 22 cán bộ Đoàn trực thuộc (9 Bí thư,
13 Phó Bí thư); 143 Bí thư Đoàn cơ sở. The article does not name the province or the cadres (except
Phó Bí thư Hoàng Ngọc Hòa); people are placeholders that reproduce the counts."""
sources = ["Kết luận 07-KL/TWĐTN-BTC ngày 14/02/2019", "Kết luận 08-KL/TWĐTN-BTC ngày 05/3/2019"]
plugins = []
# values no source gave, made up so the published totals come out (docs/dataset.md)
reconstructed = ["cadres", "positions"]
''', encoding="utf-8")


# ---------------------------------------------------------------------------- inspection 2023
def kiem_tra_2023() -> None:
    out = new("kiem-tra-2023")
    if out is None:
        return
    rng = random.Random(4)
    units = [["P", "Tỉnh đoàn (kiểm tra công tác Đoàn năm 2023)", "province", "", "", "", "", "",
              ""]]
    for i in range(1, 13):
        units.append([f"H{i:02d}", f"Đơn vị cấp huyện số {i}", "upper_grassroots", "P", "rural",
                      "", "", "", ""])
        units.append([f"H{i:02d}-CS", f"Đoàn cơ sở thuộc đơn vị {i}", "grassroots", f"H{i:02d}",
                      "rural", "", "", "", ""])
    write(out, "units.csv", UNITS, units)
    teams = [f"KT{i}" for i in range(1, 5)]
    write(out, "cadres.csv", ["id", "name", "birth_date", "gender", "education"],
          [[t, f"Thành viên đoàn kiểm tra {t[-1]} (Ban Xây dựng Đoàn)", "", "", ""]
           for t in teams])
    write(out, "positions.csv", ["cadre_id", "unit_id", "role", "full_time", "start", "end",
                                 "term"],
          [[t, "P", "standing_member" if t == "KT1" else "committee_member", "true",
            "2022-10-01", "", "2022 – 2027"] for t in teams])
    visits = []
    days = ["2023-11-07", "2023-11-08", "2023-11-09", "2023-11-10"]
    for i in range(1, 13):
        team = teams[(i - 1) % 4]
        day = days[(i - 1) // 3]
        for uid in (f"H{i:02d}", f"H{i:02d}-CS"):
            visits.append([f"KT23-{uid}", team, uid, day, "", "inspection", f"QĐ-KT-{i:02d}",
                           (dt.date.fromisoformat(day) + dt.timedelta(days=rng.randint(3, 14)))
                           .isoformat(),
                           # per row, what the article does not give: the team, the day within
                           # 7-10/11, the order and the report date (issue 22, item 6)
                           "cadre_id;start;order_ref;report_on"])
    write(out, "visits.csv", ["id", "cadre_id", "unit_id", "start", "end", "purpose", "order_ref",
                              "report_on", "reconstructed"], visits)
    (out / "dataset.toml").write_text('''format = 1
name = "Kiểm tra công tác Đoàn và phong trào thanh thiếu nhi năm 2023"
root = "P"
year = 2023
description = """Từ 07–10/11/2023, BTV Tỉnh đoàn kiểm tra công tác Đoàn năm 2023 (chủ đề "Năm chuyển đổi
số các hoạt động của Đoàn") tại 12 đơn vị cơ sở Đoàn và 12 đơn vị cấp huyện (Ban Xây dựng Đoàn).
Each inspected unit is one visit of purpose inspection; the teams, days and report dates are
reconstructed (the article gives only the dates and the 12 + 12 units). The inspection is also a
work programme (programmes.toml) with the published topics."""
plugins = []
# values no source gave, made up so the published totals come out (docs/dataset.md)
reconstructed = ["visits"]
''', encoding="utf-8")
    (out / "programmes.toml").write_text(KT_PROGRAMME, encoding="utf-8")


KT_TOPICS = [
    ("chi-tieu", "Ban hành, thực hiện chỉ tiêu công tác năm 2023 qua Bộ tiêu chí",
     "Setting and meeting the 2023 targets through the criteria set"),
    ("ket-nap", "Công tác bồi dưỡng, kết nạp của Đội, của Đoàn",
     "Preparing and admitting new Pioneers and members"),
    ("doanh-nghiep", "Lãnh đạo, chỉ đạo tổ chức Đoàn, Hội trong doanh nghiệp ngoài nhà nước",
     "Union and Federation work in non-state enterprises"),
    ("phoi-hop", "Công tác phối hợp với các cơ quan, đơn vị trên địa bàn",
     "Coordination with local agencies and units"),
    ("doan-vu", "Công tác đoàn vụ, đoàn phí năm 2023", "Membership administration and dues, 2023"),
    ("app-tnvn", "Kết quả triển khai App Thanh niên Việt Nam",
     "Rolling out the Thanh niên Việt Nam app"),
    ("phan-mem", "Nghiệp vụ trên Phần mềm Quản lý đoàn viên",
     "Work on the membership management software"),
    ("ngan-hang-y-tuong", "Đăng tải ý tưởng sáng tạo trên Ngân hàng ý tưởng",
     "Posting ideas to the idea bank"),
]
# reconstructed: which grassroots units had shortcomings, and two forwarded recommendations
KT_ISSUES = {"H03-CS": "phan-mem", "H08-CS": "doanh-nghiep"}
KT_RECS = {
    "H03-CS": ("KT23-KN-01", "upper_level", "Ban Xây dựng Đoàn Tỉnh đoàn",
               "Tập huấn nghiệp vụ Phần mềm Quản lý đoàn viên cho cán bộ cơ sở",
               "Train grassroots cadres on the membership management software",
               "2024-03-31", "closed", "2024-03-15"),
    "H08-CS": ("KT23-KN-02", "party_committee", "Đảng ủy cơ sở",
               "Chỉ đạo thành lập tổ chức Đoàn, Hội trong doanh nghiệp ngoài nhà nước trên địa bàn",
               "Direct the founding of Union and Federation units in local non-state enterprises",
               "2024-06-30", "open", ""),
}


def _kt_unit(i: int, uid: str) -> str:
    issue = KT_ISSUES.get(uid)
    results = ", ".join(f'{t} = "{"issue" if t == issue else "done"}"' for t, _, _ in KT_TOPICS)
    out = f'''
[[programme.unit]]
unit = "{uid}"
visits = ["KT23-{uid}"]
results = {{ {results} }}
'''
    if issue:
        out += 'conclusions = ["Còn một số bất cập, hạn chế (dựng lại)"]\n'
    rec = KT_RECS.get(uid)
    if rec:
        rid, addressee, who, vi, en, due, status, closed = rec
        out += f'''
[[programme.unit.recommendation]]
id = "{rid}"
text = "{vi}"
text_en = "{en}"
addressee = "{addressee}"
addressee_name = "{who}"
due = {due}
status = "{status}"
''' + (f"closed_on = {closed}\n" if closed else "") + "reconstructed = true\n"
    return out


KT_PROGRAMME = '''# Published: the dates, the 12 + 12 units, the topics, and that recommendations beyond the units'
# authority were forwarded to the Party committees and the upper level. Reconstructed (marked):
# which units had shortcomings and the two recommendations shown, with their due dates.
[[programme]]
id = "KT-2023"
kind = "inspection"
title = "Kiểm tra công tác Đoàn và phong trào thanh thiếu nhi năm 2023"
title_en = "Inspection of Union work and the youth and children's movement, 2023"
start = 2023-11-07
end = 2023-11-10
document = "Chương trình công tác Đoàn và phong trào thanh thiếu nhi năm 2023 của Ban Chấp hành Tỉnh đoàn"
reconstructed = "Dựng lại: đơn vị còn tồn tại và hai kiến nghị (nội dung, hạn, trạng thái); bài viết không nêu tên đơn vị hay kiến nghị nào."

[programme.selector]
under = "P"
levels = ["upper_grassroots", "grassroots"]
''' + "".join(f'''
[[programme.topic]]
id = "{t}"
title = "{vi}"
title_en = "{en}"
''' for t, vi, en in KT_TOPICS) + "".join(
    _kt_unit(i, uid) for i in range(1, 13) for uid in (f"H{i:02d}", f"H{i:02d}-CS"))


# ---------------------------------------------------------------------------- rating 2024
def _xl_members() -> list[tuple[str, str, str, str]]:
    """(id, branch, joined_on, left_on) of the example's 20 members."""
    out = []
    for branch, n in (("XL-X1-A", 8), ("XL-X1-B", 7), ("XL-X2-A", 5)):
        for i in range(1, n + 1):
            joined = "2024-07-01" if (branch, i) == ("XL-X2-A", 5) else "2020-03-26"
            out.append((f"{branch}-{i:02d}", branch, joined, ""))
    return out


def xep_loai_2024() -> None:
    """A province's rating year (self, collective, appraisal, decision), reconstructed."""
    path = new("xep-loai-2024")
    if path is None:
        return
    (path / "dataset.toml").write_text('''format = 1
name = "Đánh giá, xếp loại chất lượng đoàn viên năm 2024 (ví dụ dựng lại)"
root = "XL"
year = 2024
description = """Seed 000 (Tiền Giang, 2024) names the yearly quality rating as a purpose of the
Province's working sessions; this example is a reconstructed rating year of one district's two
grassroots unions: every member rates themself, the branch reviews, the grassroots committee
appraises and decides (Quy định 124-QĐ/TW, 2023; Hướng dẫn 25-HD/TWĐTN-BTC, 2023). People and
levels are placeholders. One cap is broken (Đoàn xã X2 decides 2 excellent of 4 good or better:
at most 0), one member lacks the self-assessment (XL-X1-B-02), one member's excellent is above
the attendance the meetings show (XL-X1-A-03: 6 of 8), one member joined in July (XL-X2-A-05)."""
sources = ["Quy định 124-QĐ/TW (2023)", "Hướng dẫn 25-HD/TWĐTN-BTC (2023)"]
plugins = []
reconstructed = true
''', encoding="utf-8")
    write(path, "units.csv", UNITS, [
        ["XL", "Tỉnh Đoàn (ví dụ)", "province", "", "", "", "", "", "XL"],
        ["XL-H", "Huyện Đoàn (ví dụ)", "upper_grassroots", "XL", "rural", "", "", "", ""],
        ["XL-X1", "Đoàn xã X1", "grassroots", "XL-H", "rural", "", "", "", ""],
        ["XL-X2", "Đoàn xã X2", "grassroots", "XL-H", "rural", "", "", "", ""],
        ["XL-X1-A", "Chi đoàn ấp A (X1)", "branch", "XL-X1", "rural", "", "", "", ""],
        ["XL-X1-B", "Chi đoàn ấp B (X1)", "branch", "XL-X1", "rural", "", "", "", ""],
        ["XL-X2-A", "Chi đoàn ấp A (X2)", "branch", "XL-X2", "rural", "", "", "", ""],
    ])
    members = _xl_members()
    write(path, "members.csv", ["id", "branch_id", "birth_date", "joined_on", "left_on",
                                "left_reason", "party_introduced_on", "party_admitted_on"],
          [[m, b, "", j, left, "", "", ""] for m, b, j, left in members])
    # meetings.attendees names people of cadres.csv: the members are listed there too
    write(path, "cadres.csv", ["id", "name", "birth_date", "gender", "education"],
          [[m, f"Đoàn viên {m[3:]}", "", "", ""] for m, _, _, _ in members])
    meetings = []
    for branch in ("XL-X1-A", "XL-X1-B", "XL-X2-A"):
        ids = [m for m, b, _, _ in members if b == branch]
        for month in range(2, 10):
            day = dt.date(2024, month, 15)
            here = [m for m in ids if not (m == "XL-X1-A-03" and month in (4, 6))
                    and not (m == "XL-X2-A-05" and month < 7)]
            meetings.append([f"{branch}-SH{month:02d}", branch, day.isoformat(),
                             "branch_meeting", "", ";".join(here), ""])
    write(path, "meetings.csv", ["id", "unit_id", "date", "kind", "chair_id", "attendees",
                                 "cluster_id"], meetings)
    decided = {"XL-X1-A-01": "excellent", "XL-X1-A-03": "excellent", "XL-X1-B-07": "complete",
               "XL-X1-A-08": "complete", "XL-X1-B-06": "complete",
               "XL-X2-A-01": "excellent", "XL-X2-A-02": "excellent", "XL-X2-A-05": "complete"}
    rows: list[list[object]] = []
    for m, b, _, _ in members:
        level = decided.get(m, "good")
        grassroots = b[:-2]
        if m != "XL-X1-B-02":
            rows.append(["member", m, 2024, "self", level, m, "2024-11-20", ""])
        rows.append(["member", m, 2024, "collective", level, b, "2024-11-27", ""])
        rows.append(["member", m, 2024, "appraisal", level, grassroots, "2024-12-05", ""])
        rows.append(["member", m, 2024, "decision", level, grassroots, "2024-12-12", ""])
    # Vietnamese labels are accepted as input: the two grassroots unions rated by the district
    for uid in ("XL-X1", "XL-X2"):
        rows.append(["grassroots", uid, 2024, "tự đánh giá", "hoàn thành tốt nhiệm vụ", uid,
                     "2024-12-10", ""])
        rows.append(["grassroots", uid, 2024, "thẩm định", "hoàn thành tốt nhiệm vụ", "XL-H",
                     "2024-12-18", ""])
        rows.append(["grassroots", uid, 2024, "quyết định", "hoàn thành tốt nhiệm vụ", "XL-H",
                     "2024-12-25", "Quyết định của Ban Thường vụ Huyện Đoàn (ví dụ)"])
    write(path, "ratings.csv", ["subject_type", "subject_id", "year", "stage", "level", "by",
                                "on", "note"], rows)


# ---------------------------------------------------------------------------- seeds 001, 003 (#26)
# The review conference of 15/11/2021 (seed 003): the figures it reported, judged against the
# census of the can-bo-2021 positions (which reproduce them). Every figure is published.
CB_PROGRAMME = """# Published (seed 003): the date, the host, and every figure below. Nothing reconstructed.
[[programme]]
id = "SK-KL07-08"
kind = "review_conference"
title = "Hội nghị sơ kết Kết luận 07-KL/TWĐTN-BTC, Kết luận 08-KL/TWĐTN-BTC, 2019–2022"
title_en = "Review conference of Conclusions 07 and 08 of the Central Union, 2019–2022"
start = 2021-11-15
end = 2021-11-15
document = "Hội nghị sơ kết Kết luận 07, 08 của Ban Thường vụ Tỉnh đoàn, 15/11/2021"
chair = "Hoàng Ngọc Hòa – Phó Bí thư Tỉnh đoàn"
targets = ["P"]
conclusions = ["Tiếp tục thực hiện các Kết luận 07, 08 và Hướng dẫn 15 của Trung ương Đoàn"]

[programme.figures]
"province.committee" = 30
"province.standing" = 9
"province.secretaries" = 1
"province.deputies" = 2
"province.full_time" = 19
"upper_grassroots.territorial.full_time" = 30
"upper_grassroots.territorial.secretaries" = 9
"upper_grassroots.territorial.deputies" = 7
"upper_grassroots.attached.cadres" = 22
"upper_grassroots.attached.secretaries" = 9
"upper_grassroots.attached.deputies" = 13
"grassroots.secretaries" = 143
"""


def review_2021() -> None:
    """Add seed 003's review conference to can-bo-2021 (when it has none yet)."""
    path = HERE / "can-bo-2021" / "programmes.toml"
    if not path.exists():
        path.write_text(CB_PROGRAMME, encoding="utf-8")


GB_CHAIRS = {"Q1": "Nguyễn Thành Trung – Phó Bí thư Thường trực Tỉnh đoàn"}


def _gb(q: int, held: str, reporting: list[str], recon: str | None) -> str:
    out = [f"""[[programme]]
id = "GB-CUM1-2023-Q{q}"
kind = "cluster_briefing"
title = "Giao ban công tác Đoàn, Hội, Đội Cụm thi đua số 1 quý {q}/2023"
title_en = "Cluster 1 briefing on Union, Federation and Pioneer work, Q{q} 2023"
start = {held}
end = {held}
document = "Hội nghị giao ban công tác Đoàn, Hội, Đội các Cụm thi đua quý {q}/2023"
cluster = "cum-1"
quarter = "2023-Q{q}"
chair = "{GB_CHAIRS.get(f'Q{q}', 'Phó Bí thư Tỉnh đoàn phụ trách cụm')}"
conclusions = ["Đẩy mạnh tuyên truyền, giáo dục; chú trọng quy hoạch nhân sự; bảo đảm chỉ tiêu \
phát triển tổ chức Đoàn, kết nạp đảng viên tại cơ sở"]
"""]
    if recon:
        out.append(f'reconstructed = "{recon}"\n')
    for i, uid in enumerate(reporting):
        out.append(f"""
[[programme.unit]]
unit = "{uid}"
results = {{ doan = "done", hoi = "done", doi = "done", campaigns = "done" }}
""")
        if i == 0:  # the unit's proposal (kiến nghị, đề xuất), worded after the article
            out.append(f"""
[[programme.unit.recommendation]]
id = "GB{q}-{uid}-KN"
text = "Tháo gỡ khó khăn trong củng cố, xây dựng tổ chức Đoàn, Hội, Đội tại cơ sở"
addressee = "upper_level"
reconstructed = true
""")
    return "".join(out) + "\n"


def giao_ban_2023() -> None:
    """Seed 001 as a year of cluster briefings of cluster 1 (units from cum-thi-dua-2023)."""
    out = new("giao-ban-cum-2023")
    if out is None:
        return
    src = HERE / "cum-thi-dua-2023"
    for name in ("units.csv", "cadres.csv", "positions.csv", "meetings.csv", "indicators.csv",
                 "targets.csv", "clusters.toml", "criteria.toml"):  # the same cluster year
        (out / name).write_bytes((src / name).read_bytes())
    recon = ("Dựng lại: giao ban quý 2, 3 (ngày, người chủ trì, đơn vị báo cáo) và kiến nghị; bài "
             "viết chỉ đưa tin giao ban quý I/2023.")
    text = ("# Published (seed 001): the Q1 briefing of 12–14/4/2023 in every cluster, its chair, "
            "topics,\n# that the cluster's units reported in turn, the conclusions. "
            "Reconstructed (marked): Q2 and Q3;\n# that H03 did not report in Q3; no Q4 "
            "briefing; the proposals' wording as recommendations.\n"
            + _gb(1, "2023-04-12", ["H01", "H02", "H03"], None)
            + _gb(2, "2023-07-12", ["H01", "H02", "H03"], recon)
            + _gb(3, "2023-10-11", ["H01", "H02"], recon))
    (out / "programmes.toml").write_text(text, encoding="utf-8")
    (out / "dataset.toml").write_text('''format = 1
name = "Giao ban Cụm thi đua số 1 năm 2023"
root = "T"
year = 2023
description = """Hội nghị giao ban công tác Đoàn, Hội, Đội các Cụm thi đua quý I/2023 (12–14/4/2023):
các đơn vị trong cụm lần lượt báo cáo kết quả quý I, phương hướng quý II và kiến nghị, đề xuất; đồng chí
chủ trì kết luận. Quý II, III dựng lại; không có giao ban quý IV trong dữ liệu."""
sources = ["Hội nghị giao ban công tác Đoàn, Hội, Đội các Cụm thi đua quý I/2023 (Văn phòng Tỉnh đoàn)"]
plugins = []
# as cum-thi-dua-2023 (its tables, copied); the programmes mark their own (reconstructed = ...)
reconstructed = ["clusters", "indicators", "targets"]
''', encoding="utf-8")


def cham_diem_2023() -> None:
    """One cluster's scores stage by stage (self, cross-check, verified), reconstructed."""
    path = new("cham-diem-2023")
    if path is None:
        return
    base = HERE / "cum-thi-dua-2023"
    (path / "dataset.toml").write_text('''format = 1
name = "Cụm thi đua số 1 năm 2023: tự chấm, chấm chéo, thẩm định (ví dụ dựng lại)"
root = "T"
year = 2023
description = """Cluster 1 of the cum-thi-dua-2023 example, scored stage by stage as cluster practice
runs it (each unit scores itself, the cluster lead cross-checks, the Province verifies; Hướng dẫn
42-HD/TWĐTN-BKT of 31/3/2014: a self-evaluation council, evidence per criterion, verification).
Every value, who gave it and when is reconstructed: H01 and H02 score themselves higher than the
verified figures, H03 gave no self-score (only the verified figures), H02's cross-check is the
last stage of one figure (the Province did not verify it)."""
sources = ["Hướng dẫn 42-HD/TWĐTN-BKT (31/3/2014)", "Bộ tiêu chí thi đua cấp huyện, Tỉnh đoàn
Quảng Ngãi 18/4/2018"]
plugins = []
reconstructed = true
'''.replace("Tỉnh đoàn\nQuảng", "Tỉnh đoàn Quảng"), encoding="utf-8")
    keep = {"T", "H01", "H02", "H03"}
    with open(base / "units.csv", encoding="utf-8") as fh:
        units = list(csv.reader(fh))
    write(path, "units.csv", units[0], [r for r in units[1:] if r[0] in keep])
    council = ('''# the emulation council votes the flag and the certificates by secret ballot (cluster
# practice the issue names, Ninh Thuận QĐ 24/2011); ballots.csv holds the votes
award_by = "ballot"
ballot_majority = 0.5
ballot_source = "Thực tiễn cụm thi đua: hội đồng bỏ phiếu kín suy tôn cờ thi đua và bằng khen \
(Ninh Thuận QĐ 24/2011, theo issue 26; chưa tìm được văn bản) [M] quá bán số người bỏ phiếu"
''')
    (path / "criteria.toml").write_text(council + (base / "criteria.toml").read_text(
        encoding="utf-8"), encoding="utf-8")
    # the council's votes (reconstructed): H02 wins the flag though H01 ranks first, H01 the
    # certificate, H03 was not voted on (no data: no award)
    write(path, "ballots.csv", ["cluster_id", "year", "unit_id", "award", "votes_for", "voters",
                                "on", "note"], [
        ["cum-1", 2023, "H01", "Cờ thi đua của Ban Chấp hành Tỉnh đoàn", 4, 9, "2024-01-15",
         "Biên bản kiểm phiếu (dựng lại)"],
        ["cum-1", 2023, "H01", "Bằng khen của Ban Chấp hành Tỉnh đoàn", 7, 9, "2024-01-15", ""],
        ["cum-1", 2023, "H02", "Cờ thi đua của Ban Chấp hành Tỉnh đoàn", 5, 9, "2024-01-15", ""],
    ])
    with open(base / "targets.csv", encoding="utf-8") as fh:
        targets = list(csv.reader(fh))
    write(path, "targets.csv", targets[0], [r for r in targets[1:] if r[0] in keep])
    (path / "clusters.toml").write_text('''[[cluster]]
id = "cum-1"
name = "Cụm thi đua số 1"
year = 2023
members = ["H01", "H02", "H03"]
lead = "H01"
source = "Hội nghị giao ban các Cụm thi đua quý I/2023 (12–14/4/2023)"
''', encoding="utf-8")
    with open(base / "indicators.csv", encoding="utf-8") as fh:
        rows = [r for r in list(csv.reader(fh))[1:] if r[0] in keep]
    # the self-scores: what each unit claimed before the cross-check (reconstructed)
    claimed = {("H01", "party_introductions"): "34", ("H01", "pioneer_activities"): "5",
               ("H02", "party_introductions"): "40", ("H02", "creative_model"): "1"}
    out: list[list[object]] = []
    for uid, period, indicator, value, evidence in rows:
        if uid == "H03":  # no self-score: the verified figures only, in Vietnamese labels
            out.append([uid, period, indicator, value, evidence, "thẩm định", "Tỉnh đoàn",
                        "2024-01-08"])
            continue
        own = claimed.get((uid, indicator), value)
        out.append([uid, period, indicator, own, evidence, "self", uid, "2023-12-08"])
        out.append([uid, period, indicator, value, "", "cross_check", "H01" if uid != "H01"
                    else "H02", "2023-12-20"])
        if (uid, indicator) != ("H02", "creative_model"):
            out.append([uid, period, indicator, value, "", "verified", "Tỉnh đoàn",
                        "2024-01-08"])
    write(path, "indicators.csv", ["unit_id", "period", "indicator", "value", "evidence",
                                   "stage", "by", "on"], out)


def main() -> int:
    tra_vinh_2019()
    cum_thi_dua_2023()
    tien_giang_2024()
    census_2021()
    kiem_tra_2023()
    xep_loai_2024()
    review_2021()
    giao_ban_2023()
    cham_diem_2023()
    return 0


if __name__ == "__main__":
    sys.exit(main())
