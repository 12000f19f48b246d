"""Turning toward, in two phone-sized browsers: alice answers and waits, nudges bob,
keeps a private note; bob answers, reacts and replies in place; alice sees both, and
reacts back from history. axe-clean under the strict CSP, at 320 px too."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.browser

ALICE_ANSWER = "The first coffee you brought me, still too hot to drink."
BOB_ANSWER = "Your face when the train finally came."
ALICE_NOTE = "Private: ask him about the train story later"
BOB_REPLY = "I remember that coffee. Tell me more?"


def tap_targets_fit(page, selector: str) -> None:
    sizes = page.locator(selector).evaluate_all("els => els.map(e => [e.offsetWidth, e.offsetHeight])")
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes


def no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def answer(page, text: str) -> None:
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Share my answer").click()


def test_it_lets_a_couple_turn_toward_each_other_after_the_reveal(
    live_server, transactional_db, library, phone, check_page
):
    make_couple(make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob"))
    url = live_server.url

    # --- alice answers and waits: a nudge, an exercise, a private note ----------------
    alice = phone("alice")
    sign_in(alice, url, "alice@example.com")
    answer(alice, ALICE_ANSWER)
    expect(alice.get_by_text("Your answer is safe and hidden")).to_be_visible()
    alice.get_by_text("Two minutes:").click()
    expect(alice.locator(".exercise-steps li").first).to_be_visible()
    mail.outbox.clear()
    alice.get_by_role("button", name="Give Bob a gentle nudge").click()
    expect(alice.get_by_text("Sent. Bob will get a gentle nudge")).to_be_visible()
    (nudge,) = [message for message in mail.outbox if message.to == ["bob@example.com"]]
    assert nudge.subject == "Alice is thinking of you" and ALICE_ANSWER not in str(nudge.body)

    alice.get_by_text("A private note for today").click()  # fetched only now, by htmx
    alice.get_by_label("A note for yourself").fill(ALICE_NOTE)
    alice.get_by_role("button", name="Save my note").click()
    expect(alice.get_by_text("Saved, for your eyes only.")).to_be_visible()
    check_page(alice, "waiting, nudged, with a note")

    # --- bob, on a 320 px phone, answers: the reveal; he reacts and replies -----------
    bob = phone("bob")
    bob.set_viewport_size({"width": 320, "height": 640})
    sign_in(bob, url, "bob@example.com")
    answer(bob, BOB_ANSWER)
    expect(bob.locator(".reveal")).to_contain_text(ALICE_ANSWER)
    responses = bob.locator(".responses")
    responses.get_by_role("button", name="This made me smile").click()
    expect(responses.get_by_role("button", name="This made me smile")).to_have_attribute("aria-pressed", "true")
    # htmx binds the swapped-in forms when they settle, 20 ms after the swap: a click
    # before that (no person is that quick; the test was) would post without htmx.
    expect(bob.locator(".htmx-settling")).to_have_count(0)
    bob.get_by_label("Your reply to Alice").fill(BOB_REPLY)
    bob.get_by_role("button", name="Send my reply").click()
    expect(bob.get_by_role("button", name="Save my reply")).to_be_visible()
    expect(bob.get_by_label("Your reply to Alice")).to_have_value(BOB_REPLY)
    tap_targets_fit(bob, ".reaction")
    no_sideways_scroll(bob)
    check_page(bob, "reveal with a reaction and a reply, 320 px")
    assert ALICE_NOTE not in bob.content()

    # --- alice: her waiting page turned into the reveal; she sees bob's words -----------
    expect(alice.locator(".reveal")).to_contain_text(BOB_ANSWER, timeout=15_000)
    alice.reload()
    from_bob = alice.locator(".response-partner")
    expect(from_bob).to_contain_text("This made me smile")
    expect(from_bob).to_contain_text(BOB_REPLY)
    check_page(alice, "reveal with bob's reaction")

    # --- alice reacts back from the day's page, found in history; bob sees it there ------
    alice.goto(url + "/history/")
    expect(alice.get_by_text("Your week together")).to_be_visible()
    expect(alice.locator(".response-partner")).to_contain_text(BOB_REPLY)  # to read, in history
    expect(alice.get_by_text(ALICE_NOTE)).to_be_visible()  # her note, beside the day
    check_page(alice, "history with responses and a note")
    alice.get_by_role("link", name="Respond to Bob, or write a note").first.click()
    alice.locator(".responses").get_by_role("button", name="Thank you for telling me").click()
    expect(alice.locator(".responses").get_by_role("button", name="Thank you for telling me")).to_have_attribute(
        "aria-pressed", "true"
    )
    check_page(alice, "a day's page with responses and the note")

    bob.goto(url + "/history/")
    expect(bob.locator(".response-partner")).to_contain_text("Thank you for telling me")
    assert ALICE_NOTE not in bob.content()
    no_sideways_scroll(bob)
    check_page(bob, "history, 320 px")
