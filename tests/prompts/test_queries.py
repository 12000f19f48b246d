"""Every page and fragment of the daily loop renders in a fixed number of queries
(at most 10), the same with 1 and with 200 days of history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.delivery import unsubscribe_token
from prompts.models import DailyPrompt

from ..factories import make_answer

MAX_QUERIES = 10


def fill_history(couple, alice, bob, library, days: int) -> DailyPrompt:
    prompts = list(library)
    today = couple.local_date()
    for n in range(days):
        day = DailyPrompt.objects.create(
            couple=couple, date=today - timedelta(days=n), prompt=prompts[n % len(prompts)]
        )
        make_answer(day, alice, f"a{n}")
        if n:  # today stays unrevealed so the waiting state and poll can be measured
            make_answer(day, bob, f"b{n}")
            day.revealed_at = day.created_at
            day.save()
    return DailyPrompt.objects.get(couple=couple, date=today)


def count(client, method: str, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 204, 302), (url, response.status_code)
    return len(queries)


def measure(client, today: DailyPrompt, htmx) -> dict[str, int]:
    """Query counts per page for the signed-in client (client.user set by the caller)."""
    history = reverse("prompts:history")
    return {
        "today": count(client, "get", reverse("prompts:today")),
        "today htmx": count(client, "get", reverse("prompts:today"), **htmx),
        "poll": count(client, "get", reverse("prompts:today_status", args=[today.pk]), **htmx),
        "history": count(client, "get", history),
        "history htmx": count(client, "get", history, **htmx),
        "history page 2": count(client, "get", history + "?page=2"),
        "couple": count(client, "get", reverse("couples:couple")),
        "settings": count(client, "get", reverse("accounts:settings")),
        "home": count(client, "get", reverse("home")),
        "unsubscribe": count(
            client, "get", reverse("notifications:unsubscribe", args=[unsubscribe_token(client.user)])
        ),
    }


@pytest.mark.parametrize("days", [1, 200])
def test_it_renders_each_page_within_the_query_budget(alice_client, alice, bob, couple, library, htmx, days):
    alice_client.user = alice
    today = fill_history(couple, alice, bob, library, days)
    counts = measure(alice_client, today, htmx)
    assert max(counts.values()) <= MAX_QUERIES, counts


def test_it_uses_the_same_queries_for_1_and_200_days(client, alice, bob, couple, library, htmx, django_db_blocker):
    client.force_login(alice)
    client.user = alice
    today = fill_history(couple, alice, bob, library, 1)
    small = measure(client, today, htmx)
    fill_more = [
        DailyPrompt.objects.create(couple=couple, date=today.date - timedelta(days=n), prompt=library[n % 50])
        for n in range(1, 200)
    ]
    for day in fill_more:
        make_answer(day, alice, "x")
        make_answer(day, bob, "y")
    DailyPrompt.objects.exclude(pk=today.pk).update(revealed_at=today.created_at)
    large = measure(client, today, htmx)
    # page 2 only exists with more than 20 days; compare it where it exists on both
    small.pop("history page 2"), large.pop("history page 2")
    assert small == large


def test_it_renders_the_join_page_within_the_query_budget(client, alice, charlie):
    from couples.services import create_invite

    invite = create_invite(inviter=alice)
    url = reverse("couples:join", args=[invite.token])
    assert count(client, "get", url) <= MAX_QUERIES
    client.force_login(charlie)
    assert count(client, "get", url) <= MAX_QUERIES


def test_it_renders_twenty_rows_of_two_hundred(alice_client, alice, bob, couple, library):
    fill_history(couple, alice, bob, library, 200)
    body = alice_client.get(reverse("prompts:history")).content.decode()
    assert body.count('class="history-day"') == 20
    assert "Page 1 of 10" in body
