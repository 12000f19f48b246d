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
    commands on the wire, raising and resetting as sendmail does. It skips quoteaddr,
    which parses each address again with the email package (a tenth of a worker's CPU
    per reminder), and reads each reply straight off the socket (_exchange)."""
    connection.ehlo_or_helo_if_needed()
    size = b" size=%d" % len(raw) if connection.does_esmtp and connection.has_extn("size") else b""
    code, reply = _exchange(connection, b"mail from:<%s>%s\r\n" % (sender.encode(), size))
    if code != 250:
        _abandon(connection, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, reply = _exchange(connection, b"rcpt to:<%s>\r\n" % recipient.encode())
        if code not in (250, 251):
            refused[recipient] = (code, reply)
            if code == 421:
                connection.close()
                raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _abandon(connection, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = _exchange(connection, b"data\r\n")
    if code == 354:
        code, reply = _exchange(connection, _dot_stuffed(raw))
    if code != 250:
        _abandon(connection, code)
        raise smtplib.SMTPDataError(code, reply)


def _dot_stuffed(raw: bytes) -> bytes:
    """The message as DATA sends it (RFC 5321 4.5.2): what smtplib.SMTP.data sends.
    smtplib doubles a line's leading dot with re.sub(rb"(?m)^\\.", ...), a pattern
    the regex engine tries at every byte: a ninth of the instructions a worker spent
    per message. A line starts at the beginning or after "\\n", as (?m)^ has it."""
    data = raw.replace(b"\n.", b"\n..")
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _exchange(connection: smtplib.SMTP, line: bytes) -> tuple[int, bytes]:
    """Send one command and read its reply, as smtplib's putcmd and getreply do, with
    one recv per reply instead of a buffered readline per line: a third of the CPU
    smtplib spent per message. Safe beside smtplib's own reads because SMTP without
    pipelining is lockstep: after any reply the server has sent nothing more, so
    smtplib's buffer is empty whenever this runs, and this reads no further than
    the reply's last line."""
    if connection.sock is None:
        raise smtplib.SMTPServerDisconnected("please run connect() first")
    received = b""
    try:
        connection.sock.sendall(line)
        while True:
            chunk = connection.sock.recv(4096)
            if not chunk:
                raise OSError("closed by the server")
            received += chunk
            if received.endswith(b"\r\n") and received.split(b"\r\n")[-2][3:4] != b"-":
                break  # the last line of the reply ("250 ...", not "250-...")
    except OSError as error:
        connection.close()
        raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed: {error}") from error
    lines = received.split(b"\r\n")[:-1]
    try:
        code = int(lines[-1][:3])
    except ValueError:
        code = -1
    return code, b"\n".join(line[4:].strip(b" \t\r\n") for line in lines)


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
