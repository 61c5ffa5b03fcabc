"""The ``doanmodel`` argument parser, in the run's language (docs/cli.md)."""

from __future__ import annotations

from typing import Any

from ._argparser import Help, Parser, parser_class
from ._cliargs import VersionAction, date_arg, period_arg, seconds_arg, seed_arg, year_arg

__all__ = ["parser"]

PATH = Help("thư mục dữ liệu (có dataset.toml), sổ Excel .xlsx hoặc kho .duckdb",
            "a dataset folder (with dataset.toml), an .xlsx workbook or a .duckdb store")
YEAR = Help("năm (mặc định: year trong dataset.toml)", "the year (default: dataset.toml's year)")


#: seconds a plugin call may take in the CLI (docs/cli.md, docs/decisions.md)
DEFAULT_PLUGIN_TIMEOUT = 60.0


def _common(cls: type[Parser]) -> Parser:
    """The options every command has."""
    common = cls(add_help=False)
    common.add_argument("--format", choices=["table", "json", "csv"], default="table",
                        help=Help("dạng đầu ra (mặc định: table)",
                                  "output format (default: table)"))
    common.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help=Help("ngôn ngữ: vi (mặc định) hoặc en",
                                  "language: vi (default) or en"))
    common.add_argument("--no-plugins", action="store_true",
                        help=Help("không nạp plugin nào đã cài (chỉ các quy định toàn quốc)",
                                  "load no installed plugin (only the national rules)"))
    common.add_argument("--plugin", action="append", metavar="NAME",
                        help=Help("chỉ nạp plugin đã cài này (lặp lại được)",
                                  "load only this installed plugin (repeatable)"))
    common.add_argument("--plugin-timeout", type=seconds_arg, metavar="SECONDS",
                        default=DEFAULT_PLUGIN_TIMEOUT,
                        help=Help("dừng một lệnh gọi plugin sau chừng này giây (plugin bị báo lỗi, "
                                  f"mã thoát 3; mặc định {DEFAULT_PLUGIN_TIMEOUT:g})",
                                  "stop a plugin call after this long (the plugin is reported, "
                                  f"exit 3; default {DEFAULT_PLUGIN_TIMEOUT:g})"))
    common.add_argument("--no-isolate", action="store_true",
                        help=Help("chạy plugin ngay trong tiến trình này, không tách tiến trình "
                                  "riêng (nhanh hơn; giới hạn thời gian không dừng được vòng lặp "
                                  "giữ GIL)",
                                  "run plugins inside this process, not each call in a child "
                                  "process of its own (faster; the timeout cannot stop a loop "
                                  "that holds the GIL)"))
    common.add_argument("--quiet", action="store_true",
                        help=Help("không hiện tiến độ trên stderr (chỉ hiện khi stderr là màn "
                                  "hình dòng lệnh)",
                                  "no progress on stderr (shown only when stderr is a terminal)"))
    return common


