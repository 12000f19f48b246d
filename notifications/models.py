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


class SendLog(models.Model):
    """One row per (user, kind, key): the record that makes every notice once-only.

    A sender first claims the row (insert, or take over an unsent claim older than the
    stale limit with a conditional UPDATE), then sends, then writes sent_at. A row with
    sent_at is never sent again, whatever the broker redelivers. `kind` is the name of
    a kind registered with notifications.registry (no choices here: a new kind needs
    no migration).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    # When the first claim was made; takeovers move claimed_at, never this, so "is it
    # still worth sending" is measured from the first try.
    created_at = models.DateTimeField()
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
