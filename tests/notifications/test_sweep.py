"""The reminder sweep (invariants 6 and 7), driven by a passed-in clock."""

from datetime import timedelta
from email import message_from_string
from email.policy import default as default_policy

import pytest
from django.core import mail

from accounts.models import User
from notifications import delivery
from notifications.delivery import claim
from notifications.models import Outcome, SendLog
from prompts.notices import NoticeKind
from prompts.services import ensure_daily_prompt, submit_answer

from ..factories import at, make_couple

# alice and bob live in London; in November London is UTC+0.
EVENING = at(2026, 11, 21, 20)


@pytest.fixture
def sweep_reminders(clock):
    """The sweep at `now`, with the clock its delivery tasks read set to the same."""

    def sweep(*, now):
        clock.set(now)
        return delivery.sweep_reminders(now=now)

    return sweep


def claim_one(user, key, now):
    return claim(kind=NoticeKind.DAILY_REMINDER, pairs=[(user.pk, key)], now=now)


@pytest.fixture
def due(alice, bob, couple, library):
    """alice and bob both due at 20:00 on 2026-11-21."""
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(next_reminder_at=EVENING)
    return couple


def test_it_sends_one_reminder_to_each_partner_who_has_not_answered(due, alice, bob, sweep_reminders):
    results = sweep_reminders(now=EVENING)
    assert results[Outcome.QUEUED] == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]


def test_it_moves_every_due_user_on_whether_sent_or_not(due, alice, bob, charlie, sweep_reminders):
    User.objects.filter(pk=charlie.pk).update(next_reminder_at=EVENING)  # no partner: skipped
    sweep_reminders(now=EVENING)
    for user in (alice, bob, charlie):
        user.refresh_from_db()
        assert user.next_reminder_at == EVENING + timedelta(days=1)
    assert [m.to[0] for m in mail.outbox if m.to[0] == "charlie@example.com"] == []


def test_it_sends_nothing_on_a_second_sweep(due, sweep_reminders):
    sweep_reminders(now=EVENING)
    User.objects.update(next_reminder_at=EVENING)  # as if a redelivered task saw them due again
    results = sweep_reminders(now=EVENING + timedelta(minutes=1))
    assert results[Outcome.QUEUED] == 0
    assert len(mail.outbox) == 2


def test_it_skips_a_partner_who_already_answered_and_sends_nothing_at_midnight(due, alice, bob, sweep_reminders):
    day = ensure_daily_prompt(couple=due, now=at(2026, 11, 21, 9))
    submit_answer(daily_prompt=day, user=alice, text="answered in the morning", now=at(2026, 11, 21, 9))
    sweep_reminders(now=EVENING)
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    mail.outbox.clear()
    for minute in range(0, 24 * 60, 15):  # every quarter hour until the next evening
        sweep_reminders(now=EVENING + timedelta(minutes=minute + 1))
    assert mail.outbox == []


def test_it_drops_reminders_more_than_two_hours_late(due, alice, bob, sweep_reminders):
    six_hours_later = EVENING + timedelta(hours=6)
    results = sweep_reminders(now=six_hours_later)
    assert results[Outcome.DROPPED] == 2
    assert mail.outbox == []
    alice.refresh_from_db()
    assert alice.next_reminder_at == EVENING + timedelta(days=1)


def test_it_sends_no_burst_after_a_worker_was_down_for_six_hours(due, alice, bob, sweep_reminders):
    sweeps = [EVENING - timedelta(hours=6) + timedelta(minutes=m) for m in range(0, 12 * 60, 60)]
    results = sweep_reminders(now=sweeps[0])
    assert results[Outcome.QUEUED] == 0
    # The worker is down from 14:00 to 02:00; it comes back and sweeps once.
    results = sweep_reminders(now=EVENING + timedelta(hours=6))
    assert results[Outcome.QUEUED] == 0 and results[Outcome.DROPPED] == 2
    assert mail.outbox == []


def test_it_still_sends_a_reminder_that_is_late_but_within_two_hours(due, sweep_reminders):
    sweep_reminders(now=EVENING + timedelta(minutes=119))
    assert len(mail.outbox) == 2


def test_it_leaves_a_fresh_claim_alone(due, alice, bob, sweep_reminders):
    claim_one(alice, "2026-11-21", EVENING - timedelta(minutes=2))
    sweep_reminders(now=EVENING)
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]


def test_it_takes_over_a_stale_claim_on_the_next_sweep(due, alice, bob, sweep_reminders):
    # A worker claimed alice's reminder at 20:00 and died before sending.
    claim_one(alice, "2026-11-21", EVENING)
    User.objects.filter(pk=alice.pk).update(next_reminder_at=EVENING + timedelta(days=1))
    User.objects.filter(pk=bob.pk).update(next_reminder_at=EVENING + timedelta(days=1))
    sweep_reminders(now=EVENING + timedelta(minutes=4))
    assert mail.outbox == []  # four minutes: the claim might still be in flight
    sweep_reminders(now=EVENING + timedelta(minutes=6))
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    log = SendLog.objects.get(user=alice)
    assert log.sent_at == EVENING + timedelta(minutes=6)
    sweep_reminders(now=EVENING + timedelta(minutes=12))
    assert len(mail.outbox) == 1


