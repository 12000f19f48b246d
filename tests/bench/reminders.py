"""`make bench BENCH=reminders`: daily reminders at scale, on PostgreSQL and Redis.

A database of its own (attune_bench_reminders) holds 1,000,000 users in 500,000 couples
across twelve time zones, seeded with SQL once and reused while the seed matches. For
each scenario, N of them are made due, a real Celery worker (its own process, Redis
db 13) is started, and the sweep runs as beat would start it; the worker delivers to a
local SMTP sink (aiosmtpd, its own process) that writes one line per message, from
which duplicates and losses are counted.

Printed: due users found, queries issued by the sweep and per batch, the time to find
and claim them, the plan of the due-user query; then per scenario the time from the
sweep's start to the last message at the sink, throughput, and throughput per worker
process, with the targets. Everything Django runs in child processes (this module with
an argument), so it shares `python -m tests.bench` with the other parts. Workers, the
sink and Redis db 13 are cleaned up at the end, also on error.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.local import free_port, process_group, run_step

PYTHON = sys.executable
POSTGRES = "postgres://root@127.0.0.1:5432"
DB_NAME = "attune_bench_reminders"
REDIS_URL = "redis://127.0.0.1:6379/13"  # never 0 (production), 12 (pages), 14 or 15 (tests)
USERS = 1_000_000
SEED_VERSION = f"users={USERS}:v1"
ZONES = [
    "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney",
    "Pacific/Auckland", "Africa/Lagos",
]  # fmt: skip
THREADS_PER_WORKER = 8  # deliveries wait on the mail server: threads overlap the waits
SCENARIOS = [  # (due users, worker processes)
    (10_000, 1),
    (40_000, 2),
]
MIN_PER_PROCESS = 1000  # due users a second, per worker process
MAX_SECONDS_40K = 60
DEADLINE = 180  # seconds a scenario may take before it is called lost


def bench_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{POSTGRES}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "SITE_URL": "http://127.0.0.1:8000",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def child(command: str, *args: str, env: dict[str, str]) -> dict:
    """A step that needs Django, run in a child process with the bench's settings."""
    return run_step("tests.bench.reminders", command, *args, env=env)


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as out, process_group(args, env, out) as proc:
        yield proc


def wait_for_lines(path: Path, count: int, deadline: float) -> float:
    """Seconds (monotonic) when the sink had `count` lines, or the deadline. Reads only
    what was added since the last look, counting line ends in C: re-reading the whole
    log in Python every 50 ms took CPU from the processes being measured."""
    seen = 0
    with path.open("rb") as handle:
        while time.monotonic() < deadline:
            seen += handle.read().count(b"\n")
            if seen >= count:
                return time.monotonic()
            time.sleep(0.05)
    return deadline


