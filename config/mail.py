"""Emails printed in development, readable by a person.

Django's console backend prints the MIME source: subjects as RFC 2047 encoded words and
bodies as quoted-printable or base64, so a long link breaks at a soft line break
(`=` at the end of a line, `=3D` for every `=`) and cannot be clicked or copied. This
backend prints what a mail program would show instead: the main headers decoded, the
decoded text/plain part, and a note for every other part (the HTML alternative,
attachments).

It reads only `message.message()`, an `email.message.Message`, through the email
package: Django's EmailMessage and a message parsed from prebuilt bytes print alike.
"""

from email.header import decode_header, make_header
from email.message import Message
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")
RULE = "-" * 79


def decoded_header(value: Any) -> str:
    """A header as text: RFC 2047 encoded words decoded, folding undone.

    `value` is a str under the compat32 policy and a header object (already decoded)
    under the modern one; both come out the same.
    """
    text = " ".join(str(value).split())
    return str(make_header(decode_header(text)))


def decoded_text(part: Message) -> str:
    """A leaf part's body as text, its transfer encoding (base64, quoted-printable) undone."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        text = payload.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n")  # wire line endings, printed to a terminal


def readable(message: Message) -> str:
    """The message as a person reads it: headers, the plain text, notes for other parts."""
    lines = [f"{name}: {decoded_header(message[name])}" for name in HEADERS if message[name] is not None]
    text: str | None = None
    notes: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = part.get_filename()
        if content_type == "text/plain" and filename is None and text is None:
            text = decoded_text(part)
        elif filename is not None:
            notes.append(f"[attachment: {decoded_header(filename)} ({content_type})]")
        elif content_type == "text/html":
            notes.append("[also sent as HTML (text/html), not shown]")
        else:
            notes.append(f"[a {content_type} part, not shown]")
    lines += notes
    lines += ["", (text if text is not None else "[no text/plain part]").rstrip("\n"), RULE]
    return "\n".join(lines) + "\n"


class ConsoleEmailBackend(DjangoConsoleBackend):
    """`EMAIL_URL=console://`: each email printed to stdout as `readable` shows it.

    Django's console backend does the rest: one lock around a batch, a flush after
    each message, `stream=` to print somewhere else.
    """

    def write_message(self, message: EmailMessage) -> None:
        self.stream.write(readable(message.message()))
