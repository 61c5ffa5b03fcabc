"""The command line's workbook commands: ``template``, ``export`` and the ``--xlsx`` options."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from ..exceptions import DoanmodelError
from ._argparser import Help

__all__ = ["add_parser", "add_xlsx_options", "cmd_export", "cmd_template", "write_xlsx"]


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


@contextlib.contextmanager
def _one_language(lang: str) -> Iterator[None]:
    """Output errors (exists, symlink, openpyxl missing) in the run's language."""
    try:
        yield
    except DoanmodelError as exc:
        text = getattr(exc, "text", None)
        if text is None:
            raise
        raise DoanmodelError(text.get(lang)) from None


def add_xlsx_options(s: argparse.ArgumentParser, xlsx: bool = True) -> None:
    """``--xlsx FILE`` (unless the command has it already) and ``--force``."""
    if xlsx:
        s.add_argument("--xlsx", metavar="FILE",
                       help=Help("ghi thêm sổ Excel dùng ngay cho văn phòng (cần gói excel)",
                                 "also write an office-ready Excel workbook (the excel extra)"))
    s.add_argument("--force", action="store_true",
                   help=Help("ghi đè tệp đầu ra đã có (không bao giờ ghi qua liên kết tượng trưng)",
                             "replace an existing output file (never a symbolic link)"))


def write_xlsx(result: Any, args: argparse.Namespace) -> None:
    """Write *result* (a Scoreboard, Report or Census) to ``args.xlsx``."""
    from .._output.excel import write_excel  # noqa: PLC0415

    with _one_language(args.lang):
        write_excel(result, args.xlsx, args.lang, force=getattr(args, "force", False))


def cmd_template(args: argparse.Namespace) -> int:
    """``doanmodel template OUT.xlsx``: an empty dataset workbook to fill in."""
    from .._output.xlsxdata import write_template  # noqa: PLC0415

    with _one_language(args.lang):
        path = write_template(args.out, year=args.year, province=args.province,
                              lang=args.lang, force=args.force)
    _say(f"{path}: " + ("template written; fill it in, then: doanmodel validate "
                        if args.lang == "en" else "đã tạo mẫu; điền dữ liệu rồi chạy: "
                        "doanmodel validate ") + str(path))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``doanmodel export DATASET OUT.xlsx``: a dataset as one workbook."""
    from .._output.xlsxdata import export_dataset  # noqa: PLC0415
    from ..dataset._loader import load_dataset  # noqa: PLC0415

    ds = load_dataset(args.path)
    with _one_language(args.lang):
        path = export_dataset(ds, args.out, force=args.force, lang=args.lang)
    _say(f"{path}: " + (f"{len(ds.units)} units written" if args.lang == "en" else
                        f"đã ghi {len(ds.units)} đơn vị"))
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``template`` and ``export``."""
    s = sub.add_parser("template", parents=[common],
                       help=Help("viết một sổ dữ liệu trống (.xlsx) để điền",
                                 "write an empty dataset workbook (.xlsx) to fill in"))
    s.add_argument("out", metavar="OUT.xlsx",
                   help=Help("sổ Excel cần ghi", "the workbook to write"))
    s.add_argument("--year", type=int, help=Help("năm ghi sẵn trong trang dataset",
                                                "the year put in the dataset sheet"))
    s.add_argument("--province", metavar="P", help=Help("mã tỉnh, ví dụ TV",
                                                                  "province code, e.g. TV"))
    add_xlsx_options(s, xlsx=False)
    s.set_defaults(fn=cmd_template, formats=("table",))

    s = sub.add_parser("export", parents=[common],
                       help=Help("ghi một bộ dữ liệu thành một sổ Excel (.xlsx)",
                                 "write a dataset as one workbook (.xlsx)"))
    s.add_argument("path", metavar="DATASET",
                   help=Help("bộ dữ liệu cần ghi (thư mục, sổ Excel hoặc kho .duckdb)",
                             "the dataset to write (a folder, a workbook or a .duckdb store)"))
    s.add_argument("out", metavar="OUT.xlsx",
                   help=Help("sổ Excel cần ghi", "the workbook to write"))
    add_xlsx_options(s, xlsx=False)
    s.set_defaults(fn=cmd_export, formats=("table",))
