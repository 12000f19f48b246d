"""Rituals in two phone-sized browsers: alice suggests a ritual from the library, bob
says yes, alice marks it done, both rate how close they felt, and the two ratings show
side by side. A guided timer runs. Every ritual page is checked with axe, under CSP."""

import re

import pytest
from playwright.sync_api import expect

from rituals.models import Completion, Guide, Rating, Ritual, RitualState
from tests.e2e.helpers import sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.browser


def test_it_takes_a_ritual_from_the_library_to_both_ratings(live_server, transactional_db, library, phone, check_page):
    url = live_server.url
    alice_user = make_user("alice@example.com", "Alice")
    bob_user = make_user("bob@example.com", "Bob")
    make_couple(alice_user, bob_user)

    alice = phone("alice", timezone_id="Europe/London")
    sign_in(alice, url, "alice@example.com")
    alice.get_by_role("link", name="Rituals").click()
    expect(alice.get_by_role("heading", name="Your rituals")).to_be_visible()
    check_page(alice, "rituals, empty")

    alice.get_by_role("link", name="Choose a ritual").click()
    check_page(alice, "ritual library")
    alice.get_by_role("link", name="Choose A 20-second hug").click()
    expect(alice.locator("#id_title")).to_have_value("A 20-second hug")
    check_page(alice, "new ritual form from the library")
    alice.locator("#id_duration_minutes").fill("1")
    alice.get_by_role("button", name="Suggest it").click()
    expect(alice.get_by_text("Waiting for Bob to say yes")).to_be_visible()
    check_page(alice, "proposed ritual, proposer's view")

    bob = phone("bob", timezone_id="Europe/London")
    sign_in(bob, url, "bob@example.com")
    bob.goto(f"{url}/rituals/")
    expect(bob.get_by_role("heading", name="Alice suggests: A 20-second hug")).to_be_visible()
    check_page(bob, "rituals with a proposal")
    bob.get_by_role("link", name="Look and answer").click()
    check_page(bob, "proposal, partner's view")
    bob.get_by_role("button", name="Yes, let's do it").click()
    expect(bob.get_by_text("Coming up")).to_be_visible()
    assert Ritual.objects.get().state == RitualState.ACTIVE
    check_page(bob, "active ritual")

    # alice marks today's hug done from /today/ (htmx swaps the row in place).
    alice.goto(f"{url}/today/")
    row = alice.locator(".todays-rituals .occurrence").first
    expect(row).to_contain_text("A 20-second hug")
    row.get_by_role("button", name=re.compile("^Done")).click()
    expect(alice.locator(".todays-rituals .badge-done")).to_have_text("Done")
    assert Completion.objects.get().outcome == "done"
    check_page(alice, "today with a ritual done")

    alice.locator(".todays-rituals").get_by_role("link", name="How close did you feel?").click()
    check_page(alice, "occurrence, done, before rating")
    alice.get_by_label("5, very close").check()
    alice.get_by_role("button", name="Save my rating").click()
    expect(alice.get_by_text("It stays hidden from Bob until they rate too")).to_be_visible()
    check_page(alice, "occurrence, rated, waiting")
    occurrence_url = alice.url

    bob.goto(occurrence_url)
    expect(bob.get_by_text("5 of 5")).to_have_count(0)
    bob.get_by_label("3").check()
    bob.get_by_role("button", name="Save my rating").click()
    reveal = bob.locator(".reveal.closeness")
    expect(reveal).to_be_visible()
    expect(reveal.locator(".answer-you")).to_contain_text("Bob")
    expect(reveal.locator(".answer-you")).to_contain_text("3 of 5")
    expect(reveal.locator(".answer-partner")).to_contain_text("5 of 5")
    check_page(bob, "occurrence, both ratings side by side")
    assert Rating.objects.count() == 2

    alice.reload()
    expect(alice.locator(".reveal.closeness .answer-partner")).to_contain_text("3 of 5")

    for path, label in (
        ("/rituals/four-weeks/", "four weeks"),
        ("/rituals/calendar/", "calendar"),
        ("/rituals/guides/", "guides"),
        (f"/rituals/{Ritual.objects.get().pk}/edit/", "edit form"),
    ):
        alice.goto(url + path)
        check_page(alice, label)
    alice.goto(url + "/rituals/calendar/")
    alice.get_by_role("button", name="Make my address").click()
    expect(alice.locator("#feed-url")).to_have_value(re.compile(r"/rituals/feed/.+\.ics$"))
    check_page(alice, "calendar with an address")


