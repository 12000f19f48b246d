"""The named states of a day, with no HTTP: DailyPrompt.state_for, is_revealed_to and
DailyPrompt.objects.revealed()."""

from couples.services import unpair
from prompts.models import DailyPrompt, TodayState
from prompts.services import submit_answer

from ..factories import make_answer, make_day


def fresh(day: DailyPrompt) -> DailyPrompt:
    return DailyPrompt.objects.get(pk=day.pk)


def test_it_asks_for_an_answer_first(alice, couple, library):
    day = make_day(couple)
    assert day.state_for(alice) == TodayState.ANSWER
    assert not day.is_revealed_to(alice)


def test_it_asks_for_an_answer_even_when_the_partner_has_answered(alice, bob, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=bob, text="bob first")
    assert fresh(day).state_for(alice) == TodayState.ANSWER


def test_it_waits_for_the_partner(alice, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="mine")
    assert fresh(day).state_for(alice) == TodayState.WAITING
    assert not fresh(day).is_revealed_to(alice)


def test_it_reveals_to_both_members_once_both_answered(alice, bob, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="mine")
    submit_answer(daily_prompt=day, user=bob, text="theirs")
    day = fresh(day)
    assert day.is_revealed_to(alice) and day.is_revealed_to(bob)
    assert day.state_for(alice) == day.state_for(bob) == TodayState.REVEALED


def test_it_reveals_nothing_to_a_member_who_did_not_answer(alice, bob, couple, library):
    day = make_day(couple)
    make_answer(day, bob, "theirs")
    DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
    assert not fresh(day).is_revealed_to(alice)


def test_it_reveals_nothing_to_an_outsider(alice, bob, charlie, couple, other_couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="mine")
    submit_answer(daily_prompt=day, user=bob, text="theirs")
    assert not fresh(day).is_revealed_to(charlie)
    assert fresh(day).state_for(charlie) == TodayState.ANSWER


def test_it_reveals_nothing_once_the_couple_has_unpaired(alice, bob, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="mine")
    submit_answer(daily_prompt=day, user=bob, text="theirs")
    unpair(couple=couple)
    assert not fresh(day).is_revealed_to(alice)


def test_it_lists_revealed_days(alice, bob, couple, library):
    from datetime import timedelta

    revealed = make_day(couple)
    waiting = make_day(couple, date=revealed.date - timedelta(days=1))
    submit_answer(daily_prompt=revealed, user=alice, text="a")
    submit_answer(daily_prompt=revealed, user=bob, text="b")
    submit_answer(daily_prompt=waiting, user=alice, text="a")
    assert list(DailyPrompt.objects.revealed()) == [revealed]


def test_it_reads_the_answers_once_per_user(alice, bob, couple, library, django_assert_num_queries):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="mine")
    day = fresh(day)
    with django_assert_num_queries(1):
        day.state_for(alice)
        day.is_revealed_to(alice)
        day.answers_visible_to(alice)
