"""Write tests/data/good/ and one broken dataset per failure mode under tests/data/bad/.

Each bad case holds the dataset and ``expected.txt``: one line per problem that must be
reported, as ``FILE:LINE: COLUMN: words of the English message``. Run from anywhere:

    python tests/data/make_bad_corpus.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).parent

GOOD = {
    "dataset.toml": '''format = 1
name = "Bộ dữ liệu mẫu"
root = "P"
year = 2024
plugins = []

[parameters]
"visits.min_days" = [{ from = 2018-01-01, value = 60, source = "Hướng dẫn 03-HD/TWĐTN-BTC" }]
''',
    "units.csv": '''id,name,level,parent_id,sector,valid_from,valid_to,successor_id,code
P,Tỉnh đoàn P,province,,,,,,PP
H,Huyện đoàn H,upper_grassroots,P,rural,,2025-06-30,,
X,Đoàn xã X,grassroots,H,rural,,2025-06-30,,
X,Đoàn xã X,grassroots,P,rural,2025-07-01,,,
C1,Chi đoàn ấp 1,branch,X,rural,,,,
C2,Chi đoàn ấp 2,branch,X,rural,,,,
''',
    "cadres.csv": '''id,name,birth_date,gender,education
A,Nguyễn Văn A,1990-05-01,M,Đại học
B,Trần Thị B,12/08/1992,F,Thạc sĩ
''',
    "positions.csv": '''cadre_id,unit_id,role,full_time,start,end,term
A,P,secretary,true,2022-10-01,,2022 – 2027
B,P,committee_member,true,2022-10-01,,2022 – 2027
''',
    "absences.csv": '''cadre_id,start,end,reason
B,2024-03-01,2024-08-31,maternity
''',
    "visits.csv": '''id,cadre_id,unit_id,start,end,purpose,order_ref,report_on
V1,A,X,2024-03-05,2024-03-06,inspection,CL-1,2024-03-10
V2,B,C1,2024-09-10,,attend_branch_meeting,CL-2,2024-09-12
''',
    "meetings.csv": '''id,unit_id,date,kind,chair_id,attendees,cluster_id
M1,C1,2024-01-15,branch_meeting,,,
M2,H,2024-04-12,cluster_briefing,A,A;B,cum-1
''',
    "members.csv": '''id,branch_id,birth_date,joined_on,left_on,left_reason,party_introduced_on,party_admitted_on
m1,C1,2000-01-01,2018-03-26,,,,
m2,C1,2001-02-02,2019-03-26,,,2024-05-01,
m3,C1,2002-03-03,2024-03-26,,,,
''',
    "indicators.csv": '''unit_id,period,indicator,value,evidence
H,2024,creative_model,1,Quyết định công nhận
''',
    "targets.csv": '''unit_id,period,indicator,value,source
H,2024,new_members,10,Chỉ tiêu 2024
''',
    "clusters.toml": '''[[cluster]]
id = "cum-1"
name = "Cụm thi đua số 1"
year = 2024
members = ["H"]
lead = "H"
''',
    "criteria.toml": '''id = "mau-2024"
title = "Bộ tiêu chí mẫu"
year = 2024
source = "QĐ mẫu"

[[criterion]]
id = "ket-nap"
points = 20
method = "ratio"
indicator = "new_members"
target = "targets"

[[criterion]]
id = "bao-cao"
points = 8
method = "steps"
indicator = "missing_reports"
steps = [{ max = 0, points = 8 }, { points = 0 }]
''',
}


PROGRAMME = '''[[programme]]
id = "KT"
start = 2024-03-01
end = 2024-03-31
lead = "A"
kind = "inspection"
title = "Kiểm tra quý I"
document = "KH 1-KH/TĐTN"
targets = ["X"]
[[programme.topic]]
id = "chi-tieu"
title = "Chỉ tiêu"
title_en = "Targets"
[[programme.unit]]
visits = ["V1"]
results = { chi-tieu = "done" }
unit = "X"
[[programme.unit.recommendation]]
id = "R1"
addressee = "unit"
text = "Bổ sung hồ sơ"
'''


def sub(name: str, old: str, new: str):
    def edit(files: dict[str, str | bytes]) -> None:
        text = files[name]
        assert isinstance(text, str) and old in text, (name, old)
        files[name] = text.replace(old, new, 1)
    return edit


def drop(name: str):
    def edit(files: dict[str, str | bytes]) -> None:
        del files[name]
    return edit


def put(name: str, value: str | bytes):
    def edit(files: dict[str, str | bytes]) -> None:
        files[name] = value
    return edit


# case name → (edits, expected lines)
CASES = {
    "missing_dataset_toml": ([drop("dataset.toml")],
                             ["dataset.toml:0: -: required file is missing"]),
    "missing_units": ([drop("units.csv")], ["units.csv:0: -: required file is missing"]),
    "bad_toml": ([sub("dataset.toml", 'year = 2024', 'year = = 2024')],
                 ["dataset.toml:4: col 8: bad TOML"]),
    "unknown_toml_key": ([sub("dataset.toml", "year = 2024", "year = 2024\ncolour = 1")],
                         ["dataset.toml:5: colour: unknown key"]),
    "parameter_without_source": ([sub("dataset.toml", ', source = "Hướng dẫn 03-HD/TWĐTN-BTC"',
                                      "")],
                                 ["dataset.toml:8: parameters.visits.min_days: each value needs a "
                                  "'source'"]),
    "unknown_root": ([sub("dataset.toml", 'root = "P"', 'root = "Q"')],
                     ["dataset.toml:0: root: no unit 'Q' in units.csv"]),
    "unknown_column": ([sub("units.csv", "successor_id,code", "successor_id,code,colour"),
                        sub("units.csv", "PP\n", "PP,\n")],
                       ["units.csv:1: colour: unknown column"]),
    "missing_column": ([put("cadres.csv", "id,birth_date\nA,1990-05-01\nB,1992-08-12\n")],
                       ["cadres.csv:1: name: required column is missing"]),
    "wrong_field_count": ([sub("cadres.csv", "A,Nguyễn Văn A,1990-05-01,M,Đại học",
                               "A,Nguyễn Văn A,1990-05-01,M")],
                          ["cadres.csv:2: -: 4 fields, but the header has 5 columns"]),
    "required_value_missing": ([sub("cadres.csv", "Nguyễn Văn A", "")],
                               ["cadres.csv:2: name: a required value is missing"]),
    "bad_date": ([sub("positions.csv", "A,P,secretary,true,2022-10-01",
                      "A,P,secretary,true,2022-13-01")],
                 ["positions.csv:2: start: not a date: '2022-13-01'"]),
    "bad_enum": ([sub("units.csv", "H,Huyện đoàn H,upper_grassroots", "H,Huyện đoàn H,district")],
                 ["units.csv:3: level: invalid value 'district'"]),
    "bad_bool": ([sub("positions.csv", "A,P,secretary,true", "A,P,secretary,maybe")],
                 ["positions.csv:2: full_time: not true/false: 'maybe'"]),
    "bad_period": ([sub("indicators.csv", "H,2024,", "H,2024-Q5,")],
                   ["indicators.csv:2: period: not a period: '2024-Q5'"]),
    "bad_number": ([sub("indicators.csv", "creative_model,1,", "creative_model,một,")],
                   ["indicators.csv:2: value: not a number: 'một'"]),
    "duplicate_id": ([sub("visits.csv", "V2,B,C1", "V1,B,C1")],
                     ["visits.csv:3: id: duplicate id: 'V1'"]),
    "duplicate_indicator": ([sub("indicators.csv", "Quyết định công nhận\n",
                                 "Quyết định công nhận\nH,2024,creative_model,0,\n")],
                            ["indicators.csv:3: indicator: duplicate unit, period and indicator"]),
    "unknown_unit": ([sub("positions.csv", "A,P,secretary", "A,Q,secretary")],
                     ["positions.csv:2: unit_id: no unit 'Q'"]),
    "unknown_cadre": ([sub("visits.csv", "V1,A,X", "V1,Z,X")],
                      ["visits.csv:2: cadre_id: no cadre 'Z'"]),
    "unknown_chair": ([sub("meetings.csv", "cluster_briefing,A,A;B", "cluster_briefing,Z,A;Y")],
                      ["meetings.csv:3: chair_id: no cadre 'Z'",
                       "meetings.csv:3: attendees: no cadre 'Y'"]),
    "unknown_cluster": ([sub("meetings.csv", ",cum-1", ",cum-9")],
                        ["meetings.csv:3: cluster_id: no cluster 'cum-9'"]),
    "unknown_branch": ([sub("members.csv", "m1,C1", "m1,C9")],
                       ["members.csv:2: branch_id: no branch 'C9'"]),
    "not_a_branch": ([sub("members.csv", "m1,C1", "m1,X")],
                     ["members.csv:2: branch_id: 'X' is not a branch"]),
    "visit_ends_before_start": ([sub("visits.csv", "2024-03-05,2024-03-06", "2024-03-05,2024-03-01")],
                                ["visits.csv:2: end: end is before start"]),
    "position_ends_before_start": ([sub("positions.csv", "2022-10-01,,2022 – 2027\nB",
                                        "2022-10-01,2021-01-01,2022 – 2027\nB")],
                                   ["positions.csv:2: end: end is before start"]),
    "member_leaves_before_joining": ([sub("members.csv", "2018-03-26,,", "2018-03-26,2017-01-01,")],
                                     ["members.csv:2: left_on: left_on is before joined_on"]),
    "visit_to_unit_not_yet_existing": ([sub("visits.csv", "V1,A,X,2024-03-05", "V1,A,N,2024-03-05"),
                                        sub("units.csv", "C1,", "N,Đoàn mới,grassroots,P,rural,"
                                            "2025-07-01,,,\nC1,")],
                                       ["visits.csv:2: unit_id: unit 'N' does not exist at that "
                                        "time"]),
    "overlapping_versions": ([sub("units.csv", "X,Đoàn xã X,grassroots,P,rural,2025-07-01",
                                  "X,Đoàn xã X,grassroots,P,rural,2025-06-01")],
                             ["units.csv:5: valid_from: version overlaps another version"]),
    "unit_ends_before_start": ([sub("units.csv", "C2,Chi đoàn ấp 2,branch,X,rural,,",
                                    "C2,Chi đoàn ấp 2,branch,X,rural,2024-05-01,2024-01-01")],
                               ["units.csv:7: valid_to: ends before it starts"]),
    "parent_not_at_same_time": ([sub("units.csv", "X,Đoàn xã X,grassroots,P,rural,2025-07-01",
                                     "X,Đoàn xã X,grassroots,H,rural,2025-07-01")],
                                ["units.csv:5: parent_id: parent 'H' does not exist for the whole "
                                 "time"]),
    "unknown_parent": ([sub("units.csv", "C2,Chi đoàn ấp 2,branch,X", "C2,Chi đoàn ấp 2,branch,Q")],
                       ["units.csv:7: parent_id: no unit 'Q'"]),
    "levels_not_descending": ([sub("units.csv", "C2,Chi đoàn ấp 2,branch,X",
                                   "C2,Chi đoàn ấp 2,province,X")],
                              ["units.csv:7: level: levels do not descend"]),
    "cycle": ([sub("units.csv", "P,Tỉnh đoàn P,province,,", "P,Tỉnh đoàn P,province,C1,")],
              ["units.csv:2: parent_id: cycle of parents"]),
    "self_parent": ([sub("units.csv", "C2,Chi đoàn ấp 2,branch,X", "C2,Chi đoàn ấp 2,branch,C2")],
                    ["units.csv:7: parent_id: cycle of parents: C2 → C2"]),
    "bad_term": ([sub("positions.csv", "2022-10-01,,2022 – 2027\nB", "2022-10-01,,2027 – 20232\nB")],
                 ["positions.csv:2: term: term '2027 – 20232': '20232' is not a four-digit year"]),
    "not_utf8": ([put("cadres.csv", b"id,name,birth_date,gender,education\nA,Nguy\xean,,,\n")],
                 ["cadres.csv:"]),
    "cluster_unknown_member": ([sub("clusters.toml", 'members = ["H"]', 'members = ["H", "Q"]')],
                               ["clusters.toml:1: members: no unit 'Q'"]),
    "cluster_lead_outside": ([sub("clusters.toml", 'lead = "H"', 'lead = "X"')],
                             ["clusters.toml:1: lead: lead 'X' is not a member"]),
    "criteria_unknown_method": ([sub("criteria.toml", 'method = "ratio"', 'method = "magic"')],
                                ["criteria.toml:6: method: ket-nap: unknown method 'magic'"]),
    "criteria_no_indicator": ([sub("criteria.toml", 'indicator = "new_members"\n', "")],
                              ["criteria.toml:6: indicator: ket-nap: no indicator"]),
    "criteria_steps_without_fallback": ([sub("criteria.toml", ", { points = 0 }", "")],
                                        ["criteria.toml:13: steps: bao-cao: the step list has no "
                                         "fallback step"]),
    "criteria_unknown_key": ([sub("criteria.toml", 'target = "targets"',
                                  'target = "targets"\nweight = 2')],
                             ["criteria.toml:6: weight: ket-nap: key not used by method ratio"]),
    "line_after_multiline_cell": ([sub("members.csv", "m1,C1,2000-01-01,2018-03-26,,,,",
                                       'm1,C1,2000-01-01,2018-03-26,2024-01-01,"chuyển\nsinh hoạt",,'),
                                   sub("members.csv", "m3,C1", "m3,C9")],
                                  ["members.csv:5: branch_id: no branch 'C9'"]),
    "duplicate_member": ([sub("members.csv", "m3,C1", "m1,C1")],
                         ["members.csv:4: id: duplicate id: 'm1'"]),
    "programme_bad_references": ([put("programmes.toml", PROGRAMME.replace(
        'visits = ["V1"]', 'visits = ["V2", "V9"]').replace('lead = "A"', 'lead = "Z"'))],
                                 ["programmes.toml:5: lead: no cadre 'Z'",
                                  "programmes.toml:15: visits: visit 'V2' went to 'C1', not 'X'",
                                  "programmes.toml:15: visits: no visit 'V9'"]),
    "programme_bad_values": ([put("programmes.toml", PROGRAMME.replace(
        'end = 2024-03-31', 'end = 2024-01-31').replace('chi-tieu = "done"', 'chi-tieu = "ok"')
        .replace('addressee = "unit"', 'addressee = "province"'))],
                             ["programmes.toml:4: end: end is before start",
                              "programmes.toml:16: results: invalid value 'ok'",
                              "programmes.toml:20: addressee: invalid value 'province'"]),
    "many_problems_at_once": ([sub("cadres.csv", "Nguyễn Văn A", ""),
                               sub("visits.csv", "V2,B,C1", "V1,B,C1"),
                               sub("members.csv", "m1,C1", "m1,C9")],
                              ["cadres.csv:2: name: a required value is missing",
                               "visits.csv:3: id: duplicate id",
                               "members.csv:2: branch_id: no branch 'C9'"]),
}


def main() -> None:
    good = HERE / "good"
    if good.exists():
        shutil.rmtree(good)
    good.mkdir()
    for name, text in GOOD.items():
        (good / name).write_text(text, encoding="utf-8")
    bad = HERE / "bad"
    if bad.exists():
        shutil.rmtree(bad)
    bad.mkdir()
    for case, (edits, expected) in CASES.items():
        files: dict[str, str | bytes] = dict(GOOD)
        for edit in edits:
            edit(files)
        folder = bad / case
        folder.mkdir()
        for name, content in files.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_text(content, encoding="utf-8")
        (folder / "expected.txt").write_text("\n".join(expected) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
