"""The reminder says the partner answered and carries the question; the "both answers
are in" email is not sent to someone who saw the reveal already."""

from email import message_from_string
from email.policy import default as default_policy

from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications import delivery
from notifications.models import Outcome, SendLog
from prompts import tasks
from prompts.notices import NoticeKind
from prompts.services import ensure_daily_prompt, submit_answer

from ..factories import at

EVENING = at(2026, 11, 21, 20)


def parts_of(message) -> dict[str, str]:
    parsed = message_from_string(message.message().as_string(), policy=default_policy)
    return {part.get_content_type(): part.get_content() for part in parsed.walk() if not part.is_multipart()}


def test_it_says_the_partner_answered_and_carries_the_question(alice, bob, couple, library, clock):
    User.objects.filter(pk=alice.pk).update(next_reminder_at=EVENING)
    day = ensure_daily_prompt(couple=couple, now=EVENING)
    submit_answer(daily_prompt=day, user=bob, text="bob-private-words", now=EVENING)
    mail.outbox.clear()
    clock.set(EVENING)
    delivery.sweep_reminders(now=EVENING)
    (message,) = mail.outbox
    assert message.subject == "Bob answered. Your turn"
    for body in parts_of(message).values():
        assert "Bob has answered today's question" in body
        assert "bob-private-words" not in body
    assert day.prompt.text in parts_of(message)["text/plain"]


def test_it_carries_the_question_without_presence_when_nobody_answered(alice, bob, couple, library, clock):
    User.objects.filter(pk=alice.pk).update(next_reminder_at=EVENING)
    day = ensure_daily_prompt(couple=couple, now=EVENING)
    clock.set(EVENING)
    delivery.sweep_reminders(now=EVENING)
    (message,) = mail.outbox
    assert message.subject == "Today's question is ready"
    text = parts_of(message)["text/plain"]
    assert day.prompt.text in text
    assert "has answered" not in text


def test_it_sends_no_reveal_email_to_someone_who_saw_the_reveal(alice_client, alice, bob, couple, library):
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text="first")
    submit_answer(daily_prompt=day, user=bob, text="second")
    assert "second" in alice_client.get(reverse("prompts:today")).content.decode()
    assert tasks.send_reveal_ready(day.pk, alice.pk) == Outcome.SKIPPED
    assert mail.outbox == []
    assert not SendLog.objects.filter(kind=NoticeKind.REVEAL_READY).exists()


def test_it_sends_no_reveal_email_after_the_poll_showed_it(alice_client, alice, bob, couple, library, htmx):
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text="first")
    submit_answer(daily_prompt=day, user=bob, text="second")
    response = alice_client.get(reverse("prompts:today_status", args=[day.pk]), **htmx)
    assert response.status_code == 200 and "second" in response.content.decode()
    assert tasks.send_reveal_ready(day.pk, alice.pk) == Outcome.SKIPPED
    assert mail.outbox == []


def test_it_sends_the_reveal_email_to_someone_who_has_not_seen_it(alice, bob, couple, library):
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text="first")
    submit_answer(daily_prompt=day, user=bob, text="second")
    assert tasks.send_reveal_ready(day.pk, alice.pk) == Outcome.SENT
    (message,) = mail.outbox
    assert message.subject == "Bob answered. Both answers are in"
    assert "second" not in message.body


def test_it_waits_a_grace_before_the_reveal_email(
    alice, bob, couple, library, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REVEAL_READY_GRACE_SECONDS = 30
    calls = []
    monkeypatch.setattr(tasks.send_reveal_ready, "apply_async", lambda *args, **kwargs: calls.append((args, kwargs)))
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=alice, text="first")
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(daily_prompt=day, user=bob, text="second")
    assert calls == [(((day.pk, alice.pk),), {"countdown": 30})]
