"""The whole first day of a couple, in two phone-sized browsers.

alice signs up and invites bob; bob opens the link, signs up, and pairs; both answer the
same prompt; alice's waiting page turns into the reveal by itself (htmx polling), with no
reload. Every page is checked with axe and must not log a CSP violation or an error.
"""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b([A-Z]{4}-[A-Z]{4})\b")
ALICE_ANSWER = "The way you hummed while making coffee this morning."
BOB_ANSWER = "Walking home together in the rain without an umbrella."


def verification_code(email: str, timeout: float = 5.0) -> str:
    """The code from the newest verification email to `email` (sent by the live server)."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(mail.outbox):
            if email in message.to:
                found = CODE.search(str(message.body))
                assert found, f"no XXXX-XXXX code in the email to {email}:\n{message.body}"
                return found.group(1)
        assert time.monotonic() < deadline, f"no email to {email}; outbox: {[m.to for m in mail.outbox]}"
        time.sleep(0.05)


def sign_up(page, check_page, *, name: str, email: str) -> None:
    """From the signup page: fill it in, then confirm the emailed code."""
    expect(page.locator("#id_display_name")).to_be_visible()
    # attune.js fills in the browser's time zone.
    expect(page.locator("input[name=time_zone]")).not_to_have_value("")
    check_page(page, f"signup ({name})")
    page.get_by_label("Your first name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Confirm your email")).to_be_visible()
    check_page(page, f"verification code ({name})")
    page.locator("#id_code").fill(verification_code(email))
    page.get_by_role("button", name="Confirm").click()


def test_it_takes_a_couple_from_signup_to_their_first_reveal(
    live_server, transactional_db, library, phone, check_page, screenshots
):
    started = time.monotonic()
    url = live_server.url

    # --- alice arrives, signs up, verifies ------------------------------------------
    alice = phone("alice")
    alice.goto(url + "/")
    check_page(alice, "landing page, signed out")
    alice.goto(url + "/accounts/signup/")
    sign_up(alice, check_page, name="Alice", email="alice@example.com")
    # Signed in and unpaired, the landing page sends her on to invite her partner.
    alice.wait_for_url(url + "/couple/")
    expect(alice.get_by_role("heading", name="Invite your partner")).to_be_visible()
    check_page(alice, "couple page before an invite")

    # --- alice invites ---------------------------------------------------------------
    alice.get_by_role("button", name="Create an invite link").click()
    invite = alice.locator("#invite-link")
    expect(invite).to_have_attribute("readonly", "")
    link = invite.input_value()
    assert re.fullmatch(re.escape(url) + r"/join/[^/]+/", link), link
    join_path = link.removeprefix(url)
    check_page(alice, "couple page with an invite")

    # --- bob opens the link signed out, signs up, comes back, pairs ------------------
    bob = phone("bob")
    bob.goto(link)
    expect(bob.get_by_role("heading", name="Alice invited you to Attune")).to_be_visible()
    create = bob.get_by_role("link", name="Create an account")
    expect(create).to_have_attribute("href", re.compile(r"\?next=" + re.escape(join_path) + "$"))
    expect(bob.get_by_role("link", name="Sign in").last).to_have_attribute(
        "href", re.compile(r"\?next=" + re.escape(join_path) + "$")
    )
    check_page(bob, "join page, signed out")
    create.click()
    sign_up(bob, check_page, name="Bob", email="bob@example.com")

    bob.wait_for_url(link)
    pair = bob.get_by_role("button", name="Pair with Alice")
    expect(pair).to_be_visible()
    check_page(bob, "join page, signed in")
    pair.click()
    bob.wait_for_url(url + "/today/")

    # --- both see the same prompt ----------------------------------------------------
    alice.goto(url + "/today/")
    prompt = alice.locator("#today h1.prompt-text")
    expect(prompt).to_be_visible()
    prompt_text = prompt.inner_text().strip()
    assert prompt_text
    expect(bob.locator("#today h1.prompt-text")).to_have_text(prompt_text)
    check_page(bob, "today, answer form")

    # --- alice answers and waits ------------------------------------------------------
    alice.locator("#today textarea[name=text]").fill(ALICE_ANSWER)
    alice.get_by_role("button", name="Share my answer").click()
    expect(alice.locator("#partner-status")).to_contain_text("Your answer is safe and hidden until Bob answers too.")
    expect(alice.locator("#today .answer-text")).to_have_text(ALICE_ANSWER)
    check_page(alice, "today, waiting for the partner")
    # "Change my answer" brings its form when opened (htmx), holding the saved words;
    # saving them again keeps the wait.
    alice.get_by_text("Change my answer").click()
    box = alice.locator("#today .change-answer textarea[name=text]")
    expect(box).to_have_value(ALICE_ANSWER)
    expect(alice.locator(".htmx-settling")).to_have_count(0)  # htmx binds the form once settled
    alice.get_by_role("button", name="Save my answer").click()
    expect(alice.locator("#today .change-answer")).to_have_count(0)
    expect(alice.locator("#partner-status")).to_contain_text("hidden until Bob answers too.")
    expect(alice.locator("#today .answer-text")).to_have_text(ALICE_ANSWER)

    # bob, even after a reload, sees nothing of alice's answer.
    bob.reload()
    expect(bob.locator("#today textarea[name=text]")).to_be_visible()
    assert ALICE_ANSWER not in bob.content()
    assert "hummed" not in bob.content()

    # --- bob answers: his reveal is immediate ----------------------------------------
    alice.evaluate("() => { window.__marker = 1; }")
    bob.locator("#today textarea[name=text]").fill(BOB_ANSWER)
    bob.get_by_role("button", name="Share my answer").click()
    expect(bob.locator("#today .reveal")).to_be_visible()
    expect(bob.locator(".reveal .answer-name")).to_have_text(["You", "Alice"])
    expect(bob.locator(".reveal .answer-text")).to_have_text([BOB_ANSWER, ALICE_ANSWER])
    check_page(bob, "today, revealed (swapped in by the answer)")

    # --- alice's waiting page becomes the reveal by itself ---------------------------
    expect(alice.locator("#today .reveal")).to_be_visible(timeout=12_000)
    assert alice.evaluate("() => window.__marker") == 1, "alice's page reloaded instead of swapping in the reveal"
    expect(alice.locator("#partner-status")).to_have_count(0)
    expect(alice.locator(".reveal .answer-name")).to_have_text(["You", "Bob"])
    expect(alice.locator(".reveal .answer-text")).to_have_text([ALICE_ANSWER, BOB_ANSWER])
    expect(alice.locator("#today h1.prompt-text")).to_have_text(prompt_text)
    check_page(alice, "today, revealed (swapped in by polling)")
    alice.evaluate("() => window.scrollTo(0, 0)")
    alice.screenshot(path=screenshots / "reveal-phone.png")

    # --- history keeps the day --------------------------------------------------------
    alice.goto(url + "/history/")
    day = alice.locator("ol.history > li")
    expect(day).to_have_count(1)
    expect(day.locator(".history-prompt")).to_have_text(prompt_text)
    expect(day.locator(".reveal .answer-name")).to_have_text(["You", "Bob"])
    expect(day.locator(".reveal .answer-text")).to_have_text([ALICE_ANSWER, BOB_ANSWER])
    check_page(alice, "history")

    bob.console.assert_clean()
    alice.console.assert_clean()
    assert time.monotonic() - started < 60, "the journey should stay under a minute"
