import unicodedata
from datetime import datetime, time
from functools import cache
from typing import ClassVar
from zoneinfo import ZoneInfo, available_timezones

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock

DEFAULT_REMINDER_TIME = time(20, 0)


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list, like Europe/Paris."))


# Characters a name may not hold: controls (line breaks, tabs), line and paragraph
# separators, invisible formatting (bidi overrides) but the joiners emoji need, private
# use (the notices' slot markers are private-use characters) and unassigned ones. A name
# goes into email headers and every screen the partner sees: it must be one plain line.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner and joiner


def is_plain_name(value: str) -> bool:
    return not any(unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _ALLOWED_FORMAT for char in value)


def validate_display_name(value: str) -> None:
    if not is_plain_name(value):
        raise ValidationError(
            _("A name fits on one line: line breaks, tabs and invisible characters cannot be part of it."),
            code="invalid_name",
        )


def name_for(display_name: str, email: str) -> str:
    """What we call a person: their chosen name, else the start of their address."""
    return display_name or email.split("@")[0]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Email is the login; the rest is how they like to be reminded."""

    # Email is the login and display_name the one name: AbstractUser's fields go.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=50, validators=[validate_display_name])
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    reminder_time = models.TimeField(_("daily reminder time"), default=DEFAULT_REMINDER_TIME)
    reminder_enabled = models.BooleanField(_("send me a daily reminder"), default=True)
    # The next instant (UTC) the reminder sweep should look at this user. Moves on every
    # time the user is due, whether a reminder was sent or skipped.
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Ours creates users by email; auth's UserManager, which the stubs expect, by username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def name(self) -> str:
        return name_for(self.display_name, self.email)

    @property
    def zone(self) -> ZoneInfo:
        return clock.zone(self.time_zone)

    def next_reminder_after(self, moment: datetime) -> datetime | None:
        if not self.reminder_enabled:
            return None
        return clock.next_local_occurrence(at=self.reminder_time, zone=self.zone, after=moment)

    def schedule_next_reminder(self, *, now: datetime) -> None:
        """Set (not save) next_reminder_at from the current preferences."""
        self.next_reminder_at = self.next_reminder_after(now)

    def save(self, *args, **kwargs) -> None:
        # However a user is created (signup, admin, createsuperuser), an enabled
        # reminder has a next instant and a disabled one has none.
        if self.reminder_enabled and self.next_reminder_at is None:
            self.schedule_next_reminder(now=timezone.now())
        elif not self.reminder_enabled:
            self.next_reminder_at = None
        super().save(*args, **kwargs)


class SafetyPause(models.Model):
    """Follow-ups to this user are on hold until `until`: set when something they wrote
    matched a crisis phrase (accounts.safety). Theirs alone; the partner never sees it."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="safety_pause")
    until = models.DateTimeField()

    def __str__(self) -> str:
        return f"Follow-ups to {self.user_id} paused until {self.until:%Y-%m-%d}"
