"""`make bench BENCH=pages`: the hot pages under load, each against a signed-in floor.

One run, one table. A throwaway PostgreSQL database (attune_bench_pages) is created,
migrated and seeded with couples in each state of the day, with 1 and with 500 days of
history, among 10,000 other couples (OTHER_COUPLES). Query counts are taken in a child
process with Django's test client; the load runs against gunicorn (production settings,
2 workers) with wrk on loopback, a few seconds per URL. The floor is a `@login_required`
view returning a tiny response from a bench-only URLconf (tests/bench/urls.py), so it
pays for the session, the user and the middleware and nothing else: every page is
measured as a multiple of it.

Everything Django runs in child processes (seed, counts, gunicorn), so this module can
share a process with the other bench parts. gunicorn, the database and Redis db 12 are
cleaned up at the end, also on error.
"""

import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.local import free_port, process_group, run_step

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
POSTGRES = "postgres://root@127.0.0.1:5432"
DB_NAME = "attune_bench_pages"
DATABASE_URL = f"{POSTGRES}/{DB_NAME}"
# Its own Redis database: never 0 (production), 14 or 15 (the test suite).
REDIS_URL = "redis://127.0.0.1:6379/12"
HISTORY_DAYS = (1, 500)
# The rest of the site, so the planner sees tables the size of a site in use: a query that
# reads every couple's rows is fast on six couples and slow on thousands (a page of
# history was, before visible_to named the user's couples). Written in SQL, in seconds.
OTHER_COUPLES = 10_000
OTHER_DAYS = 30
LOAD_DAYS = 500  # the load runs against the couples with the long history
STATES = ("answer", "waiting", "revealed")
WORKERS = 2
THREADS = 4  # as the Procfile runs it (with --reuse-port)
# Enough that the kernel's spreading of connections over the workers' sockets evens out:
# with 4, one worker often got 3 or 4 of them and the other sat idle (figures halved).
CONNECTIONS = 16
WARMUP_SECONDS = 1
SECONDS = 2
# Each page runs ROUNDS times, each time right after a floor run of its own.
ROUNDS = 3  # the median of three: verdicts at the edge of a target settle (two moved by 0.05)
WRK_TIMEOUT = "5s"

# Targets, as multiples of the floor.
TODAY_MIN_THROUGHPUT = 0.5
POLL_MIN_THROUGHPUT = 0.8
MAX_P99 = 3.0


@dataclass
class Page:
    label: str
    kind: str  # key into the seeded URLs and counts
    status: int
    min_throughput: float | None = None


PAGES = [
    Page("floor (signed in, bare)", "floor", 200),
    Page("/today/ answer", "today-answer", 200, TODAY_MIN_THROUGHPUT),
    Page("/today/ waiting", "today-waiting", 200, TODAY_MIN_THROUGHPUT),
    Page("/today/ revealed", "today-revealed", 200, TODAY_MIN_THROUGHPUT),
    Page("poll (204)", "poll", 204, POLL_MIN_THROUGHPUT),
    Page("/history/", "history", 200),
    Page("/settings/", "settings", 200),
    Page("/couple/", "couple", 200),
]


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


# --- Orchestration (no Django in this process) -----------------------------------------


def main() -> None:
    load_before = os.getloadavg()[0]
    wrk = _wrk_binary()
    if wrk is None:
        return
    with tempfile.TemporaryDirectory(prefix="attune-bench-") as tmp:
        env = _child_env(Path(tmp))
        with _fresh_database(), _fresh_redis():
            print(f"database {DB_NAME}: migrating, seeding 1 and 500 days of history", flush=True)
            _manage(env, "migrate", "--noinput")
            _manage(env, "load_prompts")
            _manage(env, "collectstatic", "--noinput")
            seeded = _child(env, "seed")
            _seed_the_rest_of_the_site()
            _analyze()
            counts = _child(env, "count", json.dumps(seeded))
            with _gunicorn(env, Path(tmp)) as base:
                targets = seeded[str(LOAD_DAYS)]
                floor, pages = PAGES[0], PAGES[1:]
                _load(wrk, base, targets[floor.kind], floor, measure=False)  # warms both workers up
                # Floor and page in turns, each page held against the floor run just before
                # it: other work on a shared machine drifts over a minute, less over seconds.
                loads: dict[str, list[tuple[Load, Load]]] = {}
                for page in pages:
                    _load(wrk, base, targets[page.kind], page, measure=False)
                    loads[page.kind] = [
                        (
                            _load(wrk, base, targets[floor.kind], floor, warmup=False),
                            _load(wrk, base, targets[page.kind], page, warmup=False),
                        )
                        for _ in range(ROUNDS)
                    ]
    _report(loads, counts, load_before)


