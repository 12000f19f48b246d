"""Answers for the assessments, as a form would post them."""

from assessments.definitions import get


def post_data(slug: str, value: str | None = None, **overrides: str) -> dict[str, str]:
    """Every item answered with `value` (default: each item's first option), as form
    fields; overrides by item key."""
    assessment = get(slug)
    assert assessment is not None
    data = {item.field_name: value if value is not None else item.options[0].value for item in assessment.items}
    data.update({f"q-{key}": answer for key, answer in overrides.items()})
    return data


def answers(slug: str, value: str | None = None, **overrides: str) -> dict[str, str]:
    """The same, keyed by item key, as scoring and Attempt.answers take them."""
    return {field.removeprefix("q-"): answer for field, answer in post_data(slug, value, **overrides).items()}


def signs(count: int) -> dict[str, str]:
    """The fading-intimacy checklist with the first `count` signs ticked."""
    assessment = get("fading-intimacy")
    assert assessment is not None
    return {item.key: "1" if number < count else "0" for number, item in enumerate(assessment.items)}
