"""The command line of the DuckDB engine and store: ``--engine``, ``import``, ``export-db``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ._argparser import Help

__all__ = ["add_engine_option", "add_parser", "cmd_export_db", "cmd_import", "export_folder"]


def add_engine_option(p: argparse.ArgumentParser) -> None:
    """Add ``--engine python|duckdb|auto`` to a command's parser."""
    p.add_argument("--engine", choices=["python", "duckdb", "auto"], default=None,
                   help=Help("bộ máy truy vấn: python (mặc định), duckdb (pip install "
                             "'doanmodel[scale]') hoặc auto (duckdb cho bộ dữ liệu lớn)",
                             "query backend: python (default), duckdb (pip install "
                             "'doanmodel[scale]'), or auto (duckdb for large datasets)"))


def _say(args: argparse.Namespace, obj: dict[str, Any], vi: str, en: str) -> None:
    if args.format == "json":
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write((en if args.lang == "en" else vi) + "\n")


def cmd_import(args: argparse.Namespace) -> int:
    """``doanmodel import DATASET DB.duckdb [--key KEY]``."""
    from ..query._store import import_dataset  # noqa: PLC0415

    if not args.db.endswith(".duckdb"):
        sys.stderr.write("doanmodel: " + ("the store must be a FILE.duckdb" if args.lang == "en"
                                          else "kho phải là một tệp FILE.duckdb") + "\n")
        return 2
    noticed: list[Any] = []
    result = import_dataset(args.path, args.db, args.key, warnings=noticed)
    if noticed:  # a file that looks like a renamed table: as check and validate say it
        from ._cliargs import warn  # noqa: PLC0415

        warn(noticed, args.lang)
    changed = [f"{k}: {v}" for k, v in result.items()]
    _say(args, {"db": args.db, "files": result},
         f"{args.db}: " + "; ".join(changed), f"{args.db}: " + "; ".join(changed))
    return 0


def export_folder(source: str, out: str, *, parquet: bool = False) -> str:
    """Write the store dataset *source* (``FILE.duckdb[#KEY]``) back as a folder *out*."""
    from ..query._store import export_store  # noqa: PLC0415

    return str(export_store(source, out, parquet=parquet))


def cmd_export_db(args: argparse.Namespace) -> int:
    """``doanmodel export-db DB.duckdb[#KEY] DIR [--parquet]``."""
    out = export_folder(args.db, args.out, parquet=args.parquet)
    _say(args, {"out": out}, f"{out}: đã ghi dataset", f"{out}: dataset written")
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``import`` and ``export-db``."""
    s = sub.add_parser("import", parents=[common],
                       help=Help("kiểm tra một thư mục dữ liệu rồi lưu vào tệp DuckDB",
                                 "validate a dataset folder and store it in a DuckDB file"))
    s.add_argument("path", metavar="DATASET",
                   help=Help("bộ dữ liệu cần nhập (thư mục hoặc sổ Excel .xlsx)",
                             "the dataset to import (a folder or an .xlsx workbook)"))
    s.add_argument("db", metavar="DB.duckdb",
                   help=Help("kho .duckdb cần ghi", "the .duckdb store to write"))
    s.add_argument("--key", help=Help("tên của bộ dữ liệu trong kho (mặc định: ROOT-YEAR)",
                             "the dataset's name in the store (default: ROOT-YEAR)"))
    s.set_defaults(fn=cmd_import)

    s = sub.add_parser("export-db", parents=[common],
                       help=Help("ghi một bộ dữ liệu trong tệp DuckDB ra lại thành thư mục",
                                 "write a dataset stored in a DuckDB file back as a folder"))
    s.add_argument("db", metavar="DB.duckdb[#KEY]",
                   help=Help("kho .duckdb (và #KHÓA của một bộ dữ liệu trong đó)",
                             "the .duckdb store (and #KEY of one dataset in it)"))
    s.add_argument("out", metavar="DIR", help=Help("thư mục cần ghi", "the folder to write"))
    s.add_argument("--parquet", action="store_true",
                   help=Help("đoàn viên và cuộc họp dạng Parquet thay cho CSV",
                             "members and meetings as Parquet instead of CSV"))
    s.set_defaults(fn=cmd_export_db)
