"""The waiting poll, every 5 s per waiting partner: 204 from the session and the cache
(cheaper than a signed-in request: no user row), the reveal through request.user and
the visibility rule, and nothing stale after an unpair."""

import pytest
from django.test import Client
from django.urls import reverse

from couples.models import Couple
from couples.services import unpair
from prompts.models import DailyPrompt
from prompts.services import submit_answer

from ..factories import make_answer, make_day, text_of


@pytest.fixture
def waiting_day(couple, alice, library) -> DailyPrompt:
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="alice waits")
    return day


def status_url(day: DailyPrompt) -> str:
    return reverse("prompts:today_status", args=[day.pk])


def test_it_answers_204_for_the_session_alone(alice_client, waiting_day, htmx, django_assert_num_queries):
    assert alice_client.get(status_url(waiting_day), **htmx).status_code == 204  # fills the cache
    with django_assert_num_queries(1):  # the session; the user row is not needed for a 204
        response = alice_client.get(status_url(waiting_day), **htmx)
    assert response.status_code == 204
    assert response.content == b""


def test_it_answers_204_from_the_database_when_the_cache_is_cold(alice_client, waiting_day, htmx):
    from django.core.cache import cache

    cache.clear()
    assert alice_client.get(status_url(waiting_day), **htmx).status_code == 204


def test_it_is_a_404_for_another_couples_day_without_a_couple_lookup(
    alice_client, charlie, other_couple, waiting_day, htmx, django_assert_max_num_queries
):
    alice_client.get(status_url(waiting_day), **htmx)  # alice's polls know whose day it is
    charlie_client = Client()
    charlie_client.force_login(charlie)
    assert charlie_client.get(status_url(waiting_day), **htmx).status_code == 404  # charlie's couple is remembered
    with django_assert_max_num_queries(2):  # the session, and the user for the 404 page
        response = charlie_client.get(status_url(waiting_day), **htmx)
    assert response.status_code == 404
    assert "alice waits" not in text_of(response)


def test_it_is_a_404_for_another_couples_day_on_a_cold_cache(client, charlie, other_couple, waiting_day, htmx):
    client.force_login(charlie)
    assert client.get(status_url(waiting_day), **htmx).status_code == 404


def test_it_swaps_in_the_reveal_when_the_partner_answers(
    alice_client, bob, waiting_day, htmx, django_capture_on_commit_callbacks
):
    assert alice_client.get(status_url(waiting_day), **htmx).status_code == 204
    assert alice_client.get(status_url(waiting_day), **htmx).status_code == 204  # from the cache now
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(daily_prompt=waiting_day, user=bob, text="bob's reply")
    response = alice_client.get(status_url(waiting_day), **htmx)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#today"
    body = text_of(response)
    assert "bob's reply" in body and "alice waits" in body
    assert 'class="reveal"' in body and "<html" not in body and "every 5s" not in body


def test_it_shows_nothing_for_a_reveal_mark_the_database_does_not_confirm(alice_client, bob, waiting_day, htmx):
    make_answer(waiting_day, bob, "bob's unrevealed words")  # no reveal recorded on the day
    alice_client.get(status_url(waiting_day), **htmx)
    waiting_day.remember_revealed()
    response = alice_client.get(status_url(waiting_day), **htmx)
    assert response.status_code == 204
    assert "bob's unrevealed words" not in text_of(response)


def test_it_shows_a_revealed_day_to_no_one_after_an_unpair(
    alice_client, bob, couple, waiting_day, htmx, django_capture_on_commit_callbacks
):
    bob_client = Client()
    bob_client.force_login(bob)
    alice_client.get(status_url(waiting_day), **htmx)
    bob_client.get(status_url(waiting_day), **htmx)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(daily_prompt=waiting_day, user=bob, text="bob's words")
        unpair(couple=couple)
    for partner in (alice_client, bob_client):
        response = partner.get(status_url(waiting_day), **htmx)
        assert "alice waits" not in text_of(response) and "bob's words" not in text_of(response)
        assert response.headers["HX-Redirect"] == reverse("couples:couple")


def test_it_stops_answering_as_a_couple_after_an_unpair(
    alice_client, couple, waiting_day, htmx, django_capture_on_commit_callbacks
):
    assert alice_client.get(status_url(waiting_day), **htmx).status_code == 204
    assert alice_client.get(status_url(waiting_day), **htmx).status_code == 204  # cached
    with django_capture_on_commit_callbacks(execute=True):
        unpair(couple=couple)
    response = alice_client.get(status_url(waiting_day), **htmx)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == reverse("couples:couple")


def test_it_keeps_the_unpair_when_a_slow_request_remembers_the_old_couple(
    alice_client, alice, couple, waiting_day, htmx, django_capture_on_commit_callbacks
):
    """A request that read the couple just before the unpair and writes the cache just
    after it must not bring the couple back."""
    stale = Couple.objects.current_for(alice)
    assert stale is not None
    alice_client.get(status_url(waiting_day), **htmx)
    with django_capture_on_commit_callbacks(execute=True):
        unpair(couple=couple)
    stale.remember_as_current_for(alice)
    waiting_day.remember_couple()
    response = alice_client.get(status_url(waiting_day), **htmx)
    assert response.status_code != 204
    assert response.headers["HX-Redirect"] == reverse("couples:couple")


def test_it_sends_a_signed_out_poll_to_sign_in(client, waiting_day, htmx):
    response = client.get(status_url(waiting_day), **htmx)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_it_is_a_404_for_a_day_that_does_not_exist(alice_client, couple, library, htmx):
    assert alice_client.get(reverse("prompts:today_status", args=[999_999]), **htmx).status_code == 404
    assert alice_client.get(f"/today/{10**30}/status/", **htmx).status_code == 404  # beyond any id column


def test_it_refuses_other_methods(alice_client, waiting_day):
    assert alice_client.post(status_url(waiting_day)).status_code == 405
    assert alice_client.delete(status_url(waiting_day)).status_code == 405


def test_it_shows_the_reveal_only_to_a_session_that_still_holds(alice, bob, waiting_day, htmx):
    """The 204 trusts the session's word for who is asking; the reveal does not. Once
    alice's password changes, her old session may get a 204, never bob's words."""
    old_session = Client()
    old_session.force_login(alice)
    assert old_session.get(status_url(waiting_day), **htmx).status_code == 204
    alice.set_password("a new passphrase, changed elsewhere")
    alice.save()
    submit_answer(daily_prompt=waiting_day, user=bob, text="bob's words, for alice's eyes")
    waiting_day.remember_revealed()
    response = old_session.get(status_url(waiting_day), **htmx)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert "bob's words" not in text_of(response)
