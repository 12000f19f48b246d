"""Django's SMTP backend, sending a NoticeEmail as the bytes it was built as."""

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


class EmailBackend(smtp.EmailBackend):
    # Overrides the one step Django's backend takes per message (the stubs omit it).
    def _send(self, email_message) -> bool:
        if not isinstance(email_message, NoticeEmail):
            return super()._send(email_message)  # type: ignore[misc]
        # Django's prep_address parses each address with the email package's header
        # registry (0.5 ms each); a plain ASCII address is taken as it is.
        addresses = [email_message.from_email, *email_message.recipients()]
        envelope = [_envelope(address) or self.prep_address(address) for address in addresses]
        assert self.connection is not None  # send_messages opened it
        self.connection.sendmail(envelope[0], envelope[1:], email_message.raw)
        return True
