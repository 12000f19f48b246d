"""Deleting an account: everything of the person goes, at once, and nothing lingers."""

from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from couples.models import Couple
from prompts.models import DailyPrompt


def delete_account(*, user: User) -> None:
    """Delete the user and all that is theirs, in one transaction.

    - Their couple ends first (couples.services.unpair_before_deleting, on pre_delete):
      the partner keeps their own answers, and revealed days show "[deleted]" for this
      side (the answers, seat, results, ratings and reminders go by CASCADE).
    - Their other signed-in devices are signed out (their sessions are deleted).
    - Notices claimed for them in the send log go with them, so a delivery already
      queued finds nothing to send.
    - The couple's cached days are dropped once committed; the couple entries are
      overwritten by the unpair.
    """
    couple = Couple.objects.current_for(user)
    with transaction.atomic():
        for session in UserSession.objects.filter(user=user):
            session.end()
        User.objects.filter(pk=user.pk).first().delete()  # type: ignore[union-attr]
        if couple is not None:
            today = couple.local_date()
            keys = [DailyPrompt.today_cache_key(couple.pk, today + timedelta(days=shift)) for shift in (-1, 0, 1)]
            transaction.on_commit(lambda: cache.delete_many(keys))
