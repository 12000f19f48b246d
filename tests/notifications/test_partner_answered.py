""" "<Name> answered. Your turn": once a day, to the partner who has not answered, on the
channels they chose and outside their quiet hours; whether the partner answered, never
what; not sent once they have answered themselves or the day has passed."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from notifications import delivery
from notifications.models import Channels, Outcome, Preference, PushSubscription, Recipient, SendLog
from notifications.preferences import choices_for
from prompts import tasks
from prompts.notices import NoticeKind
from prompts.services import ensure_daily_prompt, submit_answer

from ..factories import at
from ..push_service import subscribe

EVENING = at(2026, 11, 21, 18)  # London is UTC+0 in November
CANARY = "canary-partner-answer-7f3e"
KIND = NoticeKind.PARTNER_ANSWERED


@pytest.fixture
def bob_wants_email(bob) -> None:
    Preference.objects.create(user=bob, kind=KIND, channels=Channels.EMAIL)


@pytest.fixture
def alice_answered(alice, couple, library, clock):
    clock.set(EVENING)
    day = ensure_daily_prompt(couple=couple, now=EVENING)
    submit_answer(daily_prompt=day, user=alice, text=CANARY, now=EVENING)
    mail.outbox.clear()  # the tests send it themselves, at the instant they choose
    return day


def send(user, day, now) -> Outcome:
    return delivery.send_now(kind_name=KIND, user_id=user.pk, key=str(day.pk), now=now)


def test_it_tells_the_partner_once_with_the_question_and_never_the_answer(bob_wants_email, alice_answered, bob):
    assert send(bob, alice_answered, EVENING) == Outcome.SENT
    (message,) = mail.outbox
    assert message.to == ["bob@example.com"]
    assert message.subject == "Alice answered. Your turn"
    assert "Alice has just answered today's question" in message.body
    assert alice_answered.prompt.text in message.body
    (html,) = [content for content, _type in getattr(message, "alternatives", [])]
    for part in (message.subject, message.body, html):
        assert CANARY not in part
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send(bob, alice_answered, EVENING + timedelta(minutes=10)) == Outcome.SKIPPED
    assert len(mail.outbox) == 1
    assert SendLog.objects.filter(user=bob, kind=KIND).count() == 1


def test_it_sends_nothing_once_the_partner_answered_meanwhile(bob_wants_email, alice_answered, bob):
    submit_answer(daily_prompt=alice_answered, user=bob, text="mine")
    assert send(bob, alice_answered, EVENING) == Outcome.SKIPPED
    assert [m for m in mail.outbox if m.subject == "Alice answered. Your turn"] == []


def test_it_sends_nothing_to_the_one_who_answered(alice_answered, alice):
    Preference.objects.create(user=alice, kind=KIND, channels=Channels.EMAIL)
    assert send(alice, alice_answered, EVENING) == Outcome.SKIPPED
    assert mail.outbox == []


def test_it_sends_nothing_once_the_day_has_passed(bob_wants_email, alice_answered, bob):
    # Claimed with alice's answer, due after the grace: hours past the late limit now.
    assert send(bob, alice_answered, at(2026, 11, 22, 0, 5)) == Outcome.DROPPED
    assert mail.outbox == []


def test_it_sends_nothing_to_an_outsider_even_with_the_days_key(alice_answered, charlie):
    Preference.objects.create(user=charlie, kind=KIND, channels=Channels.EMAIL)
    assert send(charlie, alice_answered, EVENING) == Outcome.SKIPPED
    assert mail.outbox == []


def test_it_respects_a_choice_of_neither_and_notices_off(bob_wants_email, alice_answered, bob):
    Preference.objects.filter(user=bob, kind=KIND).update(channels=Channels.NONE)
    assert send(bob, alice_answered, EVENING) == Outcome.SKIPPED
    Preference.objects.filter(user=bob, kind=KIND).update(channels=Channels.EMAIL)
    bob.reminder_enabled = False
    bob.save()
    assert send(bob, alice_answered, EVENING) == Outcome.SKIPPED
    assert mail.outbox == []


def test_it_comes_by_push_unless_chosen_otherwise(alice_answered, bob):
    """It may come most days besides the reminder: no email unless asked for."""
    assert choices_for(bob)[KIND] == Channels.PUSH
    assert send(bob, alice_answered, EVENING) == Outcome.SKIPPED  # no phone subscribed
    assert mail.outbox == []


def test_it_pushes_the_subject_and_never_the_answer(push_service, alice_answered, bob):
    subscribe(bob, push_service.phone("bob-phone"))
    assert send(bob, alice_answered, EVENING) == Outcome.SENT
    (got,) = push_service.delivered
    assert got.payload["body"] == "Alice answered. Your turn"
    assert CANARY not in str(got.payload)
    assert mail.outbox == []


def test_it_waits_for_quiet_hours_to_end_then_sends_once(bob_wants_email, alice_answered, bob, sweep):
    Recipient.objects.create(user=bob, quiet_start=time(17), quiet_end=time(19))
    assert send(bob, alice_answered, EVENING) == Outcome.DEFERRED
    assert mail.outbox == []
    assert SendLog.objects.get(user=bob, kind=KIND).due_at == at(2026, 11, 21, 19)
    sweep(at(2026, 11, 21, 18, 30))
    assert mail.outbox == []
    sweep(at(2026, 11, 21, 19, 1))
    assert [m.subject for m in mail.outbox] == ["Alice answered. Your turn"]
    sweep(at(2026, 11, 21, 19, 30))
    assert len(mail.outbox) == 1


def test_it_drops_what_quiet_hours_held_past_the_end_of_the_day(bob_wants_email, alice_answered, bob, sweep):
    Recipient.objects.create(user=bob, quiet_start=time(17), quiet_end=time(0, 30))
    assert send(bob, alice_answered, EVENING) == Outcome.DEFERRED
    sweep(at(2026, 11, 22, 0, 31))  # the 21st's question is not today's any more
    assert mail.outbox == []
    assert not SendLog.objects.filter(user=bob, kind=KIND).exists()


def test_it_is_queued_after_a_grace_for_the_first_answer_only(
    alice, bob, couple, library, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PARTNER_ANSWERED_GRACE_SECONDS = 90
    calls = []
    monkeypatch.setattr(tasks.send_partner_answered, "apply_async", lambda *a, **kw: calls.append((a, kw)))
    day = ensure_daily_prompt(couple=couple)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(daily_prompt=day, user=alice, text="first")
    assert calls == [(((day.pk, bob.pk),), {"countdown": 90})]
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(daily_prompt=day, user=alice, text="first, edited")  # an edit is not news
        submit_answer(daily_prompt=day, user=bob, text="second")  # the reveal has its own notice
    assert len(calls) == 1


def test_it_has_its_row_on_the_notifications_page(alice_client):
    page = alice_client.get(reverse("notifications:preferences")).content.decode()
    assert f'name="kind_{KIND}"' in page
    assert "Partner answered" in page
    assert "when your partner answers before you" in page


def test_it_pushes_nothing_to_the_one_who_answered(push_service, alice_answered, alice):
    subscribe(alice, push_service.phone("alice-phone"))
    assert send(alice, alice_answered, EVENING) == Outcome.SKIPPED
    assert push_service.delivered == []
    assert PushSubscription.objects.filter(user=alice).exists()
