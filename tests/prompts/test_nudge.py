"""The nudge: while waiting (answered, the partner not yet), one gentle "your turn" to
the partner per day, through their channels and quiet hours, never with answer text."""

import datetime
import html
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications import registry
from notifications.models import Channels, Preference, Recipient, SendLog
from notifications.registry import Request
from prompts import services
from prompts.models import Nudge
from prompts.notices import NoticeKind, nudge_notices
from prompts.services import submit_answer

from ..factories import make_answer, make_day, text_of
from ..push_service import subscribe

CANARY = "CANARY-nudge-0c4f"


@pytest.fixture
def day(couple, library):
    return make_day(couple)


@pytest.fixture
def bob_waiting(day, bob):
    """bob answered today (the canary); alice has not."""
    make_answer(day, bob, CANARY)
    return day


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


def nudge_url(day) -> str:
    return reverse("prompts:nudge", args=[day.pk])


# --- The rule, without HTTP ---------------------------------------------------------------


def test_it_allows_a_nudge_only_while_the_sender_waits(day, alice, bob, django_capture_on_commit_callbacks):
    with pytest.raises(services.NudgeNotNow):  # bob has not answered
        services.send_nudge(daily_prompt=day, user=bob, partner=alice)
    make_answer(day, bob, "bob")
    with django_capture_on_commit_callbacks():
        services.send_nudge(daily_prompt=day, user=bob, partner=alice)
    assert Nudge.objects.filter(daily_prompt=day, sender=bob).count() == 1


def test_it_refuses_a_nudge_once_both_have_answered(day, alice, bob):
    submit_answer(daily_prompt=day, user=bob, text="bob")
    submit_answer(daily_prompt=day, user=alice, text="alice")
    day.refresh_from_db()
    with pytest.raises(services.NudgeNotNow):
        services.send_nudge(daily_prompt=day, user=bob, partner=alice)
    assert not Nudge.objects.exists()


