"""Reminders over real SMTP: our backend sends the built bytes to a local server."""

import email
import email.policy
import re
import smtplib
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage, mailers

from accounts.models import User
from notifications import delivery
from notifications.mail import _dot_stuffed, send_bare
from notifications.models import SendLog

from ..factories import at
from ..local import free_port
from ..smtp_sink import SmtpSink, ehlo_replies

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


@dataclass
class _Picky:
    """A mail server that refuses chosen senders and recipients, and keeps the
    envelopes it accepts."""

    refused_senders: set[str] = field(default_factory=set)
    refused_recipients: set[str] = field(default_factory=set)
    accepted: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    contents: list[bytes] = field(default_factory=list)
    pipelining: bool = False
    # A careless server: it refuses a recipient yet keeps it, so DATA still gets 354.
    keeps_refused: bool = False

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:
        return ehlo_replies(session, hostname, responses, pipelining=self.pipelining)

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        if address in self.refused_senders:
            return "550 sender refused"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused_recipients:
            if self.keeps_refused:
                envelope.rcpt_tos.append(address)
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.accepted.append((envelope.mail_from, list(envelope.rcpt_tos), list(envelope.mail_options)))
        self.contents.append(envelope.original_content)
        return "250 Message accepted"


@pytest.fixture(params=[False, True], ids=["lockstep", "pipelining"])
def picky(request):
    handler = _Picky(pipelining=request.param)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_it_sends_the_envelope_as_smtplib_would(picky):
    handler, port = picky
    raw = b"Subject: hi\r\n\r\n.a line that starts with a dot\r\n.\r\nno line break at the end"
    again = b"Subject: again\r\n\r\nbody\r\n"
    with smtplib.SMTP("127.0.0.1", port) as session:
        send_bare(session, "attune@localhost", ["b@example.org"], raw)
        send_bare(session, "attune@localhost", ["c@example.org"], again)
        assert session.noop()[0] == 250  # smtplib's own reads still line up
    assert handler.accepted == [
        ("attune@localhost", ["b@example.org"], [f"SIZE={len(raw)}"]),
        ("attune@localhost", ["c@example.org"], [f"SIZE={len(again)}"]),
    ]
    assert handler.contents == [raw + b"\r\n", again]


def test_it_raises_as_smtplib_does_and_keeps_the_session_usable(picky):
    handler, port = picky
    handler.refused_senders.add("nobody@localhost")
    handler.refused_recipients.add("gone@example.org")
    with smtplib.SMTP("127.0.0.1", port) as session:
        with pytest.raises(smtplib.SMTPSenderRefused):
            send_bare(session, "nobody@localhost", ["b@example.org"], b"\r\n")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            send_bare(session, "attune@localhost", ["gone@example.org"], b"\r\n")
        send_bare(session, "attune@localhost", ["gone@example.org", "b@example.org"], b"\r\n")
    assert handler.accepted == [("attune@localhost", ["b@example.org"], ["SIZE=2"])]


def test_it_ends_a_data_the_server_took_after_refusing_every_recipient(picky):
    handler, port = picky
    handler.refused_recipients.add("gone@example.org")
    handler.keeps_refused = True
    with smtplib.SMTP("127.0.0.1", port) as session:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            send_bare(session, "attune@localhost", ["gone@example.org"], b"Subject: lost\r\n\r\n")
        # Had the accepted DATA been left open, this whole exchange would be read as
        # its message.
        send_bare(session, "attune@localhost", ["b@example.org"], b"Subject: next\r\n\r\nbody\r\n")
        assert session.noop()[0] == 250
    assert handler.contents[-1] == b"Subject: next\r\n\r\nbody\r\n"
    assert handler.accepted[-1][1] == ["b@example.org"]


def test_it_sends_the_envelope_in_one_write_when_the_server_pipelines(picky):
    handler, port = picky
    RAW = b"Subject: hi\r\n\r\n"
    writes: list[bytes] = []
    with smtplib.SMTP("127.0.0.1", port) as session:
        session.ehlo()
        assert session.sock is not None
        real: socket.socket = session.sock

        class Recording:
            def sendall(self, data: bytes) -> None:
                writes.append(data)
                real.sendall(data)

            def __getattr__(self, name: str):
                return getattr(real, name)

        session.sock = Recording()  # type: ignore[assignment]
        send_bare(session, "attune@localhost", ["b@example.org", "c@example.org"], RAW)
        session.sock = real
    commands = [write.split(b":")[0] for write in writes]
    if handler.pipelining:
        assert writes == [
            b"mail from:<attune@localhost> size=15\r\nrcpt to:<b@example.org>\r\nrcpt to:<c@example.org>\r\ndata\r\n",
            RAW + b".\r\n",
        ]
    else:
        assert commands[:4] == [b"mail from", b"rcpt to", b"rcpt to", b"data\r\n"]
        assert len(writes) == 5
    assert handler.accepted == [("attune@localhost", ["b@example.org", "c@example.org"], ["SIZE=15"])]


def test_it_leaves_a_refused_reminder_unsent_and_sends_the_rest(picky, settings, alice, bob, couple, library, clock):
    handler, port = picky
    handler.refused_recipients.add("bob@example.com")
    settings.MAILERS = {
        "default": {
            "BACKEND": "notifications.mail.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(next_reminder_at=EVENING)
    clock.set(EVENING)
    delivery.sweep_reminders(now=EVENING)
    assert [recipients for _, recipients, _ in handler.accepted] == [["alice@example.com"]]
    sent = dict(SendLog.objects.values_list("user__email", "sent_at"))
    assert sent["alice@example.com"] is not None
    assert sent["bob@example.com"] is None  # a later sweep takes it over


@pytest.mark.parametrize(
    "raw", [b"", b".", b"..", b"a\r\n.b", b".a\r\n..\r\n", b"a\n.b\r.c", b"a\r\n", b"\r\n.\r\n", b"x.\r\n.y"]
)
def test_it_stuffs_dots_as_smtplib_does(raw):
    stuffed = re.sub(rb"(?m)^\.", b"..", raw)  # smtplib's _quote_periods, which SMTP.data sends
    stuffed += b"" if stuffed.endswith(b"\r\n") else b"\r\n"
    assert _dot_stuffed(raw) == stuffed + b".\r\n"


def test_it_is_measured_against_a_sink_that_keeps_what_aiosmtpd_keeps():
    # The bench's sink reads DATA and addresses its own cheaper way: the same bytes
    # and replies as aiosmtpd, dots unstuffed, an overlong line or message refused.
    message = b"Subject: dots\r\n\r\n.leading dot\r\n..two\r\n.\r\nlast"
    with SmtpSink() as sink, smtplib.SMTP("127.0.0.1", sink.port) as session:
        session.sendmail("attune@localhost", ["plain@example.org", "Named <named@example.org>"], message)
        with pytest.raises(smtplib.SMTPDataError) as too_long:
            session.sendmail("attune@localhost", ["b@example.org"], b"x" * 1200 + b".\r\nafter\r\n")
        assert session.noop()[0] == 250
    (kept,) = sink.received
    assert kept.recipients == ["plain@example.org", "named@example.org"]
    assert kept.data == message + b"\r\n"
    assert too_long.value.smtp_code == 500
