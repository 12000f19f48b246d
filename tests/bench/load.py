"""`make bench BENCH=load`: 50 couples doing the daily loop for 60 s with locust,
against gunicorn (production settings) + PostgreSQL + Redis, on loopback.

Each of 100 simulated partners opens /today/, answers (until the day is revealed),
polls for the partner three times and opens /history/, with 1-2 s between requests, all started over 5 s;
10 more users hit the bare signed-in view (the floor) on the same server in the same
run. Prints requests, errors, req/s, p50/p95/p99 per request kind and each as a multiple
of the floor's. Its database and Redis db are the pages bench's (one runs at a time).
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench import pages
from tests.local import run_step

COUPLES = 50
USERS = 110  # 100 partners (weight 10) and 10 floor users (weight 1)
SECONDS = 60


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="attune-load-") as tmp:
        env = pages._child_env(Path(tmp))
        with pages._fresh_database(), pages._fresh_redis():
            print(f"database {pages.DB_NAME}: migrating, seeding {COUPLES} couples", flush=True)
            pages._manage(env, "migrate", "--noinput")
            pages._manage(env, "load_prompts")
            pages._manage(env, "collectstatic", "--noinput")
            seed = Path(tmp) / "seed.json"
            seed.write_text(json.dumps(run_step("tests.bench.load", "seed", env=env, timeout=300)))
            pages._analyze()
            # Keep-alive past the users' pauses: gunicorn's 2 s default closes connections
            # that locust is about to reuse, which shows up as disconnect errors.
            with pages._gunicorn(env, Path(tmp), "--keep-alive=30") as base:
                stats = _locust(base, seed, Path(tmp))
    _report(stats)


def _locust(base: str, seed: Path, tmp: Path) -> list[dict]:
    prefix = tmp / "load"
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        f"--users={USERS}",
        "--spawn-rate=20",
        f"--run-time={SECONDS}s",
        f"--host={base}",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
    ]
    subprocess.run(command, env=os.environ | {"ATTUNE_LOAD_SEED": str(seed)}, check=False, timeout=SECONDS + 120)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _report(rows: list[dict]) -> None:
    by_name = {row["Name"]: row for row in rows}
    floor = by_name["floor (bare view)"]
    print(f"\nlocust: {USERS} users ({COUPLES} couples + 10 on the floor), {SECONDS} s; gunicorn as the pages bench")
    header = (
        f"{'request':<22}{'count':>8}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'p50 x':>7}{'p95 x':>7}"
    )
    print(header + "   (ms; x = multiple of the floor's)")
    print("-" * len(header))
    errors = 0
    for row in rows:
        p50, p95, p99 = (float(row[key]) for key in ("50%", "95%", "99%"))
        ratio50, ratio95 = p50 / float(floor["50%"]), p95 / float(floor["95%"])
        errors += int(row["Failure Count"]) if row["Name"] == "Aggregated" else 0
        print(
            f"{row['Name']:<22}{row['Request Count']:>8}{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}"
            f"{p50:>7.0f}{p95:>7.0f}{p99:>7.0f}{ratio50:>7.1f}{ratio95:>7.1f}"
        )
    print(f"\nload: {'PASS' if errors == 0 else 'FAIL'}  {errors} errors", flush=True)
    if errors:
        raise SystemExit(1)


def _seed() -> dict:
    """COUPLES couples with 30 days of history, today not yet answered; a session each."""
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from couples.models import Couple, Membership
    from prompts.models import Answer, DailyPrompt, Prompt

    prompts = list(Prompt.objects.active().order_by("pk"))
    now = timezone.now()

    def session_of(user: User) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    partners = []
    for n in range(COUPLES):
        pair = [
            User.objects.create_user(email=f"{who}{n}@load.example", display_name=who.title(), time_zone="Europe/Paris")
            for who in ("sam", "alex")
        ]
        couple = Couple.objects.create(time_zone="Europe/Paris", created_at=now - timedelta(days=30))
        Membership.objects.bulk_create([Membership(couple=couple, user=user, seat=s) for s, user in enumerate(pair, 1)])
        today = couple.local_date(now)
        days = DailyPrompt.objects.bulk_create(
            [
                DailyPrompt(
                    couple=couple,
                    date=today - timedelta(days=d),
                    prompt=prompts[d % len(prompts)],
                    revealed_at=now - timedelta(days=d) if d else None,
                )
                for d in range(30)
            ]
        )
        Answer.objects.bulk_create(
            [
                Answer(daily_prompt=day, user=user, text=f"day {d}: a small thing")
                for d, day in enumerate(days)
                if d
                for user in pair
            ]
        )
        partners += [{"session": session_of(user), "day": days[0].pk} for user in pair]
    floor = User.objects.create_user(email="floor@load.example", display_name="Floor")
    return {"partners": partners, "floor_session": session_of(floor)}


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:] != ["seed"]:
        raise SystemExit("usage: python -m tests.bench.load seed")
    print(json.dumps(_seed()))
