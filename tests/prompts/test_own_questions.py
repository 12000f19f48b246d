"""A partner's own question: sent from /questions/, asked on the next new day, shown as
theirs, never in the library or anyone else's day."""

from datetime import date, timedelta

from django.core.management import call_command
from django.urls import reverse

from prompts import services
from prompts.models import DailyPrompt, Prompt, PromptQueueEntry
from prompts.selection import next_for

from ..factories import at, text_of

SEND = reverse("prompts:send_question")


def test_it_asks_sent_questions_first_in_the_order_sent(alice, bob, couple, library):
    services.send_question(couple=couple, user=bob, text="What would you do with a free Tuesday?")
    services.send_question(couple=couple, user=alice, text="Which smell takes you back to childhood?")
    first = services.ensure_daily_prompt(couple=couple, now=at(2026, 3, 1, 9))
    second = services.ensure_daily_prompt(couple=couple, now=at(2026, 3, 2, 9))
    third = services.ensure_daily_prompt(couple=couple, now=at(2026, 3, 3, 9))
    assert (first.prompt.text, first.sent_by_id) == ("What would you do with a free Tuesday?", bob.pk)
    assert (second.prompt.text, second.sent_by_id) == ("Which smell takes you back to childhood?", alice.pk)
    assert third.sent_by_id is None and third.prompt.couple_id is None  # back to the library
    assert not PromptQueueEntry.objects.filter(used_on=None).exists()


def test_it_never_gives_a_couples_question_to_another(alice, couple, other_couple, library):
    services.send_question(couple=couple, user=alice, text="Only for us?")
    prompt, queued = next_for(couple=other_couple)
    assert queued is None and prompt.couple_id is None
    for n in range(30):
        day = services.ensure_daily_prompt(couple=other_couple, now=at(2026, 3, 1, 9) + timedelta(days=n))
        assert day.prompt.text != "Only for us?"


def test_it_keeps_own_questions_when_the_library_is_loaded_again(alice, couple, library):
    entry = services.send_question(couple=couple, user=alice, text="Ours, not the library's")
    call_command("load_prompts")
    assert Prompt.objects.filter(pk=entry.prompt_id).exists()
    assert not Prompt.objects.library().filter(text="Ours, not the library's").exists()


def test_it_shows_whose_question_it_is_on_today(alice_client, client, bob, couple, library):
    services.send_question(couple=couple, user=bob, text="What made you laugh this week?")
    body = text_of(alice_client.get(reverse("prompts:today")))
    assert "What made you laugh this week?" in body and "Bob's question" in body
    client.force_login(bob)
    assert "Your question" in text_of(client.get(reverse("prompts:today")))


def test_it_sends_a_question_from_the_page(alice_client, alice, couple, library):
    response = alice_client.post(SEND, {"text": "  Where would you   go for one day?  "})
    assert response.status_code == 302
    entry = PromptQueueEntry.objects.get()
    assert (entry.sent_by_id, entry.prompt.text) == (alice.pk, "Where would you go for one day?")
    assert "Where would you go for one day?" in text_of(alice_client.get(reverse("prompts:questions")))


def test_it_answers_htmx_with_the_section(alice_client, couple, library, htmx):
    response = alice_client.post(SEND, {"text": "Tea or coffee, and why?"}, **htmx)
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="own-questions"' in body and "Sent." in body and "Tea or coffee, and why?" in body


def test_it_does_not_show_the_partner_their_surprise(client, alice_client, bob, couple, library):
    alice_client.post(SEND, {"text": "A surprise for Bob"})
    client.force_login(bob)
    assert "A surprise for Bob" not in text_of(client.get(reverse("prompts:questions")))


def test_it_refuses_an_empty_long_or_broken_question_and_keeps_it(alice_client, couple, library):
    assert alice_client.post(SEND, {"text": "   "}).status_code == 422
    long = "Why " * 60
    response = alice_client.post(SEND, {"text": long})
    assert response.status_code == 422 and "under 200 characters" in text_of(response)
    assert long.strip() in text_of(response)
    assert alice_client.post(SEND, {"text": "Bell\x07 sound?"}).status_code == 422
    assert not PromptQueueEntry.objects.exists()


def test_it_caps_what_one_person_has_waiting(alice_client, alice, couple, library):
    for n in range(services.MAX_QUEUED_PER_PERSON):
        services.send_question(couple=couple, user=alice, text=f"Question {n}?")
    response = alice_client.post(SEND, {"text": "One too many?"})
    assert response.status_code == 422 and "waiting already" in text_of(response)
    assert PromptQueueEntry.objects.count() == services.MAX_QUEUED_PER_PERSON


def test_it_lets_the_sender_take_a_question_back_and_nobody_else(alice_client, client, bob, couple, library):
    entry = services.send_question(couple=couple, user=bob, text="Mine to take back")
    url = reverse("prompts:withdraw_question", args=[entry.pk])
    assert alice_client.post(url).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not PromptQueueEntry.objects.exists() and not Prompt.objects.filter(pk=entry.prompt_id).exists()


def test_it_keeps_an_asked_question(alice, couple, library):
    entry = services.send_question(couple=couple, user=alice, text="Asked already")
    day = services.ensure_daily_prompt(couple=couple, now=at(2026, 3, 1, 9))
    entry.refresh_from_db()
    assert entry.used_on == day.date == date(2026, 3, 1)
    services.withdraw_question(entry=entry)
    assert DailyPrompt.objects.get(pk=day.pk).prompt.text == "Asked already"
