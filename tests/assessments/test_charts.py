"""The SVG charts' geometry: plain numbers, checked without rendering."""

from datetime import UTC, datetime

from assessments import charts
from assessments.definitions import catalogue

ATTACHMENT = catalogue()["attachment"]
PILLARS = catalogue()["five-pillars"]
CHECKLIST = catalogue()["fading-intimacy"]


def test_it_places_scores_on_the_quadrant_with_high_worry_at_the_top():
    chart = charts.quadrant(ATTACHMENT, [("You", "you", {"anxiety": 7.0, "avoidance": 1.0})])
    (point,) = chart.points
    assert (point.x, point.y) == (chart.pad, chart.pad)  # far left (low distance), top (high worry)
    assert chart.cut_x == chart.cut_y == chart.size / 2  # the cutoff 4 is the middle of 1 to 7
    regions = {region.label: (region.x < chart.cut_x, region.y < chart.cut_y) for region in chart.regions}
    assert regions == {
        "Secure": (True, False),
        "Anxious": (True, True),
        "Avoidant": (False, False),
        "Fearful-avoidant": (False, True),
    }


def test_it_draws_one_bar_per_person_for_each_pillar():
    scores = {dimension.key: 5.0 for dimension in PILLARS.dimensions}
    chart = charts.bars(PILLARS, [("You", "you", scores), ("Bob", "partner", {**scores, "play": 1.0})])
    assert [group.dimension.key for group in chart.groups] == ["safety", "communication", "meaning", "repair", "play"]
    play = chart.groups[-1]
    assert [bar.width for bar in play.bars] == [chart.track, 2.0]  # the lowest score still shows a sliver
    assert [bar.value for bar in play.bars] == ["5.0 / 5", "1.0 / 5"]


def test_it_draws_a_trend_only_from_the_second_attempt():
    first = (datetime(2026, 1, 1, tzinfo=UTC), {"signs": 6.0})
    second = (datetime(2026, 2, 1, tzinfo=UTC), {"signs": 2.0})
    assert charts.trend(CHECKLIST, [first]) is None
    trend = charts.trend(CHECKLIST, [first, second])
    assert trend is not None
    (line,) = trend.lines
    assert (line.first, line.last) == ("6 / 8", "2 / 8")
    (x1, y1), (x2, y2) = line.dots
    assert x1 < x2 and y1 < y2  # fewer signs sits lower
