"""Swap, history search and stars, and an evening together, in two phone-sized
browsers under the real CSP, each page checked with axe."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from prompts.models import DailyPrompt, EveningAnswer, Favourite, PromptQueueEntry
from prompts.services import submit_answer
from tests.e2e.helpers import sign_in
from tests.factories import make_couple, make_day, make_user

pytestmark = pytest.mark.browser


def test_it_swaps_today_then_finds_and_stars_a_past_day(live_server, transactional_db, library, phone, check_page):
    url = live_server.url
    alice_user, bob_user = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    couple = make_couple(alice_user, bob_user)
    past = make_day(couple, date=couple.local_date() - timedelta(days=2), prompt=library[5])
    submit_answer(daily_prompt=past, user=alice_user, text="We watched the kingfisher by the canal")
    submit_answer(daily_prompt=past, user=bob_user, text="Still thinking about that bird")

    alice = phone("alice")
    sign_in(alice, url, "alice@example.com")
    first = alice.locator(".prompt-text").inner_text()
    check_page(alice, "today with a swap offered")
    alice.get_by_role("button", name="Not this one today? Swap it").click()
    expect(alice.get_by_text("Here is another question")).to_be_visible()
    expect(alice.locator(".prompt-text")).not_to_have_text(first)
    expect(alice.get_by_role("button", name="Not this one today? Swap it")).to_have_count(0)
    check_page(alice, "today after a swap")

    bob = phone("bob")
    sign_in(bob, url, "bob@example.com")
    expect(bob.locator(".prompt-text")).to_have_text(DailyPrompt.objects.get(date=couple.local_date()).prompt.text)

    alice.goto(f"{url}/history/")
    alice.get_by_text("Search and filter").click()
    alice.get_by_label("Search your days").fill("kingfisher")
    alice.get_by_role("button", name="Show these days").click()
    expect(alice.locator(".history-day")).to_have_count(1)
    expect(alice.get_by_text("Still thinking about that bird")).to_be_visible()
    check_page(alice, "history search")
    alice.get_by_role("button", name="Star this day").click()
    expect(alice.get_by_role("button", name="Starred")).to_be_visible()
    assert Favourite.objects.filter(user=alice_user, daily_prompt=past).exists()
    alice.goto(f"{url}/history/?favourites=on")
    expect(alice.locator(".history-day")).to_have_count(1)
    check_page(alice, "history, starred days")

    alice.goto(f"{url}/questions/")
    alice.get_by_label("Kind of question").select_option("appreciation")
    alice.get_by_role("button", name="Show these questions").click()
    expect(alice.locator(".library-questions li")).not_to_have_count(0)
    check_page(alice, "questions, library of one family")
    alice.locator(".library-questions li").first.get_by_role("button", name=re.compile("^Send")).click()
    expect(alice.get_by_text("Sent. It will be the question on a coming day")).to_be_visible()
    assert PromptQueueEntry.objects.get().sent_by == alice_user


def test_it_takes_an_evening_question_by_question(live_server, transactional_db, library, phone, check_page):
    url = live_server.url
    make_couple(make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob"))
    alice, bob = phone("alice"), phone("bob")
    sign_in(alice, url, "alice@example.com")
    sign_in(bob, url, "bob@example.com")

    alice.goto(f"{url}/evenings/")
    check_page(alice, "evening sets")
    alice.get_by_role("link", name=re.compile("^Have a look A slow evening")).click()
    check_page(alice, "evening, not started")
    alice.get_by_role("button", name="Start this evening").click()
    alice.get_by_label("Your answer").fill("The heron on the roof")
    alice.get_by_role("button", name="Share my answer").click()
    expect(alice.get_by_text("hidden until Bob answers")).to_be_visible()
    check_page(alice, "evening, waiting")

    bob.goto(f"{url}/evenings/a-slow-evening/")
    expect(bob.get_by_text("Alice answered. Your turn.")).to_be_visible()
    expect(bob.get_by_text("The heron on the roof")).to_have_count(0)
    bob.get_by_label("Your answer").fill("Frost on the bike seat")
    bob.get_by_role("button", name="Share my answer").click()
    expect(bob.get_by_text("Question 2 of 12")).to_be_visible()
    expect(bob.get_by_text("The heron on the roof")).to_be_visible()

    # alice's waiting poll brings both answers and the next question.
    expect(alice.get_by_text("Frost on the bike seat")).to_be_visible(timeout=12_000)
    expect(alice.get_by_text("Question 2 of 12")).to_be_visible()
    assert EveningAnswer.objects.count() == 2
    for width in (320, 390):
        alice.set_viewport_size({"width": width, "height": 740})
        overflow = alice.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)
    check_page(alice, "evening, second question")
