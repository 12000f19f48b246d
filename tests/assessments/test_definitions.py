"""The data files: every shipped one is valid, and a broken one is refused with a
message that names the file and the fault."""

import copy
import tomllib

import pytest

from assessments.definitions import (
    DATA_DIR,
    AssessmentError,
    Chart,
    Level,
    Method,
    catalogue,
    parse,
    read_assessment,
)
from prompts.models import Family
from rituals.library import library as rituals_library

ATTACHMENT = tomllib.loads((DATA_DIR / "attachment.toml").read_text())
CHECKLIST = tomllib.loads((DATA_DIR / "fading-intimacy.toml").read_text())


def broken(data: dict, change) -> dict:
    data = copy.deepcopy(data)
    change(data)
    return data


def refused(data: dict, message: str) -> None:
    with pytest.raises(AssessmentError, match=message):
        parse(data, "test.toml")


def test_it_reads_every_shipped_assessment():
    shipped = catalogue()
    assert set(shipped) == {path.stem for path in DATA_DIR.glob("*.toml")}
    for slug, assessment in shipped.items():
        assert assessment.slug == slug
        assert assessment.items and assessment.dimensions
        assert assessment.basis


def test_it_ships_an_attachment_assessment_as_the_issue_asks():
    attachment = catalogue()["attachment"]
    assert len(attachment.items) >= 12
    anxiety, avoidance = attachment.items_of("anxiety"), attachment.items_of("avoidance")
    assert len(anxiety) == len(avoidance) == len(attachment.items) // 2
    assert any(item.reverse for item in anxiety) and any(item.reverse for item in avoidance)
    assert all(len(item.options) == 7 for item in attachment.items)
    assert {profile.key for profile in attachment.profiles} == {"secure", "anxious", "avoidant", "fearful-avoidant"}
    assert "ECR-R" in attachment.basis
    assert any("pursue" in note.text for note in attachment.notes)


def test_it_ships_the_eight_signs_with_the_research_bands():
    checklist = catalogue()["fading-intimacy"]
    assert len(checklist.items) == 8
    (signs,) = checklist.dimensions
    assert [band.at_least for band in signs.bands] == [0, 2, 4]
    assert all(band.next_steps for band in signs.bands)


def test_it_refuses_a_file_that_is_not_toml(tmp_path):
    path = tmp_path / "attachment.toml"
    path.write_text("slug = ")
    with pytest.raises(AssessmentError, match=r"attachment.toml is not valid TOML"):
        read_assessment(path)


def test_it_refuses_a_slug_that_does_not_match_the_file_name(tmp_path):
    path = tmp_path / "other.toml"
    path.write_text((DATA_DIR / "attachment.toml").read_text())
    with pytest.raises(AssessmentError, match=r"slug 'attachment' must match the file name"):
        read_assessment(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("basis"), r"test.toml lacks basis"),
        (lambda d: d.update(chart="pie"), r"unknown chart 'pie'"),
        (
            lambda d: d["item"][0].update(dimension="nerves"),
            r"item 'anx-unanswered' scores an unknown dimension 'nerves'",
        ),
        (lambda d: d["item"][1].update(key="anx-unanswered"), r"item key 'anx-unanswered' appears twice"),
        (lambda d: d["item"][0].update(options="agree5"), r"unknown option set 'agree5'"),
        (lambda d: d["item"][0].update(reverse="yes"), r"reverse must be true or false"),
        (lambda d: d["item"][0].pop("text"), r"item #1 lacks text"),
        (lambda d: d["dimension"][0].update(method="median"), r"unknown scoring method 'median'"),
        (lambda d: d["dimension"][0].update(cutoff=9), r"cutoff 9 is outside its scores \(1 to 7\)"),
        (lambda d: d["profile"].pop(), r"profiles must cover each high/low combination"),
        (lambda d: d["profile"][0].update(when={"anxiety": "medium"}), r"when must map dimensions to 'high' or 'low'"),
        (lambda d: d.update(x="nerves"), r"a quadrant chart needs x"),
        (lambda d: d["option_set"][0].update(options=[{"value": 1, "label": "Only"}]), r"needs at least two options"),
        (
            lambda d: d["option_set"][0]["options"].append({"value": 1, "label": "Again"}),
            r"option set 'agree7' repeats a value",
        ),
        (lambda d: d.update(item=[]), r"test.toml has no items"),
        (lambda d: d["profile"][0].pop("text"), r"profile #1 lacks text"),
    ],
)
def test_it_refuses_a_broken_attachment_file(change, message):
    refused(broken(ATTACHMENT, change), message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["dimension"][0]["band"][0].update(at_least=1),
            r"the first band must start at the lowest score, 0",
        ),
        (lambda d: d["dimension"][0]["band"].reverse(), r"bands must go up in at_least"),
        (lambda d: d["dimension"][0]["band"][2].update(at_least=9), r"a band starts above the highest score, 8"),
        (lambda d: d["dimension"][0]["band"][1].pop("at_least"), r"every band needs at_least"),
        (lambda d: d["dimension"][0].pop("band"), r"dimension 'signs' has no bands and there are no profiles"),
        (lambda d: d["dimension"][0]["band"][0].update(next_steps="Rest"), r"next_steps must be a list"),
        (lambda d: d["item"][0].update(answer="maybe"), r"its answer 'maybe' is not one of its options"),
        (lambda d: d["dimension"][0].update(method="correct"), r"scores by correct answers, but an item has no answer"),
        (
            lambda d: d["dimension"][0]["band"][0].update(rituals=["Date night"]),
            r"band #1: rituals names 'Date night', which is not a key in the ritual library",
        ),
    ],
)
def test_it_refuses_a_broken_checklist_file(change, message):
    refused(broken(CHECKLIST, change), message)


