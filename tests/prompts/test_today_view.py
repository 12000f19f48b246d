from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse

from couples.decorators import COUPLE_HINT
from couples.services import unpair
from prompts.models import Answer, DailyPrompt

from ..factories import make_answer, make_couple, make_day, make_prompt, make_ritual, text_of

URL = reverse("prompts:today")


def test_it_shows_todays_prompt_and_a_form(alice_client, couple, library):
    response = alice_client.get(URL)
    assert response.status_code == 200
    day = DailyPrompt.objects.get(couple=couple)
    assert day.date == couple.local_date()
    assert day.prompt.text in text_of(response)
    assert 'name="text"' in text_of(response)


def test_it_saves_an_answer_and_shows_the_waiting_state(alice_client, alice, couple, library):
    response = alice_client.post(URL, {"text": "A walk in the rain"}, follow=True)
    assert response.status_code == 200
    assert Answer.objects.get(user=alice).text == "A walk in the rain"
    body = text_of(response)
    assert "hidden until Bob answers" in body
    assert "every 5s" in body


def test_it_reveals_both_answers_when_the_second_arrives(alice_client, alice, bob, couple, library):
    day = make_day(couple)
    make_answer(day, bob, "Bob's own words")
    response = alice_client.post(URL, {"text": "Alice's own words"}, follow=True)
    body = text_of(response)
    assert "Bob's own words" in body and "Alice's own words" in body
    assert 'class="reveal"' in body
    day.refresh_from_db()
    assert day.revealed_at is not None


def test_it_keeps_the_typed_text_when_the_answer_is_too_long(alice_client, couple, library, htmx):
    text = "x" * 2001
    response = alice_client.post(URL, {"text": text}, **htmx)
    assert response.status_code == 422
    body = text_of(response)
    assert text in body
    assert "under 2000 characters" in body
    assert "<html" not in body
    assert not Answer.objects.exists()


def test_it_asks_for_words_when_the_answer_is_empty(alice_client, couple, library):
    response = alice_client.post(URL, {"text": "   \r\n  "})
    assert response.status_code == 422
    assert "Write a few words first" in text_of(response)
    assert not Answer.objects.exists()


def test_it_counts_a_line_break_once(alice_client, alice, couple, library):
    text = "ab\r\n" * 666 + "ab"  # 2666 sent, 2000 once CRLF counts as one
    response = alice_client.post(URL, {"text": text})
    assert response.status_code == 302
    assert len(Answer.objects.get(user=alice).text) == 2000


def test_it_lets_an_answer_change_until_the_reveal(alice_client, alice, bob, couple, library):
    alice_client.post(URL, {"text": "first thought"})
    alice_client.post(URL, {"text": "second thought"})
    assert Answer.objects.get(user=alice).text == "second thought"
    make_answer(DailyPrompt.objects.get(), bob, "bob answers")
    DailyPrompt.objects.update(revealed_at="2026-01-01T00:00:00Z")
    response = alice_client.post(URL, {"text": "third thought"}, follow=True)
    assert Answer.objects.get(user=alice).text == "second thought"
    assert "this day is settled" in text_of(response)


