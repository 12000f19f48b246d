"""Each answer format on /today/: answered in its own form, hidden until both have
answered, revealed side by side; bad input is refused, kept, and changes nothing."""

import re

from django.core.cache import cache
from django.urls import reverse

from prompts.models import Answer
from prompts.services import submit_answer

from ..factories import make_day, text_of
from .formats_helpers import make_choice, make_guess, make_parts, make_scale

URL = reverse("prompts:today")


def cards(body: str) -> list[str]:
    """The answer cards of a page, in order (You first)."""
    return re.findall(r'<figure class="answer answer-(?:you|partner)">(.*?)</figure>', body, re.S)


def test_it_reveals_a_scale_with_both_numbers_and_notes(alice_client, alice, bob, couple):
    day = make_day(couple, prompt=make_scale())
    submit_answer(daily_prompt=day, user=bob, text="Busy week for me", data={"value": 6})
    response = alice_client.post(URL, {"day": day.pk, "value": "8", "text": "Lovely walk"}, follow=True)
    body = text_of(response)
    assert Answer.objects.get(user=alice).data == {"value": 8}
    you, partner = cards(body)
    assert "You" in you and ">8<" in you and "Lovely walk" in you
    assert "Bob" in partner and ">6<" in partner and "Busy week for me" in partner


def test_it_refuses_a_number_outside_the_scale_and_keeps_the_note(alice_client, couple, htmx):
    day = make_day(couple, prompt=make_scale())
    for value in ("11", "0", "seven", ""):
        response = alice_client.post(URL, {"day": day.pk, "value": value, "text": "my kept note"}, **htmx)
        assert response.status_code == 422
        body = text_of(response)
        assert "Pick a number from 1 to 10." in body
        assert "my kept note" in body
        assert "<html" not in body
    assert not Answer.objects.exists()


def test_it_keeps_the_picked_number_when_the_note_is_too_long(alice_client, couple):
    day = make_day(couple, prompt=make_scale())
    response = alice_client.post(URL, {"day": day.pk, "value": "4", "text": "x" * 2001})
    assert response.status_code == 422
    assert re.search(r'value="4" checked', response.content.decode())
    assert not Answer.objects.exists()


def test_it_reveals_the_chosen_options(alice_client, alice, bob, couple):
    day = make_day(couple, prompt=make_choice())
    submit_answer(daily_prompt=day, user=bob, text="", data={"choice": 1})
    body = text_of(alice_client.post(URL, {"day": day.pk, "choice": "0"}, follow=True))
    you, partner = cards(body)
    assert "A quiet night in" in you and "A night out" not in you
    assert "A night out" in partner


def test_it_refuses_an_unknown_option(alice_client, couple):
    day = make_day(couple, prompt=make_choice())
    for choice in ("2", "-1", "A night out", ""):
        response = alice_client.post(URL, {"day": day.pk, "choice": choice})
        assert response.status_code == 422
        assert "Pick one of the options" in text_of(response)
    assert not Answer.objects.exists()


def test_it_shows_both_guesses_and_how_close_each_came_on_a_scale(alice_client, bob, couple):
    day = make_day(couple, prompt=make_guess("scale"))
    submit_answer(daily_prompt=day, user=bob, text="", data={"value": 7, "guess": 5})
    body = text_of(alice_client.post(URL, {"day": day.pk, "value": "5", "guess": "4"}, follow=True))
    you, partner = cards(body)
    # alice guessed 4 for bob's 7: 3 away; bob guessed 5 for alice's 5: spot on.
    assert "3 away" in you and "Spot on" not in you
    assert "Spot on" in partner


def test_it_says_whether_a_choice_guess_was_the_same(alice_client, bob, couple):
    day = make_day(couple, prompt=make_guess("choice"))
    submit_answer(daily_prompt=day, user=bob, text="", data={"choice": 2, "guess": 1})
    body = text_of(alice_client.post(URL, {"day": day.pk, "choice": "0", "guess": "2"}, follow=True))
    you, partner = cards(body)
    assert "Guessed right" in you and "Tea" in you and "Cocoa" in you
    assert "A different pick" in partner and "Coffee" in partner


def test_it_shows_worded_guesses_side_by_side_without_a_score(alice_client, bob, couple):
    day = make_day(couple, prompt=make_guess("text"))
    submit_answer(daily_prompt=day, user=bob, text="A long bath", data={"guess": "A run in the park"})
    body = text_of(alice_client.post(URL, {"day": day.pk, "text": "A good book", "guess": "A long bath"}, follow=True))
    you, partner = cards(body)
    assert "A good book" in you and "A long bath" in you
    assert "A long bath" in partner and "A run in the park" in partner
    assert 'class="closeness"' not in body


def test_it_asks_for_the_guess_too(alice_client, couple):
    day = make_day(couple, prompt=make_guess("text"))
    response = alice_client.post(URL, {"day": day.pk, "text": "A good book", "guess": ""})
    assert response.status_code == 422
    assert "A good book" in text_of(response)
    assert not Answer.objects.exists()


def test_it_reveals_parts_one_by_one_side_by_side(alice_client, bob, couple):
    day = make_day(couple, prompt=make_parts())
    submit_answer(daily_prompt=day, user=bob, text="", data={"parts": ["b-rose", "b-thorn", "b-bud"]})
    body = text_of(
        alice_client.post(URL, {"day": day.pk, "part_0": "a-rose", "part_1": "a-thorn", "part_2": "a-bud"}, follow=True)
    )
    order = [body.index(word) for word in ("Rose", "a-rose", "b-rose", "Thorn", "a-thorn", "b-thorn", "Bud", "a-bud")]
    assert order == sorted(order)


