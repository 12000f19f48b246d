"""Reminder times as UTC instants, daylight saving included (invariant 7)."""

from datetime import time
from zoneinfo import ZoneInfo

from core.clock import next_local_occurrence

from ..factories import at

NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_it_fires_at_the_local_time_on_an_ordinary_day():
    # 20:00 in New York in November (EST, UTC-5) is 01:00 UTC the next day.
    assert next_local_occurrence(at=time(20), zone=NEW_YORK, after=at(2026, 11, 20, 12)) == at(2026, 11, 21, 1)


def test_it_fires_a_spring_forward_gap_time_at_0330_local():
    # 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist.
    fired = next_local_occurrence(at=time(2, 30), zone=NEW_YORK, after=at(2026, 3, 8, 5))
    assert fired == at(2026, 3, 8, 7, 30)
    assert fired.astimezone(NEW_YORK).time() == time(3, 30)


def test_it_fires_a_fall_back_time_once():
    # 2026-11-01: 01:30 happens twice in New York (EDT, then EST). Fire at the first.
    first = next_local_occurrence(at=time(1, 30), zone=NEW_YORK, after=at(2026, 11, 1, 4))
    assert first == at(2026, 11, 1, 5, 30)
    following = next_local_occurrence(at=time(1, 30), zone=NEW_YORK, after=first)
    assert following == at(2026, 11, 2, 6, 30)  # next day, EST: not 06:30 the same day


def test_it_handles_auckland_across_its_spring_forward():
    # 2026-09-27: Auckland goes from 02:00 NZST (UTC+12) to 03:00 NZDT (UTC+13).
    before = next_local_occurrence(at=time(20), zone=AUCKLAND, after=at(2026, 9, 25, 12))
    assert before == at(2026, 9, 26, 8)  # 20:00 NZST on the 26th
    gap = next_local_occurrence(at=time(2, 30), zone=AUCKLAND, after=at(2026, 9, 26, 12))
    assert gap == at(2026, 9, 26, 14, 30)  # 03:30 NZDT on the 27th
    after = next_local_occurrence(at=time(20), zone=AUCKLAND, after=before)
    assert after == at(2026, 9, 27, 7)  # 20:00 NZDT on the 27th


def test_it_handles_auckland_fall_back():
    # 2026-04-05: Auckland goes from 03:00 NZDT back to 02:00 NZST; 02:30 happens twice.
    first = next_local_occurrence(at=time(2, 30), zone=AUCKLAND, after=at(2026, 4, 4, 12))
    assert first == at(2026, 4, 4, 13, 30)  # 02:30 NZDT (UTC+13)
    assert next_local_occurrence(at=time(2, 30), zone=AUCKLAND, after=first) == at(2026, 4, 5, 14, 30)


def test_it_is_strictly_after():
    moment = at(2026, 6, 1, 19)
    assert next_local_occurrence(at=time(20), zone=ZoneInfo("Europe/London"), after=moment) == at(2026, 6, 2, 19)
