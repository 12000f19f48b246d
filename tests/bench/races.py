"""`make bench BENCH=races`: the race tests at 100 trials each, on PostgreSQL.

The suite runs each race a handful of times (tests/races.py TRIALS); this runs the same
tests with ATTUNE_RACE_TRIALS=100 and prints what each counted: trials, lost, doubled.
Its own test database (attune_bench_races) and the benches' Redis databases (12, 13).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 100
TESTS = [
    "tests/prompts/test_reveal_race.py::test_it_reveals_once_when_both_answer_at_once",
    "tests/couples/test_races.py",
    "tests/rituals/test_completion_race.py",
    "tests/notifications/test_sweep_scale.py::test_it_lets_concurrent_sweeps_share_the_work_without_doubles_or_losses",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "races.jsonl"
        env = os.environ | {
            "DEBUG": "1",
            "DATABASE_URL": "postgres://root@127.0.0.1:5432/attune_bench_races",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "ATTUNE_TEST_REDIS_DBS": "12,13",  # the benches' own (pages and load use 12 too, one at a time)
            "ATTUNE_RACE_TRIALS": str(TRIALS),
            "ATTUNE_RACE_REPORT": str(report),
        }
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "--timeout", "1200", *TESTS],
            cwd=ROOT,
            env=env,
            check=False,
        )
        seconds = time.monotonic() - started
        lines = report.read_text().splitlines() if report.exists() else []
        # Each trial writes its race's counts so far: the last line of each race is its total.
        rows = list({row["name"]: row for row in map(json.loads, lines)}.values())
    print(f"\n{'race':<36} {'trials':>7} {'lost':>5} {'doubled':>8}")
    for row in rows:
        print(f"{row['name']:<36} {row['trials']:>7} {row['lost']:>5} {row['doubled']:>8}")
    print(f"({seconds:.0f} s; pytest exit {result.returncode})")
    if result.returncode or not rows:
        raise SystemExit(1)
