"""The notices prompts/ sends, registered with notifications/ in PromptsConfig.ready().

Each kind answers "who of these still needs it?" for a whole batch in a fixed number of
queries, and names what its templates print for each person (slots).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import name_for
from couples.models import Couple, Membership
from notifications.registry import Kind, Notice, Request

from .models import Answer, DailyPrompt


class NoticeKind(models.TextChoices):
    DAILY_REMINDER = "daily_reminder", _("Daily reminder")
    REVEAL_READY = "reveal_ready", _("Reveal ready")


def _couples_and_partners(user_ids: set[int]) -> dict[int, tuple[Couple, str]]:
    """Each user's active couple (its id and time zone) and partner's name, in one
    query of plain values: a batch is a thousand people, and model instances for both
    seats, their couples and their users cost more than the query."""
    theirs = Membership.objects.filter(user_id__in=user_ids, active=True, couple__ended_at=None)
    seats = Membership.objects.filter(active=True, couple_id__in=theirs.values("couple_id")).values_list(
        "couple_id", "couple__time_zone", "user_id", "user__display_name", "user__email"
    )
    members: dict[int, list[tuple]] = {}
    for seat in seats:
        members.setdefault(seat[0], []).append(seat)
    found = {}
    for pair in members.values():
        if len(pair) != 2:
            continue
        (couple_id, time_zone, first_id, *first_name), (_, _, second_id, *second_name) = pair
        couple = Couple(pk=couple_id, time_zone=time_zone)
        found[first_id] = (couple, name_for(*second_name))
        found[second_id] = (couple, name_for(*first_name))
    return {user_id: found[user_id] for user_id in user_ids if user_id in found}


def daily_reminder_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """Paired, and has not answered the couple's question of the day (3 queries)."""
    paired = _couples_and_partners({request.user.pk for request in requests})
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
    revealed = dict(
        DailyPrompt.objects.filter(pk__in=day_ids, revealed_at__isnull=False).values_list("pk", "couple_id")
    )
    paired = _couples_and_partners({request.user.pk for request in requests})
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
)

REVEAL_READY = Kind(
    name=NoticeKind.REVEAL_READY,
    template="prompts/email/reveal_ready",
    notices=reveal_ready_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    slot_names=("name", "partner_name"),
)
