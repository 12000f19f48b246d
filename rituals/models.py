import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.prepared import Prepared
from couples.models import Couple
from prompts.models import Pillar  # the five pillars, one list for prompts and rituals

from .recurrence import Pattern, Schedule, day_bounds, instant_key

DEFAULT_REMINDER_MINUTES = 15
# A couple's active rituals, as /today/ reads them on every visit: dropped on every
# change to a ritual (forget_active_rituals); the hour bounds any change made around
# the model (a raw UPDATE in a shell).
ACTIVE_CACHE_SECONDS = 60 * 60


class Guide(models.TextChoices):
    """The guided pages (rituals/guides.html)."""

    HUG = "hug", _("20-second hug")
    BREATHING = "breathing", _("Six breaths together")
    EYE_CONTACT = "eye-contact", _("Quiet eye contact")
    MAGIC_MINUTES = "magic-minutes", _("Five magic minutes")
    GENTLE_START = "gentle-start", _("Gentle start-up")
    REPAIR = "repair", _("Repair after a conflict")


class RitualState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a yes")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    PAUSED = "paused", _("Paused")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


@dataclass
class Occurrence:
    """One time a ritual falls due: its start and end instants (UTC)."""

    ritual: "Ritual"
    starts_at: datetime
    outcome: str | None = None
    completion: "Completion | None" = field(default=None, repr=False)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.ritual.duration_minutes)

    @property
    def key(self) -> str:
        return instant_key(self.starts_at)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.ritual.couple.zone)

    @property
    def is_markable(self) -> bool:
        """Its local day has come (an occurrence is marked on its day or later, not ahead)."""
        return self.local_start.date() <= self.ritual.couple.local_date()

    @property
    def is_done(self) -> bool:
        return self.outcome == Outcome.DONE

    @property
    def is_skipped(self) -> bool:
        return self.outcome == Outcome.SKIPPED


class RitualQuerySet(models.QuerySet):
    def of_couple(self, couple: Couple) -> "RitualQuerySet":
        return self.filter(couple=couple)

    def active(self) -> "RitualQuerySet":
        return self.filter(state=RitualState.ACTIVE)

    def occurring_on(self, couple: Couple, day: date) -> list[Occurrence]:
        """The couple's active rituals falling on this local date, each with whether it
        was done or skipped. /today/ asks on every visit, so: the active rituals from
        the cache (or a query built once per process, core.prepared), the rules expanded
        in Python, and the day's outcomes by a query only when something falls on the day."""
        return self.occurring_on_as_remembered(couple, day, cache.get(active_cache_key(couple.pk)))

    def occurring_on_as_remembered(
        self, couple: Couple, day: date, remembered: "list[Ritual] | None"
    ) -> list[Occurrence]:
        """occurring_on, with the active rituals as the cache gave them (`remembered`, from
        active_cache_key), or on a miss (None) read from the database and remembered."""
        rituals = remembered
        if rituals is None:
            rituals = _ACTIVE_OF_COUPLE.run(couple=couple.pk)
            cache.set(active_cache_key(couple.pk), rituals, ACTIVE_CACHE_SECONDS)
        for ritual in rituals:
            ritual.couple = couple
        return occurrences_with_outcomes(rituals, *day_bounds(day, couple.zone))


