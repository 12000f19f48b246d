"""Crisis phrases (accounts.safety): a match never blocks, hides or reveals anything; the
writer sees a calm sheet once, their follow-ups pause, and the partner learns nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import SafetyPause
from accounts.safety import mentions_crisis, pause_follow_ups, user_follow_ups_paused
from prompts.models import Answer, Prompt
from prompts.services import submit_answer

from ..factories import make_day, signed_in, text_of

TODAY = reverse("prompts:today")
QUESTIONS = reverse("prompts:questions")
SEND = reverse("prompts:send_question")
HEAVY = "Honestly some nights I want to die, and I don't know who to tell."
SHEET = 'id="safety-sheet"'


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",
        "Sometimes I think about SUICIDE.",
        "I can\u2019t go on like this",  # a curly apostrophe
        "i cant   go\non",
        "thinking of hurting   myself again",
        "He hits me when he drinks",
        "Ich bin sehr m\u00fcde and I feel suicidal",
        "I'm scared for my life",
        "self-harm",
    ],
)
def test_it_recognises_crisis_phrases_however_they_are_typed(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying to see you tonight",
        "The show was so funny I nearly died",
        "We killed it at the quiz",
        "He hit the road early",
        "I could go on about your laugh",
        "Overdosed on cake? Never.",  # a different word: phrases match whole words
        "",
    ],
)
def test_it_lets_everyday_words_through(text):
    assert not mentions_crisis(text)


def test_it_pauses_follow_ups_for_a_while_and_then_resumes(alice, bob):
    now = timezone.now()
    assert not user_follow_ups_paused(alice, now)
    pause_follow_ups(user=alice, now=now)
    assert user_follow_ups_paused(alice, now + timedelta(days=6))
    assert not user_follow_ups_paused(alice, now + timedelta(days=8))
    assert not user_follow_ups_paused(bob, now)
    pause_follow_ups(user=alice, now=now + timedelta(days=5))  # a later match extends, one row
    assert SafetyPause.objects.filter(user=alice).count() == 1
    assert user_follow_ups_paused(alice, now + timedelta(days=11))


def test_it_saves_the_answer_shows_the_writer_the_sheet_once_and_pauses(alice, bob, couple, library):
    client = signed_in(alice)
    response = client.post(TODAY, {"text": HEAVY}, follow=True)
    assert response.status_code == 200
    assert Answer.objects.get(user=alice).text == HEAVY  # saved as written, nothing blocked
    body = text_of(response)
    assert SHEET in body and "findahelpline.com" in body
    assert user_follow_ups_paused(alice) and not user_follow_ups_paused(bob)
    assert SHEET not in text_of(client.get(TODAY))  # once


def test_it_shows_the_sheet_in_the_htmx_fragment_too(alice, couple, library):
    response = signed_in(alice).post(TODAY, {"text": HEAVY}, HTTP_HX_REQUEST="true")
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body
    assert SHEET in body


@override_settings(CRISIS_LINES=["Samaritans (UK and Ireland): call 116 123", "988 Lifeline (US): call or text 988"])
def test_it_lists_the_deployers_crisis_lines(alice, couple, library):
    body = text_of(signed_in(alice).post(TODAY, {"text": HEAVY}, follow=True))
    assert "call 116 123" in body and "call or text 988" in body
    assert "findahelpline.com" not in body


def test_it_never_tells_the_partner(alice, bob, couple, library):
    day = make_day(couple)
    signed_in(alice).post(TODAY, {"text": HEAVY})
    bobs = signed_in(bob)
    for url in (TODAY, reverse("prompts:history"), QUESTIONS, reverse("prompts:today_status", args=[day.pk])):
        assert SHEET not in text_of(bobs.get(url)), url
    bobs_answer = bobs.post(TODAY, {"text": "A quiet walk"}, follow=True)  # the reveal shows words, not the sheet
    assert HEAVY in text_of(bobs_answer) and SHEET not in text_of(bobs_answer)
    for message in mail.outbox:
        assert "findahelpline" not in message.body and "want to die" not in message.body


def test_it_shows_no_sheet_for_everyday_answers(alice, couple, library):
    response = signed_in(alice).post(TODAY, {"text": "We laughed until we cried"}, follow=True)
    assert SHEET not in text_of(response)
    assert not user_follow_ups_paused(alice)


def test_it_checks_a_question_of_ones_own_too(alice, bob, couple):
    client = signed_in(alice)
    response = client.post(SEND, {"text": "Do you ever feel like you can't go on?"}, follow=True)
    assert response.status_code == 200
    assert Prompt.objects.filter(couple=couple).count() == 1  # sent, not blocked
    assert SHEET in text_of(response)
    assert user_follow_ups_paused(alice)
    assert SHEET not in text_of(client.get(QUESTIONS))
    htmx = client.post(
        SEND, {"text": "Have you ever wanted to hurt yourself? I have wanted to hurt myself."}, HTTP_HX_REQUEST="true"
    )
    assert SHEET in text_of(htmx) and "<html" not in text_of(htmx)
    assert SHEET not in text_of(signed_in(bob).get(QUESTIONS))


def test_it_shows_the_sheet_on_the_page_after_a_reply_or_a_note(alice, bob, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="A quiet walk")
    submit_answer(daily_prompt=day, user=bob, text="The rain")
    client = signed_in(alice)
    page = client.post(reverse("prompts:reply", args=[day.pk]), {"reply": HEAVY}, follow=True)
    assert page.status_code == 200 and SHEET in text_of(page)  # the day's page it lands on
    assert user_follow_ups_paused(alice)
    assert SHEET not in text_of(client.get(TODAY))  # once
    page = client.post(reverse("prompts:note", args=[day.pk]), {"text": HEAVY}, follow=True)
    assert SHEET in text_of(page)


def test_it_checks_an_evening_answer_too(alice, bob, couple):
    from prompts.evenings import shipped
    from prompts.services import start_evening

    evening_set = next(iter(shipped()[1].values()))
    start_evening(couple=couple, user=alice, evening_set=evening_set)
    client = signed_in(alice)
    url = reverse("prompts:evening", args=[evening_set.slug])
    htmx = client.post(url, {"number": 1, "text": HEAVY}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and SHEET in text_of(htmx)  # in the card that comes back
    assert user_follow_ups_paused(alice)
    assert SHEET not in text_of(client.get(url))  # once
