"""Selection picks every format now that the today page answers and reveals each one
(prompts.formats): scales, choices, Love Map guesses and parts join free text."""

from datetime import date, timedelta

import pytest

from prompts.models import DailyPrompt, Format, Prompt
from prompts.selection import choose_prompt

from ..factories import make_day, make_prompt


def test_it_chooses_a_scale_prompt_when_it_is_the_only_one(couple, db):
    scale = make_prompt(
        key="scale", text="How full is your battery?", format=Format.SCALE, format_data={"low": "Empty", "high": "Full"}
    )
    assert choose_prompt(couple=couple) == scale


def test_it_still_explains_an_empty_library(couple, db):
    with pytest.raises(Prompt.DoesNotExist, match="load_prompts"):
        choose_prompt(couple=couple)


def test_it_gives_every_format_from_the_shipped_library_without_repeats(couple, library):
    days = []
    for n in range(120):
        days.append(make_day(couple, date=date(2026, 1, 1) + timedelta(days=n), prompt=choose_prompt(couple=couple)))
    assert {day.prompt.format for day in days} == set(Format.values)
    assert DailyPrompt.objects.filter(couple=couple).values("prompt").distinct().count() == 120