def test_it_refuses_reverse_keying_on_word_options():
    data = broken(
        CHECKLIST,
        lambda d: d["option_set"].append(
            {"key": "words", "options": [{"value": "toward", "label": "Toward"}, {"value": "away", "label": "Away"}]}
        ),
    )
    data["item"][0].update(options="words", reverse=True)
    refused(data, r"item 'small-things' is reverse-keyed but its options are not numbers")


def test_it_ships_twelve_bid_scenes_and_names_the_finding():
    bids = catalogue()["bids"]
    scenes = bids.items_of("recognised")
    assert len(scenes) >= 12
    assert {item.answer for item in scenes} == {"toward", "away", "against"}
    assert all(item.feedback for item in scenes)
    assert bids.items_of("turning")
    assert "86%" in bids.basis and "33%" in bids.basis


def test_it_ships_the_five_pillars_as_bars():
    pillars = catalogue()["five-pillars"]
    assert [dimension.label for dimension in pillars.dimensions] == [
        "Emotional safety",
        "Attuned communication",
        "Shared meaning",
        "Repair and forgiveness",
        "Play and pleasure",
    ]
    assert pillars.chart == "bars"


def test_it_names_chapman_without_taking_the_trademark_as_its_title():
    care = catalogue()["receiving-care"]
    assert [dimension.key for dimension in care.dimensions] == ["words", "acts", "gifts", "time", "touch"]
    assert "love language" not in care.title.lower()
    assert "Chapman" in care.basis and "Impett, Park and Muise, 2024" in care.basis


def test_it_pairs_each_conflict_pattern_with_its_antidote():
    conflict = catalogue()["conflict-patterns"]
    assert [dimension.key for dimension in conflict.dimensions] == [
        "criticism",
        "contempt",
        "defensiveness",
        "stonewalling",
    ]
    antidotes = ["gentle start-up", "appreciation", "taking responsibility", "self-soothing"]
    for dimension, antidote in zip(conflict.dimensions, antidotes, strict=True):
        assert antidote in dimension.bands[-1].text.lower()


def test_it_suggests_only_prompt_families_that_exist():
    families = {str(label) for label in Family.labels}
    for assessment in catalogue().values():
        bands = [*assessment.profiles, *(band for dimension in assessment.dimensions for band in dimension.bands)]
        for band in bands:
            assert set(band.prompts) <= families, (assessment.slug, band.key, set(band.prompts) - families)


def test_it_suggests_only_rituals_from_the_library_by_their_titles():
    library = {key: entry.title for key, entry in rituals_library().items()}
    suggested = set()
    for assessment in catalogue().values():
        bands = [*assessment.profiles, *(band for dimension in assessment.dimensions for band in dimension.bands)]
        for band in bands:
            for ritual in band.rituals:
                assert library.get(ritual.key) == ritual.title, (assessment.slug, band.key, ritual.key)
                suggested.add(ritual.key)
    assert len(suggested) > 10


def test_it_names_methods_charts_and_levels_as_choices():
    assert Method.values == ["mean", "sum", "correct"]
    assert Chart.values == ["quadrant", "bars", "count"]
    assert Level.values == ["high", "low"]
    refused(broken(CHECKLIST, lambda d: d.update(chart="pie")), r"unknown chart 'pie' \(use quadrant, bars, count\)")
    assert {dimension.method for assessment in catalogue().values() for dimension in assessment.dimensions} <= set(
        Method
    )
