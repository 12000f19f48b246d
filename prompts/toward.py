"""Turning toward: what partners add to a day besides their answers.

- Reaction: a warm word and a short reply to the partner's answer, seen by both, only
  on a day revealed to the writer (DailyPrompt.is_revealed_to).
- Note: a private note on a day, seen by its writer alone: never the partner, never in
  the partner's export, never in a notice.
- Nudge: "I answered, your turn", once per person per day, only while waiting.

Imported by prompts.models, so these are prompts' models like the others.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.prepared import Prepared

REPLY_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 2000


class ReactionKind(models.TextChoices):
    """A small, fixed set of warm responses: words first, so a screen reader says them."""

    MOVED = "moved", _("This moved me")
    SMILE = "smile", _("This made me smile")
    THANKS = "thanks", _("Thank you for telling me")
    WITH_YOU = "with_you", _("I'm with you")
    MORE = "more", _("Tell me more")


class ReactionQuerySet(models.QuerySet):
    def on_days(self, day_ids) -> "ReactionQuerySet":
        """Both partners' reactions on these days. Callers pass only days revealed to
        the reader (DailyPrompt.reactions_visible_to, the history page)."""
        return self.filter(daily_prompt_id__in=day_ids)


class Reaction(models.Model):
    """One person's response to the partner's answer on one day: a reaction, a reply,
    or both. One row per person per day; either part may be changed or taken back."""

    daily_prompt = models.ForeignKey("prompts.DailyPrompt", on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices, blank=True)
    reply = EncryptedTextField(max_length=REPLY_MAX_LENGTH, blank=True)  # encrypted at rest (core.fields)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReactionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["daily_prompt", "user"], name="reaction_once_per_day")]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind or 'reply'} by {self.user_id} on {self.daily_prompt_id}"

    @property
    def is_empty(self) -> bool:
        return not self.kind and not self.reply


class NoteQuerySet(models.QuerySet):
    def of(self, user) -> "NoteQuerySet":
        """A person's own notes: the only way notes are read."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Note(models.Model):
    """A private note on a day, for its writer alone."""

    daily_prompt = models.ForeignKey("prompts.DailyPrompt", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(max_length=NOTE_MAX_LENGTH)  # encrypted at rest (core.fields)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NoteQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["daily_prompt", "user"], name="note_once_per_day")]

    def __str__(self) -> str:
        return f"Note by {self.user_id} on {self.daily_prompt_id}"


class Nudge(models.Model):
    """A gentle "your turn" from the partner who answered: one per person per day."""

    daily_prompt = models.ForeignKey("prompts.DailyPrompt", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["daily_prompt", "sender"], name="nudge_once_per_day")]

    def __str__(self) -> str:
        return f"Nudge by {self.sender_id} on {self.daily_prompt_id}"


WEEK = 7


def week_together(couple, today: datetime.date) -> dict[str, int]:
    """The couple's last seven days, in one query: days both answered (revealed) and how
    many of those either partner responded to (a reaction or a reply)."""
    days = _WEEK_DAYS.run(couple=couple.pk, start=today - datetime.timedelta(days=WEEK), end=today)
    return {"both": len(days), "responded": sum(day.responded for day in days)}


def _week_days(couple: int, start: datetime.date, end: datetime.date) -> models.QuerySet:
    from .models import DailyPrompt

    return (
        DailyPrompt.objects.revealed()
        .filter(couple_id=couple, date__gt=start, date__lte=end)
        .annotate(responded=Exists(Reaction.objects.filter(daily_prompt=OuterRef("pk"))))
        .only("pk")
    )


# The week card opens every first history page: built once (core.prepared).
_WEEK_DAYS = Prepared(_week_days, "couple", dates=("start", "end"))
