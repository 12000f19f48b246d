"""Sending a question from the library: browse one family a page at a time on
/questions/, send one, and it joins the couple's queue as the sender's."""

import pytest
from django.urls import reverse

from prompts import services
from prompts.models import DailyPrompt, Format, Prompt, PromptQueueEntry
from prompts.services import ensure_daily_prompt

from ..factories import message_of, text_of

PAGE = reverse("prompts:questions")
SEND = reverse("prompts:send_library_question")


def family_prompts(family: str = "check_in"):
    return Prompt.objects.library().active().filter(format=Format.TEXT, family=family).order_by("depth", "pk")


def test_it_lists_one_family_a_page_at_a_time(alice_client, couple, library):
    prompts = list(family_prompts())
    assert len(prompts) > 10
    body = text_of(alice_client.get(PAGE, {"family": "check_in"}))
    assert prompts[0].text in body and prompts[10].text not in body
    assert "Page 1 of" in body
    second = text_of(alice_client.get(PAGE, {"family": "check_in", "page": 2}))
    assert prompts[10].text in second and prompts[0].text not in second
    other = Prompt.objects.library().exclude(family="check_in").first()
    assert other is not None and other.text not in body


def test_it_shows_no_list_until_a_family_is_picked(alice_client, couple, library):
    body = text_of(alice_client.get(PAGE))
    assert "Send one from the library" in body and 'name="prompt"' not in body


def test_it_refuses_an_unknown_family_with_a_message(alice_client, couple, library):
    response = alice_client.get(PAGE, {"family": "astrology"})
    assert response.status_code == 400
    assert "not one we know" in text_of(response)


def test_it_reads_a_page_past_the_end_as_the_last(alice_client, couple, library):
    assert alice_client.get(PAGE, {"family": "check_in", "page": 999}).status_code == 200


def test_it_sends_a_library_question_that_becomes_the_next_day_shown_as_the_senders(
    alice_client, client, alice, bob, couple, library
):
    prompt = family_prompts()[3]
    response = alice_client.post(SEND, {"prompt": prompt.pk, "family": "check_in", "page": 1})
    assert response.status_code == 302 and "family=check_in" in response["Location"]
    entry = PromptQueueEntry.objects.get()
    assert (entry.prompt, entry.sent_by, entry.couple) == (prompt, alice, couple)
    day = ensure_daily_prompt(couple=couple)
    assert day.prompt == prompt and day.sent_by == alice
    client.force_login(bob)
    assert "Alice's question" in text_of(client.get(reverse("prompts:today")))
    # Taking back a library question leaves the library as it is.
    assert Prompt.objects.filter(pk=prompt.pk).exists()


def test_it_refuses_the_same_question_twice_in_the_queue(alice_client, client, bob, couple, library):
    prompt = family_prompts()[0]
    alice_client.post(SEND, {"prompt": prompt.pk})
    client.force_login(bob)
    response = client.post(SEND, {"prompt": prompt.pk})
    assert "waiting to be asked already" in message_of(response)
    assert PromptQueueEntry.objects.count() == 1


def test_it_shares_the_cap_with_ones_own_questions(alice_client, alice, couple, library):
    for n in range(services.MAX_QUEUED_PER_PERSON):
        services.send_question(couple=couple, user=alice, text=f"own question {n}")
    response = alice_client.post(SEND, {"prompt": family_prompts()[0].pk})
    assert "questions waiting already" in message_of(response)
    assert PromptQueueEntry.objects.count() == services.MAX_QUEUED_PER_PERSON


@pytest.mark.parametrize("data", [{}, {"prompt": "x"}, {"prompt": "1", "family": "astrology"}])
def test_it_refuses_a_malformed_send_and_changes_nothing(alice_client, couple, library, data):
    response = alice_client.post(SEND, data)
    assert response.status_code == 302
    assert "could not be sent" in message_of(response)
    assert not PromptQueueEntry.objects.exists()


def test_it_gives_404_for_a_question_outside_the_library(alice_client, charlie, dana, couple, other_couple, library):
    services.send_question(couple=other_couple, user=charlie, text="charlie's own")
    theirs = Prompt.objects.get(couple=other_couple)
    inactive = family_prompts()[0]
    Prompt.objects.filter(pk=inactive.pk).update(is_active=False)
    for prompt in (theirs, inactive):
        assert alice_client.post(SEND, {"prompt": prompt.pk}).status_code == 404
    assert not PromptQueueEntry.objects.filter(couple=couple).exists()
    assert DailyPrompt.objects.count() == 0


def test_it_refuses_get(alice_client, couple):
    assert alice_client.get(SEND).status_code == 405
