from datetime import date, timedelta

import pytest

from couples.models import Couple
from prompts.models import DailyPrompt, Depth, Family, Prompt, PromptPreferences
from prompts.selection import choose_prompt
from prompts.services import ensure_daily_prompt

from ..factories import at, make_couple, make_prompt, make_user


def give_days(couple: Couple, count: int, start: date = date(2026, 1, 1)) -> list[DailyPrompt]:
    return [
        DailyPrompt.objects.create(couple=couple, date=start + timedelta(days=n), prompt=choose_prompt(couple=couple))
        for n in range(count)
    ]


def test_it_does_not_repeat_until_the_library_is_used_up(couple, library):
    size = library.count()  # every format: the whole library
    days = give_days(couple, size)
    assert len({day.prompt_id for day in days}) == size


def test_it_brings_back_the_least_recently_used_after_that(couple, library):
    size = library.count()  # every format: the whole library
    days = give_days(couple, size + 3)
    assert [day.prompt_id for day in days[size:]] == [day.prompt_id for day in days[:3]]


def test_it_starts_light_and_lets_depth_rise_over_the_first_weeks(couple, library):
    depths = [day.prompt.depth for day in give_days(couple, 70)]
    assert depths[:7] == [Depth.LIGHT] * 7
    assert Depth.VULNERABLE not in depths[:21]
    assert depths[7:21].count(Depth.DEEPER) == 5  # every third day of weeks two and three
    for week in range(3, 10):
        days = depths[week * 7 : week * 7 + 7]
        assert (days.count(Depth.LIGHT), days.count(Depth.DEEPER), days.count(Depth.VULNERABLE)) == (4, 2, 1)


def test_it_takes_the_nearest_depth_when_the_days_depth_is_used_up(couple, db):
    light = make_prompt(key="light", text="Light one", depth=Depth.LIGHT)
    deeper = make_prompt(key="deeper", text="Deeper one", depth=Depth.DEEPER)
    vulnerable = make_prompt(key="vulnerable", text="Vulnerable one", depth=Depth.VULNERABLE)
    assert [day.prompt for day in give_days(couple, 3)] == [light, deeper, vulnerable]


def test_it_is_deterministic_for_a_couple(couple, library):
    assert choose_prompt(couple=couple) == choose_prompt(couple=couple)


def test_it_differs_between_couples(library, db):
    firsts = set()
    for n in range(6):
        pair = make_couple(make_user(f"a{n}@example.com", "A"), make_user(f"b{n}@example.com", "B"))
        firsts.add(choose_prompt(couple=pair).pk)
    assert len(firsts) > 1


def test_it_skips_deactivated_prompts(couple, db):
    make_prompt(key="gone", is_active=False)
    kept = make_prompt(key="kept")
    assert choose_prompt(couple=couple) == kept


def test_it_makes_one_daily_prompt_per_local_date(couple, library):
    couple.time_zone = "Pacific/Auckland"
    couple.save()
    # 2026-11-21 11:30 UTC is already 2026-11-22 00:30 in Auckland.
    first = ensure_daily_prompt(couple=couple, now=at(2026, 11, 21, 11, 30))
    again = ensure_daily_prompt(couple=couple, now=at(2026, 11, 21, 20, 0))
    assert first.pk == again.pk
    assert first.date == date(2026, 11, 22)
    next_day = ensure_daily_prompt(couple=couple, now=at(2026, 11, 22, 11, 30))
    assert next_day.date == date(2026, 11, 23)
    assert next_day.prompt_id != first.prompt_id


def test_it_brings_a_new_prompt_even_when_yesterdays_is_unanswered(couple, library):
    yesterday = ensure_daily_prompt(couple=couple, now=at(2026, 11, 20, 12))
    today = ensure_daily_prompt(couple=couple, now=at(2026, 11, 21, 12))
    assert today.date == yesterday.date + timedelta(days=1)
    assert yesterday.revealed_at is None


def test_it_explains_an_empty_library(couple, db):
    with pytest.raises(Prompt.DoesNotExist, match="load_prompts"):
        choose_prompt(couple=couple)


def test_it_leaves_out_the_families_a_couple_left_out(couple, library):
    PromptPreferences.objects.create(couple=couple, excluded_families=[Family.CHECK_IN, Family.NEEDS])
    families = {day.prompt.family for day in give_days(couple, 60)}
    assert Family.CHECK_IN not in families and Family.NEEDS not in families


def test_it_keeps_to_the_depth_a_couple_chose(couple, library):
    PromptPreferences.objects.create(couple=couple, deepest=Depth.LIGHT)
    assert {day.prompt.depth for day in give_days(couple, 40)} == {Depth.LIGHT}


def test_it_still_asks_something_when_the_choice_leaves_nothing(couple, db):
    only = make_prompt(key="only", text="The one question", depth=Depth.VULNERABLE)
    PromptPreferences.objects.create(couple=couple, deepest=Depth.LIGHT)
    assert choose_prompt(couple=couple) == only
