from datetime import date, timedelta

import pytest

from couples.models import Couple
from prompts.models import DailyPrompt, Depth, Format, Prompt
from prompts.selection import choose_prompt
from prompts.services import ensure_daily_prompt

from ..factories import at, make_couple, make_prompt, make_user


def give_days(couple: Couple, count: int, start: date = date(2026, 1, 1)) -> list[DailyPrompt]:
    return [
        DailyPrompt.objects.create(couple=couple, date=start + timedelta(days=n), prompt=choose_prompt(couple=couple))
        for n in range(count)
    ]


def test_it_does_not_repeat_until_the_library_is_used_up(couple, library):
    size = library.filter(format=Format.TEXT).count()
    days = give_days(couple, size)
    assert len({day.prompt_id for day in days}) == size


def test_it_brings_back_the_least_recently_used_after_that(couple, library):
    size = library.filter(format=Format.TEXT).count()
    days = give_days(couple, size + 3)
    assert [day.prompt_id for day in days[size:]] == [day.prompt_id for day in days[:3]]


def test_it_starts_light_and_grows_deeper(couple, library):
    days = give_days(couple, library.filter(format=Format.TEXT).count())
    depths = [day.prompt.depth for day in days]
    order: dict[str, int] = {Depth.LIGHT: 0, Depth.DEEPER: 1, Depth.VULNERABLE: 2}
    assert depths == sorted(depths, key=lambda depth: order[depth])


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
