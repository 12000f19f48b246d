"""The private calendar feed: secret address, regenerate revokes, parses back right."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from couples.models import Couple
from rituals import services
from rituals.models import CalendarFeed, RitualState

from ..factories import at, make_ritual, text_of

CALENDAR = reverse("rituals:calendar")
REGENERATE = reverse("rituals:calendar_regenerate")


def rule_text(event) -> str:
    written = event["rrule"].to_ical()
    return written.decode() if isinstance(written, bytes) else written


def feed_url(token: str) -> str:
    return reverse("rituals:feed", args=[token])


def test_it_lists_active_rituals_as_recurring_events_in_the_couples_zone(client, alice, couple):
    Couple.objects.filter(pk=couple.pk).update(time_zone="America/New_York")
    couple = Couple.objects.current_for(alice)
    assert couple is not None
    make_ritual(couple, title="Breakfast", rrule="FREQ=MONTHLY;BYDAY=+2SU", start_time=time(9, 30))
    make_ritual(couple, title="Short run", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10))
    make_ritual(couple, title="Paused one", state=RitualState.PAUSED)
    token = services.regenerate_feed_token(user=alice).token
    response = client.get(feed_url(token))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")

    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Breakfast", "Short run"}
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]

    breakfast = events["Breakfast"]
    start = breakfast.decoded("dtstart")
    assert str(start.tzinfo) == "America/New_York" and start.time() == time(9, 30)
    assert breakfast.decoded("duration").total_seconds() == 20 * 60
    # Expand the parsed rule as any calendar would: second Sundays, 09:30 New York time.
    rule = rrulestr(rule_text(breakfast), dtstart=start.replace(tzinfo=None))
    local = rule.between(datetime(2026, 3, 1), datetime(2026, 5, 1))
    new_york = ZoneInfo("America/New_York")
    instants = [moment.replace(tzinfo=new_york) for moment in local]
    assert instants == [datetime(2026, 3, 8, 9, 30, tzinfo=new_york), datetime(2026, 4, 12, 9, 30, tzinfo=new_york)]
    assert instants[0] == at(2026, 3, 8, 13, 30)  # EDT from that morning

    short = events["Short run"]
    short_rule = rrulestr(rule_text(short), dtstart=short.decoded("dtstart"))
    assert len(list(short_rule)) == 10


def test_it_answers_404_to_a_wrong_or_regenerated_token(client, alice, couple):
    make_ritual(couple)
    old = services.regenerate_feed_token(user=alice).token
    assert client.get(feed_url(old)).status_code == 200
    assert client.get(feed_url("not-the-token")).status_code == 404
    new = services.regenerate_feed_token(user=alice).token
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_it_shows_and_regenerates_the_address(alice_client, alice, couple, htmx):
    assert "Make my address" in text_of(alice_client.get(CALENDAR))
    alice_client.post(REGENERATE)
    first = CalendarFeed.objects.get(user=alice).token
    assert feed_url(first) in text_of(alice_client.get(CALENDAR))
    fragment = text_of(alice_client.post(REGENERATE, **htmx))
    second = CalendarFeed.objects.get(user=alice).token
    assert "<html" not in fragment and feed_url(second) in fragment and second != first
    assert 'id="calendar-feed"' in text_of(alice_client.get(CALENDAR, **htmx))


def test_it_refuses_wrong_methods_and_outsiders_on_the_calendar(client, alice_client, charlie, couple):
    assert alice_client.post(CALENDAR).status_code == 405
    assert alice_client.get(REGENERATE).status_code == 405
    token = services.regenerate_feed_token(user=charlie).token  # charlie has no couple: an empty calendar
    calendar = Calendar.from_ical(client.get(feed_url(token)).content)
    assert calendar.walk("VEVENT") == []