def test_it_runs_the_guided_timers(live_server, transactional_db, library, phone, check_page):
    url = live_server.url
    make_couple(make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob"))
    page = phone("alice")
    sign_in(page, url, "alice@example.com")

    page.goto(f"{url}/rituals/guides/hug/")
    check_page(page, "hug timer")
    page.clock.install()
    page.reload()
    page.get_by_role("button", name="Start the hug").click()
    expect(page.locator("[data-timer-display]")).to_have_text("0:20")
    page.clock.run_for(10_000)
    expect(page.locator("[data-timer-display]")).to_have_text("0:10")
    page.clock.run_for(11_000)
    expect(page.locator("[data-timer-display]")).to_have_text("0:00")
    expect(page.get_by_text("Twenty seconds. Let go slowly")).to_be_visible()
    expect(page.get_by_role("button", name="Again")).to_be_visible()
    check_page(page, "hug timer, finished")

    page.goto(f"{url}/rituals/guides/breathing/")
    page.get_by_role("button", name="Begin six breaths").click()
    expect(page.get_by_text("Breath 1 of 6")).to_be_visible()
    expect(page.locator("[data-breathing-phase]")).to_have_text("Breathe in")
    page.clock.run_for(4_100)
    expect(page.locator("[data-breathing-phase]")).to_have_text("Breathe out, slowly")
    page.clock.run_for(6_000)
    expect(page.get_by_text("Breath 2 of 6")).to_be_visible()
    page.clock.run_for(50_000)
    expect(page.get_by_text("Six breaths. Stay close")).to_be_visible()

    page.goto(f"{url}/rituals/guides/repair/")
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    expect(page.get_by_role("heading", name="Own your part")).to_be_hidden()
    page.get_by_role("button", name="Start the 20-minute pause").click()
    expect(page.locator("[data-timer-display]")).to_have_text("20:00")
    page.clock.run_for(20 * 60 * 1000 + 500)
    expect(page.get_by_text("Twenty minutes. Come back together")).to_be_visible()
    page.get_by_role("button", name="Next step").click()
    expect(page.get_by_role("heading", name="Own your part")).to_be_visible()
    check_page(page, "repair steps")

    for slug in Guide.values:
        page.goto(f"{url}/rituals/guides/{slug}/")
        check_page(page, f"guide {slug}")


def test_it_works_offline_once_loaded_and_without_motion(live_server, transactional_db, library, browser):
    url = live_server.url
    make_couple(make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob"))
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        sign_in(page, url, "alice@example.com")
        page.goto(f"{url}/rituals/guides/eye-contact/")
        context.set_offline(True)
        page.get_by_label("How long").select_option("1")
        expect(page.locator("[data-timer-display]")).to_have_text("1:00")
        page.get_by_role("button", name="Start").click()
        expect(page.locator("[data-timer-display]")).not_to_have_text("1:00", timeout=3000)
        assert page.evaluate("() => getComputedStyle(document.querySelector('.timer-ring')).animationName") == "none"
    finally:
        context.close()


def test_it_keeps_every_nav_link_on_screen_on_small_phones(live_server, transactional_db, library, phone):
    url = live_server.url
    make_couple(make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob"))
    page = phone("alice")
    sign_in(page, url, "alice@example.com")
    for width in (320, 360, 390):
        page.set_viewport_size({"width": width, "height": 740})
        page.goto(f"{url}/rituals/")
        overflow = page.evaluate(
            "() => { const nav = document.querySelector('.site-nav');"
            " return [nav.scrollWidth - nav.clientWidth, document.documentElement.scrollWidth - innerWidth]; }"
        )
        assert overflow == [0, 0], f"at {width}px the nav or page scrolls sideways by {overflow}"
        for name in ("Today", "History", "Rituals", "Partner", "Settings"):
            expect(page.locator(".site-nav").get_by_role("link", name=name)).to_be_in_viewport()