def test_it_does_not_take_over_a_stale_claim_once_it_is_no_longer_useful(due, alice, bob, sweep_reminders):
    claim_one(alice, "2026-11-21", EVENING)
    User.objects.update(next_reminder_at=EVENING + timedelta(days=1))
    sweep_reminders(now=EVENING + timedelta(hours=3))
    assert mail.outbox == []


def test_it_never_sends_a_sent_row_again(alice):
    (log_id,) = claim_one(alice, "k", EVENING)
    SendLog.objects.filter(pk=log_id).update(sent_at=EVENING)
    assert claim_one(alice, "k", EVENING + timedelta(days=2)) == []


def test_it_skips_users_who_turned_reminders_off(due, alice, bob, sweep_reminders):
    alice.reminder_enabled = False
    alice.save()
    assert alice.next_reminder_at is None
    sweep_reminders(now=EVENING)
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]


def test_it_uses_the_couples_date_as_the_key(alice, bob, library, sweep_reminders):
    # alice is in Los Angeles, the couple's day is Tokyo's: at 20:00 in LA on the 21st
    # (04:00 UTC on the 22nd) it is already 13:00 on the 22nd in Tokyo.
    User.objects.filter(pk=alice.pk).update(time_zone="America/Los_Angeles")
    make_couple(alice, bob, time_zone="Asia/Tokyo")
    User.objects.filter(pk=alice.pk).update(next_reminder_at=at(2026, 11, 22, 4))
    sweep_reminders(now=at(2026, 11, 22, 4))
    assert SendLog.objects.get(user=alice).key == "2026-11-22"


def test_it_writes_a_reminder_with_no_answer_text_and_one_click_unsubscribe(due, alice, bob, sweep_reminders):
    day = ensure_daily_prompt(couple=due, now=EVENING)
    submit_answer(daily_prompt=day, user=bob, text="bob-private-words", now=EVENING)
    mail.outbox.clear()
    sweep_reminders(now=EVENING)
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    raw = message.message().as_string()
    parsed = message_from_string(raw, policy=default_policy)
    parts = {part.get_content_type(): part.get_content() for part in parsed.walk() if not part.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    for body in parts.values():
        assert "bob-private-words" not in body
        assert "http://testserver/today/" in body
        assert "/unsubscribe/" in body
    assert parsed["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "bob-private-words" not in raw


def test_it_lets_a_changed_reminder_time_take_effect(alice_client, alice):
    alice_client.post(
        "/settings/",
        {"display_name": "Alice", "time_zone": "Asia/Tokyo", "reminder_time": "07:15", "reminder_enabled": "on"},
    )
    alice.refresh_from_db()
    local = alice.next_reminder_at.astimezone(alice.zone)
    assert (local.hour, local.minute) == (7, 15)


def test_it_leaves_a_failed_send_for_the_next_sweep(due, settings, sweep_reminders):
    # A real mail server that is not there: nothing listens on port 1.
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    sweep_reminders(now=EVENING)
    assert SendLog.objects.filter(sent_at=None).count() == 2
    settings.MAILERS = working
    assert sweep_reminders(now=EVENING + timedelta(minutes=6))[Outcome.QUEUED] == 2
    assert len(mail.outbox) == 2


def test_it_drops_a_failing_reminder_two_hours_after_the_first_try(due, settings, sweep_reminders):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    for minute in range(0, 170, 10):  # the mail server is down from 20:00 to 22:50
        sweep_reminders(now=EVENING + timedelta(minutes=minute))
    settings.MAILERS = working
    sweep_reminders(now=EVENING + timedelta(hours=3))
    assert mail.outbox == []


def test_it_retries_a_failed_reveal_notice_on_the_next_sweep(
    due, alice, bob, settings, django_capture_on_commit_callbacks, sweep_reminders
):
    from django.utils import timezone

    day = ensure_daily_prompt(couple=due)
    submit_answer(daily_prompt=day, user=alice, text="first")
    User.objects.update(next_reminder_at=None)  # only the reveal notice is in play
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(daily_prompt=day, user=bob, text="second")  # the notice fails
    assert SendLog.objects.get(kind=NoticeKind.REVEAL_READY).sent_at is None
    settings.MAILERS = working
    now = timezone.now()
    sweep_reminders(now=now + timedelta(minutes=3))
    assert mail.outbox == []  # the claim may still be in flight
    sweep_reminders(now=now + timedelta(minutes=6))
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert SendLog.objects.get(kind=NoticeKind.REVEAL_READY).sent_at is not None


def test_it_moves_on_a_due_user_whose_reminders_were_turned_off_in_bulk(due, alice, bob, sweep_reminders):
    User.objects.filter(pk=alice.pk).update(reminder_enabled=False)  # next_reminder_at stays set
    sweep_reminders(now=EVENING)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.next_reminder_at is None
    assert bob.next_reminder_at == EVENING + timedelta(days=1)
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
