"""The four-week view's counts (no HTTP)."""

from datetime import date

from rituals import services
from rituals.models import RitualState
from rituals.summary import four_weeks

from ..factories import at, make_ritual


def test_it_counts_each_week_done_and_planned(alice, couple):
    walk = make_ritual(couple, title="Walk")  # daily, 19:30 London
    weekly = make_ritual(couple, title="Weekly", rrule="FREQ=WEEKLY;BYDAY=SU", state=RitualState.PAUSED)
    make_ritual(couple, title="Declined", state=RitualState.DECLINED)
    now = at(2026, 6, 28, 12)  # a Sunday; the four weeks run from Mon 1 June to today
    for day in (1, 2, 27, 28):
        services.mark_occurrence(ritual=walk, occurs_at=at(2026, 6, day, 18, 30), user=alice, outcome="done")
    services.mark_occurrence(ritual=walk, occurs_at=at(2026, 6, 10, 18, 30), user=alice, outcome="skipped")
    services.mark_occurrence(ritual=walk, occurs_at=at(2026, 5, 31, 18, 30), user=alice, outcome="done")  # before
    rows = {row.ritual.title: row for row in four_weeks(couple, now=now)}
    assert set(rows) == {"Walk", "Weekly"}
    assert [week.starts_on for week in rows["Walk"].weeks] == [date(2026, 6, n) for n in (1, 8, 15, 22)]
    assert [week.happened for week in rows["Walk"].weeks] == [2, 0, 0, 2]
    assert [week.planned for week in rows["Walk"].weeks] == [7, 7, 7, 7]
    assert rows["Walk"].happened == 4
    assert rows["Weekly"].ritual == weekly and [week.planned for week in rows["Weekly"].weeks] == [1, 1, 1, 1]
