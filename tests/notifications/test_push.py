"""Web Push end to end: PushChannel encrypts and signs, a push service in the test
process decrypts (with the subscription's private keys made here) and records."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery
from notifications.channels import push_payload
from notifications.models import Channels, Outcome, Preference, PushSubscription, SendLog
from prompts.notices import NoticeKind
from prompts.services import ensure_daily_prompt, submit_answer

from ..push_service import subscribe

ALICE_ANSWER = "The quiet walk by the canal, when you took my hand without a word"
BOB_ANSWER = "Your laugh at breakfast, the one that makes the cat leave the room"


@pytest.fixture
def revealed(couple, alice, bob, library, clock, django_capture_on_commit_callbacks):
    """Both answered today; the reveal notices are left for the test to send."""
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text=ALICE_ANSWER)
    submit_answer(daily_prompt=day, user=bob, text=BOB_ANSWER)
    SendLog.objects.all().delete()  # as if the reveal notices were not sent yet
    mail.outbox.clear()
    return day


def send_reveal(user, day) -> Outcome:
    return delivery.send_now(kind_name=NoticeKind.REVEAL_READY, user_id=user.pk, key=str(day.pk), now=timezone.now())


def test_it_pushes_and_emails_one_notice_with_one_send_log_row(push_service, revealed, alice):
    phone = push_service.phone("alice-phone")
    subscribe(alice, phone)
    Preference.objects.create(user=alice, kind=NoticeKind.REVEAL_READY, channels=Channels.BOTH)

    assert send_reveal(alice, revealed) == Outcome.SENT

    (got,) = push_service.delivered
    assert got.phone is phone
    assert got.payload["title"] == "Attune"
    assert got.payload["body"] == "Bob answered. Both answers are in"  # the email subject, never an answer
    assert got.payload["url"].endswith("/")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    (log,) = SendLog.objects.filter(user=alice)
    assert log.sent_at is not None
    assert send_reveal(alice, revealed) == Outcome.SKIPPED  # once per key, whatever the channels
    assert len(push_service.delivered) == 1


def test_it_never_puts_answer_text_in_a_push(push_service, revealed, alice, bob):
    for user in (alice, bob):
        subscribe(user, push_service.phone(f"{user.pk}"))
        Preference.objects.create(user=user, kind=NoticeKind.REVEAL_READY, channels=Channels.PUSH)
        send_reveal(user, revealed)
    assert len(push_service.delivered) == 2
    for got in push_service.delivered:
        text = str(got.payload)
        assert "canal" not in text and "breakfast" not in text
    assert mail.outbox == []


def test_it_signs_with_the_configured_vapid_subject(push_service, revealed, alice, settings):
    subscribe(alice, push_service.phone("alice"))
    Preference.objects.create(user=alice, kind=NoticeKind.REVEAL_READY, channels=Channels.PUSH)
    send_reveal(alice, revealed)
    (got,) = push_service.delivered
    assert got.vapid_claims["sub"] == "mailto:admin@attune.example"
    assert got.vapid_claims["aud"] == push_service.url
    assert f"k={settings.VAPID_PUBLIC_KEY}" in got.headers["authorization"]
    assert int(got.headers["ttl"]) == settings.PUSH_TTL_SECONDS


def test_it_reaches_every_phone_of_a_person(push_service, revealed, alice):
    phones = [push_service.phone("phone"), push_service.phone("tablet")]
    for phone in phones:
        subscribe(alice, phone)
    Preference.objects.create(user=alice, kind=NoticeKind.REVEAL_READY, channels=Channels.PUSH)
    assert send_reveal(alice, revealed) == Outcome.SENT
    assert sorted(got.phone.endpoint for got in push_service.delivered) == sorted(p.endpoint for p in phones)


def test_it_removes_a_subscription_the_push_service_calls_gone_and_still_emails(push_service, revealed, alice):
    old, current = push_service.phone("old"), push_service.phone("current")
    subscribe(alice, old)
    subscribe(alice, current)
    push_service.gone(old)
    Preference.objects.create(user=alice, kind=NoticeKind.REVEAL_READY, channels=Channels.BOTH)

    assert send_reveal(alice, revealed) == Outcome.SENT

    assert list(PushSubscription.objects.filter(user=alice).values_list("endpoint", flat=True)) == [current.endpoint]
    assert [got.phone for got in push_service.delivered] == [current]
    assert len(mail.outbox) == 1


def test_it_lets_a_push_only_notice_go_once_its_last_phone_is_gone(push_service, revealed, alice, clock):
    phone = push_service.phone("gone")
    subscribe(alice, phone)
    push_service.gone(phone)
    Preference.objects.create(user=alice, kind=NoticeKind.REVEAL_READY, channels=Channels.PUSH)
    now = clock.set(timezone.now())

    assert send_reveal(alice, revealed) == Outcome.FAILED
    assert not PushSubscription.objects.filter(user=alice).exists()
    assert SendLog.objects.get(user=alice).sent_at is None

    # The next sweep finds no channel left for her: the claim is let go, nothing is sent.
    later = clock.set(now + timedelta(minutes=6))
    delivery.sweep_reminders(now=later)
    assert not SendLog.objects.filter(user=alice).exists()
    assert push_service.delivered == [] and mail.outbox == []


def test_it_builds_the_payload_from_the_subject_alone(alice):
    from notifications.channels import Outgoing

    outgoing = Outgoing(
        user=alice, subject="Bob answered too", text=BOB_ANSWER, html=BOB_ANSWER, unsubscribe_url="x", push_url="/"
    )
    assert BOB_ANSWER not in push_payload(outgoing)