def test_it_returns_only_the_card_to_htmx(alice_client, couple, library, htmx):
    response = alice_client.post(URL, {"text": "fragment please"}, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body
    assert 'id="today"' in body
    assert "fragment please" in body


def test_it_sends_someone_without_a_partner_to_pairing(client, charlie, library):
    client.force_login(charlie)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("couples:couple")


def test_it_redirects_signed_out_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_it_refuses_other_methods(alice_client, couple, library):
    assert alice_client.put(URL).status_code == 405


class TestPolling:
    def test_it_answers_204_while_the_partner_has_not_answered(self, alice_client, alice, couple, library, htmx):
        day = make_day(couple)
        make_answer(day, alice, "mine")
        response = alice_client.get(reverse("prompts:today_status", args=[day.pk]), **htmx)
        assert response.status_code == 204
        assert response.content == b""

    def test_it_swaps_in_the_reveal_once_both_answered(self, alice_client, alice, bob, couple, library, htmx):
        day = make_day(couple)
        make_answer(day, alice, "mine")
        make_answer(day, bob, "theirs")
        day.revealed_at = day.created_at
        day.save()
        response = alice_client.get(reverse("prompts:today_status", args=[day.pk]), **htmx)
        assert response.status_code == 200
        assert response.headers["HX-Retarget"] == "#today"
        assert response.headers["HX-Reswap"] == "outerHTML"
        body = text_of(response)
        assert "theirs" in body and "<html" not in body and "every 5s" not in body

    def test_it_is_a_404_for_another_couples_day(self, client, charlie, other_couple, couple, library, htmx):
        day = make_day(couple)
        client.force_login(charlie)
        assert client.get(reverse("prompts:today_status", args=[day.pk]), **htmx).status_code == 404

    def test_it_refuses_post(self, alice_client, couple, library):
        day = make_day(couple)
        assert alice_client.post(reverse("prompts:today_status", args=[day.pk])).status_code == 405


def test_it_tells_htmx_to_go_to_pairing_after_an_unpair(alice_client, couple, library, htmx):
    from couples.services import unpair

    day = make_day(couple)
    unpair(couple=couple)
    response = alice_client.get(reverse("prompts:today_status", args=[day.pk]), **htmx)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == reverse("couples:couple")


def test_it_saves_an_answer_sent_after_midnight_with_the_question_that_was_shown(
    alice_client, alice, couple, library, htmx
):
    from datetime import timedelta

    yesterday = make_day(couple, date=couple.local_date() - timedelta(days=1), prompt=library[0])
    response = alice_client.post(URL, {"day": yesterday.pk, "text": "typed before midnight"}, **htmx)
    assert response.headers["HX-Redirect"] == URL
    answer = Answer.objects.get(user=alice)
    assert answer.daily_prompt == yesterday
    today = DailyPrompt.objects.get(couple=couple, date=couple.local_date())
    assert not today.answers.exists()
    assert "A new question has arrived" in text_of(alice_client.get(URL))


def test_it_is_a_404_to_answer_another_couples_day(alice_client, alice, couple, other_couple, library):
    theirs = make_day(other_couple)
    response = alice_client.post(URL, {"day": theirs.pk, "text": "not mine to answer"})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_it_refuses_a_malformed_day_and_keeps_the_text(alice_client, couple, library):
    response = alice_client.post(URL, {"day": "yesterday", "text": "kept words"})
    assert response.status_code == 422
    assert "kept words" in text_of(response)
    assert not Answer.objects.exists()


def test_it_keeps_the_questions_family_and_depth_codes_off_the_card(alice_client, couple, db, htmx):
    """The card shows the question, not how the library files it ("sentence_stem",
    "Vulnerable"): those words mean nothing to a couple, or worry them."""
    prompt = make_prompt(key="stem-1", text="I feel close to you when...", family="sentence_stem", depth="vulnerable")
    make_day(couple, prompt=prompt)
    card = text_of(alice_client.get(URL, **htmx))
    assert "I feel close to you when..." in card
    for word in ("sentence_stem", "Sentence stem", "vulnerable", "Vulnerable"):
        assert word not in card


# --- Cache round trips: one get_many for the couple and the rest -----------------------


def a_full_today(couple, alice, bob) -> DailyPrompt:
    """Today's day (a question answered in words), a ritual every day, and a day from
    yesterday to catch up on: every entry /today/ reads from the cache has something."""
    make_ritual(couple, title="Evening walk")
    yesterday = make_day(couple, date=couple.local_date() - timedelta(days=1))
    make_answer(yesterday, bob, "Bob's yesterday")
    return make_day(couple, prompt=make_prompt(key="cache-today"))


def shows_the_whole_page(body: str) -> bool:
    return "Evening walk" in body and "Catch up on" in body


@pytest.mark.parametrize("state", ["answer", "waiting", "revealed"])
def test_it_reads_the_cache_once_when_warm(alice_client, alice, bob, couple, library, cache_calls, state):
    day = a_full_today(couple, alice, bob)
    alice_client.get(URL)  # the first visit fills the cache
    if state in ("waiting", "revealed"):
        make_answer(day, alice, "Alice's words")
    if state == "revealed":
        make_answer(day, bob, "Bob's words")
        DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
    alice_client.get(URL)  # a revealed day is marked seen on its first showing
    cache_calls.clear()
    body = text_of(alice_client.get(URL))
    assert shows_the_whole_page(body)
    assert [name for name, _key in cache_calls] == ["get_many"], cache_calls
    if state == "revealed":
        assert "Bob's words" in body
        assert DailyPrompt.seen_by([(couple.pk, day.date, alice.pk)])


def test_it_reads_the_cache_once_for_htmx(alice_client, alice, bob, couple, library, cache_calls, htmx):
    alice_client.get(URL)
    cache_calls.clear()
    assert alice_client.get(URL, **htmx).status_code == 200
    assert [name for name, _key in cache_calls] == ["get_many"], cache_calls


def test_it_falls_back_to_the_database_on_a_cold_cache(alice_client, alice, bob, couple, library, cache_calls):
    day = a_full_today(couple, alice, bob)
    make_answer(day, alice, "Alice's words")
    make_answer(day, bob, "Bob's words")
    DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
    caches["default"].clear()
    cache_calls.clear()
    body = text_of(alice_client.get(URL))
    assert shows_the_whole_page(body) and "Bob's words" in body
    # Each miss is read from the database and remembered, and the reveal marked seen.
    assert [name for name, _key in cache_calls].count("set") == 2, cache_calls
    assert DailyPrompt.seen_by([(couple.pk, day.date, alice.pk)])
    cache_calls.clear()
    assert shows_the_whole_page(text_of(alice_client.get(URL)))
    assert len(cache_calls) == 1, cache_calls


def test_it_reads_the_couple_first_until_the_session_knows_it(alice_client, alice, bob, couple, library, cache_calls):
    alice_client.get(URL)  # fills the cache, and notes the couple in the session
    session = alice_client.session
    del session[COUPLE_HINT]
    session.save()
    cache_calls.clear()
    assert alice_client.get(URL).status_code == 200
    assert [name for name, _key in cache_calls] == ["get", "get_many"], cache_calls
    assert alice_client.session[COUPLE_HINT] == [couple.pk, couple.time_zone]
    cache_calls.clear()
    alice_client.get(URL)
    assert [name for name, _key in cache_calls] == ["get_many"], cache_calls


def test_it_never_shows_the_day_of_the_couple_the_session_remembers_when_it_is_not_theirs(
    alice_client, alice, bob, charlie, couple, library, cache_calls, django_capture_on_commit_callbacks
):
    """After Alice unpairs and pairs with Charlie, her session still names the old
    couple: what was read for it is dropped, and the page is her new couple's."""
    old_day = make_day(couple, prompt=make_prompt(key="old-couple", text="A question for Alice and Bob"))
    make_answer(old_day, alice, "Alice to Bob")
    make_answer(old_day, bob, "Bob to Alice")
    DailyPrompt.objects.filter(pk=old_day.pk).update(revealed_at=old_day.created_at)
    assert "Bob to Alice" in text_of(alice_client.get(URL))  # remembered: the old couple's day
    with django_capture_on_commit_callbacks(execute=True):
        unpair(couple=couple)
    new_couple = make_couple(alice, charlie)
    new_day = make_day(new_couple, prompt=make_prompt(key="new-couple", text="A question for Alice and Charlie"))
    assert alice_client.session[COUPLE_HINT] == [couple.pk, couple.time_zone]
    body = text_of(alice_client.get(URL))
    assert "A question for Alice and Charlie" in body
    assert "Bob to Alice" not in body and "A question for Alice and Bob" not in body
    assert alice_client.session[COUPLE_HINT] == [new_couple.pk, new_couple.time_zone]
    assert new_day.date == old_day.date
