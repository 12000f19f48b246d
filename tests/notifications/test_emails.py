"""Every email a couple meets in the first week, sent the way the app sends it: our
subjects, one disclaimer at most, no host name or "user X has given your email
address", and a plain-text part that reads as typed (a name like O'Brien & Co)."""

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from couples import services as couple_services
from couples import tasks as couple_tasks
from notifications import delivery
from notifications.models import Channels, Preference
from prompts import tasks as prompt_tasks
from prompts.notices import NoticeKind as PromptNoticeKind
from prompts.services import ensure_daily_prompt, submit_answer
from rituals.reminders import sweep_ritual_reminders
from rituals.services import reschedule_reminders

from ..factories import PASSWORD, at, make_couple, make_ritual, make_user

NAME = "O'Brien & Co"
PARTNER = "Zoë <Q&A>"
EVENING = at(2026, 11, 21, 20)
DISCLAIMERS = ("ignore this email", "If this was not you", "You get this because")


@pytest.fixture
def obrien(db) -> User:
    return make_user("obrien@example.com", NAME)


@pytest.fixture
def partner(db) -> User:
    return make_user("zoe@example.com", PARTNER)


def only_message():
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    return mail.outbox[0]


def check_plain(message, *, reads: tuple[str, ...] = ()) -> None:
    body = message.body
    for escaped in ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;"):
        assert escaped not in body, (message.subject, escaped, body)
        assert escaped not in message.subject
    for typed in reads:
        assert typed in body, (typed, body)
    assert "testserver" not in message.subject
    assert "has given your email address" not in body
    # The host appears in links only, never as the sender's name ("Hello from testserver!").
    assert "testserver" not in re.sub(r"https?://\S+", "", body), body
    assert sum(any(phrase in line for phrase in DISCLAIMERS) for line in body.splitlines()) <= 1, body
    assert message.subject == message.subject.strip() and "\n" not in message.subject
    assert message.subject[0].isupper() and not message.subject.endswith(".")


def test_it_writes_the_daily_reminder(obrien, partner, library, clock):
    couple = make_couple(obrien, partner)
    User.objects.filter(pk=obrien.pk).update(next_reminder_at=EVENING)
    day = ensure_daily_prompt(couple=couple, now=EVENING)
    submit_answer(daily_prompt=day, user=partner, text="private & <words>", now=EVENING)
    delivery.sweep_reminders(now=clock.set(EVENING))
    message = only_message()
    assert message.subject == f"{PARTNER} answered. Your turn"
    check_plain(message, reads=(f"Hi {NAME},", f"{PARTNER} has answered", day.prompt.text))
    assert "private" not in message.body


def test_it_writes_the_reveal_email(obrien, partner, library):
    couple = make_couple(obrien, partner)
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=obrien, text="first")
    submit_answer(daily_prompt=day, user=partner, text="second")
    prompt_tasks.send_reveal_ready(day.pk, obrien.pk)
    message = only_message()
    assert message.subject == f"{PARTNER} answered. Both answers are in"
    check_plain(message, reads=(f"Hi {NAME},", f"{PARTNER} has answered"))
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &amp; Co" in html and "<Q&A>" not in html


def test_it_writes_the_partner_answered_email(obrien, partner, library):
    couple = make_couple(obrien, partner)
    Preference.objects.create(user=obrien, kind=PromptNoticeKind.PARTNER_ANSWERED, channels=Channels.EMAIL)
    day = ensure_daily_prompt(couple=couple)
    submit_answer(daily_prompt=day, user=partner, text="private & <words>")
    prompt_tasks.send_partner_answered(day.pk, obrien.pk)
    message = only_message()
    assert message.subject == f"{PARTNER} answered. Your turn"
    check_plain(message, reads=(f"Hi {NAME},", f"{PARTNER} has just answered", day.prompt.text))
    assert "private" not in message.body


def test_it_writes_the_ritual_reminder(obrien, partner, clock):
    couple = make_couple(obrien, partner)
    ritual = make_ritual(couple, title="Tea & talk", starts_on=date(2026, 6, 1))
    reschedule_reminders(ritual=ritual, now=at(2026, 6, 1, 12))
    sweep_ritual_reminders(now=clock.set(at(2026, 6, 1, 18, 15)))
    message = next(m for m in mail.outbox if m.to == ["obrien@example.com"])
    assert message.subject == "Tea & talk at 19:30"
    check_plain(message, reads=(f"Hi {NAME},", f"Tea & talk with {PARTNER} is at 19:30", "the ritual's page"))


def test_it_writes_the_partner_joined_email(obrien, partner):
    invite = couple_services.create_invite(inviter=obrien)
    couple = couple_services.accept_invite(invite=invite, user=partner)
    couple_tasks.send_partner_joined(couple.pk, obrien.pk)
    message = only_message()
    assert message.subject == f"{PARTNER} joined you on Attune"
    check_plain(message, reads=(f"Hi {NAME},", f"{PARTNER} opened your invite"))


def test_it_writes_the_verification_email(client, db):
    data = {"display_name": NAME, "email": "new@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    client.post(reverse("account_signup"), data)
    message = only_message()
    assert message.subject == "Your code to confirm your email for Attune"
    check_plain(message, reads=(f"Hi {NAME},", "Type it on the page you have open"))


def test_it_writes_the_login_code_email(client, obrien):
    client.post(reverse("account_request_login_code"), {"email": "obrien@example.com"})
    message = only_message()
    assert message.subject == "Your code to sign in to Attune"
    check_plain(message, reads=("nobody gets in without the code",))


def test_it_writes_the_password_reset_email(client, obrien):
    client.post(reverse("account_reset_password"), {"email": "obrien@example.com"})
    message = only_message()
    assert message.subject == "Reset your Attune password"
    check_plain(message, reads=(f"Hi {NAME},", "choose a new password", "http://testserver/accounts/password/reset/"))


def test_it_writes_the_unknown_account_email(client, db):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    message = only_message()
    assert message.subject == "No Attune account uses this email"
    check_plain(message, reads=("no account uses this email",))


def test_it_writes_the_account_already_exists_email(client, obrien):
    data = {"display_name": "Someone", "email": "obrien@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    client.post(reverse("account_signup"), data)
    message = only_message()
    assert message.subject == "You already have an Attune account"
    # Sent by address alone (allauth passes no user), so it greets without a name.
    check_plain(message, reads=("Hi,", "obrien@example.com", "http://testserver/accounts/password/reset/"))
