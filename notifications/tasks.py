"""Thin Celery wrappers: ids in, call delivery, retry on a database hiccup."""

import logging
from datetime import datetime

from celery import shared_task
from celery.signals import worker_init
from django.db import OperationalError
from django.utils import timezone

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def send_due_reminders() -> dict:
    return dict(delivery.sweep_reminders(now=timezone.now()))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def deliver_notices(log_ids: list[int], claimed_at: str) -> dict:
    return dict(delivery.deliver(log_ids=log_ids, claimed_at=datetime.fromisoformat(claimed_at), now=timezone.now()))


@worker_init.connect
def warm_up(**_kwargs) -> None:
    """Templates compiled and URLs loaded before the worker takes its first task (and
    before a prefork pool forks, so its children start warm too). A failure is logged,
    not raised: a worker that would not start could send no notice of any kind."""
    try:
        delivery.warm_up()
    except Exception:
        logger.exception("Warming up the notice templates failed; deliveries will load them as they go")
