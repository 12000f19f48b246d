"""The notices prompts/ sends, registered with notifications/ in PromptsConfig.ready().

Each kind answers "who of these still needs it?" for a whole batch in a fixed number of
queries, and names what its templates print for each person (slots).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from couples.models import Couple
from notifications.registry import Kind, Notice, Request

from .models import Answer, DailyPrompt


class NoticeKind(models.TextChoices):
    DAILY_REMINDER = "daily_reminder", _("Daily reminder")
    REVEAL_READY = "reveal_ready", _("Reveal ready")


def daily_reminder_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """Paired, and has not answered the couple's question of the day (3 queries)."""
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    days = {user_id: couple.local_date(now) for user_id, (couple, _) in paired.items()}
    answered = set(
        Answer.objects.filter(
            user_id__in=paired,
            daily_prompt__couple_id__in={couple.pk for couple, _ in paired.values()},
            daily_prompt__date__in=set(days.values()),
        ).values_list("user_id", "daily_prompt__date")
    )
    notices = []
    for request in requests:
        user = request.user
        if user.pk not in paired or (user.pk, days[user.pk]) in answered:
            continue
        key = days[user.pk].isoformat()
        if request.key is not None and request.key != key:
            continue  # a claim for a day that has passed
        partner_name = paired[user.pk][1]
        notices.append(Notice(user=user, key=key, slots={"name": user.name, "partner_name": partner_name}))
    return notices


def reveal_ready_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """The day is revealed and the person is still in its couple (2 queries)."""
    day_ids = {int(request.key) for request in requests if request.key and request.key.isdigit()}
    revealed = dict(DailyPrompt.objects.revealed().filter(pk__in=day_ids).values_list("pk", "couple_id"))
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    notices = []
    for request in requests:
        user = request.user
        if user.pk not in paired or not request.key or not request.key.isdigit():
            continue
        couple, partner_name = paired[user.pk]
        if revealed.get(int(request.key)) != couple.pk:
            continue
        notices.append(Notice(user=user, key=request.key, slots={"name": user.name, "partner_name": partner_name}))
    return notices


DAILY_REMINDER = Kind(
    name=NoticeKind.DAILY_REMINDER,
    template="prompts/email/daily_reminder",
    notices=daily_reminder_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    daily=True,
    slot_names=("name", "partner_name"),
    label=NoticeKind.DAILY_REMINDER.label,
)

REVEAL_READY = Kind(
    name=NoticeKind.REVEAL_READY,
    template="prompts/email/reveal_ready",
    notices=reveal_ready_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    slot_names=("name", "partner_name"),
    label=NoticeKind.REVEAL_READY.label,
)
