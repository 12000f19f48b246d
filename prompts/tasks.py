"""Thin Celery wrappers for prompts: ids in, call notifications, retry on a hiccup."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from notifications import delivery

from .notices import NoticeKind


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_reveal_ready(daily_prompt_id: int, user_id: int) -> str:
    """Tell the partner who answered first that both answers are there to see."""
    return delivery.send_now(
        kind_name=NoticeKind.REVEAL_READY, user_id=user_id, key=str(daily_prompt_id), now=timezone.now()
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_partner_answered(daily_prompt_id: int, user_id: int) -> str:
    """Tell the partner who has not answered yet that the other one has (whether, never what)."""
    return delivery.send_now(
        kind_name=NoticeKind.PARTNER_ANSWERED, user_id=user_id, key=str(daily_prompt_id), now=timezone.now()
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_nudge(daily_prompt_id: int, user_id: int) -> str:
    """Tell the partner who has not answered yet that the other one has: once per day."""
    return delivery.send_now(kind_name=NoticeKind.NUDGE, user_id=user_id, key=str(daily_prompt_id), now=timezone.now())
