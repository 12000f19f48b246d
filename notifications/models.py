import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What became of a notice in one pass: the counts a sweep or delivery returns."""

    QUEUED = "queued", _("Queued for delivery")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("No longer worth sending")
    FAILED = "failed", _("Failed, left for a later sweep")
    DROPPED = "dropped", _("Too late to send")
    DEFERRED = "deferred", _("Held until quiet hours end")


class SendLog(models.Model):
    """One row per (user, kind, key): the record that makes every notice once-only.

    A sender first claims the row (insert, or take over an unsent claim older than the
    stale limit with a conditional UPDATE), then sends, then writes sent_at. A row with
    sent_at is never sent again, whatever the broker redelivers. `kind` is the name of
    a kind registered with notifications.registry (no choices here: a new kind needs
    no migration).
    """

    # No index of its own: send_once_per_key starts with user_id. Every claim inserts a
    # row and every sent mark writes a new row version into each index.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    # When the first claim was made; takeovers move claimed_at, never this, so "is it
    # still worth sending" is measured from the first try.
    created_at = models.DateTimeField()
    # When it may first go out: created_at, or the end of the person's quiet hours when
    # a delivery found them inside. How late it is counts from here.
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="send_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["claimed_at"], condition=models.Q(sent_at=None), name="sendlog_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.user_id}"

    def save(self, *args, **kwargs) -> None:
        if self.due_at is None:
            self.due_at = self.created_at  # due when first claimed, unless deferred
        super().save(*args, **kwargs)


class Channels(models.TextChoices):
    """What a person chose for one kind of notice."""

    EMAIL = "email", _("Email")
    PUSH = "push", _("Push")
    BOTH = "both", _("Both")
    NONE = "none", _("Neither")


# The channel names (as channels.open_channels() keys them) each choice means.
CHANNEL_NAMES: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "push": ("push",),
    "both": ("push", "email"),
    "none": (),
}
DEFAULT_CHANNELS = Channels.EMAIL


class Preference(models.Model):
    """One person's channels for one kind of notice. No row: the kind's default
    (DEFAULT_CHANNELS unless the kind says otherwise). `kind`
    is a registered kind's name (no choices: a new kind needs no migration)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    channels = models.CharField(max_length=8, choices=Channels.choices, default=DEFAULT_CHANNELS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channels} for {self.user_id}"


class Recipient(models.Model):
    """Per-person delivery settings that are not per kind: quiet hours, and the opaque
    id unsubscribe links carry instead of the user's id. Made on first need."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Local wall-clock times in the user's time zone; start after end spans midnight.
    # Both empty (or equal): no quiet hours.
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)

    def __str__(self) -> str:
        return f"recipient {self.user_id}"


class PushSubscription(models.Model):
    """One browser's push endpoint for one person (a person may have several phones)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    # Refreshed each time the app is opened; a subscription the push service calls gone
    # (404/410) is deleted.
    seen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"push for {self.user_id}"

    def info(self) -> dict:
        """What pywebpush takes."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