def _wrk_binary() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing the Debian package", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
        found = shutil.which("wrk")
    if found is None:
        print("wrk is needed for the pages bench: run `apt-get install -y wrk` and try again")
    return found


def _child_env(tmp: Path) -> dict[str, str]:
    static_root = tmp / "static"
    var_dir = tmp / "var"
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "SITE_URL": "http://127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ATTUNE_BENCH_STATIC_ROOT": str(static_root),
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _admin_connection():
    import psycopg

    return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)


def _drop_database() -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


@contextlib.contextmanager
def _fresh_database() -> Iterator[None]:
    _drop_database()
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        yield
    finally:
        _drop_database()


@contextlib.contextmanager
def _fresh_redis() -> Iterator[None]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        yield
    finally:
        client.flushdb()
        client.close()


def _seed_the_rest_of_the_site() -> None:
    """OTHER_COUPLES couples, each with OTHER_DAYS days both partners answered. Their
    answers are not Fernet tokens: a bench page that read one would fail loudly (a 500
    in the check before its load) rather than show another couple's words."""
    import psycopg

    started = time.monotonic()
    users, couples, days = 1_000_000, 1_000_000, 10_000_000  # id ranges clear of the seeded rows
    statements = [
        f"""INSERT INTO accounts_user (id, password, is_superuser, is_staff, is_active, date_joined, email,
                display_name, time_zone, reminder_time, reminder_enabled)
            SELECT {users} + n, '!', false, false, true, now(), 'other-' || n || '@bench.example', 'Other',
                'Europe/Paris', '20:00', false
            FROM generate_series(1, {2 * OTHER_COUPLES}) n""",
        f"""INSERT INTO couples_couple (id, time_zone, created_at)
            SELECT {couples} + n, 'Europe/Paris', now() FROM generate_series(1, {OTHER_COUPLES}) n""",
        f"""INSERT INTO couples_membership (seat, active, couple_id, user_id)
            SELECT seat, true, {couples} + n, {users} + 2 * n - 2 + seat
            FROM generate_series(1, {OTHER_COUPLES}) n, generate_series(1, 2) seat""",
        f"""INSERT INTO prompts_dailyprompt (id, date, created_at, revealed_at, couple_id, prompt_id)
            SELECT {days} + n * 100 + d, current_date - d, now(), now(), {couples} + n,
                (SELECT min(id) FROM prompts_prompt)
            FROM generate_series(1, {OTHER_COUPLES}) n, generate_series(0, {OTHER_DAYS - 1}) d""",
        f"""INSERT INTO prompts_answer (text, data, created_at, updated_at, user_id, daily_prompt_id)
            SELECT 'not-a-token', 'not-a-token', now(), now(), {users} + 2 * n - 2 + seat, {days} + n * 100 + d
            FROM generate_series(1, {OTHER_COUPLES}) n, generate_series(0, {OTHER_DAYS - 1}) d,
                generate_series(1, 2) seat""",
    ]
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # built here from integers only
    print(
        f"the rest of the site: {OTHER_COUPLES:,} couples with {OTHER_DAYS} answered days each"
        f" ({time.monotonic() - started:.0f} s)",
        flush=True,
    )


