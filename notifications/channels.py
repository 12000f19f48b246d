"""How a notice travels. A kind never knows: it says what to say, a channel carries it.

Two channels, email and web push, each a class with the same two methods. Which ones a
person gets for a kind is their Preference; `Audience` reads the preferences, quiet
hours and push subscriptions of a whole batch in a fixed number of queries, so a
delivery of thousands asks the database the same few questions as a delivery of one.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Protocol

from django.conf import settings
from django.core.mail import mailers
from pywebpush import WebPushException, webpush

from accounts.models import User
from core import clock
from core.lookups import OneOf

from . import registry
from .mime import NoticeEmail
from .models import CHANNEL_NAMES, Preference, PushSubscription, Recipient

logger = logging.getLogger(__name__)

# What a push service answers for a subscription that no longer exists.
GONE = frozenset({404, 410})


@dataclass(frozen=True)
class Outgoing:
    """A rendered notice for one person, ready for any channel."""

    user: User
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    # A push shows the subject and a link, never answer text (kinds' subjects carry none).
    push_url: str = ""
    subscriptions: tuple[PushSubscription, ...] = ()


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


def push_enabled() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def push_payload(outgoing: Outgoing) -> str:
    """The JSON the service worker shows. Built from the subject only: the text and HTML
    bodies are never read here, so no answer can reach a lock screen."""
    return json.dumps({"title": settings.PUSH_TITLE, "body": outgoing.subject, "url": outgoing.push_url})


class PushChannel:
    """Web Push to each of the person's subscriptions (RFC 8291 payloads, VAPID-signed)."""

    name = "push"

    def __init__(self) -> None:
        self.gone: list[int] = []

    def send(self, outgoing: Outgoing) -> None:
        data = push_payload(outgoing)
        delivered = 0
        for subscription in outgoing.subscriptions:
            try:
                webpush(
                    subscription.info(),
                    data=data,
                    vapid_private_key=settings.VAPID_PRIVATE_KEY,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=settings.PUSH_TTL_SECONDS,
                    timeout=settings.PUSH_TIMEOUT_SECONDS,
                )
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in GONE:
                    self.gone.append(subscription.pk)
                else:
                    logger.warning("Push to subscription %s failed: %s", subscription.pk, status or error)
            else:
                delivered += 1
        if not delivered:
            raise RuntimeError(f"no push subscription of user {outgoing.user.pk} took the notice")

    def close(self) -> None:
        # Subscriptions the push service no longer knows: one DELETE for the delivery.
        if self.gone:
            PushSubscription.objects.filter(pk__in=self.gone).delete()
            self.gone = []


def open_channels() -> dict[str, Channel]:
    return {"email": EmailChannel(), "push": PushChannel()}


# --- Who wants what ---------------------------------------------------------------------


def in_quiet_hours(*, start: time | None, end: time | None, zone_name: str, now: datetime) -> datetime | None:
    """If `now` falls inside the quiet hours (local wall-clock times in the zone; start
    after end spans midnight), the instant they end; else None."""
    if start is None or end is None or start == end:
        return None
    zone = clock.zone(zone_name)
    local = now.astimezone(zone).time()
    inside = start <= local < end if start < end else (local >= start or local < end)
    if not inside:
        return None
    # The next local `end` after now: a DST gap moves it to the first valid instant.
    return clock.next_local_occurrence(at=end, zone=zone, after=now)


class Audience:
    """Preferences and push subscriptions of a batch of people, whatever its size: two
    queries. A delivery also needs each person's Recipient (quiet hours, the id in
    unsubscribe links): `with_recipients` reads them and makes the missing ones (two
    or four queries more). A sweep only asks who wants what, and reads none."""

    def __init__(self, users: Iterable[User], *, with_recipients: bool = False) -> None:
        users = list({user.pk: user for user in users}.values())
        ids = [user.pk for user in users]
        self.choices: dict[tuple[int, str], str] = {
            (user_id, kind): channels
            for user_id, kind, channels in Preference.objects.filter(OneOf("user_id", ids)).values_list(
                "user_id", "kind", "channels"
            )
        }
        self.with_recipients = with_recipients
        self.recipients: dict[int, Recipient] = {}
        if with_recipients:
            self.recipients = {r.user_id: r for r in Recipient.objects.filter(OneOf("user_id", ids))}
            missing = [pk for pk in ids if pk not in self.recipients]
            if missing:
                Recipient.objects.bulk_create([Recipient(user_id=pk) for pk in missing], ignore_conflicts=True)
                self.recipients.update({r.user_id: r for r in Recipient.objects.filter(OneOf("user_id", missing))})
        self.subscriptions: dict[int, list[PushSubscription]] = defaultdict(list)
        if push_enabled():
            for subscription in PushSubscription.objects.filter(OneOf("user_id", ids)).order_by("pk"):
                self.subscriptions[subscription.user_id].append(subscription)

    def channels(self, user: User, kind_name: str) -> list[str]:
        """The channels this person gets this kind on: what they chose, less push when
        no phone of theirs is subscribed. None at all while notices are off."""
        if not user.reminder_enabled:
            return []
        chosen = self.choices.get((user.pk, kind_name)) or registry.default_channels(kind_name)
        return [name for name in CHANNEL_NAMES[chosen] if name != "push" or self.subscriptions[user.pk]]

    def quiet_until(self, user: User, now: datetime) -> datetime | None:
        if not self.with_recipients:
            raise ValueError("quiet hours are read with the recipients: Audience(..., with_recipients=True)")
        recipient = self.recipients.get(user.pk)
        if recipient is None:
            return None
        return in_quiet_hours(start=recipient.quiet_start, end=recipient.quiet_end, zone_name=user.time_zone, now=now)


def channels_for(user: User, kind_name: str) -> list[str]:
    """The channels this person wants this kind of notice on (none: not sent). For one
    person; a batch builds one Audience."""
    return Audience([user]).channels(user, kind_name)
