"""Emails built as bytes in a few microseconds, for notices sent by the thousand.

Django's EmailMessage builds each message through the email package's modern policy,
which parses and refolds every header: about 4 ms a message on our machines, more
than the whole rest of a delivery. A notice is always the same shape (a plain-text and
an HTML part, a handful of headers, no attachments), so it is written out directly:
UTF-8 bodies sent as 8bit (RFC 6152; every current mail server accepts it, and Django
does the same for short UTF-8 lines), headers encoded only where they need to be.

`NoticeEmail` is still a Django EmailMessage, so every mail backend takes it; `message()`
parses the bytes back (about 2 ms, fine for console and test backends), and our SMTP
backend (notifications/mail.py) sends the bytes as they are.
"""

import base64
import email.message
import email.policy
from email.header import Header
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from functools import cache

from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME

# RFC 5322: a line is at most 998 octets, without its CRLF.
_MAX_LINE = 998


def _header(value: str) -> str:
    """A header value as ASCII: RFC 2047 encoded words only where it is not already."""
    value = " ".join(value.split())  # no line breaks can be smuggled into a header
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep="\r\n")


# Characters a bare address has none of: a display name, quoting, a list, a line break.
_NOT_BARE = frozenset(' <>"(),;:\r\n')


def is_bare(address: str) -> bool:
    """A plain ASCII address with no display name, as users' addresses are."""
    return address.isascii() and _NOT_BARE.isdisjoint(address) and address.count("@") == 1


@cache
def _named_address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")


def _address(value: str) -> str:
    # Parsing an address costs more than building the rest of the message: a bare one
    # is written as it is, and the sender (the same for every message) once.
    return value if is_bare(value) else _named_address(value)


def _part(content_type: str, body: str) -> list[str]:
    lines = body.replace("\r\n", "\n").replace("\r", "\n")
    # The longest line in octets, measured in C: a Python loop over the lines cost
    # more than the rest of the message.
    if max(map(len, lines.encode().split(b"\n"))) <= _MAX_LINE:
        return [
            f'Content-Type: {content_type}; charset="utf-8"',
            "Content-Transfer-Encoding: 8bit",
            "",
            lines.replace("\n", "\r\n"),
        ]
    encoded = base64.encodebytes(body.encode()).decode().rstrip("\n").split("\n")
    return [f'Content-Type: {content_type}; charset="utf-8"', "Content-Transfer-Encoding: base64", "", *encoded]


def build(*, sender: str, to: str, subject: str, text: str, html: str, headers: dict[str, str]) -> bytes:
    boundary = make_msgid(domain="boundary")[1:-1]
    lines = [
        f"From: {_address(sender)}",
        f"To: {_address(to)}",
        f"Subject: {_header(subject)}",
        f"Date: {formatdate(usegmt=True)}",
        f"Message-ID: {make_msgid(domain=DNS_NAME)}",
        *(f"{name}: {_header(value)}" for name, value in headers.items()),
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "",
        f"--{boundary}",
        *_part("text/plain", text),
        f"--{boundary}",
        *_part("text/html", html),
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(lines).encode()


class NoticeEmail(EmailMultiAlternatives):
    """A notice as a Django email whose MIME form was built once, by `build`."""

    def __init__(self, *, subject: str, text: str, html: str, to: str, headers: dict[str, str]) -> None:
        super().__init__(subject=subject, body=text, to=[to], headers=headers)
        self.attach_alternative(html, "text/html")
        self.raw = build(sender=self.from_email, to=to, subject=subject, text=text, html=html, headers=headers)

    def message(self, *, policy=email.policy.default) -> email.message.EmailMessage:
        # What console and test backends inspect; the SMTP backend sends self.raw as is.
        return email.message_from_bytes(self.raw, _class=email.message.EmailMessage, policy=policy)