def _analyze() -> None:
    """The tables as autovacuum keeps them on a database in use: fresh planner statistics,
    and visibility maps, without which an index-only scan reads each row's table page
    too. Done here: autovacuum may be off where the bench runs (it is off on ours)."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args, "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)


def _child(env: dict[str, str], *args: str) -> dict:
    return run_step("tests.bench.pages", *args, env=env, timeout=300)


@contextlib.contextmanager
def _gunicorn(env: dict[str, str], tmp: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    log = (tmp / "gunicorn.log").open("w+")
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        f"--threads={THREADS}",
        "--reuse-port",
        "--timeout=30",
        "--error-logfile=-",
        "--log-level=warning",
        *extra,
    ]
    with log:
        try:
            with process_group(command, env, log) as server:
                _wait_for_port(port, server)
                yield f"http://127.0.0.1:{port}"
        finally:  # gunicorn has stopped: what did it say?
            log.seek(0)
            problems = log.read().strip()
            if problems:
                print("gunicorn said:\n" + problems[-3000:])


def _wait_for_port(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening in time")


def _headers(target: dict) -> dict[str, str]:
    # A phone sends back the CSRF cookie it was given: without it, every page that holds
    # a form would make and set a new secret on each request, which no browser causes.
    headers = {"Cookie": f"sessionid={target['session']}; {target['csrf_cookie']}"}
    if target.get("htmx"):
        headers["HX-Request"] = "true"
    return headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check(base: str, target: dict, page: Page) -> None:
    """One request first: a page that redirects to sign-in would look fast and fine to wrk."""
    request = urllib.request.Request(base + target["url"], headers=_headers(target))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != page.status:
        raise RuntimeError(f"{page.label}: expected {page.status}, got {status} for {target['url']}")


def _load(wrk: str, base: str, target: dict, page: Page, *, warmup: bool = True, measure: bool = True) -> Load:
    _check(base, target, page)
    url = base + target["url"]
    headers = [arg for name, value in _headers(target).items() for arg in ("-H", f"{name}: {value}")]
    common = [wrk, "-t1", f"-c{CONNECTIONS}", f"--timeout={WRK_TIMEOUT}", *headers]
    if warmup:
        subprocess.run([*common, f"-d{WARMUP_SECONDS}s", url], check=True, capture_output=True, timeout=30)
    if not measure:
        return Load(0.0, 0.0, 0.0, 0, 0)
    done = subprocess.run(
        [*common, "--latency", f"-d{SECONDS}s", url], check=True, capture_output=True, text=True, timeout=60
    )
    return _parse_wrk(done.stdout)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise RuntimeError(f"not a wrk duration: {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def _parse_wrk(output: str) -> Load:
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if not (p50 and p99 and rps and total):
        raise RuntimeError("could not read wrk's output:\n" + output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(float(rps.group(1)), _ms(p50.group(1)), _ms(p99.group(1)), int(total.group(1)), errors)


def _median(runs: list[Load]) -> Load:
    return Load(
        rps=statistics.median(run.rps for run in runs),
        p50_ms=statistics.median(run.p50_ms for run in runs),
        p99_ms=statistics.median(run.p99_ms for run in runs),
        requests=sum(run.requests for run in runs),
        errors=sum(run.errors for run in runs),
    )


def _report(loads: dict[str, list[tuple[Load, Load]]], counts: dict, load_before: float) -> None:
    floor = _median([floor_run for rounds in loads.values() for floor_run, _ in rounds])
    rows = [(PAGES[0], floor, 1.0)]
    for page in PAGES[1:]:
        rounds = loads[page.kind]
        ratio = statistics.median(page_run.rps / floor_run.rps for floor_run, page_run in rounds)
        rows.append((page, _median([page_run for _, page_run in rounds]), ratio))
    small, large = (counts[str(days)] for days in HISTORY_DAYS)
    print()
    print(
        f"gunicorn {WORKERS} workers x {THREADS} threads; wrk 1 thread, {CONNECTIONS} connections;"
        f" load average before: {load_before:.2f} (other work on the machine skews every figure)"
    )
    print(
        f"each page {ROUNDS} x {SECONDS} s, each run right after {SECONDS} s of the floor; figures are medians;"
        " x floor: req/s against the floor run just before, p99 against the floor's median p99"
    )
    print("queries: per request, in-process, the poll with its cache warm (as every poll after the first)")
    header = f"{'page':<26}{'req/s':>9}{'x floor':>9}{'p50 ms':>9}{'p99 ms':>9}{'p99 x':>8}{'queries 1d/500d':>17}"
    print(header)
    print("-" * len(header))
    verdicts: list[tuple[str, bool]] = []
    for page, load, ratio in rows:
        p99_ratio = load.p99_ms / floor.p99_ms
        queries = f"{small[page.kind]}/{large[page.kind]}"
        print(
            f"{page.label:<26}{load.rps:>9.0f}{ratio:>9.2f}{load.p50_ms:>9.2f}{load.p99_ms:>9.2f}"
            f"{p99_ratio:>8.2f}{queries:>17}"
        )
        if load.errors:
            verdicts.append((f"{page.label}: {load.errors} errors under load", False))
        if page.min_throughput is not None:
            verdicts.append(
                (f"{page.label}: req/s {ratio:.2f}x floor >= {page.min_throughput}x", ratio >= page.min_throughput)
            )
        if page.kind != "floor":
            verdicts.append((f"{page.label}: p99 {p99_ratio:.2f}x floor <= {MAX_P99}x", p99_ratio <= MAX_P99))
        verdicts.append(
            (f"{page.label}: queries the same for 1 and 500 days ({queries})", small[page.kind] == large[page.kind])
        )
    print()
    for text, ok in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    failed = sum(not ok for _, ok in verdicts)
    print(f"\npages: {len(verdicts) - failed} of {len(verdicts)} targets hold", flush=True)


# --- Child processes (Django set up with tests.bench.settings) ---------------------------


def _seed() -> dict:
    """Three couples per history length: one for each state of today, for one user."""
    from datetime import timedelta

    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from couples.models import Couple, Membership
    from prompts.models import Answer, DailyPrompt, Prompt

    prompts = list(Prompt.objects.active().order_by("pk"))
    now = timezone.now()
    words = "It was the small walk after dinner, when we talked about nothing much and laughed. " * 2
    seeded: dict[str, dict] = {}
    for days in HISTORY_DAYS:
        targets: dict[str, dict] = {}
        for state in STATES:
            me = User.objects.create_user(
                email=f"{state}-{days}@bench.example", display_name="Sam", time_zone="Europe/Paris"
            )
            partner = User.objects.create_user(
                email=f"{state}-{days}-partner@bench.example", display_name="Alex", time_zone="Europe/Paris"
            )
            couple = Couple.objects.create(time_zone="Europe/Paris", created_at=now - timedelta(days=days))
            Membership.objects.bulk_create(
                [Membership(couple=couple, user=me, seat=1), Membership(couple=couple, user=partner, seat=2)]
            )
            today = couple.local_date(now)
            revealed_today = state == "revealed"
            day_rows = DailyPrompt.objects.bulk_create(
                [
                    DailyPrompt(
                        couple=couple,
                        date=today - timedelta(days=n),
                        prompt=prompts[n % len(prompts)],
                        created_at=now - timedelta(days=n),
                        revealed_at=now - timedelta(days=n) if (n or revealed_today) else None,
                    )
                    for n in range(days)
                ]
            )
            answers = []
            for n, day in enumerate(day_rows):
                if n or state != "answer":
                    answers.append(Answer(daily_prompt=day, user=me, text=f"{n}: {words}"))
                if n or state != "waiting":
                    answers.append(Answer(daily_prompt=day, user=partner, text=f"{n}: {words}"))
            Answer.objects.bulk_create(answers)
            client = Client()
            client.force_login(me)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            csrf_cookie = f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
            targets[f"today-{state}"] = {
                "url": reverse("prompts:today"),
                "session": session,
                "csrf_cookie": csrf_cookie,
            }
            if state == "waiting":
                poll = reverse("prompts:today_status", args=[day_rows[0].pk])
                targets["poll"] = {"url": poll, "session": session, "csrf_cookie": csrf_cookie, "htmx": True}
            if state == "revealed":
                for kind, name in (
                    ("floor", "bench_floor"),
                    ("history", "prompts:history"),
                    ("settings", "accounts:settings"),
                    ("couple", "couples:couple"),
                ):
                    targets[kind] = {"url": reverse(name), "session": session, "csrf_cookie": csrf_cookie}
        seeded[str(days)] = targets
    return seeded


def _count(seeded: dict) -> dict:
    """SQL queries per page, in-process, with a warm cache (the second request)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[str, int]] = {}
    for days, targets in seeded.items():
        counts[days] = {}
        for page in PAGES:
            target = targets[page.kind]
            client = Client(HTTP_HOST="127.0.0.1")
            client.cookies["sessionid"] = target["session"]
            headers = {"HX-Request": "true"} if target.get("htmx") else {}
            client.get(target["url"], headers=headers)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(target["url"], headers=headers)
            if response.status_code != page.status:
                raise RuntimeError(f"{page.label}: expected {page.status}, got {response.status_code}")
            counts[days][page.kind] = len(queries)
    return counts


def _child_main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "seed":
        result = _seed()
    elif argv[0] == "count":
        result = _count(json.loads(argv[1]))
    else:
        raise SystemExit(f"unknown step {argv[0]!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
