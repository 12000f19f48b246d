"""Benchmarks for the daily loop. Run with `make bench` (not part of `make test`).

Prints figures; asserts only the query budget, which is the target the issue sets.
Uses whatever DATABASE_URL points at (SQLite by default).
"""

import statistics
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.delivery import sweep_reminders
from prompts.models import DailyPrompt

from ..factories import make_answer, make_couple, make_user

RUNS = 50


def timed(client, method: str, url: str, **kwargs) -> tuple[float, int]:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = getattr(client, method)(url, **kwargs)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code < 400
    with CaptureQueriesContext(connection) as queries:
        getattr(client, method)(url, **kwargs)
    return statistics.median(samples), len(queries)


def test_it_measures_page_times(client, alice, bob, couple, library):
    prompts = list(library)
    today = couple.local_date()
    for n in range(200):
        day = DailyPrompt.objects.create(
            couple=couple, date=today - timedelta(days=n), prompt=prompts[n % len(prompts)]
        )
        make_answer(day, alice, "a considered answer " * 10)
        if n:
            make_answer(day, bob, "another considered answer " * 10)
            day.revealed_at = day.created_at
            day.save()
    client.force_login(alice)
    day = DailyPrompt.objects.get(couple=couple, date=today)
    rows = {
        "GET /today/ (waiting)": timed(client, "get", reverse("prompts:today")),
        "GET poll (204)": timed(client, "get", reverse("prompts:today_status", args=[day.pk]), HTTP_HX_REQUEST="true"),
        "GET /history/ (200 days)": timed(client, "get", reverse("prompts:history")),
        "GET /history/?page=10": timed(client, "get", reverse("prompts:history") + "?page=10"),
    }
    print(f"\n{connection.vendor}, median of {RUNS} in-process requests:")
    for name, (ms, queries) in rows.items():
        print(f"  {name:28} {ms:7.2f} ms  {queries:2d} queries")
        assert queries <= 10


@pytest.mark.parametrize("couples", [500])
def test_it_measures_the_reminder_sweep(db, library, couples):
    users = []
    for n in range(couples):
        first = make_user(f"a{n}@example.com", "A")
        second = make_user(f"b{n}@example.com", "B")
        make_couple(first, second)
        users += [first.pk, second.pk]
    now = timezone.now()
    User.objects.filter(pk__in=users).update(next_reminder_at=now)
    start = time.perf_counter()
    results = sweep_reminders(now=now)
    seconds = time.perf_counter() - start
    print(
        f"\n{connection.vendor}: sweep of {len(users)} due users: {seconds:.2f} s, "
        f"{len(users) / seconds:.0f} users/s, {dict(results)}, {len(mail.outbox)} emails"
    )
    assert results["sent"] == len(users)
    start = time.perf_counter()
    again = sweep_reminders(now=now + timedelta(minutes=1))
    print(f"  second sweep a minute later: {(time.perf_counter() - start) * 1000:.1f} ms, {dict(again)}")
