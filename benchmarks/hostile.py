"""Times the hostile inputs the loader must refuse in linear time (issue #15), as a benchmark
rather than a timed unit test: wall and CPU seconds and peak RSS for each case.

    python benchmarks/hostile.py
"""

from __future__ import annotations

import resource
import time

from doanmodel.dataset._csvio import Problems, parse_toml

CASES = {
    "escaped-quotes": 'x = ' + '"\\' * 250_000,
    "quotes": 'x = ' + '"' * 500_000,
    "letters": "x = " + "a" * 500_000,
    "digits": "x = " + "9" * 500_000,
    "multiline": 'x = """' + "a" * 500_000 + "\\",
    "dotted": ("k" + ".k" * 30 + " = 1\n") * 8000,
    "deep": "x = " + "[" * 900 + "1" + "]" * 900,
    "long-dotted-key": "x" + ".a" * 100_000 + " = 1",
}


def main() -> None:
    for name, text in CASES.items():
        wall, cpu = time.perf_counter(), time.process_time()
        problems = Problems()
        parse_toml(text, "x.toml", problems)
        print(f"{name:16} {len(text) / 1e6:5.2f} MB  wall {time.perf_counter() - wall:6.3f} s  "
              f"cpu {time.process_time() - cpu:6.3f} s  problems {len(problems.items)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
