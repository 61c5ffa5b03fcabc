"""``doanmodel sensitivity DATASET``: how solid each rank is (docs/sensitivity.md)."""

from __future__ import annotations

import argparse
from typing import Any

from ..model._i18n import Text
from ._argparser import Help, OptionError

__all__ = ["add_parser", "cmd_sensitivity"]


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Run the Monte Carlo and print it in the chosen format; 0 when done."""
    from ._shared import _emit, _engine, _load  # noqa: PLC0415

    ds = _load(args.path)
    result = _engine(args).sensitivity(
        ds, args.year, criteria=args.criteria, clusters=args.cluster or None, draws=args.draws,
        seed=args.seed, weights_spread=args.weights_spread, dirichlet=args.dirichlet,
        value_spread=args.value_spread)
    if args.xlsx:
        from ._xlsxcli import write_xlsx  # noqa: PLC0415

        write_xlsx(result, args)
    _emit(result, args)
    return 0


def _not_a_number(text: str) -> Text:
    return Text(f"{text!r} không phải một số", f"not a number: {text!r}")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise OptionError(_not_a_number(text)) from None
    if not 0 <= value < 1:
        raise OptionError(Text(f"cần từ 0 đến dưới 1, không phải {text}",
                               f"must be at least 0 and below 1, not {text}"))
    return value


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise OptionError(_not_a_number(text)) from None
        if value <= 0:
            raise OptionError(Text(f"cần lớn hơn 0, không phải {text}",
                                   f"must be above 0, not {text}"))
        return value

    return parse


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``sensitivity`` on the command line's sub-parsers."""
    from ._cliparser import PATH, YEAR  # noqa: PLC0415

    s = sub.add_parser("sensitivity", parents=[common],
                       help=Help("thứ hạng vững đến đâu khi trọng số và giá trị không chắc chắn",
                                 "how solid each rank is under uncertain weights and values"))
    s.add_argument("path", metavar="PATH", help=PATH)
    s.add_argument("--year", type=int, help=YEAR)
    s.add_argument("--cluster", action="append", metavar="ID",
                   help=Help("chỉ cụm thi đua này (lặp lại được)",
                             "only this cluster (repeatable)"))
    s.add_argument("--criteria", metavar="ID",
                   help=Help("mã bộ tiêu chí (mặc định: bộ của dữ liệu)",
                             "a criteria set id (default: the dataset's)"))
    s.add_argument("--draws", type=_positive(int), default=1000,
                   help=Help("số lần rút Monte Carlo (mặc định 1000)",
                             "Monte Carlo draws (default 1000)"))
    s.add_argument("--seed", type=int, default=1,
                   help=Help("hạt giống ngẫu nhiên (mặc định 1): chạy lại cho cùng kết quả",
                             "random seed (default 1): reproducible"))
    how = s.add_mutually_exclusive_group()
    how.add_argument("--weights-spread", type=_fraction, default=0.1, metavar="X",
                     help=Help("mỗi trọng số × uniform(1−X, 1+X) (mặc định 0.1)",
                               "each weight × uniform(1−X, 1+X) (default 0.1)"))
    how.add_argument("--dirichlet", type=_positive(float), metavar="K",
                     help=Help("trọng số theo phân phối Dirichlet quanh trọng số của bộ tiêu chí, "
                               "độ tập trung K",
                               "weights from a Dirichlet around the set's, concentration K"))
    s.add_argument("--value-spread", type=_fraction, default=0.0, metavar="X",
                   help=Help("mỗi giá trị báo cáo × uniform(1−X, 1+X) (mặc định 0)",
                             "each reported value × uniform(1−X, 1+X) (default 0)"))
    from ._xlsxcli import add_xlsx_options  # noqa: PLC0415

    add_xlsx_options(s)
    s.set_defaults(fn=cmd_sensitivity)
