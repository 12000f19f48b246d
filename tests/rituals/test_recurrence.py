"""Ritual schedules: RRULEs built from choices and expanded in the couple's zone."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from rituals.recurrence import Cadence, Pattern, Schedule, ScheduleError, day_bounds, instant_from_key, instant_key

from ..factories import at

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def test_it_writes_each_cadence_as_an_rrule():
    assert Schedule(Cadence.DAILY).as_rrule() == "FREQ=DAILY"
    assert Schedule(Cadence.WEEKDAYS, weekdays=("FR", "MO", "WE")).as_rrule() == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    assert Schedule(Cadence.WEEKLY, weekdays=("SU",)).as_rrule() == "FREQ=WEEKLY;BYDAY=SU"
    assert Schedule(Cadence.EVERY_N_WEEKS, weekdays=("TH",), interval=3).as_rrule() == "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH"
    assert Schedule(Cadence.MONTHLY_WEEKDAY, weekdays=("SU",), nth=2).as_rrule() == "FREQ=MONTHLY;BYDAY=+2SU"
    assert Schedule(Cadence.MONTHLY_WEEKDAY, weekdays=("FR",), nth=-1).as_rrule() == "FREQ=MONTHLY;BYDAY=-1FR"


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(Cadence.WEEKDAYS),
        Schedule(Cadence.WEEKDAYS, weekdays=("XX",)),
        Schedule(Cadence.WEEKLY, weekdays=("MO", "TU")),
        Schedule(Cadence.EVERY_N_WEEKS, weekdays=("MO",), interval=1),
        Schedule(Cadence.MONTHLY_WEEKDAY, weekdays=("MO",), nth=5),
        Schedule("hourly"),
    ],
)
def test_it_refuses_impossible_schedules(schedule):
    with pytest.raises(ScheduleError):
        schedule.as_rrule()


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(Cadence.DAILY),
        Schedule(Cadence.WEEKDAYS, weekdays=("MO", "WE", "FR")),
        Schedule(Cadence.WEEKLY, weekdays=("SU",)),
        Schedule(Cadence.EVERY_N_WEEKS, weekdays=("TH",), interval=2),
        Schedule(Cadence.MONTHLY_WEEKDAY, weekdays=("SU",), nth=2),
        Schedule(Cadence.MONTHLY_WEEKDAY, weekdays=("SA",), nth=-1),
    ],
)
def test_it_reads_its_own_rules_back(schedule):
    assert Schedule.from_rrule(schedule.as_rrule()) == schedule


def test_it_expands_the_second_sunday_of_each_month():
    pattern = Pattern("FREQ=MONTHLY;BYDAY=+2SU", date(2026, 1, 1), time(19), LONDON)
    found = pattern.between(at(2026, 1, 1), at(2026, 5, 1))
    assert [moment.astimezone(LONDON).date() for moment in found] == [
        date(2026, 1, 11),
        date(2026, 2, 8),
        date(2026, 3, 8),
        date(2026, 4, 12),
    ]
    # London is on summer time in April: 19:00 BST is 18:00 UTC.
    assert found[-1] == at(2026, 4, 12, 18)


def test_it_expands_every_other_week_from_the_start():
    pattern = Pattern("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", date(2026, 6, 1), time(8), LONDON)
    found = pattern.between(at(2026, 6, 1), at(2026, 7, 1))
    assert [moment.day for moment in found] == [1, 15, 29]


def test_it_stops_after_the_end_date():
    pattern = Pattern("FREQ=DAILY", date(2026, 6, 1), time(8), LONDON, ends_on=date(2026, 6, 3))
    assert len(pattern.between(at(2026, 5, 1), at(2026, 7, 1))) == 3
    assert pattern.after(at(2026, 6, 3, 12)) is None


def test_it_fires_a_spring_forward_gap_time_at_the_first_valid_instant():
    # 2026-03-08: New York jumps from 02:00 EST to 03:00 EDT; 02:30 does not exist. Read
    # with the offset before the gap (as RFC 5545 says), it is 07:30 UTC = 03:30 EDT.
    pattern = Pattern("FREQ=DAILY", date(2026, 3, 1), time(2, 30), NEW_YORK)
    days = pattern.between(at(2026, 3, 7), at(2026, 3, 10))
    assert days == [at(2026, 3, 7, 7, 30), at(2026, 3, 8, 7, 30), at(2026, 3, 9, 6, 30)]
    assert days[1].astimezone(NEW_YORK).time() == time(3, 30)
    assert pattern.after(at(2026, 3, 8, 5)) == at(2026, 3, 8, 7, 30)


def test_it_fires_a_fall_back_ambiguous_time_once():
    # 2026-11-01: 01:30 happens twice in New York. One occurrence, at the first.
    pattern = Pattern("FREQ=DAILY", date(2026, 10, 1), time(1, 30), NEW_YORK)
    days = pattern.between(at(2026, 11, 1), at(2026, 11, 3))
    assert days == [at(2026, 11, 1, 5, 30), at(2026, 11, 2, 6, 30)]
    assert pattern.after(at(2026, 11, 1, 5, 30)) == at(2026, 11, 2, 6, 30)


def test_it_keeps_the_local_time_across_a_change():
    pattern = Pattern("FREQ=WEEKLY;BYDAY=SU", date(2026, 3, 1), time(19), NEW_YORK)
    before, after = pattern.between(at(2026, 3, 1), at(2026, 3, 10))
    assert before == at(2026, 3, 2, 0) and after == at(2026, 3, 8, 23)


def test_it_knows_its_occurrences():
    pattern = Pattern("FREQ=WEEKLY;BYDAY=MO", date(2026, 6, 1), time(8), LONDON)
    assert pattern.occurs_at(at(2026, 6, 8, 7))
    assert not pattern.occurs_at(at(2026, 6, 8, 8))
    assert not pattern.occurs_at(at(2026, 6, 9, 7))


def test_it_bounds_a_local_day():
    start, end = day_bounds(date(2026, 3, 8), NEW_YORK)
    assert start == at(2026, 3, 8, 5) and end == at(2026, 3, 9, 4)


def test_it_writes_and_reads_instant_keys():
    assert instant_key(at(2026, 3, 8, 7, 30)) == "20260308T073000Z"
    assert instant_from_key("20260308T073000Z") == at(2026, 3, 8, 7, 30)
    assert instant_from_key("nonsense") is None