def test_it_refuses_an_empty_part_and_keeps_the_others(alice_client, couple):
    day = make_day(couple, prompt=make_parts())
    response = alice_client.post(URL, {"day": day.pk, "part_0": "a-rose", "part_1": " ", "part_2": "a-bud"})
    assert response.status_code == 422
    body = text_of(response)
    assert "a-rose" in body and "a-bud" in body and "Write a few words first" in body
    assert not Answer.objects.exists()


def switch(day, prompt) -> None:
    """Give the day another question (and forget /today/'s cached copy of it)."""
    day.prompt = prompt
    day.save()
    cache.clear()


INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff \u202a\u202c"


def test_it_counts_invisible_characters_as_empty_in_every_text_part(alice_client, couple):
    today = make_day(couple)
    assert alice_client.post(URL, {"day": today.pk, "text": INVISIBLE}).status_code == 422
    switch(today, make_parts())
    posted = {"day": today.pk, "part_0": "a-rose", "part_1": INVISIBLE, "part_2": "a-bud"}
    assert alice_client.post(URL, posted).status_code == 422
    switch(today, make_guess("text"))
    assert alice_client.post(URL, {"day": today.pk, "text": "A book", "guess": INVISIBLE}).status_code == 422
    assert not Answer.objects.exists()
    # A scale's note is optional: made of invisible characters, it is saved as none.
    switch(today, make_scale())
    assert alice_client.post(URL, {"day": today.pk, "value": "5", "text": INVISIBLE}).status_code == 302
    assert Answer.objects.get().text == ""


def test_it_offers_the_saved_answer_to_change_while_waiting(alice_client, alice, couple):
    day = make_day(couple, prompt=make_parts())
    submit_answer(daily_prompt=day, user=alice, text="", data={"parts": ["a-rose", "a-thorn", "a-bud"]})
    # The waiting page shows the answer; its form comes when "Change my answer" opens.
    body = text_of(alice_client.get(URL))
    assert "Change my answer" in body
    assert body.count("a-thorn") == 1
    assert 'hx-get="/today/?change=1"' in body and 'href="/today/?change=1"' in body
    assert 'name="part_1"' not in body
    # Without script, the link opens the page with the form, open.
    opened = text_of(alice_client.get(URL, {"change": "1"}))
    assert opened.count("a-thorn") == 2  # shown, and in its box to change
    assert '<details class="disclosure" open>' in opened
    # With htmx, the card comes with the form, which the page keeps (hx-select).
    card = text_of(alice_client.get(URL, {"change": "1"}, headers={"HX-Request": "true"}))
    form = re.search(r'<div class="change-answer">(.*?)</form>', card, re.S)
    assert form is not None and 'name="part_1"' in form.group(1) and "a-thorn" in form.group(1)
    assert "<html" not in card


def test_it_asks_for_no_change_form_outside_the_wait(alice_client, alice, bob, couple):
    day = make_day(couple, prompt=make_parts())
    to_answer = text_of(alice_client.get(URL, {"change": "1"}))
    assert 'name="part_1"' in to_answer and "change-answer" not in to_answer
    submit_answer(daily_prompt=day, user=alice, text="", data={"parts": ["a-rose", "a-thorn", "a-bud"]})
    submit_answer(daily_prompt=day, user=bob, text="", data={"parts": ["b-rose", "b-thorn", "b-bud"]})
    revealed = text_of(alice_client.get(URL, {"change": "1"}))
    assert "b-thorn" in revealed and 'name="part_1"' not in revealed


def test_it_labels_every_option_for_its_own_radio(alice_client, couple):
    make_day(couple, prompt=make_guess("choice"))
    body = alice_client.get(URL).content.decode()
    ids = re.findall(r'<label for="([^"]+)"><input type="radio" name="(?:choice|guess)" id="([^"]+)"', body)
    assert len(ids) == 6
    assert all(label == radio for label, radio in ids)
    assert len({radio for _, radio in ids}) == 6


def test_it_shows_each_format_the_same_way_on_history(alice_client, alice, bob, couple):
    day = make_day(couple, prompt=make_guess("scale"))
    submit_answer(daily_prompt=day, user=bob, text="", data={"value": 7, "guess": 6})
    submit_answer(daily_prompt=day, user=alice, text="", data={"value": 6, "guess": 9})
    body = text_of(alice_client.get(reverse("prompts:history")))
    you, partner = cards(body)
    assert "2 away" in you and "Spot on" in partner


def test_it_shows_only_ones_own_parts_on_history_while_waiting(alice_client, alice, bob, couple):
    day = make_day(couple, prompt=make_parts())
    submit_answer(daily_prompt=day, user=alice, text="", data={"parts": ["a-rose", "a-thorn", "a-bud"]})
    body = text_of(alice_client.get(reverse("prompts:history")))
    (you,) = cards(body)
    assert "Thorn" in you and "a-thorn" in you
    assert "hidden until they answer" in body


def test_it_exports_each_answer_in_words_with_its_values(alice_client, alice, bob, couple):
    day = make_day(couple, prompt=make_scale())
    submit_answer(daily_prompt=day, user=bob, text="", data={"value": 3})
    submit_answer(daily_prompt=day, user=alice, text="calm", data={"value": 7})
    (entry,) = alice_client.get(reverse("privacy:export_json")).json()["answers"]
    assert entry["yours"] == "7 of 10. calm" and entry["your_data"] == {"value": 7}
    assert entry["partners"]["text"] == "3 of 10" and entry["partners"]["data"] == {"value": 3}
