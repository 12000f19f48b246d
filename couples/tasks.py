"""Thin Celery wrappers for couples: ids in, call notifications, retry on a hiccup."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from notifications import delivery

from .notices import NoticeKind


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_partner_joined(couple_id: int, user_id: int) -> str:
    """Tell the person who sent the invite that their partner has joined."""
    return delivery.send_now(
        kind_name=NoticeKind.PARTNER_JOINED, user_id=user_id, key=str(couple_id), now=timezone.now()
    )
