"""`make bench`: every benchmark in one run, so ratios compare like with like.

Each part is a module here with a `main()` that prints its own figures. Run one part
with `make bench BENCH=pages` (or `python -m tests.bench pages`).
"""

import importlib
import sys

PARTS = ["pages", "reminders", "weight", "lighthouse", "races", "load"]


def main(argv: list[str]) -> int:
    wanted = argv or PARTS
    unknown = sorted(set(wanted) - set(PARTS))
    if unknown:
        print(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}")
        return 2
    for name in wanted:
        print(f"\n=== bench: {name}", flush=True)
        importlib.import_module(f"tests.bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
