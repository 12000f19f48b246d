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


BIDS = catalogue()["bids"]
PILLARS = catalogue()["five-pillars"]
CARE = catalogue()["receiving-care"]
CONFLICT = catalogue()["conflict-patterns"]


def test_it_scores_bids_as_the_share_read_as_expected_with_feedback_per_scene():
    answers = {item.key: item.answer or "" for item in BIDS.items_of("recognised")}
    # Misread three of the twelve scenes: 9 / 12 = 0.75.
    answers["scene-sigh"] = "toward"
    answers["scene-dream"] = "away"
    answers["scene-sunset"] = "against"
    # Self-report: 4, 5, R(2 -> 4), 3: 16 / 4 = 4.0.
    answers |= {"self-stop": "4", "self-quiet": "5", "self-busy": "2", "self-no": "3"}
    result = score(BIDS, answers)
    assert result.scores == {"recognised": 0.75, "turning": 4.0}
    assert result.of("recognised").percent == 75
    assert result.of("recognised").band.key == "good-eye"  # type: ignore[union-attr]
    assert result.of("turning").band.key == "mostly-toward"  # type: ignore[union-attr]
    assert len(result.feedback) == 12
    assert {entry.item.key for entry in result.feedback if not entry.correct} == {
        "scene-sigh",
        "scene-dream",
        "scene-sunset",
    }


@pytest.mark.parametrize(("right", "band"), [(7, "learning"), (8, "good-eye"), (10, "good-eye"), (11, "sharp-eye")])
def test_it_bands_bids_at_their_edges(right, band):
    # 7/12 = 0.58 < 0.6; 8/12 = 0.67; 10/12 = 0.83 < 0.85; 11/12 = 0.92.
    answers: dict[str, str] = {}
    for n, item in enumerate(BIDS.items_of("recognised")):
        wrong = next(option.value for option in item.options if option.value != item.answer)
        answers[item.key] = (item.answer or "") if n < right else wrong
    answers |= {"self-stop": "3", "self-quiet": "3", "self-busy": "3", "self-no": "3"}
    result = score(BIDS, answers)
    assert result.of("recognised").band.key == band  # type: ignore[union-attr]


def test_it_scores_each_pillar_and_bands_it_at_three_and_a_half():
    answers = {item.key: "3" for item in PILLARS.items}
    # Safety: 4, 4, R(2 -> 4) = 4.0. Repair: 4, 3, R(4 -> 2) = 3.0. Play: 4, 4, 2 = 3.33.
    answers |= {"safety-say": "4", "safety-stay": "4", "safety-edit": "2"}
    answers |= {"repair-back": "4", "repair-old": "4"}
    answers |= {"play-laugh": "4", "play-new": "4", "play-touch": "2"}
    # Communication: 4, 4, 3 = 3.67; meaning stays 3.0.
    answers |= {"communication-meaning": "4", "communication-beyond": "4"}
    result = score(PILLARS, answers)
    assert result.scores == {"safety": 4.0, "communication": 3.67, "meaning": 3.0, "repair": 3.0, "play": 3.33}
    bands = {row.dimension.key: row.band.key for row in result.dimensions if row.band}
    assert bands == {
        "safety": "safety-strong",
        "communication": "communication-strong",
        "meaning": "meaning-care",
        "repair": "repair-care",
        "play": "play-care",
    }


def test_it_names_the_way_of_receiving_care_that_scores_highest():
    answers = {item.key: "2" for item in CARE.items}
    answers |= {"time-attention": "5", "time-ordinary": "4", "time-cancelled": "4"}  # 4.33
    answers |= {"touch-hug": "5", "touch-sofa": "5", "touch-hand": "2"}  # 4.0
    result = score(CARE, answers)
    assert result.scores["time"] == 4.33 and result.scores["touch"] == 4.0
    assert result.profile is not None and result.profile.key == "top-time"


def test_it_breaks_a_tie_for_the_top_way_by_the_files_order():
    result = score(CARE, {item.key: "4" for item in CARE.items})
    assert result.profile is not None and result.profile.key == "top-words"


@pytest.mark.parametrize(
    ("answers", "expected", "band"),
    [(("3", "3", "3"), 3.0, "criticism-often"), (("3", "3", "2"), 2.67, "criticism-rare")],
)
def test_it_bands_each_conflict_pattern_from_three(answers, expected, band):
    given = {item.key: "1" for item in CONFLICT.items}
    given |= dict(zip(["criticism-start", "criticism-always", "criticism-character"], answers, strict=True))
    result = score(CONFLICT, {**given, "defensiveness-point": "5"})
    assert result.scores["criticism"] == expected
    assert result.of("criticism").band.key == band  # type: ignore[union-attr]
    # "I find it easy to say you have a point", answered 5 (almost always), counts as 1.
    assert result.scores["defensiveness"] == 1.0