def _main_commands(sub: Any, common: Parser) -> None:  # noqa: PLR0915 - one line per option
    from ._commands import cmd_census  # noqa: PLC0415
    from ._core import cmd_check, cmd_explain, cmd_score, cmd_validate  # noqa: PLC0415
    from ._xlsxcli import add_xlsx_options  # noqa: PLC0415

    add = sub.add_parser
    s = add("validate", parents=[common],
            help=Help("chỉ nạp và kiểm tra dữ liệu", "load and check the data only"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.set_defaults(fn=cmd_validate)

    s = add("check", parents=[common],
            help=Help("kiểm tra việc thực hiện các quy định", "run the compliance rules"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("--year", type=year_arg, help=YEAR)
    s.add_argument("--period", type=period_arg,
                   help=Help("một kỳ trong năm, ví dụ 2023-Q2, để xét tiến độ chỉ tiêu",
                             "a period inside the year, e.g. 2023-Q2, for target pace"))
    s.add_argument("--rule", action="append", metavar="ID",
                   help=Help("chỉ chạy quy định này (lặp lại được)",
                             "run only this rule (repeatable)"))
    s.add_argument("--strict", action="store_true",
                   help=Help("mã thoát 1 khi có kết quả không đạt",
                             "exit 1 when a finding fails"))
    s.add_argument("--failed-only", action="store_true",
                   help=Help("bảng: chỉ hiện kết quả không đạt",
                             "table: show failed findings only"))
    s.add_argument("--set", action="append", metavar="PARAM=VALUE",
                   help=Help("giả định: kiểm tra với một tham số đã đổi (lặp lại được)",
                             "what-if: check with a changed parameter (repeatable)"))
    add_xlsx_options(s)
    s.set_defaults(fn=cmd_check)

    s = add("score", parents=[common], help=Help("chấm điểm và xếp hạng các cụm thi đua",
                                                 "score and rank the emulation clusters"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("--year", type=year_arg, help=YEAR)
    s.add_argument("--cluster", action="append", metavar="ID",
                   help=Help("chỉ cụm thi đua này (lặp lại được)",
                             "only this cluster (repeatable)"))
    s.add_argument("--criteria", metavar="ID",
                   help=Help("mã bộ tiêu chí (mặc định: bộ của dữ liệu)",
                             "a criteria set id (default: the dataset's)"))
    s.add_argument("--set", action="append", metavar="PARAM=VALUE",
                   help=Help("giả định: chấm với một tham số đã đổi và liệt kê thứ hạng thay "
                             "đổi", "what-if: score with a changed parameter and list rank "
                             "changes"))
    s.add_argument("--weight", action="append", metavar="CRITERION=POINTS",
                   help=Help("giả định: chấm với điểm tối đa của một tiêu chí đã đổi",
                             "what-if: score with a changed criterion weight"))
    s.add_argument("--xlsx", metavar="FILE",
                   help=Help("ghi thêm bảng xếp hạng ra sổ Excel",
                             "also write the board to an Excel workbook"))
    add_xlsx_options(s, xlsx=False)
    s.add_argument("--strict", action="store_true",
                   help=Help("mã thoát 1 khi hạng bằng nhau làm một danh hiệu chưa ngã ngũ",
                             "exit 1 when a shared rank leaves an award undecided"))
    s.set_defaults(fn=cmd_score)

    s = add("explain", parents=[common], help=Help("điểm của một đơn vị, kèm nguồn",
                                                   "one unit's score, with sources"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("unit_id", metavar="UNIT_ID",
                   help=Help("mã đơn vị trong một cụm thi đua của năm",
                             "a unit id in one of the year's clusters"))
    s.add_argument("--year", type=year_arg, help=YEAR)
    s.add_argument("--criteria", metavar="ID",
                   help=Help("mã bộ tiêu chí (mặc định: bộ của dữ liệu)",
                             "a criteria set id (default: the dataset's)"))
    s.set_defaults(fn=cmd_explain)

    s = add("census", parents=[common], help=Help("thống kê cán bộ", "cadre statistics"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("--as-of", type=date_arg, metavar="DATE",
                   help=Help("ngày thống kê (mặc định: 31/12 của năm dữ liệu, hoặc hôm nay)",
                             "the date counted (default: 31 December of the dataset's year, "
                             "or today)"))
    add_xlsx_options(s)
    s.set_defaults(fn=cmd_census)


def _other_commands(sub: Any, common: Parser) -> None:
    from ._commands import cmd_new_plugin, cmd_plugins, cmd_synth, cmd_test  # noqa: PLC0415

    add = sub.add_parser
    s = add("plugins", parents=[common], help=Help("các plugin đã nạp", "the loaded plugins"))
    s.set_defaults(fn=cmd_plugins)

    s = add("new-plugin", parents=[common],
            help=Help("viết một gói plugin tỉnh chạy được để bắt đầu",
                      "write a working province plugin package to start from"))
    s.add_argument("out", metavar="DIR", help=Help("thư mục cần ghi (chưa có hoặc trống)",
                                                   "the folder to write (absent or empty)"))
    s.add_argument("--name", required=True,
                   help=Help("tên plugin, ví dụ travinh", "entry-point name, e.g. travinh"))
    s.add_argument("--province", required=True,
                   help=Help("mã đơn vị hoặc mã tỉnh, ví dụ TV",
                             "province unit id or code, e.g. TV"))
    s.add_argument("--title", help=Help("ví dụ 'Tỉnh đoàn Trà Vinh'",
                                        "e.g. 'Tỉnh đoàn Trà Vinh'"))
    s.add_argument("--start", type=date_arg, metavar="DATE",
                   help=Help("ngày plugin bắt đầu áp dụng", "the first day the plugin applies"))
    s.add_argument("--end", type=date_arg, metavar="DATE",
                   help=Help("ví dụ 30/06/2025 cho một tỉnh đã sáp nhập",
                             "e.g. 30/06/2025 for a merged province"))
    s.set_defaults(fn=cmd_new_plugin, formats=("table",))

    s = add("test", parents=[common],
            help=Help("chạy các ca kiểm thử khai báo (tệp *.case.toml hoặc thư mục)",
                      "run declarative test cases (*.case.toml files or folders)"))
    s.add_argument("paths", nargs="+", metavar="PATH",
                   help=Help("tệp *.case.toml hoặc thư mục chứa chúng",
                             "*.case.toml files or folders holding them"))
    s.set_defaults(fn=cmd_test, formats=("table", "json"))

    s = add("synth", parents=[common],
            help=Help("viết một bộ dữ liệu giả lập", "write a synthetic dataset"))
    s.add_argument("out", metavar="DIR", help=Help("thư mục cần ghi (chưa có hoặc trống)",
                                                   "the folder to write (absent or empty)"))
    s.add_argument("--scale", choices=["tiny", "province", "region", "national"], default="tiny",
                   help=Help("cỡ dữ liệu: tiny (mặc định), province, region hoặc national",
                             "how big: tiny (default), province, region or national"))
    s.add_argument("--province", metavar="CODE",
                   help=Help("mã tỉnh, mã GSO hoặc tên, theo địa giới của năm (ví dụ TV hoặc "
                             "84 trước 2025, 86 hoặc 'Vĩnh Long' từ 2025)",
                             "province code, GSO code or name, on the year's dates (e.g. TV "
                             "or 84 before 2025, 86 or 'Vĩnh Long' after)"))
    s.add_argument("--seed", type=seed_arg, default=1,
                   help=Help("hạt giống ngẫu nhiên (mặc định 1): cùng hạt giống, cùng dữ liệu",
                             "random seed (default 1): the same seed gives the same data"))
    s.add_argument("--year", type=year_arg, default=2024,
                   help=Help("năm của dữ liệu (mặc định 2024)", "the data's year (default 2024)"))
    s.set_defaults(fn=cmd_synth)


def parser(lang: str = "vi") -> Parser:
    """The argument parser, speaking *lang* (``"vi"`` or ``"en"``)."""
    from . import _schema_cli as schema_cli  # noqa: PLC0415
    from ._cli_sensitivity import add_parser as add_sensitivity  # noqa: PLC0415
    from ._programme_cli import add_parser as add_programme  # noqa: PLC0415
    from ._programme_cli import add_rating_parser  # noqa: PLC0415
    from ._serve_cli import add_parser as add_serve  # noqa: PLC0415
    from ._storecli import add_engine_option  # noqa: PLC0415
    from ._storecli import add_parser as add_store_parsers  # noqa: PLC0415
    from ._xlsxcli import add_parser as add_xlsx_parsers  # noqa: PLC0415

    cls = parser_class(lang)
    common = _common(cls)
    p = cls(prog="doanmodel",
            description=Help("Đoàn TNCS Hồ Chí Minh: kiểm tra quy định, chấm điểm cụm thi đua.",
                             "Ho Chi Minh Communist Youth Union: check the rules, score the "
                             "emulation clusters."),
            epilog=Help("Mọi lệnh in tiếng Việt; thêm --lang en để in tiếng Anh (ví dụ: "
                        "doanmodel score DỮ-LIỆU --lang en). Trợ giúp của một lệnh: "
                        "doanmodel LỆNH --help.",
                        "Every command speaks Vietnamese; add --lang en for English (for "
                        "example: doanmodel score DATA --lang en). A command's help: "
                        "doanmodel COMMAND --help."))
    p.add_argument("--version", action=VersionAction,
                   help=Help("phiên bản của doanmodel, của API plugin và của từng plugin",
                             "doanmodel, plugin API and plugin versions"))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _main_commands(sub, common)
    for name in ("check", "score", "explain", "census"):
        add_engine_option(sub.choices[name])
    add_store_parsers(sub, common)
    _other_commands(sub, common)
    add_programme(sub, common)
    add_rating_parser(sub, common)
    schema_cli.add_parser(sub, common)
    add_xlsx_parsers(sub, common)
    add_sensitivity(sub, common)
    add_serve(sub, common)
    return p
