"""Writes that span rows: invites, pairing, unpairing."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from notifications import delivery

from . import tasks
from .models import Couple, Invite, Membership
from .notices import NoticeKind


class PairingError(Exception):
    """Base for the reasons an invite cannot be accepted; nothing was written."""


class InviteGone(PairingError):
    """Expired, used, revoked, or the inviter has paired since (410)."""


class OwnInvite(PairingError):
    """The inviter opened their own link."""


class AlreadyPaired(PairingError):
    """The visitor is in a couple already, or lost a race to pair (409)."""


class TooManyInvites(Exception):
    """The inviter made INVITE_DAILY_LIMIT links in the last day; nothing was written."""


def create_invite(*, inviter, now: datetime | None = None) -> Invite:
    """A fresh invite; the inviter's earlier pending invites stop working.

    The inviter's user row is locked first, so two requests at once take turns: the
    second revokes the first's invite, and exactly one link works. At most
    INVITE_DAILY_LIMIT links a day (a link is a way into someone's account).
    """
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=inviter.pk).values_list("pk").get()
        recent = Invite.objects.filter(inviter=inviter, created_at__gt=now - timedelta(days=1)).count()
        if recent >= settings.INVITE_DAILY_LIMIT:
            raise TooManyInvites
        Invite.objects.pending(now=now).filter(inviter=inviter).update(revoked_at=now)
        return Invite.objects.create(
            inviter=inviter,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITE_TTL_DAYS),
        )


def accept_invite(*, invite: Invite, user, now: datetime | None = None) -> Couple:
    """Pair `user` with the invite's sender.

    Race-safe without explicit locks. The two seats are inserted first, in user-id
    order: the partial unique index on active memberships makes any concurrent pairing
    that involves either user wait for this one and then fail (two accepts of one
    invite, crossed invites), and the fixed order means two such transactions never
    deadlock. The invite is then claimed by a conditional UPDATE. The loser of any race
    gets AlreadyPaired (409) and nothing it wrote is kept. An invite that is used,
    revoked or expired, with no race involved, raises InviteGone (410).
    """
    now = now or timezone.now()
    if invite.inviter_id == user.pk:
        raise OwnInvite
    if Couple.objects.of(user).exists():
        raise AlreadyPaired
    try:
        with transaction.atomic():
            couple = Couple.objects.create(time_zone=invite.inviter.time_zone, created_at=now)
            members = sorted([invite.inviter_id, user.pk])
            Membership.objects.bulk_create(
                [
                    Membership(couple=couple, user_id=member, seat=1 if member == invite.inviter_id else 2)
                    for member in members
                ]
            )
            claimed = Invite.objects.pending(now=now).filter(pk=invite.pk).update(used_at=now, used_by=user)
            if not claimed:
                raise InviteGone  # used, revoked or expired; rolls the seats back
            Invite.objects.pending(now=now).filter(inviter_id__in=members).update(revoked_at=now)
            transaction.on_commit(lambda: Couple.forget_members_of(members))
            delivery.send_after_commit(
                tasks.send_partner_joined,
                kind_name=NoticeKind.PARTNER_JOINED,
                user_id=invite.inviter_id,
                key_id=couple.pk,
            )
    except IntegrityError as error:
        raise AlreadyPaired from error
    return couple


def unpair(*, couple: Couple, now: datetime | None = None) -> None:
    """End the couple for both partners. Their answers stay, but neither sees them.

    Once committed, the cache says both are unpaired, so the waiting poll (which trusts
    the cache) stops answering as if they were still a couple.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Couple.objects.filter(pk=couple.pk, ended_at=None).update(ended_at=now)
        members = list(Membership.objects.filter(couple=couple).values_list("user_id", flat=True))
        Membership.objects.filter(couple=couple).update(active=False)
        transaction.on_commit(lambda: Couple.forget_current_for(members))


def unpair_before_deleting(sender, instance, **kwargs) -> None:
    """A user is being deleted (their account page, the admin, a script): end their
    couple first, inside the deletion's transaction (Django sends pre_delete in it),
    so the partner is never left alone in an active couple with reminders coming."""
    for couple in Couple.objects.of(instance):
        unpair(couple=couple)
