"""The notices prompts/ sends, registered with notifications/ in PromptsConfig.ready().

Each kind answers "who of these still needs it?" for a whole batch in a fixed number of
queries, and names what its templates print for each person (slots).
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.lookups import OneOf
from couples.models import Couple
from notifications.models import Channels
from notifications.registry import Kind, Notice, Request

from .models import Answer, DailyPrompt


class NoticeKind(models.TextChoices):
    DAILY_REMINDER = "daily_reminder", _("Daily reminder")
    PARTNER_ANSWERED = "partner_answered", _("Partner answered")
    REVEAL_READY = "reveal_ready", _("Reveal ready")
    NUDGE = "nudge", _("Nudge from your partner")


def daily_reminder_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """Paired, and has not answered the couple's question of the day (3 queries).

    The reminder carries the day's question when the day has begun (someone opened it),
    and says so when the partner has answered: whether they did, never what.
    """
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    days = {user_id: couple.local_date(now) for user_id, (couple, _) in paired.items()}
    couple_ids = {couple.pk for couple, _ in paired.values()}
    questions = {
        (couple_id, day): text
        for couple_id, day, text in DailyPrompt.objects.filter(
            OneOf("couple_id", couple_ids), OneOf("date", set(days.values()))
        ).values_list("couple_id", "date", "prompt__text")
    }
    answered: dict[tuple[int, date], set[int]] = {}
    for user_id, couple_id, day in Answer.objects.filter(
        OneOf("daily_prompt__couple_id", couple_ids), OneOf("daily_prompt__date", set(days.values()))
    ).values_list("user_id", "daily_prompt__couple_id", "daily_prompt__date"):
        answered.setdefault((couple_id, day), set()).add(user_id)
    notices = []
    for request in requests:
        user = request.user
        if user.pk not in paired:
            continue
        couple, partner_name = paired[user.pk]
        day = days[user.pk]
        answers = answered.get((couple.pk, day), set())
        if user.pk in answers:
            continue
        key = day.isoformat()
        if request.key is not None and request.key != key:
            continue  # a claim for a day that has passed
        partner_answered = bool(answers - {user.pk})
        question = questions.get((couple.pk, day), "")
        notices.append(
            Notice(
                user=user,
                key=key,
                slots={"name": user.name, "partner_name": partner_name, "question": question},
                variant=(("partner_answered", partner_answered), ("has_question", bool(question))),
            )
        )
    return notices


def partner_answered_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """The partner has answered the day the key names, the person has not, the day is
    still the couple's today, and both are still its couple (3 queries). Whether the
    partner answered, never what."""
    return _your_turn_notices(requests, now, today_only=True)


def reveal_ready_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """The day is revealed, the person is still in its couple, and has not seen the
    reveal already on the page (2 queries, and one cache read)."""
    # Each request's key is its day's id: read once, here (a key that is not one is skipped).
    by_day = [(request, request.key, int(request.key)) for request in requests if request.key and request.key.isdigit()]
    revealed = {
        pk: (couple_id, date)
        for pk, couple_id, date in DailyPrompt.objects.revealed()
        .filter(pk__in={pk for _, _, pk in by_day})
        .values_list("pk", "couple_id", "date")
    }
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    seen = DailyPrompt.seen_by((*revealed[pk], request.user.pk) for request, _, pk in by_day if pk in revealed)
    notices = []
    for request, key, pk in by_day:
        user = request.user
        day = revealed.get(pk)
        if user.pk not in paired or day is None:
            continue
        couple, partner_name = paired[user.pk]
        if day[0] != couple.pk or (*day, user.pk) in seen:
            continue
        notices.append(Notice(user=user, key=key, slots={"name": user.name, "partner_name": partner_name}))
    return notices


def nudge_notices(requests: Sequence[Request], now: datetime) -> list[Notice]:
    """The key is a day's id: still worth it while the day is unrevealed, the person is
    in its couple and has not answered, and the partner has (3 queries). It names the
    question, never an answer: answers are read only as who answered."""
    return _your_turn_notices(requests, now, today_only=False)


def _your_turn_notices(requests: Sequence[Request], now: datetime, *, today_only: bool) -> list[Notice]:
    """Of the requests (each keyed by a day's id), those where the day is unrevealed, the
    person is in its couple and has not answered, and the partner has; with `today_only`,
    also the couple's today still. Slots name the question, never an answer."""
    day_ids = {int(request.key) for request in requests if request.key and request.key.isdigit()}
    days = {
        pk: (couple_id, day, question)
        for pk, couple_id, day, question in DailyPrompt.objects.filter(pk__in=day_ids, revealed_at=None).values_list(
            "pk", "couple_id", "date", "prompt__text"
        )
    }
    answered: dict[int, set[int]] = {}
    for day_id, user_id in Answer.objects.filter(daily_prompt_id__in=days).values_list("daily_prompt_id", "user_id"):
        answered.setdefault(day_id, set()).add(user_id)
    paired = Couple.objects.partner_names_for({request.user.pk for request in requests})
    notices = []
    for request in requests:
        user = request.user
        if user.pk not in paired or not request.key or not request.key.isdigit():
            continue
        couple, partner_name = paired[user.pk]
        day_id = int(request.key)
        if day_id not in days:
            continue  # revealed meanwhile, or no such day
        couple_id, day, question = days[day_id]
        answers = answered.get(day_id, set())
        if couple_id != couple.pk or user.pk in answers or not answers:
            continue
        if today_only and day != couple.local_date(now):
            continue
        notices.append(
            Notice(
                user=user,
                key=request.key,
                slots={"name": user.name, "partner_name": partner_name, "question": question},
            )
        )
    return notices


DAILY_REMINDER = Kind(
    name=NoticeKind.DAILY_REMINDER,
    template="prompts/email/daily_reminder",
    notices=daily_reminder_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    daily=True,
    slot_names=("name", "partner_name", "question"),
    label=NoticeKind.DAILY_REMINDER.label,
    help_text=_("At your reminder time, only on a day you have not answered yet."),
)

PARTNER_ANSWERED = Kind(
    name=NoticeKind.PARTNER_ANSWERED,
    template="prompts/email/partner_answered",
    notices=partner_answered_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    slot_names=("name", "partner_name", "question"),
    label=NoticeKind.PARTNER_ANSWERED.label,
    help_text=_("Once a day, when your partner answers before you. Never their words."),
    # It may come most days besides the reminder: by push, for those who allowed it on
    # a phone, unless they choose email too.
    default_channels=Channels.PUSH,
)

REVEAL_READY = Kind(
    name=NoticeKind.REVEAL_READY,
    template="prompts/email/reveal_ready",
    notices=reveal_ready_notices,
    late_limit=timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES),
    slot_names=("name", "partner_name"),
    label=NoticeKind.REVEAL_READY.label,
    help_text=_("When your partner answers after you and both answers are there to see."),
)

NUDGE = Kind(
    name=NoticeKind.NUDGE,
    template="prompts/email/nudge",
    notices=nudge_notices,
    # Held through quiet hours, a nudge is still worth a morning; not a day later.
    late_limit=timedelta(hours=12),
    slot_names=("name", "partner_name", "question"),
    label=NoticeKind.NUDGE.label,
)
