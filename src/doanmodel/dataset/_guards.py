"""
Limits on hostile input: TOML nesting and size, numbers, and files that are not regular files.

Every check here runs *before* the data is trusted, is cheap (linear in the text), and reports a
problem naming the file and line instead of letting a ``RecursionError``, an ``OverflowError`` or
a device read escape (docs/cli.md lists the limits).
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_DOTTED",
    "MAX_NUMBER",
    "MAX_TOML_BYTES",
    "check_criteria_signs",
    "check_numbers",
    "check_toml_text",
    "dataset_files",
    "regular_file_problem",
]

#: deepest nesting of arrays and inline tables in a TOML file
MAX_DEPTH = 32
#: most parts of one dotted key (``a.b.c`` has 3)
MAX_DOTTED = 32
#: largest TOML file read (bytes)
MAX_TOML_BYTES = 2 * 1024 * 1024
#: longest run of digits in one TOML number
MAX_DIGITS = 30
#: largest magnitude of a number in a TOML file
MAX_NUMBER = 10**12
#: at most this many number problems are reported for one file
MAX_REPORTED = 20
#: years a dataset, cluster or criteria set may name
YEARS = (1900, 2200)


class _Sink(Protocol):
    def add(self, file: str, line: int, column: str, vi: str, en: str) -> None: ...


# ---------------------------------------------------------------------------- TOML text
# One linear pass: every alternative always consumes what it starts (an unterminated string runs
# to the end of its line or of the text), so no character is scanned twice and no pattern can
# backtrack quadratically on hostile text.
_TOKENS = re.compile(
    r'(?P<str>"""(?:[^"\\]|\\.|\\\Z|"(?!""))*(?:"""|\Z)|\'\'\'.*?(?:\'\'\'|\Z)'
    r'|"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?)'
    r"|(?P<comment>#[^\n]*)|(?P<open>[\[{])|(?P<close>[\]}])|(?P<nl>\n)"
    r"|(?P<key>[A-Za-z0-9_+-]+)|(?P<dot>\.)|(?P<space>[ \t]+)"
    r"|(?P<other>[^\[\]{}\n\"'#A-Za-z0-9_+\-. \t]+)",
    re.DOTALL,
)
_NUMBER = re.compile(r"[+-]?[0-9_]+")


class _Scan:
    """The state of :func:`check_toml_text`'s pass: line, nesting depth, dotted-key chain."""

    def __init__(self) -> None:
        self.line = 1
        self.depth = 0
        self.chain = 0  # parts of the dotted key being read
        self.after_dot = False

    def part(self) -> bool:
        """A key part (a bare run or a string): whether the chain is still within the limit."""
        self.chain = self.chain + 1 if self.after_dot else 1
        self.after_dot = False
        return self.chain <= MAX_DOTTED

    def dot(self) -> None:
        self.after_dot = self.chain > 0 and not self.after_dot

    def other(self) -> None:
        self.chain, self.after_dot = 0, False


def _excess(kind: str, tok: str, scan: _Scan) -> tuple[str, str] | None:
    """The problem *tok* makes, as ``(vi, en)``, or ``None``; updates *scan*."""
    if kind == "open":
        scan.other()
        scan.depth += 1
        if scan.depth > MAX_DEPTH:
            return (f"lồng nhau quá sâu (tối đa {MAX_DEPTH} mức mảng/bảng)",
                    f"nested too deep (at most {MAX_DEPTH} levels of arrays/tables)")
    elif kind in ("key", "str"):
        if not scan.part():
            return (f"khóa có quá nhiều phần (tối đa {MAX_DOTTED})",
                    f"dotted key has too many parts (at most {MAX_DOTTED})")
        if kind == "key" and _NUMBER.fullmatch(tok) and \
                sum(c.isdigit() for c in tok) > MAX_DIGITS:
            return (f"số quá dài (tối đa {MAX_DIGITS} chữ số)",
                    f"number too long (at most {MAX_DIGITS} digits)")
    elif kind == "dot":
        scan.dot()
    elif kind != "space":
        scan.other()
        if kind == "close":
            scan.depth = max(0, scan.depth - 1)
    return None


def check_toml_text(text: str, name: str, problems: _Sink) -> bool:
    """
    Whether *text* is within the limits (size, nesting depth, dotted-key length, digits).

    The first excess becomes a problem naming *name* and its line; linear in the text.
    """
    if len(text) > MAX_TOML_BYTES:
        problems.add(name, 0, "-", f"tệp TOML quá lớn (tối đa {MAX_TOML_BYTES} byte)",
                     f"TOML file too large (at most {MAX_TOML_BYTES} bytes)")
        return False
    scan = _Scan()
    for m in _TOKENS.finditer(text):
        kind, tok = m.lastgroup or "other", m.group()
        why = _excess(kind, tok, scan)
        if why is not None:
            problems.add(name, scan.line, "-", *why)
            return False
        if kind == "nl":
            scan.line += 1
            scan.other()
        elif kind == "str":
            scan.line += tok.count("\n")
    return True


# ---------------------------------------------------------------------------- TOML numbers
def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, path)
    else:
        yield path, value


def _bad_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) > MAX_NUMBER
    if isinstance(value, int):
        return abs(value) > MAX_NUMBER
    if isinstance(value, Decimal):
        return not value.is_finite() or abs(value) > MAX_NUMBER
    return False


