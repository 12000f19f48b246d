"""Thin Celery wrappers: ids in, call delivery, retry on a database hiccup."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import delivery


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def send_due_reminders() -> dict:
    return dict(delivery.sweep_reminders(now=timezone.now()))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_reveal_ready(daily_prompt_id: int, user_id: int) -> str:
    return delivery.send_reveal_ready(daily_prompt_id=daily_prompt_id, user_id=user_id, now=timezone.now())