def run_scenario(due: int, workers: int, workdir: Path) -> dict:
    sink_log = workdir / f"sink-{due}.txt"
    sink_log.write_text("")
    port = free_port()
    env = bench_env(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    child("reset", str(due), env=env)
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            process([PYTHON, "-m", "tests.smtp_sink", str(port), str(sink_log)], env, workdir / "sink.out")
        )
        for number in range(workers):
            stack.enter_context(
                process(
                    [
                        PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=threads",
                        f"--concurrency={THREADS_PER_WORKER}", "--without-gossip", "--without-mingle",
                        "--without-heartbeat", "--loglevel=WARNING", f"--hostname=bench{number}@%h",
                    ],
                    env,
                    workdir / f"worker{number}.out",
                )
            )  # fmt: skip
        child("wait_for_workers", str(workers), env=env)
        sweep = child("sweep", env=env)
        # From the moment the sweep began, as beat starts it in a running worker: not
        # from the start of the process that ran it here, which first sets up Django
        # (a second and more). CLOCK_MONOTONIC is one clock for every process.
        started = sweep["started"]
        finished = wait_for_lines(sink_log, due, started + DEADLINE)
        time.sleep(1)  # a duplicate would arrive now
    received = Counter(sink_log.read_text().split())
    expected = {f"u{n}@bench.example" for n in range(1, due + 1)}
    seconds = finished - started
    return {
        "due": due,
        "workers": workers,
        "sweep": sweep,
        "seconds": seconds,
        "per_second": due / seconds,
        "per_process": due / seconds / workers,
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "lost": len(expected - set(received)),
        "strangers": len(set(received) - expected),
    }


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="attune-bench-reminders-"))
    env = bench_env()
    print(f"seeding {USERS:,} users in {DB_NAME} (reused while it matches)...", flush=True)
    seeded = child("seed", env=env)
    print(f"  {seeded['users']:,} users, {seeded['couples']:,} couples, seeded in {seeded['seconds']:.1f} s")
    results = []
    try:
        for due, workers in SCENARIOS:
            print(f"\n{due:,} due, {workers} worker process(es) x {THREADS_PER_WORKER} threads...", flush=True)
            result = run_scenario(due, workers, workdir)
            results.append(result)
            sweep = result["sweep"]
            print(f"  due users found and claimed: {sweep['found']:,} in {sweep['claim_seconds']:.2f} s")
            print(f"  sweep queries: {sweep['queries']} in {sweep['batches']} batches of up to {sweep['batch_size']}")
            print(f"  queries per batch: {sweep['queries_per_batch']}")
            print(f"  delivered: {result['seconds']:.1f} s from the sweep's start to the last message at the sink")
            print(f"  throughput: {result['per_second']:,.0f}/s, {result['per_process']:,.0f}/s per worker process")
            print(
                f"  at the sink: {result['duplicates']} duplicates, {result['lost']} lost, {result['strangers']} unexpected"
            )
        plan = child("plan", env=env)
        print("\nplan of the due-user query (1,000,000 users):")
        for line in plan["plan"]:
            print(f"  {line}")
    finally:
        subprocess.run(["redis-cli", "-n", "13", "flushdb"], capture_output=True)
    small, large = results
    checks = {
        f"queries per batch constant ({small['sweep']['queries_per_batch']} and {large['sweep']['queries_per_batch']})": (
            len(small["sweep"]["queries_per_batch"]) == 1
            and small["sweep"]["queries_per_batch"] == large["sweep"]["queries_per_batch"]
        ),
        f"at least {MIN_PER_PROCESS:,}/s per worker process ({small['per_process']:,.0f}/s with 1)": (
            small["per_process"] >= MIN_PER_PROCESS
        ),
        f"40,000 delivered within {MAX_SECONDS_40K} s ({large['seconds']:.1f} s)": large["seconds"] <= MAX_SECONDS_40K,
        "0 duplicates, 0 lost": all(r["duplicates"] == 0 and r["lost"] == 0 for r in results),
        "the due-user query uses the index": any("Index" in line for line in plan["plan"]),
    }
    print("\ntargets:")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


# --- Child steps (run with Django set up) ------------------------------------------------


def _django():
    import django

    django.setup()
    from django.db import connection

    return connection


