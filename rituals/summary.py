"""The kind four-week view: how often each ritual happened, week by week."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from couples.models import Couple

from .models import Completion, Outcome, Ritual, RitualState
from .recurrence import day_bounds

WEEKS = 4


@dataclass
class Week:
    starts_on: date
    happened: int
    planned: int


@dataclass
class Row:
    ritual: Ritual
    weeks: list[Week]

    @property
    def happened(self) -> int:
        return sum(week.happened for week in self.weeks)

    @property
    def planned(self) -> int:
        return sum(week.planned for week in self.weeks)


def four_weeks(couple: Couple, *, now: datetime) -> list[Row]:
    """For each active or paused ritual, the last four weeks (oldest first, the last
    ending today): how many times it was done, and how many times it was on the
    calendar. Two queries."""
    today = couple.local_date(now)
    first_days = [today - timedelta(days=7 * (WEEKS - n) - 1) for n in range(WEEKS)]
    edges = [day_bounds(day, couple.zone)[0] for day in first_days]
    end = day_bounds(today, couple.zone)[1]
    rituals = list(Ritual.objects.of_couple(couple).filter(state__in=[RitualState.ACTIVE, RitualState.PAUSED]))
    done = list(
        Completion.objects.filter(
            ritual__in=rituals, outcome=Outcome.DONE, occurs_at__gte=edges[0], occurs_at__lt=end
        ).values_list("ritual_id", "occurs_at")
    )
    bounds = [*edges, end]
    rows = []
    for ritual in rituals:
        ritual.couple = couple
        weeks = []
        for first_day, (start, stop) in zip(first_days, pairwise(bounds), strict=True):
            happened = sum(1 for ritual_id, moment in done if ritual_id == ritual.pk and start <= moment < stop)
            planned = len(ritual.pattern().between(start, stop))
            weeks.append(Week(starts_on=first_day, happened=happened, planned=planned))
        rows.append(Row(ritual=ritual, weeks=weeks))
    return rows
