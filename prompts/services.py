"""Writes for the daily loop: today's prompt, answers, the reveal."""

from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import tasks
from .models import Answer, DailyPrompt
from .selection import choose_prompt


class AnswerLocked(Exception):
    """The day is revealed: answers no longer change."""


def ensure_daily_prompt(*, couple, now: datetime | None = None) -> DailyPrompt:
    """Today's prompt for the couple, chosen on first sight of the day.

    Both partners may arrive in the same instant: the unique (couple, date) constraint
    lets one insert win and the other read it back (get_or_create handles the race).
    The day is then remembered in the cache, which every later visit reads first.
    """
    now = now or timezone.now()
    day = couple.local_date(now)
    remembered = DailyPrompt.remembered_today(couple.pk, day)
    if remembered is not None:
        return remembered
    daily_prompt = DailyPrompt.objects.select_related("prompt").filter(couple=couple, date=day).first()
    if daily_prompt is None:
        daily_prompt, _ = DailyPrompt.objects.select_related("prompt").get_or_create(
            couple=couple, date=day, defaults={"prompt": choose_prompt(couple=couple), "created_at": now}
        )
    daily_prompt.remember_as_today()
    return daily_prompt


def submit_answer(*, daily_prompt: DailyPrompt, user, text: str, now: datetime | None = None) -> Answer:
    """Save (or replace) the user's answer; reveal the day when it is the second one.

    The day row is locked for the duration, so when both partners answer at once one
    waits for the other: both answers are kept, exactly one of them sees two answers and
    reveals the day, and "your reveal is ready" is queued once, after commit, for the
    partner who answered first.
    """
    with transaction.atomic():
        day = DailyPrompt.objects.select_for_update().get(pk=daily_prompt.pk)
        # Read the clock once the lock is ours, so answer times follow commit order.
        now = now or timezone.now()
        if day.revealed_at is not None:
            raise AnswerLocked
        answer, _ = Answer.objects.update_or_create(
            daily_prompt=day,
            user=user,
            defaults={"text": text, "updated_at": now},
            create_defaults={"text": text, "created_at": now, "updated_at": now},
        )
        first = Answer.objects.filter(daily_prompt=day).exclude(user=user).first()
        if first is not None:
            revealed = DailyPrompt.objects.filter(pk=day.pk, revealed_at=None).update(revealed_at=now)
            if revealed:
                # After a short grace: a partner still on the page sees the reveal
                # by the poll, and needs no email about it (see reveal_ready_notices).
                transaction.on_commit(
                    partial(
                        tasks.send_reveal_ready.apply_async,
                        (day.pk, first.user_id),
                        countdown=settings.REVEAL_READY_GRACE_SECONDS,
                    )
                )
                transaction.on_commit(day.remember_revealed)
    return answer
