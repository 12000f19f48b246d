"""When is a local wall-clock time next due, as a UTC instant?

zoneinfo resolves the two daylight-saving edge cases the way we want with fold=0:
- a local time that does not exist (the spring-forward gap) is read with the offset in
  force before the gap, so 02:30 on New York's spring-forward day is 07:30 UTC, which is
  03:30 local: the first valid instant after it by the same amount;
- a local time that happens twice (the fall-back hour) is read as its first occurrence,
  and since we only ever build fold=0 instants it fires once.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo


@cache
def zone(name: str) -> ZoneInfo:
    """One ZoneInfo per name for the life of the process. ZoneInfo keeps only the last
    eight it made alive, so a sweep over users in many zones reread the zone files."""
    return ZoneInfo(name)


def local_date(time_zone: str, moment: datetime) -> date:
    """The date it is at `moment` in the named time zone."""
    return moment.astimezone(zone(time_zone)).date()


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_local_occurrence(*, at: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after `after` whose local time in `zone` is `at`."""
    local_day = after.astimezone(zone).date()
    for offset in range(-1, 3):
        candidate = local_instant(local_day + timedelta(days=offset), at, zone)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a local time recurs within three days")
