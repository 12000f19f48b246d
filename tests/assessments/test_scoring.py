"""Scoring against answer keys worked out by hand, including every band edge."""

import pytest

from assessments.definitions import catalogue
from assessments.scoring import IncompleteAnswers, band_for, differs, item_score, profile_for, score

ATTACHMENT = catalogue()["attachment"]
CHECKLIST = catalogue()["fading-intimacy"]


def attachment_answers(anxiety: list[int], avoidance: list[int]) -> dict[str, str]:
    """Raw answers in file order for the six worry and the six distance statements."""
    keys = [item.key for item in ATTACHMENT.items_of("anxiety")] + [
        item.key for item in ATTACHMENT.items_of("avoidance")
    ]
    return dict(zip(keys, [str(value) for value in anxiety + avoidance], strict=True))


def signs(count: int) -> dict[str, str]:
    return {item.key: "1" if number < count else "0" for number, item in enumerate(CHECKLIST.items)}


def test_it_reverses_reverse_keyed_items_on_the_seven_point_scale():
    reverse = next(item for item in ATTACHMENT.items if item.reverse)
    forward = next(item for item in ATTACHMENT.items if not item.reverse)
    assert [item_score(reverse, str(value)) for value in range(1, 8)] == [7, 6, 5, 4, 3, 2, 1]
    assert [item_score(forward, str(value)) for value in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]


def test_it_scores_attachment_by_hand():
    # Worry items in file order: unanswered, settle, mood, distant-day (R), hold-back, sleep (R).
    # 7, 6, 5, R(2 -> 6), 4, R(1 -> 7): (7 + 6 + 5 + 6 + 4 + 7) / 6 = 35 / 6 = 5.83
    # Distance: change-subject, pull-away, first-to-tell (R), by-myself, pressure, struggling (R).
    # 1, 2, R(7 -> 1), 3, 2, R(6 -> 2): (1 + 2 + 1 + 3 + 2 + 2) / 6 = 11 / 6 = 1.83
    result = score(ATTACHMENT, attachment_answers([7, 6, 5, 2, 4, 1], [1, 2, 7, 3, 2, 6]))
    assert result.scores == {"anxiety": 5.83, "avoidance": 1.83}
    assert result.profile is not None and result.profile.key == "anxious"


@pytest.mark.parametrize(
    ("anxiety", "avoidance", "profile"),
    [
        # Every item at 4 (reverse-keyed 4 stays 4): both exactly on the cutoff, so both high.
        ([4, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4], "fearful-avoidant"),
        # One step under the cutoff on worry: 3,4,4,R4,4,R4 -> 23/6 = 3.83, low.
        ([3, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4], "avoidant"),
        # Distance 3.83 low, worry 4.0 high.
        ([4, 4, 4, 4, 4, 4], [3, 4, 4, 4, 4, 4], "anxious"),
        ([3, 4, 4, 4, 4, 4], [3, 4, 4, 4, 4, 4], "secure"),
        # The lowest possible: forward items 1, reverse-keyed 7 -> 1.0 and 1.0.
        ([1, 1, 1, 7, 1, 7], [1, 1, 7, 1, 1, 7], "secure"),
        # The highest possible: 7.0 and 7.0.
        ([7, 7, 7, 1, 7, 1], [7, 7, 1, 7, 7, 1], "fearful-avoidant"),
    ],
)
def test_it_names_the_quadrant_at_its_edges(anxiety, avoidance, profile):
    result = score(ATTACHMENT, attachment_answers(anxiety, avoidance))
    assert result.profile is not None and result.profile.key == profile


def test_it_places_the_extremes_at_the_ends_of_the_scale():
    lowest = score(ATTACHMENT, attachment_answers([1, 1, 1, 7, 1, 7], [1, 1, 7, 1, 1, 7]))
    highest = score(ATTACHMENT, attachment_answers([7, 7, 7, 1, 7, 1], [7, 7, 1, 7, 7, 1]))
    assert lowest.scores == {"anxiety": 1.0, "avoidance": 1.0}
    assert highest.scores == {"anxiety": 7.0, "avoidance": 7.0}
    assert lowest.of("anxiety").share == 0.0 and highest.of("anxiety").share == 1.0


@pytest.mark.parametrize(
    ("count", "band"),
    [
        (0, "steady"),
        (1, "steady"),
        (2, "prioritise"),
        (3, "prioritise"),
        (4, "distant"),
        (5, "distant"),
        (8, "distant"),
    ],
)
def test_it_bands_the_eight_signs_as_the_research_does(count, band):
    result = score(CHECKLIST, signs(count))
    assert result.scores == {"signs": count}
    assert result.dimensions[0].band is not None and result.dimensions[0].band.key == band


def test_it_counts_which_signs_not_just_how_many():
    answers = {item.key: "0" for item in CHECKLIST.items}
    answers["lonely"] = answers["parallel"] = "1"
    assert score(CHECKLIST, answers).scores == {"signs": 2}


def test_it_refuses_to_score_missing_or_foreign_answers():
    answers = signs(3)
    del answers["lonely"]
    with pytest.raises(IncompleteAnswers, match="lonely"):
        score(CHECKLIST, answers)
    with pytest.raises(IncompleteAnswers, match="not an option"):
        score(CHECKLIST, {**signs(3), "lonely": "2"})


def test_it_finds_the_band_from_its_lower_edge():
    (dimension,) = CHECKLIST.dimensions
    found = [band_for(dimension, value) for value in (0, 1.99, 2, 3.99, 4)]
    assert [band.key if band else None for band in found] == ["steady", "steady", "prioritise", "prioritise", "distant"]


def test_it_says_partners_differ_across_a_band_or_a_cutoff_or_a_distance():
    (checklist,) = CHECKLIST.dimensions
    assert not differs(checklist, 2, 3)  # same band, one apart
    assert differs(checklist, 1, 2)  # different bands
    assert differs(checklist, 4, 6)  # same band, two apart (differ_by = 2)
    anxiety = ATTACHMENT.dimension("anxiety")
    assert differs(anxiety, 3.83, 4.0)  # either side of the cutoff
    assert not differs(anxiety, 4.0, 5.33)
    assert differs(anxiety, 4.0, 5.5)  # 1.5 apart


def test_it_finds_no_profile_where_the_file_has_none():
    assert profile_for(CHECKLIST, {"signs": 3}) is None
