"""Run functions in threads that start at the same instant (PostgreSQL tests).

The race tests repeat each race TRIALS times: a handful in the suite, 100 under
`make bench BENCH=races`, which sets ATTUNE_RACE_TRIALS and reads each test's tally
(trials, lost, doubled) from the file named by ATTUNE_RACE_REPORT.
"""

import json
import os
import threading

from django.db import connection

TRIALS = int(os.environ.get("ATTUNE_RACE_TRIALS", "10"))


def race(*functions, timeout: float = 10) -> list:
    """Call each function in its own thread, released together; return results or
    exceptions in order. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(functions), timeout=timeout)
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # returned, so the test can assert on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


class Tally:
    """What a race test counts over its trials: rows (or sends) that should exist and
    do not (lost), and ones that exist more than once (doubled). Each trial's counts so
    far go to the bench's report as they are recorded, so a test that fails on a trial
    (its own asserts, or `assert_clean()` at the end) still shows what it counted."""

    def __init__(self, name: str) -> None:
        self.name, self.trials, self.lost, self.doubled = name, 0, 0, 0

    def add(self, *, expected: int, found: int) -> None:
        """One trial that should leave `expected` of something and left `found`."""
        self.record(lost=max(expected - found, 0), doubled=max(found - expected, 0))

    def record(self, *, lost: int, doubled: int) -> None:
        self.trials += 1
        self.lost += lost
        self.doubled += doubled
        report = os.environ.get("ATTUNE_RACE_REPORT")
        if report:  # one line per trial; the bench keeps each race's last
            with open(report, "a", encoding="utf-8") as out:
                out.write(json.dumps(vars(self)) + "\n")

    def assert_clean(self) -> None:
        assert self.trials == TRIALS, self.trials
        assert (self.lost, self.doubled) == (0, 0), vars(self)
