"""A person's private calendar: every active ritual as a recurring event in the
couple's time zone, written with the icalendar library."""

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vRecur

from .models import Ritual
from .recurrence import day_bounds

PRODID = "-//Attune//Rituals//EN"


def _first_local(ritual: Ritual) -> datetime | None:
    """The rule's first local wall time. DTSTART must itself be an occurrence (RFC 5545
    counts it even where the rule would not), so it is this, not just the start date."""
    return ritual.pattern().rule().after(datetime.combine(ritual.starts_on, time.min), inc=True)


def feed_for(rituals: Sequence[Ritual], *, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Attune")
    for ritual in rituals:
        first = _first_local(ritual)
        if first is None:
            continue
        zone = ritual.couple.zone
        event = Event()
        event.add("uid", f"ritual-{ritual.pk}@attune")
        event.add("summary", ritual.title)
        if ritual.instructions:
            event.add("description", ritual.instructions)
        event.add("dtstamp", now.astimezone(UTC))
        # Local wall time with the couple's TZID: calendars then keep 19:30 across
        # daylight-saving changes, and read a gap or a repeated hour as the app does.
        event.add("dtstart", first.replace(tzinfo=zone))
        event.add("duration", timedelta(minutes=ritual.duration_minutes))
        rule = vRecur.from_ical(ritual.rrule)
        if ritual.ends_on is not None:
            # UNTIL is UTC when DTSTART has a TZID: the last instant of the end date.
            rule["UNTIL"] = [day_bounds(ritual.ends_on, zone)[1] - timedelta(seconds=1)]
        event.add("rrule", rule)
        event.add("url", settings.SITE_URL + reverse("rituals:detail", args=[ritual.pk]))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
