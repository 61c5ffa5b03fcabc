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
    from .._output.safe import writing  # noqa: PLC0415

    with _one_language(args.lang):
        writing(args.xlsx, lambda: write_excel(result, args.xlsx, args.lang,
                                               force=getattr(args, "force", False)))


def cmd_template(args: argparse.Namespace) -> int:
    """``doanmodel template OUT.xlsx``: an empty dataset workbook to fill in."""
    from .._output.safe import writing  # noqa: PLC0415
    from .._output.xlsxdata import write_template  # noqa: PLC0415

    with _one_language(args.lang):
        path = writing(args.out, lambda: write_template(
            args.out, year=args.year, province=args.province, lang=args.lang,
            force=args.force))
    _say(f"{path}: " + ("template written; fill it in, then: doanmodel validate "
                        if args.lang == "en" else "đã tạo mẫu; điền dữ liệu rồi chạy: "
                        "doanmodel validate ") + str(path))
    return 0


def _export_json(ds: Any, args: argparse.Namespace) -> int:
    """``doanmodel export DATASET OUT.json``: the JSON ``doanmodel serve`` takes."""
    from ..dataset._serialization import dataset_to_json  # noqa: PLC0415
    from ..model._i18n import Text, os_reason  # noqa: PLC0415
    from ._programme_cli import _write_new  # noqa: PLC0415

    try:
        problem = _write_new(args.out, dataset_to_json(ds, indent=1), args.force)
    except OSError as exc:
        problem = Text(f"{args.out}: ", f"{args.out}: ") + os_reason(exc)
    if problem:
        raise DoanmodelError(problem.get(args.lang))
    _say(f"{args.out}: " + (f"{len(ds.units)} units written as JSON" if args.lang == "en" else
                            f"đã ghi {len(ds.units)} đơn vị dạng JSON"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``doanmodel export DATASET OUT.xlsx``: a dataset as one workbook (``OUT.json``: as the
    JSON ``dm.dataset_to_json`` writes, which ``doanmodel serve`` takes)."""
    from .._output.safe import writing  # noqa: PLC0415
    from .._output.xlsxdata import export_dataset  # noqa: PLC0415
    from ..dataset._loader import load_dataset  # noqa: PLC0415

    ds = load_dataset(args.path)
    if args.out.lower().endswith(".json"):
        return _export_json(ds, args)
    with _one_language(args.lang):
        path = writing(args.out, lambda: export_dataset(ds, args.out, force=args.force,
                                                        lang=args.lang))
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
                       help=Help("ghi một bộ dữ liệu thành một sổ Excel (.xlsx) hoặc JSON (.json, "
                                 "dạng doanmodel serve nhận)",
                                 "write a dataset as one workbook (.xlsx) or as JSON (.json, "
                                 "what doanmodel serve takes)"))
    s.add_argument("path", metavar="DATASET",
                   help=Help("bộ dữ liệu cần ghi (thư mục, sổ Excel hoặc kho .duckdb)",
                             "the dataset to write (a folder, a workbook or a .duckdb store)"))
    s.add_argument("out", metavar="OUT.xlsx|OUT.json",
                   help=Help("tệp cần ghi: sổ Excel (.xlsx) hoặc JSON (.json)",
                             "the file to write: a workbook (.xlsx) or JSON (.json)"))
    add_xlsx_options(s, xlsx=False)
    s.set_defaults(fn=cmd_export, formats=("table",))
