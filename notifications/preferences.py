"""A person's notification choices: reading them for a page, and saving them."""

from datetime import time

from django.db import transaction

from accounts.models import User

from . import registry
from .models import Channels, Preference, Recipient


def choices_for(user: User) -> dict[str, Channels]:
    """Each registered kind's channels for this person (one query)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channels"))
    return {kind.name: Channels(chosen.get(kind.name, kind.default_channels)) for kind in registry.all_kinds()}


def recipient_for(user: User) -> Recipient:
    """The person's Recipient, unsaved when they have none yet (reading a page writes nothing)."""
    return Recipient.objects.filter(user=user).first() or Recipient(user=user)


@transaction.atomic
def save_preferences(
    *, user: User, choices: dict[str, Channels], quiet_start: time | None, quiet_end: time | None
) -> None:
    for kind_name, channels in choices.items():
        Preference.objects.update_or_create(user=user, kind=kind_name, defaults={"channels": channels})
    Recipient.objects.update_or_create(user=user, defaults={"quiet_start": quiet_start, "quiet_end": quiet_end})


@transaction.atomic
def stop_emails(*, user: User) -> None:
    """One-click unsubscribe: no more email of any kind; push, if chosen, stays."""
    for kind_name, channels in choices_for(user).items():
        without_email = {Channels.BOTH: Channels.PUSH, Channels.EMAIL: Channels.NONE}.get(channels, channels)
        Preference.objects.update_or_create(user=user, kind=kind_name, defaults={"channels": without_email})
