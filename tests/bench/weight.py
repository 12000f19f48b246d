"""`make bench BENCH=weight`: the bytes /today/ costs a phone, cold (compressed HTML,
CSS and JS), against the 50 KB budget. The same measure is a test
(tests/test_page_weight.py), which fails when the budget is exceeded; this part runs
it and prints its figures."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST = "tests/test_page_weight.py::test_it_keeps_today_within_the_byte_budget"


def main() -> None:
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-s", "-p", "no:randomly"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith("/today/ cold")), None)
    if start is None:
        print(result.stdout[-3000:], result.stderr[-3000:])
        raise SystemExit("the page-weight test did not print its figures")
    print("\n".join(line for line in lines[start:] if line.startswith(("/today/", "  "))))
    print("within budget" if result.returncode == 0 else "OVER BUDGET")
