"""``doanmodel programme DATASET [ID]``: the work-programme report."""

from __future__ import annotations

import argparse
import os
import tempfile
from typing import Any

from ..model._i18n import Text, os_reason
from ._argparser import Help

__all__ = ["add_parser", "add_rating_parser", "cmd_programme", "cmd_rating"]


def _write_new(path: str, text: str, force: bool) -> Text | None:
    """Write *text* to *path* atomically; an error message instead of writing, or ``None``."""
    if os.path.islink(path):
        return Text(f"{path}: là liên kết tượng trưng; doanmodel không bao giờ ghi qua liên kết",
                    f"{path}: a symbolic link; doanmodel never writes through one")
    if os.path.exists(path) and not force:
        return Text(f"{path} đã có; dùng --force để ghi đè",
                    f"{path} exists; use --force to replace it")
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".doanmodel-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return None


def cmd_programme(args: argparse.Namespace) -> int:
    """Print (and optionally write as HTML) the programme report."""
    from ._shared import EXIT_OK, _emit, _engine, _error, _load  # noqa: PLC0415

    ds = _load(args.path)
    report = _engine(args).programme(ds, args.id, as_of=args.as_of)
    if args.html:
        try:
            problem = _write_new(args.html, report.to_html(args.lang), args.force)
        except OSError as exc:
            problem = Text(f"{args.html}: ", f"{args.html}: ") + os_reason(exc)
        if problem:
            return int(_error(problem.get(args.lang), args))
    if args.xlsx:
        from ._xlsxcli import write_xlsx  # noqa: PLC0415

        write_xlsx(report, args)
    _emit(report, args)
    return int(EXIT_OK)


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``programme`` on the command line's subparsers."""
    from ._cliargs import date_arg  # noqa: PLC0415
    from ._cliparser import PATH  # noqa: PLC0415

    s = sub.add_parser("programme", parents=[common],
                       help=Help("chương trình công tác: độ phủ, chủ đề × đơn vị, kiến nghị còn mở",
                                 "work programmes: coverage, topics × units, open "
                                 "recommendations"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("id", nargs="?", metavar="ID",
                   help=Help("mã một chương trình (mặc định: mọi chương trình)",
                             "one programme id (default: every programme)"))
    s.add_argument("--as-of", type=date_arg, metavar="DATE",
                   help=Help("ngày xét kiến nghị còn mở và quá hạn (mặc định: hôm nay)",
                             "date for open and overdue recommendations (default: today)"))
    s.add_argument("--html", metavar="FILE", help=Help("ghi thêm báo cáo ra trang HTML",
                                                     "also write the report as an HTML page"))
    s.add_argument("--xlsx", metavar="FILE",
                   help=Help("ghi thêm báo cáo ra sổ Excel sẵn để in (cần gói excel)",
                             "also write a print-ready Excel workbook (the excel extra)"))
    s.add_argument("--force", action="store_true",
                   help=Help("ghi đè tệp --html hoặc --xlsx đã có",
                             "replace an existing --html or --xlsx file"))
    s.set_defaults(fn=cmd_programme)


def cmd_rating(args: argparse.Namespace) -> int:
    """``doanmodel rating DATASET``: the annual quality rating; exit 1 when a finding fails."""
    from ._shared import EXIT_FAILED, EXIT_OK, _emit, _engine, _load  # noqa: PLC0415

    ds = _load(args.path)
    report = _engine(args).rating(ds, args.year)
    if args.xlsx:
        from ._xlsxcli import write_xlsx  # noqa: PLC0415

        write_xlsx(report, args)
    _emit(report, args)
    return int(EXIT_OK if report.ok else EXIT_FAILED)


def add_rating_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``rating`` on the command line's subparsers."""
    from ._cliargs import year_arg  # noqa: PLC0415
    from ._cliparser import PATH  # noqa: PLC0415
    from ._xlsxcli import add_xlsx_options  # noqa: PLC0415

    s = sub.add_parser("rating", parents=[common],
                       help=Help("đánh giá, xếp loại chất lượng hằng năm: các bước, mức trần của "
                                 "dữ liệu, tỷ lệ xuất sắc",
                                 "the annual quality rating: stages, the data's ceiling, the "
                                 "cap of excellent"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("--year", type=year_arg, metavar="YEAR",
                   help=Help("năm xếp loại (mặc định: năm trong dataset.toml)",
                             "the rating year (default: the year in dataset.toml)"))
    add_xlsx_options(s)
    s.set_defaults(fn=cmd_rating)
