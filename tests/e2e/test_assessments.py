"""Self-assessments in a phone-sized browser, under the real CSP: a signed-out visitor
takes the attachment assessment one question per screen (htmx); the plain form works
with JavaScript off; two partners share the checklist and see the comparison; every
assessment page is axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from assessments.definitions import catalogue
from assessments.models import Attempt
from couples.models import Couple
from tests.assessments.helpers import answers, signs
from tests.e2e.helpers import sign_in
from tests.e2e.test_journey import sign_up
from tests.factories import make_attempt, make_couple, make_user

pytestmark = pytest.mark.browser


def answer_step(page, number: int, total: int, label: str) -> None:
    expect(page.locator(".quiz-progress")).to_have_text(f"Question {number} of {total}")
    expect(page.locator("#quiz .question")).to_have_count(1)
    page.locator("#quiz").get_by_label(label, exact=True).check()
    button = "See my result" if number == total else "Next"
    page.locator("#quiz").get_by_role("button", name=button).click()


def test_it_lets_a_signed_out_visitor_take_attachment_one_question_per_screen(
    live_server, transactional_db, phone, check_page
):
    url = live_server.url
    page = phone("visitor")
    page.goto(f"{url}/assessments/")
    check_page(page, "assessments list, signed out")
    page.get_by_role("link", name="How you handle closeness").click()

    # htmx swaps the whole form for the first question, with the progress shown.
    expect(page.locator(".quiz-progress")).to_have_text("Question 1 of 12")
    expect(page.locator("#quiz input[type=radio]")).to_have_count(7)
    check_page(page, "attachment, question 1")

    answer_step(page, 1, 12, "Agree")
    # Next without choosing: the same question, with a message.
    page.locator("#quiz").get_by_role("button", name="Next").click()
    expect(page.get_by_text("Please choose an answer to this one.")).to_be_visible()
    expect(page.locator(".quiz-progress")).to_have_text("Question 2 of 12")
    check_page(page, "attachment, a missing answer")
    # Back keeps the earlier answer.
    page.locator("#quiz").get_by_role("button", name="Back").click()
    expect(page.locator(".quiz-progress")).to_have_text("Question 1 of 12")
    expect(page.locator("#quiz").get_by_label("Agree", exact=True)).to_be_checked()
    page.locator("#quiz").get_by_role("button", name="Next").click()

    # Each new question takes the focus, so a screen reader hears where it is.
    expect(page.locator(".quiz-progress")).to_be_focused()
    for number in range(2, 13):
        answer_step(page, number, 12, "Slightly disagree")

    result = page.locator("#quiz .result")
    expect(result).to_be_visible()
    # Worry: Agree (6), then Slightly disagree (3) with two reverse-keyed (3 -> 5):
    # (6 + 3 + 3 + 5 + 3 + 5) / 6 = 4.17, high. Distance: (3 + 3 + 5 + 3 + 3 + 5) / 6 = 3.67, low.
    expect(result.get_by_role("heading", level=2).first).to_have_text("Leaning anxious")
    expect(page.locator("svg.chart-quadrant circle.chart-you")).to_be_visible()
    expect(page.get_by_text("The pursue-withdraw cycle")).to_be_visible()
    expect(page.get_by_text("This is a reflection, not a diagnosis.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign up to keep results")).to_be_visible()
    check_page(page, "attachment result, signed out")
    assert Attempt.objects.count() == 0

    page.get_by_role("link", name="When to seek support").click()
    expect(page.get_by_role("heading", name="When to seek support", level=1)).to_be_visible()
    check_page(page, "when to seek support")


def test_it_carries_a_signed_out_result_through_signup_outside_any_url(
    live_server, transactional_db, phone, check_page
):
    url = live_server.url
    page = phone("visitor")
    page.goto(f"{url}/assessments/fading-intimacy/")
    for number in range(1, 9):
        answer_step(page, number, 8, "Yes, this fits" if number <= 2 else "No, not really")
    page.get_by_role("link", name="Sign up to keep results").click()
    page.wait_for_url(re.compile(r".*/accounts/signup/.*"))
    assert "answers" not in page.url
    sign_up(page, check_page, name="Erin", email="erin@example.com")
    page.wait_for_url(f"{url}/assessments/fading-intimacy/?kept=1")
    expect(page.get_by_text("Your answers from before are filled in.")).to_be_visible()
    expect(page.locator("input[type=radio]:checked")).to_have_count(8)
    check_page(page, "checklist, answers kept after signup")
    page.get_by_role("button", name="Save my result").click()
    page.wait_for_url(re.compile(r".*/assessments/fading-intimacy/results/\d+/$"))
    assert Attempt.objects.get().scores == {"signs": 2}
    # Filled in once: the tab forgets them.
    page.goto(f"{url}/assessments/fading-intimacy/?kept=1")
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)


def test_it_works_as_a_plain_form_with_javascript_off(live_server, transactional_db, phone, check_page):
    page = phone("no-script", java_script_enabled=False)
    page.goto(f"{live_server.url}/assessments/fading-intimacy/")
    questions = page.locator("form .question")
    expect(questions).to_have_count(8)
    for number in range(7):
        questions.nth(number).get_by_label("No, not really").check()
    page.get_by_role("button", name="See my result").click()

    # The eighth is missing: said plainly, the other seven kept.
    expect(page.get_by_text("A few questions still need an answer.")).to_be_visible()
    expect(page.locator("input[type=radio]:checked")).to_have_count(7)
    expect(questions.nth(7).get_by_text("Please choose an answer to this one.")).to_be_visible()
    questions.nth(7).get_by_label("Yes, this fits").check()
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", name="Ordinary ups and downs")).to_be_visible()
    expect(page.get_by_text("1 of 8")).to_be_visible()
    assert Attempt.objects.count() == 0


def test_it_lets_two_partners_share_the_checklist_and_compare(
    live_server, transactional_db, library, phone, check_page
):
    url = live_server.url
    alice_user, bob_user = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    make_couple(alice_user, bob_user)
    alice, bob = phone("alice"), phone("bob")

    for page, email, ticks in ((alice, "alice@example.com", 1), (bob, "bob@example.com", 5)):
        sign_in(page, url, email, lands_on="today|couple")
        page.goto(f"{url}/assessments/fading-intimacy/")
        for number in range(1, 9):
            answer_step(page, number, 8, "Yes, this fits" if number <= ticks else "No, not really")
        page.wait_for_url(re.compile(r".*/assessments/fading-intimacy/results/\d+/$"))
        expect(page.get_by_text("Only you can see this result.")).to_be_visible()

    check_page(alice, "checklist result, private")
    alice.get_by_role("button", name="Share with Bob").click()
    expect(alice.get_by_text("Shared with Bob.")).to_be_visible()
    expect(alice.get_by_text("Bob sees it only after sharing their own result")).to_be_visible()
    check_page(alice, "checklist result, shared, waiting")

    # Bob has not shared: the comparison shows him nothing of Alice's.
    bob.goto(f"{url}/assessments/fading-intimacy/compare/")
    expect(bob.get_by_text("Share your own result first.")).to_be_visible()
    assert "1 of 8" not in bob.content()
    bob.go_back()

    bob.get_by_role("button", name="Share with Alice").click()
    expect(bob.get_by_text("Alice has shared theirs too.")).to_be_visible()
    bob.get_by_role("link", name="See both side by side").click()
    expect(bob.locator(".compare-table tbody tr")).to_contain_text("5 of 8")
    expect(bob.locator(".compare-table tbody tr")).to_contain_text("1 of 8")
    expect(bob.get_by_role("heading", name="Where you differ, talk about")).to_be_visible()
    check_page(bob, "checklist comparison")

    alice.reload()
    alice.get_by_role("link", name="See both side by side").click()
    expect(alice.locator(".legend-partner")).to_have_text("Bob")
    check_page(alice, "checklist comparison, alice")


def test_it_keeps_every_assessment_page_accessible(live_server, transactional_db, library, phone, check_page):
    url = live_server.url
    alice_user, bob_user = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    couple: Couple = make_couple(alice_user, bob_user)
    page = phone("alice")
    sign_in(page, url, "alice@example.com", lands_on="today|couple")
    for slug in catalogue():
        mine = answers(slug) if slug != "fading-intimacy" else signs(3)
        theirs = answers(slug, last=True) if slug != "fading-intimacy" else signs(6)
        attempt = make_attempt(alice_user, slug, mine, shared_with=couple)
        retake = make_attempt(alice_user, slug, theirs)  # so the trend shows
        make_attempt(bob_user, slug, theirs, shared_with=couple)

        page.goto(f"{url}/assessments/{slug}/")
        expect(page.locator(".quiz-progress")).to_contain_text("Question 1 of")
        check_page(page, f"{slug}, first question")
        page.goto(f"{url}/assessments/{slug}/results/{attempt.pk}/")
        check_page(page, f"{slug}, result")
        page.goto(f"{url}/assessments/{slug}/results/{retake.pk}/")
        expect(page.get_by_role("heading", name="Over time")).to_be_visible()
        check_page(page, f"{slug}, result with a trend")
        page.goto(f"{url}/assessments/{slug}/compare/")
        expect(page.locator(".compare-table")).to_be_visible()
        check_page(page, f"{slug}, comparison")
    page.goto(f"{url}/assessments/")
    check_page(page, "assessments list, signed in")
