"""Run functions in threads that start at the same instant (PostgreSQL tests)."""

import threading

from django.db import connection


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
