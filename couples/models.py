import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User, name_for, validate_time_zone
from core import clock
from core.lookups import OneOf

# Which couple a user is in, and who is in it, remembered for a couple of minutes: every
# couple page starts by asking (CoupleQuerySet.current_for), and the waiting poll
# (prompts.views.today_status) must not look it up at all. Readers only ever cache.add.
# Writers say what changed: unpairing overwrites with UNPAIRED (see services.unpair)
# instead of deleting, so a request that read the couple just before the unpair cannot put
# it back afterwards; pairing, the couple's time zone and a member's name or email drop
# the entries (forget_members_of). The short life bounds how stale a per-process cache
# (LocMem under several workers) can be; with Redis every process sees a change at once.
COUPLE_CACHE_SECONDS = 120
UNPAIRED = 0


def new_invite_token() -> str:
    # 32 random bytes, 256 bits: unguessable, and short enough for a link.
    return secrets.token_urlsafe(32)


class CoupleQuerySet(models.QuerySet):
    def active(self) -> "CoupleQuerySet":
        return self.filter(ended_at__isnull=True)

    def of(self, user) -> "CoupleQuerySet":
        return self.active().filter(memberships__user=user, memberships__active=True)

    def current_for(self, user) -> "Couple | None":
        """The user's active couple with both members loaded (1 query), or None.

        Every couple-scoped view starts here: whatever it shows is filtered by this
        couple, so another couple's objects are simply not found (404).
        """
        if not user.is_authenticated:
            return None
        return self.current_as_remembered(user, cache.get(Couple.cache_key_for(user.pk)))

    def current_as_remembered(self, user, remembered: object) -> "Couple | None":
        """current_for, given what the cache holds under Couple.cache_key_for (None: a
        miss), for a caller that read it along with other keys."""
        if isinstance(remembered, RememberedCouple):
            return remembered.couple_for(user)
        couple = self._current_from_database(user)
        if couple is not None:
            couple.remember_as_current_for(user)
        return couple

    def _current_from_database(self, user) -> "Couple | None":
        seats = list(
            Membership.objects.filter(
                couple_id__in=Membership.objects.filter(user=user, active=True).values("couple_id"),
                couple__ended_at=None,
            )
            .select_related("couple", "user")
            .order_by("seat")
        )
        if not seats:
            return None
        couple = seats[0].couple
        couple.members = [seat.user for seat in seats]
        return couple

    def partner_names_for(self, user_ids: Iterable[int]) -> "dict[int, tuple[Couple, str]]":
        """For each of these users who is paired: their couple (id and time zone only)
        and their partner's name. The batch form of current_for, for notices to a
        thousand people at once: one query of plain values, since model instances for
        both seats, their couples and their users would cost more than the query."""
        user_ids = set(user_ids)
        theirs = Membership.objects.filter(OneOf("user_id", user_ids), active=True, couple__ended_at=None)
        seats = Membership.objects.filter(active=True, couple_id__in=theirs.values("couple_id")).values_list(
            "couple_id", "couple__time_zone", "user_id", "user__display_name", "user__email"
        )
        by_couple: dict[int, list[tuple]] = {}
        for seat in seats:
            by_couple.setdefault(seat[0], []).append(seat)
        found = {}
        for pair in by_couple.values():
            if len(pair) != 2:
                continue
            (couple_id, time_zone, first_id, *first_name), (_, _, second_id, *second_name) = pair
            # As loaded with only("id", "time_zone"): the other fields deferred, and no
            # default computed for them (a clock read per couple).
            couple = Couple.from_db(None, ["id", "time_zone"], [couple_id, time_zone])
            found[first_id] = (couple, name_for(*second_name))
            found[second_id] = (couple, name_for(*first_name))
        return {user_id: found[user_id] for user_id in user_ids if user_id in found}


