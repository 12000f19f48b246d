"""A local SMTP server that keeps what it receives: for tests and `make bench`.

In tests, `SmtpSink` runs aiosmtpd in a thread and keeps each message's envelope and
bytes. For the benchmark, `python -m tests.smtp_sink PORT FILE` runs it as its own
process (so it does not share the bench's interpreter lock) and appends one line per
message, "<recipient> <message key>", to FILE, for counting duplicates and losses.

Either way the server is `LeanSMTP`: aiosmtpd, offering PIPELINING as real mail servers
do, with its address parsing and DATA reading made cheap so that a benchmark on two
cores measures the workers rather than the sink.
"""

import asyncio
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, syntax

from tests.local import free_port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


def ehlo_replies(session, hostname: str, responses: list[str], *, pipelining: bool) -> list[str]:
    """A handler's EHLO hook (it replaces aiosmtpd's own handling): aiosmtpd reads each
    command line in turn, so it takes commands sent in one go (RFC 2920) without saying
    so; real mail servers say so, and clients then save a round trip per message."""
    session.host_name = hostname
    if not pipelining:
        return responses
    return [*responses[:-1], "250-PIPELINING", responses[-1]]


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: TextIO | None = None
    pipelining: bool = True

    async def handle_EHLO(self, server, session, envelope, hostname: str, responses: list[str]) -> list[str]:
        return ehlo_replies(session, hostname, responses, pipelining=self.pipelining)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
        if self.log is not None:
            for recipient in message.recipients:
                self.log.write(f"{recipient}\n")
        else:
            with self.lock:
                self.received.append(message)
        return "250 Message accepted"


# A plain address in angle brackets, as every client of ours sends it: letters, digits
# and RFC 5322's atext in the local part, a dotted domain.
_PLAIN_ADDRESS = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>(.*)", re.DOTALL)


class LeanSMTP(SMTP):
    """aiosmtpd's server, for a sink that must not be what a benchmark measures.

    aiosmtpd parses each MAIL and RCPT address with the email package's header parser
    and declares a typing Protocol class on every call: a third of the sink's CPU per
    message, on the same two cores as the workers it measures. A plain address in
    angle brackets is taken by one regular expression; anything else goes to
    aiosmtpd's parser as before.
    """

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        match = _PLAIN_ADDRESS.match(arg.lstrip())
        if match is None or self.local_part_limit:
            return super()._getaddr(arg)
        return match[1], match[2]

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        """aiosmtpd's DATA, less its per-line bookkeeping (a log call, a size and a
        state check, two joins per line: another third of the sink's CPU). The same
        replies: 503 without recipients, 500 for a line over 1,000 octets, 552 over
        the size limit, the handler's status (250) otherwise."""
        if self._decode_data:
            await super().smtp_DATA(arg)
            return
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        lines: list[bytes] = []
        size = 0
        refusal = ""
        in_long_line = False
        while True:
            try:
                line = await self._reader.readuntil(b"\r\n")
            except asyncio.LimitOverrunError as error:
                refusal = refusal or "500 Line too long (see RFC5321 4.5.3.1.6)"
                await self._reader.read(error.consumed)
                in_long_line = True
                continue
            if in_long_line:  # the end of a line too long to keep
                in_long_line = False
                continue
            if line == b".\r\n":
                break
            size += len(line)
            if self.data_size_limit and size > self.data_size_limit:
                refusal = refusal or "552 Error: Too much mail data"
            if not refusal:
                lines.append(line[1:] if line.startswith(b".") else line)
        if refusal:
            await self.push(refusal)
            self._set_post_data_state()
            return
        self.envelope.content = self.envelope.original_content = b"".join(lines)
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


class _LeanController(Controller):
    def factory(self) -> SMTP:
        return LeanSMTP(self.handler, **self.SMTP_kwargs)


class SmtpSink:
    def __init__(self, port: int = 0, log: TextIO | None = None, loop=None, *, pipelining: bool = True) -> None:
        self.handler = _Handler(log=log, pipelining=pipelining)
        self.controller = _LeanController(self.handler, hostname="127.0.0.1", port=port or free_port(), loop=loop)

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def recipients(self) -> Counter:
        """How many messages each address received."""
        return Counter(recipient for message in self.received for recipient in message.recipients)

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def main(port: int, path: Path) -> None:
    import uvloop  # a faster event loop, so the sink keeps up with the workers it measures

    with path.open("a", buffering=1) as log, SmtpSink(port, log=log, loop=uvloop.new_event_loop()):
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
