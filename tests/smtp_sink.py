"""A local SMTP server that keeps what it receives: for tests and `make bench`.

In tests, `SmtpSink` runs aiosmtpd in a thread and keeps each message's envelope and
bytes. For the benchmark, `python -m tests.smtp_sink PORT FILE` runs it as its own
process (so it does not share the bench's interpreter lock) and appends one line per
message, "<recipient> <message key>", to FILE, for counting duplicates and losses.
"""

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from aiosmtpd.controller import Controller

from tests.local import free_port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: TextIO | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        message = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
        if self.log is not None:
            for recipient in message.recipients:
                self.log.write(f"{recipient}\n")
        else:
            with self.lock:
                self.received.append(message)
        return "250 Message accepted"


class SmtpSink:
    def __init__(self, port: int = 0, log: TextIO | None = None, loop=None) -> None:
        self.handler = _Handler(log=log)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port or free_port(), loop=loop)

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
