"""Scoring: pure functions from an assessment and its answers to a result. No database,
no requests: the same answers always give the same result, signed in or not.

Answers are a dict of item key -> option value (as the form sends it, a string).
"""

from dataclasses import dataclass

from .definitions import Assessment, Band, Dimension, Item, Level, Method


class IncompleteAnswers(ValueError):
    """Scoring needs an answer to every item, each one of its options."""


def item_score(item: Item, value: str) -> float:
    """One answer's contribution to its dimension. A reverse-keyed item counts from the
    other end of its scale (on 1 to 7, an answer of 2 counts as 6); a scene counts 1 when
    the answer is the expected one, else 0."""
    option = item.option(value)
    if option is None:
        raise IncompleteAnswers(f"{value!r} is not an option of item {item.key!r}")
    if item.answer is not None:
        return 1.0 if option.value == item.answer else 0.0
    assert option.score is not None
    if item.reverse:
        return float(item.lowest + item.highest - option.score)
    return float(option.score)


def dimension_score(dimension: Dimension, items: tuple[Item, ...], answers: dict[str, str]) -> float:
    """mean: the average item score; sum: the total; correct: the share answered as
    expected (0 to 1). Rounded to two places, so band edges compare exactly."""
    scores = []
    for item in items:
        if item.key not in answers:
            raise IncompleteAnswers(f"item {item.key!r} has no answer")
        scores.append(item_score(item, answers[item.key]))
    if dimension.method == Method.SUM:
        return round(sum(scores), 2)
    return round(sum(scores) / len(scores), 2)


def score_all(assessment: Assessment, answers: dict[str, str]) -> dict[str, float]:
    return {
        dimension.key: dimension_score(dimension, assessment.items_of(dimension.key), answers)
        for dimension in assessment.dimensions
    }


def band_for(dimension: Dimension, score: float) -> Band | None:
    """The band whose range holds the score: the last one starting at or below it."""
    found = None
    for band in dimension.bands:
        assert band.at_least is not None
        if score >= band.at_least:
            found = band
    return found


def level(dimension: Dimension, score: float) -> str:
    """'high' from the cutoff up, else 'low'."""
    assert dimension.cutoff is not None
    return Level.HIGH if score >= dimension.cutoff else Level.LOW


def top_dimensions(assessment: Assessment, scores: dict[str, float]) -> list[Dimension]:
    """The dimensions that share the highest score, in the file's order."""
    best = max(scores[dimension.key] for dimension in assessment.dimensions)
    return [dimension for dimension in assessment.dimensions if scores[dimension.key] == best]


def profile_for(assessment: Assessment, scores: dict[str, float]) -> Band | None:
    """The result for the whole assessment, when it has profiles: the one whose
    high/low pattern matches, or the one for the top dimension (ties: the first)."""
    for profile in assessment.profiles:
        if profile.when and all(
            level(assessment.dimension(key), scores[key]) == wanted for key, wanted in profile.when
        ):
            return profile
    if assessment.profiles and assessment.profiles[0].top is not None:
        top = top_dimensions(assessment, scores)[0]
        return next(profile for profile in assessment.profiles if profile.top == top.key)
    return None


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    score: float
    band: Band | None

    @property
    def share(self) -> float:
        """Where the score sits between the lowest and highest possible, 0 to 1."""
        span = self.dimension.highest - self.dimension.lowest
        return (self.score - self.dimension.lowest) / span if span else 0.0

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def level(self) -> str | None:
        return level(self.dimension, self.score) if self.dimension.cutoff is not None else None


@dataclass(frozen=True)
class ItemFeedback:
    item: Item
    chosen: str
    correct: bool


@dataclass(frozen=True)
class Result:
    assessment: Assessment
    scores: dict[str, float]
    dimensions: tuple[DimensionResult, ...]
    profile: Band | None
    feedback: tuple[ItemFeedback, ...]

    def of(self, key: str) -> DimensionResult:
        return next(result for result in self.dimensions if result.dimension.key == key)


def result_from_scores(assessment: Assessment, scores: dict[str, float], answers: dict[str, str]) -> Result:
    """A result from stored scores (a saved attempt), with feedback where answers allow."""
    dimensions = tuple(
        DimensionResult(dimension, scores[dimension.key], band_for(dimension, scores[dimension.key]))
        for dimension in assessment.dimensions
    )
    feedback = tuple(
        ItemFeedback(item, answers[item.key], answers[item.key] == item.answer)
        for item in assessment.items
        if item.answer is not None and item.key in answers
    )
    return Result(assessment, scores, dimensions, profile_for(assessment, scores), feedback)


def saved_result(assessment: Assessment, scores: dict, answers: dict) -> Result | None:
    """The result of a saved attempt: its stored scores, or, if the assessment has
    gained a dimension since, its answers scored again; None when neither fits any
    more (the file changed its items), so a page can say so instead of failing."""
    if all(dimension.key in scores for dimension in assessment.dimensions):
        return result_from_scores(assessment, scores, answers)
    try:
        return score(assessment, answers)
    except IncompleteAnswers:
        return None


def score(assessment: Assessment, answers: dict[str, str]) -> Result:
    """The result of a complete set of answers; IncompleteAnswers if any is missing or
    not one of its item's options."""
    return result_from_scores(assessment, score_all(assessment, answers), answers)


def differs(dimension: Dimension, mine: float, theirs: float) -> bool:
    """Worth talking about: the two scores fall in different bands (or on different
    sides of the cutoff), or lie at least `differ_by` apart."""
    if abs(mine - theirs) >= dimension.differ_by:
        return True
    if dimension.bands and band_for(dimension, mine) != band_for(dimension, theirs):
        return True
    return dimension.cutoff is not None and level(dimension, mine) != level(dimension, theirs)
