"""Invariant 2, separate then compare: a canary answer written by bob must not reach
alice anywhere (page, fragment, email) until her own answer exists, and must reach her
once both have answered (the positive control that shows the check can fail)."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.delivery import sweep_reminders
from prompts.models import Answer, DailyPrompt
from prompts.services import submit_answer

from ..factories import make_answer, make_day

CANARY = "canary-7f3a9c-bob-secret"


def couple_urls(day: DailyPrompt) -> list[str]:
    return [
        reverse("home"),
        reverse("prompts:today"),
        reverse("prompts:today_status", args=[day.pk]),
        reverse("prompts:history"),
        reverse("prompts:history") + "?page=2",
        reverse("couples:couple"),
        reverse("accounts:settings"),
    ]


def everything_alice_can_see(client, day, htmx) -> str:
    seen = []
    plain: dict[str, str] = {}
    for url in couple_urls(day):
        for headers in (plain, htmx):
            response = client.get(url, **headers)
            seen.append(response.content.decode())
    seen.extend(f"{m.subject}\n{m.body}\n{getattr(m, 'alternatives', '')}" for m in mail.outbox)
    return "\n".join(seen)


@pytest.fixture
def bob_answered(couple, bob, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=bob, text=CANARY)
    return day


def test_it_hides_the_partners_answer_before_ones_own(alice_client, alice, bob_answered, htmx):
    alice.next_reminder_at = bob_answered.created_at
    alice.save()
    sweep_reminders(now=bob_answered.created_at)
    assert len(mail.outbox) == 1  # alice got a reminder, and it must not leak
    assert CANARY not in everything_alice_can_see(alice_client, bob_answered, htmx)


def test_it_shows_the_partners_answer_once_both_answered(alice_client, alice, bob_answered, htmx):
    submit_answer(daily_prompt=bob_answered, user=alice, text="alice's turn")
    seen = everything_alice_can_see(alice_client, bob_answered, htmx)
    assert CANARY in seen


def test_it_never_shows_another_couples_answers(client, charlie, other_couple, bob_answered, alice, htmx):
    submit_answer(daily_prompt=bob_answered, user=alice, text="alice's turn")
    client.force_login(charlie)
    make_answer(make_day(other_couple), charlie, "charlie's own")
    assert CANARY not in everything_alice_can_see(client, bob_answered, htmx)


class TestVisibleTo:
    """The one function that decides, with no HTTP."""

    def test_it_shows_only_own_answer_before_the_reveal(self, alice, bob, couple):
        day = make_day(couple)
        make_answer(day, alice, "a")
        make_answer(day, bob, "b")  # both exist, but revealed_at is not set yet
        assert list(Answer.objects.visible_to(alice).values_list("text", flat=True)) == ["a"]

    def test_it_requires_ones_own_answer_even_on_a_revealed_day(self, alice, bob, couple):
        day = make_day(couple)
        make_answer(day, bob, "b")
        DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
        assert not Answer.objects.visible_to(alice).exists()

    def test_it_shows_both_after_the_reveal(self, alice, bob, couple):
        day = make_day(couple)
        make_answer(day, alice, "a")
        make_answer(day, bob, "b")
        DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
        assert set(Answer.objects.visible_to(alice).values_list("text", flat=True)) == {"a", "b"}

    def test_it_shows_nothing_to_a_signed_out_visitor(self, alice, couple):
        from django.contrib.auth.models import AnonymousUser

        make_answer(make_day(couple), alice, "a")
        assert not Answer.objects.visible_to(AnonymousUser()).exists()
