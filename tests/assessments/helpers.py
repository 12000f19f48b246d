"""Answers for the assessments, as a form would post them."""

from assessments.definitions import get


def post_data(slug: str, value: str | None = None, *, last: bool = False, **overrides: str) -> dict[str, str]:
    """Every item answered with `value` (default: each item's first option, or its last
    with `last=True`), as form fields; overrides by item key."""
    assessment = get(slug)
    assert assessment is not None
    pick = -1 if last else 0
    data = {item.field_name: value if value is not None else item.options[pick].value for item in assessment.items}
    data.update({f"q-{key}": answer for key, answer in overrides.items()})
    return data


def answers(slug: str, value: str | None = None, *, last: bool = False, **overrides: str) -> dict[str, str]:
    """The same, keyed by item key, as scoring and Attempt.answers take them."""
    data = post_data(slug, value, last=last, **overrides)
    return {field.removeprefix("q-"): answer for field, answer in data.items()}


def signs(count: int) -> dict[str, str]:
    """The fading-intimacy checklist with the first `count` signs ticked."""
    assessment = get("fading-intimacy")
    assert assessment is not None
    return {item.key: "1" if number < count else "0" for number, item in enumerate(assessment.items)}