def seed() -> dict:
    started = time.monotonic()
    subprocess.run(
        ["psql", POSTGRES + "/postgres", "-qc", f"CREATE DATABASE {DB_NAME}"], capture_output=True, check=False
    )
    connection = _django()
    from django.core.management import call_command

    # A reused seed still gets the migrations added since it was made.
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (version text)")
        cursor.execute("SELECT version FROM bench_seed")
        row = cursor.fetchone()
    if row and row[0] == SEED_VERSION:
        return {"users": USERS, "couples": USERS // 2, "seconds": time.monotonic() - started}
    zones = "ARRAY[" + ",".join(f"'{zone}'" for zone in ZONES) + "]"
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_user, couples_couple, couples_membership, notifications_sendlog CASCADE")
        cursor.execute(
            "INSERT INTO accounts_user (id, password, is_superuser, is_staff, is_active, date_joined, email,"
            " display_name, time_zone, reminder_time, reminder_enabled, next_reminder_at)"
            f" SELECT i, '!', false, false, true, now(), 'u' || i || '@bench.example', 'Person ' || i,"
            f" ({zones})[1 + i % {len(ZONES)}], '20:00', true, now() + interval '2 hours' + (i % 1200) * interval '1 minute'"
            f" FROM generate_series(1, {USERS}) AS i"
        )
        cursor.execute(
            f"INSERT INTO couples_couple (id, time_zone, created_at) SELECT c, ({zones})[1 + (2 * c) % {len(ZONES)}], now()"
            f" FROM generate_series(1, {USERS // 2}) AS c"
        )
        cursor.execute(
            "INSERT INTO couples_membership (couple_id, user_id, seat, active)"
            f" SELECT c, 2 * c - 1, 1, true FROM generate_series(1, {USERS // 2}) AS c"
            f" UNION ALL SELECT c, 2 * c, 2, true FROM generate_series(1, {USERS // 2}) AS c"
        )
        for table in ("accounts_user", "couples_couple"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM bench_seed")
        cursor.execute("INSERT INTO bench_seed VALUES (%s)", [SEED_VERSION])
    call_command("load_prompts", verbosity=0)
    return {"users": USERS, "couples": USERS // 2, "seconds": time.monotonic() - started}


def reset(due: int) -> dict:
    """N users due a second ago, everyone else later today; no send log; empty queue."""
    connection = _django()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_sendlog")
        cursor.execute(
            "UPDATE accounts_user SET next_reminder_at = now() + interval '2 hours' + (id % 1200) * interval '1 minute'"
            " WHERE next_reminder_at < now() + interval '2 hours'"
        )
        cursor.execute("UPDATE accounts_user SET next_reminder_at = now() - interval '1 second' WHERE id <= %s", [due])
        cursor.execute("ANALYZE accounts_user")
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], capture_output=True, check=True)
    return {"due": due}


def wait_for_workers(count: int) -> dict:
    _django()
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=0.5) or []) >= count:
            return {"workers": count}
    raise RuntimeError(f"{count} worker(s) did not answer within 60 s")


def sweep() -> dict:
    """The sweep as beat would start it, its queries counted."""
    connection = _django()
    from django.conf import settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications import delivery

    connection.ensure_connection()  # connected, as in a running worker
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        results = delivery.sweep_reminders(now=timezone.now())
    seconds = time.monotonic() - started
    # Each batch starts with the locking SELECT of due users; count the statements of
    # each batch up to the next one (the last look finds nobody and ends the loop).
    per_batch: list[int] = []
    for query in queries.captured_queries:
        if "FOR UPDATE SKIP LOCKED" in query["sql"]:
            per_batch.append(0)
        if per_batch:
            per_batch[-1] += 1
    full_batches = per_batch[:-1]
    return {
        "started": started,
        "found": sum(results.values()),
        "results": dict(results),
        "claim_seconds": seconds,
        "queries": len(queries.captured_queries),
        "batches": len(full_batches),
        "batch_size": settings.SWEEP_BATCH,
        "queries_per_batch": sorted(set(full_batches)),
    }


def plan() -> dict:
    connection = _django()
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User

    with transaction.atomic():
        query = (
            User.objects.select_for_update(skip_locked=True)
            .filter(next_reminder_at__lte=timezone.now())
            .order_by("next_reminder_at")[:1000]
        )
        text = query.explain()
    del connection
    return {"plan": text.splitlines()}


if __name__ == "__main__":
    if len(sys.argv) == 1:
        main()
    else:
        steps: dict[str, Callable[..., dict]] = {
            "seed": seed,
            "reset": reset,
            "wait_for_workers": wait_for_workers,
            "sweep": sweep,
            "plan": plan,
        }
        name, *args = sys.argv[1:]
        print(json.dumps(steps[name](*map(int, args)), default=str))
