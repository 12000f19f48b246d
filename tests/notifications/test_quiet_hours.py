"""Quiet hours in each person's own zone: across midnight and daylight-saving changes."""

from datetime import UTC, datetime, time, timedelta
from functools import partial

import pytest
from django.core import mail

from accounts.models import User
from notifications.channels import in_quiet_hours
from notifications.models import Outcome, Recipient, SendLog
from prompts.notices import NoticeKind

from ..factories import at


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_it_is_not_quiet_without_quiet_hours():
    assert in_quiet_hours(start=None, end=None, zone_name="Europe/London", now=utc(2026, 11, 21, 23)) is None
    assert in_quiet_hours(start=time(8), end=time(8), zone_name="Europe/London", now=utc(2026, 11, 21, 8)) is None


def test_it_is_quiet_within_a_daytime_span_and_ends_at_its_end():
    quiet = partial(in_quiet_hours, start=time(13), end=time(15), zone_name="Europe/Paris")  # UTC+1 in November
    assert quiet(now=utc(2026, 11, 21, 11, 59)) is None
    assert quiet(now=utc(2026, 11, 21, 12)) == utc(2026, 11, 21, 14)
    assert quiet(now=utc(2026, 11, 21, 14)) is None  # the end is not quiet


def test_it_spans_midnight_on_both_sides():
    quiet = partial(in_quiet_hours, start=time(22), end=time(7), zone_name="Asia/Tokyo")  # UTC+9, no DST
    before_midnight = utc(2026, 11, 21, 14)  # 23:00 local on the 21st
    after_midnight = utc(2026, 11, 21, 17)  # 02:00 local on the 22nd
    assert quiet(now=before_midnight) == utc(2026, 11, 21, 22)  # 07:00 local on the 22nd
    assert quiet(now=after_midnight) == utc(2026, 11, 21, 22)
    assert quiet(now=utc(2026, 11, 21, 12)) is None  # 21:00 local


def test_it_ends_at_the_first_valid_instant_when_its_end_falls_in_the_spring_gap():
    # New York springs forward on 2026-03-08: 02:00 becomes 03:00; 02:30 never happens.
    quiet = partial(in_quiet_hours, start=time(23), end=time(2, 30), zone_name="America/New_York")
    at_1am = utc(2026, 3, 8, 6)  # 01:00 EST
    ends = quiet(now=at_1am)
    assert ends == utc(2026, 3, 8, 7, 30)  # 03:30 EDT: as long after the gap as 02:30 was into it


def test_it_lasts_an_hour_longer_on_the_autumn_night():
    # London falls back on 2026-10-25: 02:00 BST becomes 01:00 GMT.
    quiet = partial(in_quiet_hours, start=time(22), end=time(7), zone_name="Europe/London")
    starts = utc(2026, 10, 24, 21)  # 22:00 BST
    ends = quiet(now=starts)
    assert ends == utc(2026, 10, 25, 7)  # 07:00 GMT
    assert ends is not None and ends - starts == timedelta(hours=10)
    # The repeated hour is quiet both times it happens.
    assert quiet(now=utc(2026, 10, 25, 0, 30)) == ends  # 01:30 BST
    assert quiet(now=utc(2026, 10, 25, 1, 30)) == ends  # 01:30 GMT


def test_it_follows_the_persons_zone_not_the_servers():
    quiet = partial(in_quiet_hours, start=time(22), end=time(7))
    moment = utc(2026, 11, 21, 23)  # 23:00 in London, 18:00 in New York
    assert quiet(zone_name="Europe/London", now=moment) is not None
    assert quiet(zone_name="America/New_York", now=moment) is None


# --- In delivery -------------------------------------------------------------------------

EVENING = at(2026, 11, 21, 20)  # London is UTC+0 in November


@pytest.fixture
def due(alice, bob, couple, library):
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(next_reminder_at=EVENING)
    return couple


def test_it_holds_a_reminder_until_quiet_hours_end_then_sends_it_once(due, alice, bob, sweep):
    Recipient.objects.create(user=alice, quiet_start=time(19, 30), quiet_end=time(20, 30))
    results = sweep(EVENING)
    assert results[Outcome.QUEUED] == 2
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    held = SendLog.objects.get(user=alice)
    assert held.sent_at is None and held.due_at == at(2026, 11, 21, 20, 30)

    sweep(at(2026, 11, 21, 20, 20))  # still quiet: nothing
    assert len(mail.outbox) == 1
    sweep(at(2026, 11, 21, 20, 31))  # over: the sweep takes the claim over and sends
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    assert SendLog.objects.get(user=alice).sent_at == at(2026, 11, 21, 20, 31)
    sweep(at(2026, 11, 21, 20, 50))
    assert len(mail.outbox) == 2
    assert SendLog.objects.filter(user=alice, kind=NoticeKind.DAILY_REMINDER).count() == 1


def test_it_drops_a_held_reminder_whose_day_has_passed(due, alice, sweep):
    Recipient.objects.create(user=alice, quiet_start=time(19), quiet_end=time(7))
    sweep(EVENING)
    held = SendLog.objects.get(user=alice)
    assert held.due_at == at(2026, 11, 22, 7)
    User.objects.filter(pk=alice.pk).update(next_reminder_at=at(2026, 11, 22, 20))
    sweep(at(2026, 11, 22, 7, 1))  # the 21st's question is not today's any more
    assert [m.to for m in mail.outbox if m.to == ["alice@example.com"]] == []
    assert not SendLog.objects.filter(pk=held.pk).exists()