class Couple(models.Model):
    """Two people practising together. Its members live in Membership."""

    time_zone = models.CharField(_("our time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CoupleQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Couple {self.pk}"

    @property
    def zone(self) -> ZoneInfo:
        return clock.zone(self.time_zone)

    def local_date(self, moment: datetime | None = None) -> date:
        """'Today' for this couple: the date in the couple's time zone."""
        return (moment or timezone.now()).astimezone(self.zone).date()

    def days_together(self, moment: datetime | None = None) -> int:
        """Days in Attune as a couple, counting the day they paired as the first."""
        return (self.local_date(moment) - self.created_at.astimezone(self.zone).date()).days + 1

    def days_shared(self) -> int:
        """Days on which both answered and saw each other's answers (1 query)."""
        return self.days.filter(revealed_at__isnull=False).count()

    @cached_property
    def members(self) -> list[User]:
        """Both partners in seat order (CoupleQuerySet.current_for loads them with the couple)."""
        return [seat.user for seat in self.memberships.select_related("user").order_by("seat")]

    def partner_of(self, user) -> User | None:
        return next((member for member in self.members if member.pk != user.pk), None)

    @staticmethod
    def cache_key_for(user_id: int) -> str:
        return f"attune:user:{user_id}:couple"

    def remember_as_current_for(self, user) -> None:
        """Remember (never overwrite) that this is the user's couple, with both members'
        names; see COUPLE_CACHE_SECONDS."""
        members = tuple((member.pk, member.display_name, member.email) for member in self.members)
        remembered = RememberedCouple(self.pk, self.time_zone, self.created_at, members)
        cache.add(self.cache_key_for(user.pk), remembered, COUPLE_CACHE_SECONDS)

    @classmethod
    def remembered_id_for(cls, value: object) -> int | None:
        """The couple id in a value read from cache_key_for (None: unpaired or unknown)."""
        return value.pk if isinstance(value, RememberedCouple) else None

    @classmethod
    def forget_current_for(cls, user_ids: list[int]) -> None:
        """After an unpair: these users are in no couple, whatever a late reader thinks."""
        cache.set_many({cls.cache_key_for(user_id): UNPAIRED for user_id in user_ids}, COUPLE_CACHE_SECONDS)

    @classmethod
    def forget_members_of(cls, user_ids: Iterable[int]) -> None:
        """After a pairing, or a change to the couple or to a member: read it afresh."""
        cache.delete_many([cls.cache_key_for(user_id) for user_id in user_ids])


@dataclass(frozen=True)
class RememberedCouple:
    """What current_for keeps in the cache: the couple and, per member, what pages show
    of them (the name). Never answers, never more of a user than their name."""

    pk: int
    time_zone: str
    created_at: datetime
    members: tuple[tuple[int, str, str], ...]  # (id, display_name, email), in seat order

    def couple_for(self, user) -> Couple:
        couple = Couple(pk=self.pk, time_zone=self.time_zone, created_at=self.created_at)
        # The partner comes back with only the fields kept here loaded; anything else
        # is read on first access, and saving them writes only these.
        couple.members = [
            user if pk == user.pk else _partly_loaded_user(pk, name, email) for pk, name, email in self.members
        ]
        return couple


def _partly_loaded_user(pk: int, display_name: str, email: str) -> User:
    # from_db takes the values in the order of the model's fields.
    known = {"id": pk, "display_name": display_name, "email": email}
    names = [field.attname for field in User._meta.concrete_fields if field.attname in known]
    return User.from_db("default", names, [known[name] for name in names])


class Membership(models.Model):
    """A user's seat in a couple.

    The constraints hold invariant 1 in the database: a couple has two seats (1 and 2),
    each taken once, and a user holds at most one active seat anywhere. Pairing writes
    both seats in one transaction; unpairing clears both in one UPDATE.
    """

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    seat = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(seat__in=[1, 2]), name="membership_two_seats"),
            models.UniqueConstraint(fields=["couple", "seat"], name="membership_seat_once"),
            models.UniqueConstraint(fields=["couple", "user"], name="membership_user_once"),
            models.UniqueConstraint(fields=["user"], condition=Q(active=True), name="membership_one_active_couple"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.couple}"


class InviteQuerySet(models.QuerySet):
    def pending(self, *, now: datetime | None = None) -> "InviteQuerySet":
        """Not used, not revoked, not expired (whether the inviter paired since is
        Invite.is_open's extra question)."""
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=now or timezone.now())


class JoinState(models.TextChoices):
    """What the join page says to this visitor about this invite."""

    OPEN = "open"
    OWN = "own"
    GONE = "gone"
    PAIRED = "paired"
    SIGNED_OUT = "signed_out"


class Invite(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open"
        OWN = "own"
        GONE = "gone"  # expired, used, revoked, or the inviter has paired since

    token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Invite from {self.inviter}"

    def is_open(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        pending = self.used_at is None and self.revoked_at is None and self.expires_at > now
        return pending and not Couple.objects.of(self.inviter_id).exists()

    def outcome_for(self, user) -> "Invite.Outcome":
        if not self.is_open():
            return self.Outcome.GONE
        if user.is_authenticated and user.pk == self.inviter_id:
            return self.Outcome.OWN
        return self.Outcome.OPEN


# The user fields RememberedCouple keeps: saving any other (a login's last_login) leaves
# the cache alone.
REMEMBERED_USER_FIELDS = frozenset({"display_name", "email"})


def forget_couple_of_changed_user(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not REMEMBERED_USER_FIELDS & set(update_fields):
        return
    couples = Membership.objects.filter(user_id=instance.pk, active=True).values("couple_id")
    members = Membership.objects.filter(couple_id__in=couples, active=True).values_list("user_id", flat=True)
    Couple.forget_members_of({instance.pk, *members})
