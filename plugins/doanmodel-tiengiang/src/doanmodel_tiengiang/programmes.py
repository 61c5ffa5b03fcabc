"""The Tiền Giang kind of work programme: làm việc, củng cố và nâng chất cơ sở Đoàn."""

from __future__ import annotations

import doanmodel as dm

_SOURCE = ("Tỉnh Đoàn Tiền Giang, làm việc, củng cố và nâng chất cơ sở Đoàn năm 2024 "
           "(buổi làm việc 24/4 và 2/5/2024)")

#: The six contents every 2024 session covered (seed article of 2/5/2024).
TOPICS = tuple(dm.ProgrammeTopic(id=i, title=dm.Text(vi, en)) for i, vi, en in (
    ("ket-qua-quy", "Kết quả công tác Đoàn quý, phương hướng quý tiếp theo",
     "The quarter's Union work and the next quarter's plan"),
    ("dai-hoi-hoi", "Đại hội Hội LHTN Việt Nam các cấp", "Youth Federation congresses"),
    ("quy-hoach", "Rà soát, bổ sung quy hoạch cán bộ", "Cadre planning"),
    ("tinh-nguyen-he", "Chiến dịch Thanh niên tình nguyện Hè", "The summer volunteer campaign"),
    ("dao-tao", "Đào tạo cán bộ Đoàn, đoàn viên ưu tú",
     "Training Union cadres and outstanding members"),
    ("gioi-thieu-dang", "Giới thiệu đoàn viên ưu tú cho Đảng",
     "Introducing outstanding members to the Party"),
))

NANG_CHAT = dm.ProgrammeKind(
    id="tiengiang.nang_chat",
    title=dm.Text("làm việc, củng cố và nâng chất cơ sở Đoàn",
                  "working sessions to consolidate and improve Union units"),
    source=_SOURCE, purposes=(dm.VisitPurpose.CONSOLIDATION,), topics=TOPICS)

NANG_CHAT_TOPICS = dm.programme_topics_rule(
    "tiengiang.nang_chat.topics", NANG_CHAT,
    dm.Text("Làm việc đủ sáu nội dung nâng chất cơ sở Đoàn",
            "Every session covers the six consolidation contents"))
