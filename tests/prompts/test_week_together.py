"""The week in warm words on /history/: days both answered, and how many of those
either partner responded to. Counted in one query; never a streak, never a shortfall."""

from datetime import timedelta

from django.urls import reverse

from prompts.models import Reaction, ReactionKind
from prompts.toward import week_together

from ..factories import make_answer, make_day, text_of

URL = reverse("prompts:history")


def add_days(couple, alice, bob, library, *, revealed: int, responded: int, older: int = 0) -> None:
    today = couple.local_date()
    prompts = list(library)
    for n in range(revealed + older):
        day = make_day(couple, date=today - timedelta(days=n if n < revealed else 10 + n), prompt=prompts[n])
        make_answer(day, alice, f"a{n}")
        make_answer(day, bob, f"b{n}")
        day.revealed_at = day.created_at
        day.save()
        if n < responded:
            Reaction.objects.create(daily_prompt=day, user=bob if n % 2 else alice, kind=ReactionKind.MOVED)


def test_it_counts_the_last_seven_days_only(couple, alice, bob, library, django_assert_num_queries):
    add_days(couple, alice, bob, library, revealed=4, responded=3, older=3)
    unrevealed = make_day(couple, date=couple.local_date() - timedelta(days=5), prompt=library[20])
    make_answer(unrevealed, alice, "only alice")
    with django_assert_num_queries(1):
        assert week_together(couple, couple.local_date()) == {"both": 4, "responded": 3}


def test_it_counts_a_day_both_responded_to_once(couple, alice, bob, library):
    add_days(couple, alice, bob, library, revealed=1, responded=1)
    day = couple.days.get()
    Reaction.objects.create(daily_prompt=day, user=bob, reply="Same here")
    assert week_together(couple, couple.local_date()) == {"both": 1, "responded": 1}


def test_it_says_the_week_in_warm_words_on_the_latest_page(alice_client, alice, bob, couple, library):
    add_days(couple, alice, bob, library, revealed=3, responded=2)
    body = text_of(alice_client.get(URL))
    assert "Your week together" in body
    assert "you both answered 3 questions" in body
    assert "on 2 of them" in body
    older = text_of(alice_client.get(URL + f"?before={couple.local_date().isoformat()}"))
    assert "Your week together" not in older


def test_it_welcomes_a_fresh_week_without_counting_what_did_not_happen(alice_client, couple, library):
    body = text_of(alice_client.get(URL))
    assert "A fresh week." in body
    for word in ("streak", "missed", "0 questions"):
        assert word not in body.lower()
