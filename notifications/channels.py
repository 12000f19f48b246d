"""How a notice travels. A kind never knows: it says what to say, a channel carries it.

Email is the one channel today; web push joins as another class with the same two
methods. `channels_for` is where a person's choices decide which channels they get.
"""

from dataclasses import dataclass
from typing import Protocol

from django.core.mail import mailers

from accounts.models import User

from .mime import NoticeEmail


@dataclass(frozen=True)
class Outgoing:
    """A rendered notice for one person, ready for any channel."""

    user: User
    subject: str
    text: str
    html: str
    unsubscribe_url: str


class Channel(Protocol):
    name: str

    def send(self, outgoing: Outgoing) -> None:
        """Deliver or raise; a raise leaves the claim unsent for a later sweep."""

    def close(self) -> None: ...


class EmailChannel:
    """One mail-server session for a whole delivery, opened by the first send."""

    name = "email"

    def __init__(self) -> None:
        self.mailer = mailers.default

    def send(self, outgoing: Outgoing) -> None:
        message = NoticeEmail(
            subject=outgoing.subject,
            text=outgoing.text,
            html=outgoing.html,
            to=outgoing.user.email,
            headers={
                "List-Unsubscribe": f"<{outgoing.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        try:
            # Opened here, the session outlives send_messages (which would close a
            # session it opened itself); a no-op for backends without one.
            self.mailer.open()
            self.mailer.send_messages([message])
        except Exception:
            # The session may be broken: close it, and the next send opens a fresh one.
            self.mailer.close()
            raise

    def close(self) -> None:
        self.mailer.close()


def channels_for(user: User, kind_name: str) -> list[str]:
    """The channels this person wants this kind of notice on (none: not sent)."""
    return ["email"] if user.reminder_enabled else []


def open_channels() -> dict[str, Channel]:
    return {"email": EmailChannel()}
