"""Sending notices once: the daily reminder sweep and "your reveal is ready".

Plain functions taking `now`, so tests drive the clock without freezing it; the Celery
tasks in tasks.py only call these.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from couples.models import Couple
from prompts.models import Answer, DailyPrompt

from .models import Kind, SendLog

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "attune.notifications.unsubscribe"
SWEEP_BATCH = 500


def claim(*, user, kind: str, key: str, now: datetime) -> SendLog | None:
    """Take the right to send (user, kind, key), or None if it is not ours to send."""
    try:
        with transaction.atomic():
            return SendLog.objects.create(user=user, kind=kind, key=key, created_at=now, claimed_at=now)
    except IntegrityError:
        pass
    stale_before = now - timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES)
    taken = SendLog.objects.filter(user=user, kind=kind, key=key, sent_at=None, claimed_at__lt=stale_before).update(
        claimed_at=now
    )
    if not taken:
        return None
    return SendLog.objects.get(user=user, kind=kind, key=key)


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("user")).first()


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(*, user, template: str, context: dict, connection=None) -> None:
    unsubscribe_url = _absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        **context,
        "user": user,
        "today_url": _absolute(reverse("prompts:today")),
        "settings_url": _absolute(reverse("accounts:settings")),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = render_to_string(f"notifications/email/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    message.send()


def _deliver(*, log: SendLog, user, template: str, context: dict, now: datetime, connection=None) -> str:
    try:
        _send(user=user, template=template, context=context, connection=connection)
    except Exception:
        # The claim stays unsent; a sweep takes it over once it is stale. A shared
        # connection may be broken: close it, and the next send opens a fresh one.
        logger.exception("Sending %s to user %s failed", log.kind, user.pk)
        if connection is not None:
            connection.close()
        return "failed"
    SendLog.objects.filter(pk=log.pk).update(sent_at=now)
    return "sent"


def remind(*, user, now: datetime, only_key: str | None = None, connection=None) -> str:
    """Send today's reminder to one user if it is still useful. Returns what happened."""
    couple = Couple.objects.current_for(user)
    if couple is None or not user.reminder_enabled:
        return "skipped"
    today = couple.local_date(now)
    key = today.isoformat()
    if only_key is not None and key != only_key:
        return "skipped"
    answered = Answer.objects.filter(user=user, daily_prompt__couple=couple, daily_prompt__date=today)
    if answered.exists():
        return "skipped"
    log = claim(user=user, kind=Kind.DAILY_REMINDER, key=key, now=now)
    if log is None:
        return "skipped"
    partner = couple.partner_of(user)
    return _deliver(
        log=log,
        user=user,
        template="daily_reminder",
        context={"partner": partner},
        now=now,
        connection=connection,
    )


def sweep_reminders(*, now: datetime) -> Counter:
    """Move every due user on to their next reminder, sending where still useful.

    Safe to run concurrently: a user is taken by the sweep whose conditional UPDATE moves
    their next_reminder_at; the send log then makes the email itself once-only.
    """
    late_limit = timedelta(minutes=settings.REMINDER_LATE_LIMIT_MINUTES)
    results: Counter = Counter()
    # One mail-server session for the whole sweep, opened by the first send (so an
    # unreachable server fails single sends, and users still move on).
    connection = mailers.default
    try:
        while True:
            due = list(User.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")[:SWEEP_BATCH])
            if not due:
                break
            for user in due:
                scheduled = user.next_reminder_at
                moved = User.objects.filter(pk=user.pk, next_reminder_at=scheduled).update(
                    next_reminder_at=user.next_reminder_after(now)
                )
                if not moved:
                    continue
                if now - scheduled > late_limit:
                    results["dropped"] += 1
                    continue
                results[remind(user=user, now=now, connection=connection)] += 1

        # Claims left unsent (a worker died mid-send, or the mail server refused), taken
        # over while still useful: within the late limit of the first try.
        stale = SendLog.objects.filter(
            sent_at=None,
            claimed_at__lt=now - timedelta(minutes=settings.SEND_CLAIM_STALE_MINUTES),
            created_at__gte=now - late_limit,
        ).select_related("user")
        for log in stale:
            if log.kind == Kind.DAILY_REMINDER:
                outcome = remind(user=log.user, now=now, only_key=log.key, connection=connection)
            else:
                outcome = send_reveal_ready(daily_prompt_id=int(log.key), user_id=log.user_id, now=now)
            results[outcome] += 1
    finally:
        connection.close()
    return results


def send_reveal_ready(*, daily_prompt_id: int, user_id: int, now: datetime) -> str:
    """Tell the partner who answered first that both answers are there to see."""
    daily_prompt = DailyPrompt.objects.select_related("couple").filter(pk=daily_prompt_id).first()
    user = User.objects.filter(pk=user_id).first()
    if daily_prompt is None or user is None or not daily_prompt.is_revealed:
        return "skipped"
    couple = Couple.objects.current_for(user)
    if couple is None or couple.pk != daily_prompt.couple_id or not user.reminder_enabled:
        return "skipped"
    log = claim(user=user, kind=Kind.REVEAL_READY, key=str(daily_prompt.pk), now=now)
    if log is None:
        return "skipped"
    return _deliver(
        log=log,
        user=user,
        template="reveal_ready",
        context={"partner": couple.partner_of(user)},
        now=now,
    )
