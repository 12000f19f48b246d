"""Swapping today's question: once a day, while neither partner has answered, for both."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from prompts import services
from prompts.models import Answer, DailyPrompt, Prompt
from prompts.selection import choose_prompt
from prompts.services import SwapRefused, ensure_daily_prompt, swap_daily_prompt

from ..factories import make_answer, make_day, message_of, text_of
from ..races import race

URL = reverse("prompts:swap")
TODAY = reverse("prompts:today")


def swap_form(day: DailyPrompt) -> dict:
    return {"day": day.pk, "prompt": day.prompt_id}


def test_it_gives_the_couple_another_question_that_they_have_not_had(couple, library):
    earlier = make_day(couple, date=couple.local_date() - timedelta(days=1))
    today = ensure_daily_prompt(couple=couple)
    old_prompt = today.prompt_id
    swapped = swap_daily_prompt(couple=couple, daily_prompt=today)
    assert swapped.prompt_id not in {old_prompt, earlier.prompt_id}
    today.refresh_from_db()
    assert today.prompt_id == swapped.prompt_id and today.swapped_from_id == old_prompt


def test_it_never_brings_a_swapped_out_question_back(couple, library):
    today = ensure_daily_prompt(couple=couple)
    set_aside = today.prompt_id
    swap_daily_prompt(couple=couple, daily_prompt=today)
    # The couple's next thirty questions: none is the one they set aside.
    for n in range(1, 31):
        prompt = choose_prompt(couple=couple)
        assert prompt.pk != set_aside
        DailyPrompt.objects.create(couple=couple, date=today.date + timedelta(days=n), prompt=prompt)


def test_it_follows_the_couples_preferences(couple, library):
    services.save_prompt_preferences(couple=couple, excluded_families=["check_in", "love_map"], deepest="light")
    today = ensure_daily_prompt(couple=couple)
    swapped = swap_daily_prompt(couple=couple, daily_prompt=today)
    assert swapped.prompt.family not in {"check_in", "love_map"}
    assert swapped.prompt.depth == "light"


def test_it_swaps_once_a_day(couple, library):
    today = ensure_daily_prompt(couple=couple)
    swapped = swap_daily_prompt(couple=couple, daily_prompt=today)
    with pytest.raises(SwapRefused) as refused:
        swap_daily_prompt(couple=couple, daily_prompt=today)
    assert refused.value.reason == SwapRefused.SWAPPED
    assert DailyPrompt.objects.get(pk=today.pk).prompt_id == swapped.prompt_id


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_it_refuses_once_either_partner_has_answered(couple, library, alice, bob, who):
    today = ensure_daily_prompt(couple=couple)
    make_answer(today, {"alice": alice, "bob": bob}[who], "already here")
    with pytest.raises(SwapRefused) as refused:
        swap_daily_prompt(couple=couple, daily_prompt=today)
    assert refused.value.reason == SwapRefused.ANSWERED
    today.refresh_from_db()
    assert today.swapped_at is None and today.swapped_from_id is None


def test_it_refuses_a_question_a_partner_sent(couple, library, alice):
    services.send_question(couple=couple, user=alice, text="What song is stuck in your head?")
    today = ensure_daily_prompt(couple=couple)
    with pytest.raises(SwapRefused) as refused:
        swap_daily_prompt(couple=couple, daily_prompt=today)
    assert refused.value.reason == SwapRefused.SENT


def test_it_refuses_a_form_naming_a_question_that_is_no_longer_the_days(couple, library):
    today = ensure_daily_prompt(couple=couple)
    other = Prompt.objects.exclude(pk=today.prompt_id).first()
    assert other is not None
    with pytest.raises(SwapRefused) as refused:
        swap_daily_prompt(couple=couple, daily_prompt=today, prompt_id=other.pk)
    assert refused.value.reason == SwapRefused.STALE
    assert DailyPrompt.objects.get(pk=today.pk).prompt_id == today.prompt_id


@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_simultaneous_swaps_win(couple, library):
    today = ensure_daily_prompt(couple=couple)
    first, second = race(
        lambda: swap_daily_prompt(couple=couple, daily_prompt=today, prompt_id=today.prompt_id),
        lambda: swap_daily_prompt(couple=couple, daily_prompt=today, prompt_id=today.prompt_id),
    )
    results = [first, second]
    won = [result for result in results if isinstance(result, DailyPrompt)]
    refused = [result for result in results if isinstance(result, SwapRefused)]
    assert len(won) == 1 and len(refused) == 1, results
    assert DailyPrompt.objects.get(pk=today.pk).prompt_id == won[0].prompt_id


@pytest.mark.django_db(transaction=True)
def test_it_lets_either_an_answer_or_a_swap_win_never_both(couple, library, alice):
    today = ensure_daily_prompt(couple=couple)
    swapped, answered = race(
        lambda: swap_daily_prompt(couple=couple, daily_prompt=today, prompt_id=today.prompt_id),
        lambda: services.submit_answer(daily_prompt=today, user=alice, text="quick answer"),
    )
    assert isinstance(answered, Answer), answered
    day = DailyPrompt.objects.get(pk=today.pk)
    if isinstance(swapped, DailyPrompt):
        # The swap came first: the answer (sent after it) belongs to the new question.
        assert day.swapped_at is not None
        assert answered.created_at >= day.swapped_at  # never an answer let through before it
    else:
        assert isinstance(swapped, SwapRefused) and swapped.reason == SwapRefused.ANSWERED
        assert day.swapped_at is None


def test_it_shows_both_partners_the_new_question_at_once(
    client, alice, bob, couple, library, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    old = client.get(TODAY)  # bob's visit puts today in the cache
    today = DailyPrompt.objects.get(couple=couple)
    assert cache.get(DailyPrompt.today_cache_key(couple.pk, today.date)).prompt_id == today.prompt_id
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, swap_form(today))
    assert response.status_code == 302
    new_prompt = DailyPrompt.objects.get(pk=today.pk).prompt
    assert new_prompt.text != today.prompt.text
    client.force_login(bob)
    body = text_of(client.get(TODAY))
    assert new_prompt.text in body and today.prompt.text not in body
    assert today.prompt.text in text_of(old)


def test_it_offers_the_swap_only_while_neither_has_answered(alice_client, bob, couple, library):
    assert 'action="/today/swap/"' in text_of(alice_client.get(TODAY))
    make_answer(DailyPrompt.objects.get(couple=couple), bob, "bob went first")
    assert 'action="/today/swap/"' not in text_of(alice_client.get(TODAY))


def test_it_hides_the_swap_once_swapped(alice_client, couple, library):
    alice_client.get(TODAY)
    alice_client.post(URL, swap_form(DailyPrompt.objects.get(couple=couple)))
    assert 'action="/today/swap/"' not in text_of(alice_client.get(TODAY))


def test_it_refuses_a_replayed_swap_with_a_message(alice_client, couple, library):
    alice_client.get(TODAY)
    today = DailyPrompt.objects.get(couple=couple)
    form = swap_form(today)
    alice_client.post(URL, form)
    after_first = DailyPrompt.objects.get(pk=today.pk).prompt_id
    response = alice_client.post(URL, form)
    assert response.status_code == 302
    assert "swapped once already" in message_of(response)
    assert DailyPrompt.objects.get(pk=today.pk).prompt_id == after_first


def test_it_refuses_a_swap_after_an_answer_with_a_message(alice_client, alice, couple, library):
    alice_client.post(TODAY, {"text": "mine"})
    today = DailyPrompt.objects.get(couple=couple)
    response = alice_client.post(URL, swap_form(today))
    assert "has answered already" in message_of(response)
    assert DailyPrompt.objects.get(pk=today.pk).prompt_id == today.prompt_id


@pytest.mark.parametrize("data", [{}, {"day": "x", "prompt": "1"}, {"day": "999999", "prompt": "1"}])
def test_it_refuses_a_malformed_swap_and_changes_nothing(alice_client, couple, library, data):
    alice_client.get(TODAY)
    before = DailyPrompt.objects.get(couple=couple).prompt_id
    response = alice_client.post(URL, data)
    assert response.status_code == 302
    assert "has changed since" in message_of(response)
    assert DailyPrompt.objects.get(couple=couple).prompt_id == before


def test_it_answers_htmx_with_a_client_redirect(alice_client, couple, library, htmx):
    alice_client.get(TODAY)
    response = alice_client.post(URL, swap_form(DailyPrompt.objects.get(couple=couple)), **htmx)
    assert response.status_code == 200 and response["HX-Redirect"] == TODAY


def test_it_refuses_get(alice_client, couple, library):
    assert alice_client.get(URL).status_code == 405


def test_it_does_not_save_an_answer_written_to_the_old_question(alice_client, bob, couple, library):
    client = alice_client
    client.get(TODAY)
    today = DailyPrompt.objects.get(couple=couple)
    old_form = {"day": today.pk, "question": today.prompt_id, "text": "written for the old question"}
    swap_daily_prompt(couple=couple, daily_prompt=today)
    response = client.post(TODAY, old_form)
    assert response.status_code == 422
    body = text_of(response)
    assert "written for the old question" in body and "The question changed while you were writing" in body
    assert not Answer.objects.exists()
    # The form now names the new question: sending it again saves.
    new = DailyPrompt.objects.get(pk=today.pk)
    assert f'name="question" value="{new.prompt_id}"' in body
    assert client.post(TODAY, {**old_form, "question": new.prompt_id}).status_code == 302
    assert Answer.objects.get().text == "written for the old question"


def test_it_says_why_on_the_days_own_page_too(alice_client, couple, library):
    alice_client.get(TODAY)
    today = DailyPrompt.objects.get(couple=couple)
    old_form = {"day": today.pk, "question": today.prompt_id, "text": "written for the old question"}
    swap_daily_prompt(couple=couple, daily_prompt=today)
    response = alice_client.post(reverse("prompts:day", args=[today.pk]), old_form)
    assert response.status_code == 422
    body = text_of(response)
    assert "written for the old question" in body and "The question changed while you were writing" in body
    assert not Answer.objects.exists()