class Ritual(models.Model):
    """A practice a couple keeps on a schedule of their own (an RFC 5545 RRULE, read in
    the couple's time zone from `starts_on` at `start_time`)."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="rituals")
    # The library entry it came from (rituals/data/rituals.toml); blank for one of their own.
    library_key = models.SlugField(max_length=80, blank=True)
    title = models.CharField(_("name"), max_length=80)
    instructions = models.TextField(_("how you do it"), max_length=2000, blank=True)
    pillar = models.CharField(_("pillar"), max_length=32, choices=Pillar.choices, blank=True)
    guide = models.CharField(max_length=32, choices=Guide.choices, blank=True)
    rrule = models.CharField(max_length=200)
    starts_on = models.DateField(_("starting"))
    ends_on = models.DateField(_("ending"), null=True, blank=True)
    start_time = models.TimeField(_("at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    state = models.CharField(max_length=16, choices=RitualState.choices, default=RitualState.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_note = models.CharField(_("a note (optional)"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RitualQuerySet.as_manager()

    class Meta:
        ordering = ["start_time", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="ritual_duration_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="ritual_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["couple", "state"], name="ritual_couple_state")]

    def __str__(self) -> str:
        return self.title

    def pattern(self) -> Pattern:
        return Pattern(
            rrule=self.rrule, starts_on=self.starts_on, at=self.start_time, zone=self.couple.zone, ends_on=self.ends_on
        )

    @property
    def schedule(self) -> Schedule:
        return Schedule.from_rrule(self.rrule)

    def occurrences_between(self, start: datetime, end: datetime) -> list[Occurrence]:
        return [Occurrence(self, instant) for instant in self.pattern().between(start, end)]

    def occurrence_at(self, instant: datetime) -> Occurrence | None:
        """The occurrence starting at this instant, if the rule has one there."""
        return Occurrence(self, instant) if self.pattern().occurs_at(instant) else None

    def next_occurrence_after(self, moment: datetime) -> datetime | None:
        return self.pattern().after(moment)

    def awaits_answer_from(self, user) -> bool:
        """Proposed, and `user` is the partner who has not said yes or no yet."""
        return self.state == RitualState.PROPOSED and self.proposed_by_id != user.pk

    @property
    def is_active(self) -> bool:
        return self.state == RitualState.ACTIVE


class Completion(models.Model):
    """An occurrence marked done or skipped. One row per occurrence, whoever marks it."""

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="completions")
    occurs_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ritual", "occurs_at"], name="completion_once_per_occurrence"),
        ]

    def __str__(self) -> str:
        return f"{self.ritual} {self.occurs_at:%Y-%m-%d %H:%M} {self.outcome}"

    def ratings_visible_to(self, user) -> tuple["Rating | None", "Rating | None"]:
        """(mine, theirs): the partner's rating only once both have rated (separate,
        then compare). Uses prefetched `ratings` when present."""
        ratings = list(self.ratings.all())
        mine = next((rating for rating in ratings if rating.user_id == user.pk), None)
        theirs = next((rating for rating in ratings if rating.user_id != user.pk), None)
        return mine, theirs if mine is not None else None


def occurrences_with_outcomes(rituals: Iterable["Ritual"], start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of these rituals (their couple set) with start <= instant < end,
    in order, each with its outcome: one query for the outcomes, keyed by (ritual,
    instant), and none when nothing falls in the window."""
    occurrences = [occurrence for ritual in rituals for occurrence in ritual.occurrences_between(start, end)]
    if occurrences:
        marked = Completion.objects.filter(
            ritual_id__in={occurrence.ritual.pk for occurrence in occurrences},
            occurs_at__gte=start,
            occurs_at__lt=end,
        ).values_list("ritual_id", "occurs_at", "outcome")
        outcomes = {(ritual_id, occurs_at): outcome for ritual_id, occurs_at, outcome in marked}
        for occurrence in occurrences:
            occurrence.outcome = outcomes.get((occurrence.ritual.pk, occurrence.starts_at))
    return sorted(occurrences, key=lambda occurrence: occurrence.starts_at)


class Rating(models.Model):
    """How close one partner felt, 1 to 5, after an occurrence was done."""

    completion = models.ForeignKey(Completion, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["completion", "user"], name="rating_once_per_person"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_one_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.score} by {self.user_id}"


class Reminder(models.Model):
    """One partner's reminder for one ritual: how long before, and when it is next due.

    The sweep reads `remind_at` (indexed) and moves each due row on to the following
    occurrence, so it never expands every ritual's rule every minute. No row, or a row
    with no `remind_at`, means nothing to send (paused, declined, ended, or turned off).
    """

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None: this person wants no reminder for this ritual.
    minutes_before = models.PositiveSmallIntegerField(null=True, blank=True, default=DEFAULT_REMINDER_MINUTES)
    occurrence_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ritual", "user"], name="reminder_once_per_person")]

    def __str__(self) -> str:
        return f"{self.ritual_id} for {self.user_id} at {self.remind_at}"

    def schedule(self, ritual: Ritual, *, after: datetime) -> None:
        """Set (not save) the next occurrence after `after` and when to remind of it."""
        # An ended couple (unpair ends it with an UPDATE, so no signal says so) has
        # nothing to be reminded of: the sweep that finds the row due stops it here.
        reminds = ritual.is_active and ritual.couple.ended_at is None
        upcoming = ritual.next_occurrence_after(after) if reminds else None
        if upcoming is None or self.minutes_before is None:
            self.occurrence_at = self.remind_at = None
            return
        self.occurrence_at = upcoming
        self.remind_at = upcoming - timedelta(minutes=self.minutes_before)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address; a new token revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user_id}"


def active_cache_key(couple_id: int) -> str:
    return f"attune:couple:{couple_id}:rituals:active"


def forget_active_rituals(couple_id: int) -> None:
    """A ritual of the couple changed: the next /today/ reads them again. Now, and once
    more after the commit, so a page read in between cannot keep the old list."""
    key = active_cache_key(couple_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


# What occurring_on reads on every /today/.
_ACTIVE_OF_COUPLE = Prepared(lambda couple: Ritual.objects.filter(couple_id=couple, state=RitualState.ACTIVE), "couple")
