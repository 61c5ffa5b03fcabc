"""``doanmodel sensitivity DATASET``: how solid each rank is (docs/sensitivity.md)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser", "cmd_sensitivity"]


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Run the Monte Carlo and print it in the chosen format; 0 when done."""
    from ._cli import _emit, _engine, _load  # noqa: PLC0415

    ds = _load(args.path)
    result = _engine(args).sensitivity(
        ds, args.year, criteria=args.criteria, clusters=args.cluster or None, draws=args.draws,
        seed=args.seed, weights_spread=args.weights_spread, dirichlet=args.dirichlet,
        value_spread=args.value_spread)
    _emit(result, args)
    return 0


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {text}")
    return value


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    return parse


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``sensitivity`` on the command line's sub-parsers."""
    s = sub.add_parser("sensitivity", parents=[common],
                       help="how solid each rank is under uncertain weights and values")
    s.add_argument("path")
    s.add_argument("--year", type=int)
    s.add_argument("--cluster", action="append", metavar="ID")
    s.add_argument("--criteria", metavar="ID", help="a criteria set id (default: the dataset's)")
    s.add_argument("--draws", type=_positive(int), default=1000,
                   help="Monte Carlo draws (default 1000)")
    s.add_argument("--seed", type=int, default=1, help="random seed (default 1): reproducible")
    how = s.add_mutually_exclusive_group()
    how.add_argument("--weights-spread", type=_fraction, default=0.1, metavar="X",
                     help="each weight × uniform(1−X, 1+X) (default 0.1)")
    how.add_argument("--dirichlet", type=_positive(float), metavar="K",
                     help="weights from a Dirichlet around the set's, concentration K")
    s.add_argument("--value-spread", type=_fraction, default=0.0, metavar="X",
                   help="each reported value × uniform(1−X, 1+X) (default 0)")
    s.set_defaults(fn=cmd_sensitivity)
