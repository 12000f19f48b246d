"""A kind registered from outside notifications/ goes through claim, send, stale
takeover and retry with no migration and no edit in notifications/ (issue 5, part 1)."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail

from notifications import delivery, registry
from notifications.models import Outcome, SendLog
from notifications.registry import Kind, Notice

from ..factories import at

NOON = at(2026, 11, 21, 12)
BROKEN_MAILER = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}


class Nudges:
    """A throwaway kind: who still wants one is a set the test changes."""

    def __init__(self) -> None:
        self.wanted: set[int] = set()
        self.asked: list[int] = []

    def notices(self, requests, now) -> list[Notice]:
        self.asked.append(len(requests))
        return [
            Notice(user=r.user, key=r.key or "today", slots={"name": r.user.name}, variant=(("flavour", "mint"),))
            for r in requests
            if r.user.pk in self.wanted
        ]


@pytest.fixture
def templates(settings):
    """Templates of the throwaway kind live with the tests (tests/templates/)."""
    engine = {**django_settings.TEMPLATES[0], "DIRS": [django_settings.BASE_DIR / "templates", "tests/templates"]}
    settings.TEMPLATES = [engine]


@pytest.fixture
def nudges(templates, alice):
    nudges = Nudges()
    nudges.wanted.add(alice.pk)
    registry.register(Kind(name="test_nudge", template="tests/email/nudge", notices=nudges.notices))
    yield nudges
    registry.unregister("test_nudge")


def test_it_sends_a_registered_kind_once(nudges, alice, clock):
    clock.set(NOON)
    assert delivery.send_now(kind_name="test_nudge", user_id=alice.pk, key="k1", now=NOON) == Outcome.SENT
    assert delivery.send_now(kind_name="test_nudge", user_id=alice.pk, key="k1", now=NOON) == Outcome.SKIPPED
    (message,) = mail.outbox
    assert message.subject == "Alice, a test nudge"
    assert "Hello Alice, this is only a test (mint)." in message.body
    assert "/unsubscribe/" in message.body
    log = SendLog.objects.get(kind="test_nudge")
    assert (log.user_id, log.key, log.sent_at) == (alice.pk, "k1", NOON)


def test_it_sends_nothing_and_keeps_no_claim_when_the_kind_says_no_longer_useful(nudges, alice):
    nudges.wanted.clear()
    assert delivery.send_now(kind_name="test_nudge", user_id=alice.pk, key="k1", now=NOON) == Outcome.SKIPPED
    assert mail.outbox == []
    assert not SendLog.objects.exists()


def test_it_takes_over_a_stale_claim_of_a_registered_kind(nudges, alice, clock):
    # A worker claimed the nudge at noon and died before sending.
    delivery.claim(kind="test_nudge", pairs=[(alice.pk, "k1")], now=NOON)
    clock.set(NOON + timedelta(minutes=4))
    delivery.sweep_reminders(now=NOON + timedelta(minutes=4))
    assert mail.outbox == []  # four minutes: the claim might still be in flight
    clock.set(NOON + timedelta(minutes=6))
    delivery.sweep_reminders(now=NOON + timedelta(minutes=6))
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    clock.set(NOON + timedelta(minutes=12))
    delivery.sweep_reminders(now=NOON + timedelta(minutes=12))
    assert len(mail.outbox) == 1


def test_it_retries_a_failed_send_of_a_registered_kind(nudges, alice, clock, settings):
    settings.MAILERS = BROKEN_MAILER
    clock.set(NOON)
    assert delivery.send_now(kind_name="test_nudge", user_id=alice.pk, key="k1", now=NOON) == Outcome.FAILED
    assert SendLog.objects.get(kind="test_nudge").sent_at is None
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    clock.set(NOON + timedelta(minutes=6))
    delivery.sweep_reminders(now=NOON + timedelta(minutes=6))
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert SendLog.objects.get(kind="test_nudge").sent_at == NOON + timedelta(minutes=6)


def test_it_drops_a_claim_past_the_kinds_late_limit(nudges, alice, clock, settings):
    settings.MAILERS = BROKEN_MAILER
    clock.set(NOON)
    delivery.send_now(kind_name="test_nudge", user_id=alice.pk, key="k1", now=NOON)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    later = NOON + timedelta(hours=2, minutes=1)
    clock.set(later)
    delivery.sweep_reminders(now=later)
    assert mail.outbox == []


def test_it_asks_a_daily_kind_about_every_due_user(templates, alice, bob, clock):
    nudges = Nudges()
    nudges.wanted.add(bob.pk)
    registry.register(Kind(name="test_daily", template="tests/email/nudge", notices=nudges.notices, daily=True))
    try:
        alice.__class__.objects.filter(pk__in=[alice.pk, bob.pk]).update(next_reminder_at=NOON)
        clock.set(NOON)
        delivery.sweep_reminders(now=NOON)
    finally:
        registry.unregister("test_daily")
    # One question for the whole batch of due users; delivery asks again about those
    # claimed, in case things changed in between.
    assert nudges.asked == [2, 1]
    assert [m.to for m in mail.outbox if m.subject.endswith("test nudge")] == [["bob@example.com"]]


def test_it_skips_send_log_rows_of_a_kind_no_app_registers(alice, clock):
    SendLog.objects.create(user=alice, kind="kind_that_left", key="1", created_at=NOON, claimed_at=NOON)
    clock.set(NOON + timedelta(minutes=6))
    results = delivery.sweep_reminders(now=NOON + timedelta(minutes=6))  # must not raise
    assert results[Outcome.QUEUED] == 1
    assert mail.outbox == []
    assert SendLog.objects.get(kind="kind_that_left").sent_at is None


def test_it_refuses_to_queue_an_unknown_kind(alice):
    with pytest.raises(LookupError):
        delivery.claim_notices(kind_name="never_registered", requests=[registry.Request(alice)], now=NOON)
