"""Reminders over real SMTP: our backend sends the built bytes to a local server."""

import email
import email.policy

import pytest
from django.core.mail import EmailMessage, mailers

from accounts.models import User
from notifications import delivery

from ..factories import at
from ..smtp_sink import SmtpSink

EVENING = at(2026, 11, 21, 20)


def body(message: email.message.EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None, f"no text/{subtype} part"
    return part.get_content()


@pytest.fixture
def sink(settings):
    with SmtpSink() as sink:
        settings.MAILERS = {
            "default": {
                "BACKEND": "notifications.mail.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
            }
        }
        yield sink


def test_it_delivers_reminders_over_smtp(sink, alice, bob, couple, library, clock):
    User.objects.filter(pk=bob.pk).update(display_name="Zoë O'Brien & Co")
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(next_reminder_at=EVENING)
    clock.set(EVENING)
    delivery.sweep_reminders(now=EVENING)
    received = sorted(sink.received, key=lambda message: message.recipients)
    assert [message.recipients for message in received] == [["alice@example.com"], ["bob@example.com"]]
    to_alice = email.message_from_bytes(received[0].data, policy=email.policy.default)
    assert to_alice["To"] == "alice@example.com"
    assert to_alice["Subject"] == "Today's question is ready"
    assert to_alice["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")
    text, html = body(to_alice, "plain"), body(to_alice, "html")
    assert "you and Zoë O'Brien & Co is ready" in text
    assert "you and Zoë O&#x27;Brien &amp; Co is ready" in html
    assert "http://testserver/today/" in text


def test_it_still_sends_other_emails_the_ordinary_way(sink):
    mailer = mailers.default
    mailer.send_messages([EmailMessage(subject="Your code", body="123456", to=["carol@example.com"])])
    (message,) = sink.received
    assert message.recipients == ["carol@example.com"]
    assert email.message_from_bytes(message.data, policy=email.policy.default)["Subject"] == "Your code"
