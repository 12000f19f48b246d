"""Thin Celery wrappers for rituals: call the sweep with the clock, retry on a hiccup."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .reminders import sweep_ritual_reminders


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def send_ritual_reminders() -> dict:
    return dict(sweep_ritual_reminders(now=timezone.now()))
