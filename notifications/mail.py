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
    per reminder), and reads each reply straight off the socket (_exchange).

    Where the server offers PIPELINING (RFC 2920), as real mail servers do, MAIL, RCPT
    and DATA go out in one write and their replies are read together: two round trips
    per message instead of four."""
    connection.ehlo_or_helo_if_needed()
    esmtp = connection.does_esmtp
    size = b" size=%d" % len(raw) if esmtp and connection.has_extn("size") else b""
    mail = b"mail from:<%s>%s\r\n" % (sender.encode(), size)
    rcpts = [b"rcpt to:<%s>\r\n" % recipient.encode() for recipient in recipients]
    if esmtp and connection.has_extn("pipelining"):
        replies = _exchange(connection, b"".join([mail, *rcpts, b"data\r\n"]), replies=len(rcpts) + 2)
        (code, reply), rcpt_replies, (data_code, data_reply) = replies[0], replies[1:-1], replies[-1]
    else:
        ((code, reply),) = _exchange(connection, mail)
        rcpt_replies = []
        if code == 250:
            for line in rcpts:
                rcpt_replies.append(_exchange(connection, line)[0])
                if rcpt_replies[-1][0] == 421:
                    break
        data_code, data_reply = 0, b""
    if code != 250:
        _abandon(connection, code, data_code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {
        recipient: (rcpt_code, rcpt_reply)
        for recipient, (rcpt_code, rcpt_reply) in zip(recipients, rcpt_replies, strict=False)
        if rcpt_code not in (250, 251)
    }
    if any(rcpt_code == 421 for rcpt_code, _ in refused.values()):
        connection.close()
        raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        _abandon(connection, 0, data_code)
        raise smtplib.SMTPRecipientsRefused(refused)
    if not data_code:  # not pipelined: DATA now
        ((data_code, data_reply),) = _exchange(connection, b"data\r\n")
    code, reply = data_code, data_reply
    if code == 354:
        ((code, reply),) = _exchange(connection, _dot_stuffed(raw))
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


def _exchange(connection: smtplib.SMTP, data: bytes, replies: int = 1) -> list[tuple[int, bytes]]:
    """Send one command (or, pipelined, several) and read as many replies, as
    smtplib's putcmd and getreply do, with one recv per reply instead of a buffered
    readline per line: a third of the CPU smtplib spent per message. Safe beside
    smtplib's own reads because a server sends nothing but replies to commands: once
    the replies asked for are in, smtplib's buffer is empty and nothing more is on
    its way, so this never reads past them."""
    if connection.sock is None:
        raise smtplib.SMTPServerDisconnected("please run connect() first")
    received = b""
    try:
        connection.sock.sendall(data)
        while True:
            chunk = connection.sock.recv(4096)
            if not chunk:
                raise OSError("closed by the server")
            received += chunk
            # A reply ends with a line whose code is followed by a space, not "-".
            if received.endswith(b"\r\n") and _last_lines(received) >= replies:
                break
    except OSError as error:
        connection.close()
        raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed: {error}") from error
    parsed: list[tuple[int, bytes]] = []
    text: list[bytes] = []
    for line in received.split(b"\r\n")[:-1]:
        text.append(line[4:].strip(b" \t\r\n"))
        if line[3:4] != b"-":
            try:
                code = int(line[:3])
            except ValueError:
                code = -1
            parsed.append((code, b"\n".join(text)))
            text = []
    return parsed


def _last_lines(received: bytes) -> int:
    """How many replies in these whole lines are complete."""
    return sum(1 for line in received.split(b"\r\n")[:-1] if line[3:4] != b"-")


def _abandon(connection: smtplib.SMTP, code: int, data_code: int = 0) -> None:
    # As sendmail leaves it: closed after 421 (the server is going away), else reset.
    # A pipelined DATA the server accepted although the envelope failed is ended
    # first, empty, so that RSET is read as a command and not as the message.
    if code != 421 and data_code == 354:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            _exchange(connection, b".\r\n")
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