def _bad_year(value: Any) -> bool:
    return isinstance(value, bool) or not isinstance(value, int) or \
        not YEARS[0] <= value <= YEARS[1]


def _number_problem(key: str, value: Any) -> tuple[str, str] | None:
    if _bad_number(value):
        return (f"số không hợp lệ {value!r}: phải hữu hạn, |x| ≤ {MAX_NUMBER:.0e}",
                f"invalid number {value!r}: must be finite, |x| ≤ {MAX_NUMBER:.0e}")
    if key == "year" and _bad_year(value):
        return (f"năm không hợp lệ {value!r} (từ {YEARS[0]} đến {YEARS[1]})",
                f"not a valid year {value!r} ({YEARS[0]} to {YEARS[1]})")
    return None


def _sign_problem(path: str, value: Any) -> tuple[str, str] | None:
    if path in NON_NEGATIVE and isinstance(value, (int, float)) and not isinstance(
            value, bool) and value < 0:
        return f"không được âm: {value!r}", f"must not be negative: {value!r}"
    return None


def _report(data: dict[str, Any], text: str, name: str, problems: _Sink,
            judge: Any) -> bool:
    """Report what *judge(key or path, value)* finds, at most :data:`MAX_REPORTED` times."""
    seen: dict[str, int] = {}
    found = 0
    for path, value in _walk(data, ""):
        key = path.rsplit(".", 1)[-1]
        nth = seen[key] = seen.get(key, -1) + 1
        why = judge(key, path, value)
        if why is not None:
            problems.add(name, _line_of(text, key, nth), path, *why)
            found += 1
            if found >= MAX_REPORTED:  # each report scans the text for its line: stay linear
                break
    return found == 0


def check_numbers(data: dict[str, Any], text: str, name: str, problems: _Sink) -> bool:
    """
    Whether every number in parsed TOML *data* is finite and at most :data:`MAX_NUMBER` in
    magnitude, and every ``year`` is a plausible year. Problems name the key and its line.
    """
    return _report(data, text, name, problems, lambda key, _path, v: _number_problem(key, v))


#: criteria keys (by path) whose numbers must not be negative
NON_NEGATIVE = frozenset({
    "bonus_cap", "criterion.points", "criterion.points_each", "criterion.cap",
    "criterion.points_by_rank", "criterion.steps.points", "penalty.points_each", "penalty.max",
    "award.rank", "award.rank_to", "award.min_total",
})


def check_criteria_signs(data: dict[str, Any], text: str, name: str, problems: _Sink) -> bool:
    """Whether the points, caps and ranks of a criteria set are ≥ 0 (docs/cli.md)."""
    return _report(data, text, name, problems, lambda _key, path, v: _sign_problem(path, v))


def _line_of(text: str, key: str, nth: int = 0) -> int:
    """Line of the *nth* ``key =`` in *text* (the first when there are fewer), or 0."""
    rx = re.compile(rf"(^|[\s{{,.]){re.escape(key)}\s*=")
    first = 0
    count = 0
    for i, line in enumerate(text.splitlines(), 1):
        for _ in rx.finditer(line):
            if count == nth:
                return i
            first = first or i
            count += 1
    return first


# ---------------------------------------------------------------------------- files
def regular_file_problem(root: Path, name: str) -> tuple[str, str] | None:
    """
    Why ``root/name`` must not be read, as ``(vi, en)``, or ``None`` when it is a regular file
    inside *root* (or absent). Nothing is opened: only ``lstat``/``stat`` and path resolution.
    """
    path = root / name
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return ("là liên kết tượng trưng trỏ tới nơi không tồn tại",
                    "is a symbolic link to a path that does not exist")
        base = root.resolve()
        if base not in target.parents:
            return ("là liên kết tượng trưng trỏ ra ngoài thư mục dataset; không đọc",
                    "is a symbolic link leading outside the dataset folder; not read")
        st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        return "là một thư mục, không phải tệp", "is a directory, not a file"
    if not stat.S_ISREG(st.st_mode):
        return ("không phải tệp thông thường (FIFO, thiết bị hoặc socket); không đọc",
                "is not a regular file (a FIFO, device or socket); not read")
    return None


def dataset_files(root: Path, names: Iterable[str], problems: _Sink) -> set[str]:
    """The *names* present in *root* as regular files; every other kind is reported by name."""
    present: set[str] = set()
    for name in names:
        why = regular_file_problem(root, name)
        if why is not None:
            problems.add(name, 0, "-", why[0], why[1])
        elif (root / name).is_file():
            present.add(name)
    return present
