"""Django's SMTP backend, sending a NoticeEmail as the bytes it was built as."""

import contextlib
import smtplib
from email.utils import parseaddr
from functools import lru_cache

from django.core.mail.backends import smtp

from .mime import NoticeEmail, is_bare


@lru_cache(maxsize=16)  # the sender, every time
def _envelope(address: str) -> str | None:
    """The bare address for the SMTP envelope, when plain ASCII needs no more work."""
    if is_bare(address):
        return address
    bare = parseaddr(address)[1]
    return bare if bare and bare.isascii() else None


def send_bare(connection: smtplib.SMTP, sender: str, recipients: list[str], raw: bytes) -> None:
    """smtplib's sendmail for envelope addresses that are bare already: the same
    commands on the wire, without quoteaddr parsing each address again with the email
    package (a tenth of a worker's CPU per reminder). Raises as sendmail does."""
    connection.ehlo_or_helo_if_needed()
    size = f" size={len(raw)}" if connection.does_esmtp and connection.has_extn("size") else ""
    code, reply = connection.docmd("mail", f"from:<{sender}>{size}")
    if code != 250:
        _abandon(connection, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, reply = connection.docmd("rcpt", f"to:<{recipient}>")
        if code not in (250, 251):
            refused[recipient] = (code, reply)
            if code == 421:
                connection.close()
                raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _abandon(connection, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = connection.data(raw)
    if code != 250:
        _abandon(connection, code)
        raise smtplib.SMTPDataError(code, reply)


def _abandon(connection: smtplib.SMTP, code: int) -> None:
    # As sendmail leaves it: closed after 421 (the server is going away), else reset.
    if code == 421:
        connection.close()
    else:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            connection.rset()


class EmailBackend(smtp.EmailBackend):
    # Overrides the one step Django's backend takes per message (the stubs omit it).
    def _send(self, email_message) -> bool:
        if not isinstance(email_message, NoticeEmail):
            return super()._send(email_message)  # type: ignore[misc]
        # Django's prep_address parses each address with the email package's header
        # registry (0.5 ms each); a plain ASCII address is taken as it is.
        addresses = [email_message.from_email, *email_message.recipients()]
        bare = [_envelope(address) for address in addresses]
        assert self.connection is not None  # send_messages opened it
        if all(bare):
            send_bare(self.connection, bare[0], bare[1:], email_message.raw)  # type: ignore[arg-type]
        else:
            envelope = [
                address or self.prep_address(original) for address, original in zip(bare, addresses, strict=True)
            ]
            self.connection.sendmail(envelope[0], envelope[1:], email_message.raw)
        return True
