"""Catch-up: an unanswered day stays answerable for 7 days (today and the 6 before
it), in its own format, and is revealed when both have answered. Older, future and
other couples' days are refused and change nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from prompts.models import Answer, DailyPrompt
from prompts.services import submit_answer

from ..factories import make_day, make_prompt, text_of
from .formats_helpers import make_choice, make_scale

TODAY = reverse("prompts:today")


def url(day: DailyPrompt) -> str:
    return reverse("prompts:day", args=[day.pk])


def days_ago(couple, n: int, **extra) -> DailyPrompt:
    return make_day(couple, date=couple.local_date() - timedelta(days=n), **extra)


@pytest.mark.parametrize(
    ("offset", "answerable"), [(0, True), (-1, True), (-6, True), (-7, False), (-30, False), (1, False)]
)
def test_it_knows_which_days_can_be_answered(offset, answerable, couple):
    today = date(2026, 3, 10)
    day = DailyPrompt(couple=couple, date=today + timedelta(days=offset))
    assert day.is_answerable_on(today) is answerable


def test_it_links_unanswered_days_of_the_week_from_today(alice_client, alice, couple, library):
    tuesday = days_ago(couple, 2, prompt=library[0])
    answered = days_ago(couple, 3, prompt=library[1])
    submit_answer(daily_prompt=answered, user=alice, text="done")
    days_ago(couple, 7, prompt=library[2])  # too old now
    body = text_of(alice_client.get(TODAY))
    name = tuesday.date.strftime("%A")
    assert f"Catch up on {name}'s question" in body
    assert body.count("Catch up on") == 1
    assert url(tuesday) in body


def test_it_links_the_same_days_from_history(alice_client, alice, couple, library):
    past = days_ago(couple, 1, prompt=library[0])
    body = text_of(alice_client.get(reverse("prompts:history")))
    assert url(past) in body and "Catch up on" in body


def test_it_answers_a_past_day_in_its_own_format_and_reveals_it(alice_client, alice, bob, couple, htmx):
    past = days_ago(couple, 3, prompt=make_scale())
    body = text_of(alice_client.get(url(past)))
    assert past.prompt.text in body and 'name="value"' in body
    assert f'action="{url(past)}"' in body
    response = alice_client.post(url(past), {"day": past.pk, "value": "7"})
    assert response.status_code == 302 and response["Location"] == url(past)
    assert Answer.objects.get(user=alice, daily_prompt=past).data == {"value": 7}
    assert "hidden until Bob answers" in text_of(alice_client.get(url(past)))
    submit_answer(daily_prompt=past, user=bob, text="", data={"value": 6})
    body = text_of(alice_client.get(url(past), **htmx))
    assert "<html" not in body and 'class="reveal"' in body and ">6<" in body


def test_it_keeps_what_was_typed_when_a_past_answer_is_wrong(alice_client, couple, htmx):
    past = days_ago(couple, 2, prompt=make_scale())
    response = alice_client.post(url(past), {"day": past.pk, "value": "12", "text": "kept note"}, **htmx)
    assert response.status_code == 422
    assert "kept note" in text_of(response) and "Pick a number" in text_of(response)
    assert not Answer.objects.exists()


def test_it_closes_a_day_older_than_a_week(alice_client, couple):
    old = days_ago(couple, 7, prompt=make_choice())
    body = text_of(alice_client.get(url(old)))
    assert "has closed" in body and 'name="choice"' not in body
    response = alice_client.post(url(old), {"day": old.pk, "choice": "0"})
    assert response.status_code == 422
    assert "closed" in text_of(response) and "Nothing was saved" in text_of(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("offset", [-7, -40, 1])
def test_it_refuses_a_tampered_day_id_on_today(alice_client, couple, library, offset):
    tampered = make_day(couple, date=couple.local_date() + timedelta(days=offset), prompt=make_prompt())
    response = alice_client.post(TODAY, {"day": tampered.pk, "text": "typed words"})
    assert response.status_code == 422
    body = text_of(response)
    assert "Nothing was saved" in body and "typed words" in body
    assert not Answer.objects.exists()


def test_it_refuses_a_malformed_day_id(alice_client, couple, library):
    make_day(couple, prompt=make_prompt())
    response = alice_client.post(TODAY, {"day": "12abc", "text": "typed words"})
    assert response.status_code == 422
    assert "typed words" in text_of(response)
    assert not Answer.objects.exists()


def test_it_accepts_a_day_of_the_week_on_today(alice_client, alice, couple, library):
    past = days_ago(couple, 6, prompt=make_prompt())
    response = alice_client.post(TODAY, {"day": past.pk, "text": "late but here"})
    assert response.status_code == 302
    assert Answer.objects.get(user=alice).daily_prompt == past


def test_it_gives_404_for_another_couples_day(client, charlie, other_couple, couple, library):
    theirs = days_ago(couple, 1, prompt=library[0])
    client.force_login(charlie)
    assert client.get(url(theirs)).status_code == 404
    assert client.post(url(theirs), {"day": theirs.pk, "text": "x"}).status_code == 404
    assert client.post(TODAY, {"day": theirs.pk, "text": "x"}).status_code == 404
    assert not Answer.objects.exists()


def test_it_refuses_other_methods(alice_client, couple, library):
    past = days_ago(couple, 1, prompt=library[0])
    assert alice_client.put(url(past)).status_code == 405


def test_it_sends_a_visitor_to_sign_in(client, couple, library):
    past = days_ago(couple, 1, prompt=library[0])
    assert client.get(url(past)).status_code == 302
