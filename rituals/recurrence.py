"""Schedules as RFC 5545 RRULEs, expanded by python-dateutil in the couple's time zone.

A ritual's rule is expanded in local wall-clock time (a naive datetime: "19:30 every
Sunday"), and each local time is then read in the couple's zone by core.clock, which
settles the two daylight-saving edge cases the way RFC 5545 does, so the app and a
phone's calendar agree:
- a local time inside the spring-forward gap is read with the offset before the gap
  (02:30 on New York's spring-forward day is 07:30 UTC, i.e. 03:30 EDT), the first
  valid instant that keeps the ritual's place in the day;
- a local time that happens twice (the fall-back hour) is its first occurrence, once.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule as rrules
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock


class Cadence(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKDAYS = "weekdays", _("On chosen days of the week")
    WEEKLY = "weekly", _("Once a week")
    EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Once a month, on a weekday")


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Nth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = -1, _("Last")


class ScheduleError(ValueError):
    """A schedule that cannot be written as one of our rules."""


@dataclass(frozen=True)
class Schedule:
    """What a person chooses; `as_rrule()` is what we store."""

    cadence: str
    weekdays: tuple[str, ...] = ()
    interval: int = 1
    nth: int = 1

    def as_rrule(self) -> str:
        days = [day for day in Weekday.values if day in self.weekdays]  # Monday first, each once
        unknown = set(self.weekdays) - set(Weekday.values)
        if unknown:
            raise ScheduleError(f"unknown weekday {sorted(unknown)[0]!r}")
        match self.cadence:
            case Cadence.DAILY:
                return "FREQ=DAILY"
            case Cadence.WEEKDAYS:
                if not days:
                    raise ScheduleError("no weekday chosen")
                return "FREQ=WEEKLY;BYDAY=" + ",".join(days)
            case Cadence.WEEKLY:
                if len(days) != 1:
                    raise ScheduleError("a weekly ritual needs exactly one day")
                return f"FREQ=WEEKLY;BYDAY={days[0]}"
            case Cadence.EVERY_N_WEEKS:
                if len(days) != 1:
                    raise ScheduleError("needs exactly one day")
                if not 2 <= self.interval <= 12:
                    raise ScheduleError("every 2 to 12 weeks")
                return f"FREQ=WEEKLY;INTERVAL={self.interval};BYDAY={days[0]}"
            case Cadence.MONTHLY_WEEKDAY:
                if len(days) != 1:
                    raise ScheduleError("needs exactly one day")
                if self.nth not in Nth.values:
                    raise ScheduleError("first to fourth, or last")
                return f"FREQ=MONTHLY;BYDAY={self.nth:+d}{days[0]}"
        raise ScheduleError(f"unknown cadence {self.cadence!r}")

    @property
    def day_names(self) -> list[str]:
        return weekday_labels(self.weekdays)

    @property
    def nth_name(self) -> str:
        return str(Nth(self.nth).label).lower() if self.nth in Nth.values else ""

    @classmethod
    def from_rrule(cls, text: str) -> "Schedule":
        """The choices behind one of our rules (for editing it)."""
        parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        byday = [day for day in parts.get("BYDAY", "").split(",") if day]
        interval = int(parts.get("INTERVAL", "1"))
        if parts.get("FREQ") == "DAILY":
            return cls(Cadence.DAILY)
        if parts.get("FREQ") == "MONTHLY" and len(byday) == 1:
            return cls(Cadence.MONTHLY_WEEKDAY, weekdays=(byday[0][-2:],), nth=int(byday[0][:-2]))
        if interval > 1:
            return cls(Cadence.EVERY_N_WEEKS, weekdays=tuple(byday), interval=interval)
        if len(byday) == 1:
            return cls(Cadence.WEEKLY, weekdays=tuple(byday))
        return cls(Cadence.WEEKDAYS, weekdays=tuple(byday))


@dataclass(frozen=True)
class Pattern:
    """A rule anchored in local time: everything needed to expand it."""

    rrule: str
    starts_on: date
    at: time
    zone: ZoneInfo
    ends_on: date | None = None

    def rule(self) -> rrules.rrule:
        dtstart = datetime.combine(self.starts_on, self.at)
        rule = rrules.rrulestr(self.rrule, dtstart=dtstart)
        if self.ends_on is not None:
            rule = rule.replace(until=datetime.combine(self.ends_on, time.max))
        return rule

    def _instant(self, local: datetime) -> datetime:
        return clock.local_instant(local.date(), local.time(), self.zone)

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Occurrence instants (UTC) with start <= instant < end."""
        # Widen by a day in local time: a gap time read later than written may cross
        # the window's edge; the instants are filtered exactly below.
        local_start = self._local(start) - timedelta(days=1)
        local_end = self._local(end) + timedelta(days=1)
        instants = (self._instant(local) for local in self.rule().between(local_start, local_end, inc=True))
        return [instant for instant in instants if start <= instant < end]

    def after(self, moment: datetime) -> datetime | None:
        """The first occurrence instant strictly after `moment`, or None if the rule has ended."""
        for local in self.rule().xafter(self._local(moment) - timedelta(days=1), inc=True):
            instant = self._instant(local)
            if instant > moment:
                return instant
        return None

    def occurs_at(self, instant: datetime) -> bool:
        return instant in self.between(instant, instant + timedelta(seconds=1))


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where a local date begins and the next one begins."""
    return clock.local_instant(day, time(0), zone), clock.local_instant(day + timedelta(days=1), time(0), zone)


def instant_key(instant: datetime) -> str:
    """An occurrence's instant in URLs and notice keys: 20260308T073000Z."""
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# Years an occurrence key may name: rules are expanded a day either side of an instant,
# so one at the edge of what datetime holds would overflow.
KEY_YEARS = range(1900, 2201)


def instant_from_key(text: str) -> datetime | None:
    try:
        instant = datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return instant if instant.year in KEY_YEARS else None


def weekday_labels(days: Sequence[str]) -> list[str]:
    labels = dict(Weekday.choices)
    return [str(labels[day]) for day in Weekday.values if day in days]
