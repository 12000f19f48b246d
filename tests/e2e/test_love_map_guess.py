"""A Love Map guess day on two phones (390x844): each partner answers for themselves
and guesses the other's answer; the reveal shows both answers, both guesses and how
close each guess came, both cards on the first screen, axe-clean, no CSP errors."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories import make_couple, make_day, make_prompt, make_user

pytestmark = pytest.mark.browser


def answer(page, check_page, own: str, guess: str, who: str) -> None:
    own_set, guess_set = page.locator("#today fieldset").nth(0), page.locator("#today fieldset").nth(1)
    expect(guess_set.locator("legend")).to_have_text("Which do you think your partner would pick?")
    check_page(page, f"love map guess, {who} to answer")
    own_set.get_by_label(own).check()
    guess_set.get_by_label(guess).check()
    page.get_by_role("button", name="Share my answer").click()


def test_it_reveals_both_answers_and_guesses_with_their_closeness(live_server, transactional_db, phone, check_page):
    alice, bob = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    couple = make_couple(alice, bob)
    prompt = make_prompt(
        key="drink-guess",
        text="Which warm drink would you pick on a cold evening?",
        format="love_map_guess",
        format_data={
            "guess_text": "Which do you think your partner would pick?",
            "options": ["Tea", "Coffee", "Cocoa"],
        },
    )
    make_day(couple, prompt=prompt)
    url = live_server.url

    alice_page = phone("alice")
    sign_in(alice_page, url, "alice@example.com")
    answer(alice_page, check_page, own="Tea", guess="Cocoa", who="alice")
    expect(alice_page.locator("#partner-status")).to_contain_text("hidden until Bob answers")
    check_page(alice_page, "love map guess, alice waiting")

    bob_page = phone("bob")
    sign_in(bob_page, url, "bob@example.com")
    expect(bob_page.locator("#presence")).to_have_text("Alice answered. Your turn.")
    assert "Cocoa" not in bob_page.locator(".answer").all_inner_texts().__str__()
    # What the line above means: no answer card at all, and "Cocoa" only as the two
    # options bob picks from (his own answer and his guess); alice's guess would be a third.
    expect(bob_page.locator("#today .answer")).to_have_count(0)
    expect(bob_page.locator("#today").get_by_text("Cocoa", exact=True)).to_have_count(2)
    answer(bob_page, check_page, own="Cocoa", guess="Coffee", who="bob")

    for page, you, partner in ((bob_page, "Bob", "Alice"), (alice_page, "Alice", "Bob")):
        # alice's page turns into the reveal by itself (the waiting poll).
        cards = page.locator("#today .reveal .answer")
        expect(cards).to_have_count(2, timeout=15_000)
        # The first screen, as the page opens.
        page.goto(url + "/today/")
        expect(page.locator(".reveal .answer-name")).to_have_text(["You", partner])
        height = page.viewport_size["height"]
        for index in range(2):
            box = cards.nth(index).bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (you, index, box)
        check_page(page, f"love map guess revealed for {you}")

    alice_card, bob_card = alice_page.locator("#today .reveal .answer").all()
    expect(alice_card).to_contain_text("Tea")
    expect(alice_card).to_contain_text("Cocoa")  # her guess, and bob's answer
    expect(alice_card.locator(".closeness")).to_have_text("Guessed right")
    expect(bob_card).to_contain_text("Cocoa")
    expect(bob_card).to_contain_text("Coffee")
    expect(bob_card.locator(".closeness")).to_have_text("A different pick")
