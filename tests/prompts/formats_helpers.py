"""One prompt of each answer format, as the library writes them, for the format tests."""

from prompts.models import Format, Prompt

from ..factories import make_prompt


def make_scale(key: str = "scale") -> Prompt:
    return make_prompt(
        key=key,
        text="How close have you felt this week?",
        format=Format.SCALE,
        format_data={"low": "Far apart", "high": "Very close"},
    )


def make_choice() -> Prompt:
    return make_prompt(
        key="choice",
        text="A quiet night in or a night out?",
        format=Format.CHOICE,
        format_data={"options": ["A quiet night in", "A night out"]},
    )


def make_guess(kind: str = "text") -> Prompt:
    data: dict = {"guess_text": "What do you think your partner would say?"}
    if kind == "choice":
        data["options"] = ["Tea", "Coffee", "Cocoa"]
    elif kind == "scale":
        data.update(low="Not at all", high="Completely")
    return make_prompt(
        key=f"guess-{kind}", text=f"Your answer, {kind}?", format=Format.LOVE_MAP_GUESS, format_data=data
    )


def make_parts() -> Prompt:
    return make_prompt(
        key="parts",
        text="Rose, thorn, bud: your week in three.",
        format=Format.MULTI_PART,
        format_data={"parts": ["Rose", "Thorn", "Bud"]},
    )
