"""After a scale reveal: the first rule that matches (4 or more apart, either 4 or
lower, both 9 or higher) picks a follow-up; repair asks on the next two days; a
follow-up never asks for another."""

from datetime import timedelta

import pytest
from django.urls import reverse

from prompts.follow_ups import card_text, follow_up_for, repair_steps
from prompts.models import DailyPrompt, FollowUp
from prompts.services import submit_answer

from ..factories import make_day, text_of
from .formats_helpers import make_choice, make_scale


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (5, 8, None),  # 3 apart, neither low nor both high
        (5, 9, FollowUp.DIFFERENCE),  # 4 apart
        (9, 5, FollowUp.DIFFERENCE),  # either order
        (1, 10, FollowUp.DIFFERENCE),  # apart comes before low
        (4, 7, FollowUp.REPAIR),  # 4 is low (3 apart)
        (5, 7, None),  # 5 is not
        (4, 4, FollowUp.REPAIR),
        (9, 9, FollowUp.DEEPEN),
        (8, 9, None),  # 8 is not high
        (10, 9, FollowUp.DEEPEN),
        (7, 10, None),  # 3 apart, 7 not high
    ],
)
def test_it_picks_the_first_rule_that_matches(first, second, expected):
    assert follow_up_for(first, second) == expected


def test_it_has_words_for_every_kind():
    for day_id in range(10):
        assert card_text(FollowUp.DIFFERENCE, day_id)
        assert card_text(FollowUp.DEEPEN, day_id)
        first, second = repair_steps(day_id)
        assert first and second and first != second


def reveal(couple, alice, bob, alice_value: int, bob_value: int, *, prompt=None, date=None) -> DailyPrompt:
    day = make_day(couple, prompt=prompt or make_scale(), date=date)
    submit_answer(daily_prompt=day, user=bob, text="", data={"value": bob_value})
    submit_answer(daily_prompt=day, user=alice, text="", data={"value": alice_value})
    return day


def test_it_asks_two_repair_questions_on_the_next_two_days(alice, bob, couple):
    day = reveal(couple, alice, bob, 3, 5)
    steps = list(DailyPrompt.objects.filter(follow_up_of=day).order_by("date").select_related("prompt"))
    today = couple.local_date()
    assert [step.date for step in steps] == [today + timedelta(days=1), today + timedelta(days=2)]
    assert [step.prompt.text for step in steps] == list(repair_steps(day.pk))
    # The couple's own questions: never in the library, never chosen for anyone else.
    assert all(step.prompt.couple_id == couple.pk and not step.prompt.is_active for step in steps)


def test_it_asks_no_repair_for_other_numbers_or_formats(alice, bob, couple):
    reveal(couple, alice, bob, 5, 7)
    reveal(couple, alice, bob, 9, 9, prompt=make_scale(key="scale-2"), date=couple.local_date() - timedelta(days=1))
    day = make_day(couple, prompt=make_choice(), date=couple.local_date() - timedelta(days=2))
    submit_answer(daily_prompt=day, user=bob, text="", data={"choice": 0, "value": 1})
    submit_answer(daily_prompt=day, user=alice, text="", data={"choice": 1, "value": 1})
    assert not DailyPrompt.objects.filter(follow_up_of__isnull=False).exists()


def test_it_never_lets_a_follow_up_ask_for_another(alice, bob, couple):
    first = reveal(couple, alice, bob, 2, 3)
    step = DailyPrompt.objects.filter(follow_up_of=first).earliest("date")
    # Even were a follow-up day a scale answered low, it asks for nothing more.
    step.prompt = make_scale(key="scale-2")
    step.save()
    submit_answer(daily_prompt=step, user=bob, text="", data={"value": 1})
    submit_answer(daily_prompt=step, user=alice, text="", data={"value": 2})
    assert DailyPrompt.objects.filter(follow_up_of__isnull=False).count() == 2
    assert not DailyPrompt.objects.filter(follow_up_of=step).exists()


def test_it_skips_dates_that_already_have_a_question(alice, bob, couple):
    tomorrow = couple.local_date() + timedelta(days=1)
    make_day(couple, date=tomorrow, prompt=make_choice())
    day = reveal(couple, alice, bob, 4, 4)
    dates = list(DailyPrompt.objects.filter(follow_up_of=day).order_by("date").values_list("date", flat=True))
    assert dates == [tomorrow + timedelta(days=1), tomorrow + timedelta(days=2)]


def test_it_shows_a_gentle_follow_up_on_the_card_for_numbers_far_apart(alice_client, alice, bob, couple):
    day = reveal(couple, alice, bob, 2, 8)
    body = text_of(alice_client.get(reverse("prompts:today")))
    assert card_text(FollowUp.DIFFERENCE, day.pk) in body
    assert "It can wait." in body  # skippable, no blame
    assert not DailyPrompt.objects.filter(follow_up_of=day).exists()


def test_it_shows_a_deepener_at_once_for_two_high_numbers(alice_client, alice, bob, couple):
    day = reveal(couple, alice, bob, 9, 10)
    body = text_of(alice_client.get(reverse("prompts:today")))
    assert card_text(FollowUp.DEEPEN, day.pk) in body


def test_it_tells_of_the_repair_questions_and_shows_nothing_else(alice_client, alice, bob, couple):
    day = reveal(couple, alice, bob, 4, 6)
    body = text_of(alice_client.get(reverse("prompts:today")))
    assert "Over the next two days" in body
    assert card_text(FollowUp.DIFFERENCE, day.pk) not in body


def test_it_shows_no_follow_up_in_the_middle(alice_client, alice, bob, couple):
    reveal(couple, alice, bob, 6, 7)
    body = text_of(alice_client.get(reverse("prompts:today")))
    assert 'class="follow-up' not in body


def test_it_asks_no_follow_up_while_a_partners_follow_ups_are_paused(alice_client, alice, bob, couple):
    # accounts.safety pauses follow-ups for a week after someone was shown the help sheet.
    from django.utils import timezone

    from accounts.models import SafetyPause

    SafetyPause.objects.create(user=bob, until=timezone.now() + timedelta(days=7))
    low = reveal(couple, alice, bob, 3, 5)
    assert not DailyPrompt.objects.filter(follow_up_of=low).exists()
    SafetyPause.objects.create(user=alice, until=timezone.now() + timedelta(days=7))
    far = reveal(couple, alice, bob, 2, 8, prompt=make_scale("scale-2"), date=couple.local_date() - timedelta(days=1))
    body = text_of(alice_client.get(reverse("prompts:day", args=[far.pk])))
    assert card_text(FollowUp.DIFFERENCE, far.pk) not in body
