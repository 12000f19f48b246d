"""Every page and fragment of the daily loop renders in a fixed number of queries
(at most 10), the same with 1 and with 200 (or 500) days of history."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import unsubscribe_token
from prompts.models import Answer, DailyPrompt, Reaction, ReactionKind, TodayState
from prompts.views import HISTORY_PAGE_SIZE

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


def poll(client, today: DailyPrompt, htmx, *, warm: bool) -> int:
    """The poll's queries with the cache as it is after a first poll (warm) or empty."""
    url = reverse("prompts:today_status", args=[today.pk])
    cache.clear()
    if warm:
        client.get(url, **htmx)
    return count(client, "get", url, **htmx)


def measure(client, today: DailyPrompt, htmx) -> dict[str, int]:
    """Query counts per page for the signed-in client (client.user set by the caller),
    starting from an empty cache: the first page reads the couple and the day from the
    database, the pages after it from the cache. The session has been to /today/ before,
    so it knows the couple (couples.decorators.COUPLE_HINT, written once per session)."""
    history = reverse("prompts:history")
    client.get(reverse("prompts:today"))
    cache.clear()
    return {
        "today": count(client, "get", reverse("prompts:today")),
        "today htmx": count(client, "get", reverse("prompts:today"), **htmx),
        "poll": poll(client, today, htmx, warm=False),
        "poll warm": poll(client, today, htmx, warm=True),
        "history": count(client, "get", history),
        "history htmx": count(client, "get", history, **htmx),
        "history older": count(client, "get", history + f"?before={today.date + timedelta(days=1)}"),
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
    assert small == large


def test_it_renders_the_join_page_within_the_query_budget(client, alice, charlie):
    from couples.services import create_invite

    invite = create_invite(inviter=alice)
    url = reverse("couples:join", args=[invite.token])
    assert count(client, "get", url) <= MAX_QUERIES
    client.force_login(charlie)
    assert count(client, "get", url) <= MAX_QUERIES


def test_it_renders_one_page_of_rows_of_two_hundred(alice_client, alice, bob, couple, library):
    fill_history(couple, alice, bob, library, 200)
    body = alice_client.get(reverse("prompts:history")).content.decode()
    assert body.count('class="history-day"') == HISTORY_PAGE_SIZE == 10
    assert "Older days" in body


def add_past_days(couple, alice, bob, library, days: int) -> None:
    """`days` revealed days before today, both answered (bulk, so 500 stay quick)."""
    prompts = list(library)
    today = couple.local_date()
    past = DailyPrompt.objects.bulk_create(
        DailyPrompt(
            couple=couple,
            date=today - timedelta(days=n),
            prompt=prompts[n % len(prompts)],
            revealed_at=timezone.now(),
        )
        for n in range(1, days + 1)
    )
    Answer.objects.bulk_create(
        Answer(daily_prompt=day, user=user, text=f"{user.display_name} {day.date}")
        for day in past
        for user in (alice, bob)
    )


def each_state(client, today: DailyPrompt, alice, bob, htmx) -> dict[str, int]:
    """Query counts for today and the poll in each state of the day, and for history,
    from an empty cache, for a session that has been to /today/ before (see measure)."""
    client.get(reverse("prompts:today"))
    cache.clear()
    Answer.objects.filter(daily_prompt=today).delete()
    DailyPrompt.objects.filter(pk=today.pk).update(revealed_at=None)
    counts = {}
    for state in TodayState:
        if state == TodayState.WAITING:
            make_answer(today, alice, "alice's answer")
        if state == TodayState.REVEALED:
            make_answer(today, bob, "bob's answer")
            DailyPrompt.objects.filter(pk=today.pk).update(revealed_at=timezone.now())
        counts[f"today {state}"] = count(client, "get", reverse("prompts:today"))
        counts[f"today {state} htmx"] = count(client, "get", reverse("prompts:today"), **htmx)
        counts[f"poll {state}"] = poll(client, today, htmx, warm=False)
        counts[f"poll {state} warm"] = poll(client, today, htmx, warm=True)
    counts["history"] = count(client, "get", reverse("prompts:history"))
    counts["history htmx"] = count(client, "get", reverse("prompts:history"), **htmx)
    return counts


def test_it_uses_the_same_queries_for_1_and_500_days_in_each_state(alice_client, alice, bob, couple, library, htmx):
    today = DailyPrompt.objects.create(couple=couple, date=couple.local_date(), prompt=library[0])
    one_day = each_state(alice_client, today, alice, bob, htmx)
    add_past_days(couple, alice, bob, library, 499)
    five_hundred_days = each_state(alice_client, today, alice, bob, htmx)
    assert one_day == five_hundred_days, (one_day, five_hundred_days)
    assert one_day["poll waiting warm"] == 1  # the session alone: no user row for a 204
    # Once the couple and the day are in the cache, /today/ reads only the answers it
    # may show, in every state, and with them whether anyone has responded yet.
    for state in TodayState:
        assert one_day[f"today {state} htmx"] == 3, one_day
    # The whole page too, once the couple's rituals are in the cache as well; a revealed
    # day that has a reaction reads both partners' reactions too, and shows them.
    alice_client.get(reverse("prompts:today"))
    assert count(alice_client, "get", reverse("prompts:today")) == 3
    Reaction.objects.create(daily_prompt=today, user=bob, kind=ReactionKind.MORE)
    assert count(alice_client, "get", reverse("prompts:today")) == 4
    assert str(ReactionKind.MORE.label) in alice_client.get(reverse("prompts:today")).text
    assert max(one_day.values()) <= MAX_QUERIES, one_day