def test_it_allows_one_nudge_per_person_per_day(bob_waiting, alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        services.send_nudge(daily_prompt=bob_waiting, user=bob, partner=alice)
    with pytest.raises(services.NudgedAlready):
        services.send_nudge(daily_prompt=bob_waiting, user=bob, partner=alice)
    assert Nudge.objects.count() == 1


def test_it_limits_tries_per_person_in_the_shared_cache(bob_waiting, alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        services.send_nudge(daily_prompt=bob_waiting, user=bob, partner=alice)
    for _ in range(services.NUDGE_TRIES_PER_HOUR - 1):
        with pytest.raises(services.NudgedAlready):
            services.send_nudge(daily_prompt=bob_waiting, user=bob, partner=alice)
    with pytest.raises(services.NudgeTooOften):  # refused before the database is asked
        services.send_nudge(daily_prompt=bob_waiting, user=bob, partner=alice)
    # alice's own tries are counted apart.
    with pytest.raises(services.NudgeNotNow):
        services.send_nudge(daily_prompt=bob_waiting, user=alice, partner=bob)


def test_it_is_worth_a_notice_only_while_the_partner_has_not_answered(bob_waiting, alice, bob):
    now = timezone.now()
    (notice,) = nudge_notices([Request(alice, str(bob_waiting.pk))], now)
    assert notice.slots == {"name": "Alice", "partner_name": "Bob", "question": bob_waiting.prompt.text}
    assert CANARY not in str(notice)
    assert nudge_notices([Request(bob, str(bob_waiting.pk))], now) == []  # bob answered
    assert nudge_notices([Request(alice, "not-a-day")], now) == []
    make_answer(bob_waiting, alice, "alice")
    assert nudge_notices([Request(alice, str(bob_waiting.pk))], now) == []


def test_it_is_worth_no_notice_for_another_couples_day(bob_waiting, charlie, other_couple):
    assert nudge_notices([Request(charlie, str(bob_waiting.pk))], timezone.now()) == []


# --- The view and the notice ---------------------------------------------------------------


def test_it_emails_the_partner_once_with_the_question_and_no_answer(
    bob_client, bob_waiting, alice, htmx, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(nudge_url(bob_waiting), **htmx)
    assert response.status_code == 200
    assert "Sent. Alice will get a gentle nudge" in text_of(response)
    assert "<html" not in text_of(response)
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Bob is thinking of you"
    parts = [message.subject, message.body, *(html.unescape(content) for content, _ in message.alternatives)]  # type: ignore[attr-defined]
    assert all(bob_waiting.prompt.text in part for part in parts[1:])
    assert all(CANARY not in part for part in parts)
    (log,) = SendLog.objects.filter(user=alice, kind=NoticeKind.NUDGE)
    assert log.key == str(bob_waiting.pk) and log.sent_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        again = bob_client.post(nudge_url(bob_waiting), **htmx)
    assert again.status_code == 200
    assert "You nudged Alice today already" in text_of(again)
    assert len(mail.outbox) == 1


def test_it_says_calmly_when_a_nudge_is_not_for_now(alice_client, bob_waiting, htmx):
    response = alice_client.post(nudge_url(bob_waiting), **htmx)  # alice has not answered
    assert response.status_code == 422
    assert "A nudge is for when you have answered" in text_of(response)
    assert not Nudge.objects.exists()


def test_it_stops_a_loop_of_posts(bob_client, bob_waiting, htmx, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [bob_client.post(nudge_url(bob_waiting), **htmx).status_code for _ in range(8)]
    assert statuses[: services.NUDGE_TRIES_PER_HOUR] == [200] * services.NUDGE_TRIES_PER_HOUR
    assert set(statuses[services.NUDGE_TRIES_PER_HOUR :]) == {422}
    assert "a lot of nudges for one hour" in text_of(bob_client.post(nudge_url(bob_waiting), **htmx))
    assert Nudge.objects.count() == 1 and len(mail.outbox) == 1


def test_it_redirects_to_today_with_the_message_without_htmx(
    bob_client, bob_waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(nudge_url(bob_waiting), follow=True)
    assert response.redirect_chain[-1][0] == reverse("prompts:today")
    assert "Alice will get a gentle nudge" in text_of(response)


def test_it_answers_an_outsider_404_and_get_405(client, charlie, other_couple, bob_client, bob_waiting):
    client.force_login(charlie)
    assert client.post(nudge_url(bob_waiting)).status_code == 404
    assert bob_client.get(nudge_url(bob_waiting)).status_code == 405
    assert not Nudge.objects.exists()


def test_it_offers_the_nudge_and_a_two_minute_exercise_only_while_waiting(alice_client, bob_client, bob_waiting):
    waiting = text_of(bob_client.get(reverse("prompts:today")))
    assert "Give Alice a gentle nudge" in waiting
    assert "Two minutes:" in waiting
    answering = text_of(alice_client.get(reverse("prompts:today")))
    assert "gentle nudge" not in answering and "Two minutes:" not in answering


def test_it_holds_a_nudge_through_the_partners_quiet_hours(
    bob_client, bob_waiting, alice, django_capture_on_commit_callbacks
):
    local = timezone.now().astimezone(ZoneInfo(alice.time_zone))
    start, end = (local - datetime.timedelta(hours=1)).time(), (local + datetime.timedelta(hours=1)).time()
    Recipient.objects.create(user=alice, quiet_start=start, quiet_end=end)
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(nudge_url(bob_waiting))
    assert mail.outbox == []
    (held,) = SendLog.objects.filter(user=alice, kind=NoticeKind.NUDGE)
    assert held.sent_at is None and held.due_at > timezone.now()


def test_it_sends_nothing_to_a_partner_who_turned_nudges_off(
    bob_client, bob_waiting, alice, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=alice, kind=NoticeKind.NUDGE, channels=Channels.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(nudge_url(bob_waiting))
    assert mail.outbox == []
    assert not SendLog.objects.filter(user=alice).exists()


def test_it_pushes_a_nudge_without_answer_text(
    push_service, bob_client, bob_waiting, alice, django_capture_on_commit_callbacks
):
    phone = push_service.phone("alice-phone")
    subscribe(alice, phone)
    Preference.objects.create(user=alice, kind=NoticeKind.NUDGE, channels=Channels.PUSH)
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(nudge_url(bob_waiting))
    (got,) = push_service.delivered
    assert got.payload["body"] == "Bob is thinking of you"
    assert CANARY not in str(got.payload)
    assert mail.outbox == []
    assert SendLog.objects.get(user=alice, kind=NoticeKind.NUDGE).sent_at is not None


def test_it_lets_the_partner_turn_nudges_off_in_notification_settings(
    alice_client, alice, bob_client, bob_waiting, django_capture_on_commit_callbacks
):
    url = reverse("notifications:preferences")
    assert "Nudge from your partner" in text_of(alice_client.get(url))
    form = {f"kind_{kind.name}": "email" for kind in registry.all_kinds()} | {"kind_nudge": "none"}
    assert alice_client.post(url, form).status_code == 200
    assert Preference.objects.get(user=alice, kind=NoticeKind.NUDGE).channels == Channels.NONE
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(nudge_url(bob_waiting))
    assert mail.outbox == []
