"""Until the today page can answer scales, choices, guesses and parts, a couple's daily
prompt is always a free-text one (the one filter in prompts.selection.choose_prompt)."""

from datetime import date, timedelta

import pytest

from prompts.models import DailyPrompt, Format, Prompt
from prompts.selection import choose_prompt

from ..factories import make_day, make_prompt


def test_it_never_chooses_a_scale_prompt_yet(couple, db):
    make_prompt(
        key="scale", text="How full is your battery?", format=Format.SCALE, format_data={"low": "Empty", "high": "Full"}
    )
    text = make_prompt(key="text", text="What made you smile today?")
    assert choose_prompt(couple=couple) == text
    # Even once the only text prompt has been used, it comes back rather than the scale.
    make_day(couple, prompt=text)
    assert choose_prompt(couple=couple) == text


def test_it_explains_a_library_with_no_text_prompts(couple, db):
    make_prompt(key="scale", format=Format.SCALE, format_data={"low": "Empty", "high": "Full"})
    with pytest.raises(Prompt.DoesNotExist, match="load_prompts"):
        choose_prompt(couple=couple)


def test_it_gives_only_text_prompts_from_the_shipped_library(couple, library):
    assert library.exclude(format=Format.TEXT).count() >= 100
    for n in range(40):
        day = make_day(couple, date=date(2026, 1, 1) + timedelta(days=n), prompt=choose_prompt(couple=couple))
        assert day.prompt.format == Format.TEXT
    assert DailyPrompt.objects.filter(couple=couple).values("prompt").distinct().count() == 40
