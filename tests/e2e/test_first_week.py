"""Every screen of a couple's first week on the phones people use (320x568 and 390x844,
light and dark): axe-clean and with no CSP error; the reveal shows both answers in the
first screen; the answer box and its button fit the first screen of a small phone.

The screens are saved as they are checked, into var/screens/ (or ATTUNE_SCREENS_DIR:
`make screenshots` points it at docs/screens/, which the README shows).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from couples.services import create_invite
from prompts.models import DailyPrompt
from prompts.services import ensure_daily_prompt
from tests.availability import ROOT
from tests.e2e.conftest import PHONE
from tests.e2e.test_journey import verification_code
from tests.factories import PASSWORD, make_answer, make_couple, make_user

pytestmark = pytest.mark.browser

SIZES = {"320x568": {"width": 320, "height": 568}, "390x844": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
MINE = "The way you hummed while making coffee this morning, badly and happily, as if nobody could hear you."
THEIRS = (
    "Walking home together in the rain without an umbrella, and you laughing when the bus drove "
    "through the puddle next to us. I keep thinking about it."
)


def screens_dir() -> Path:
    path = Path(os.environ.get("ATTUNE_SCREENS_DIR") or ROOT / "var" / "screens")
    path.mkdir(parents=True, exist_ok=True)
    return path


def sign_in_as(context, live_server, user) -> None:
    """The session of `user`, made by Django's test client, handed to the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def first_week(transactional_db, library):
    """One person in each state of the first week, each with their own partner."""
    people = {}

    def couple_of(first: str, second: str):
        one = make_user(f"{first.lower()}@example.com", first)
        two = make_user(f"{second.lower()}@example.com", second)
        couple = make_couple(one, two)
        return one, two, couple, ensure_daily_prompt(couple=couple)

    people["answer"], _, _, _ = couple_of("Alice", "Bob")
    people["your-turn"], dave, _, day = couple_of("Carol", "Dave")
    make_answer(day, dave, THEIRS)
    people["waiting"], _, _, day = couple_of("Erin", "Frank")
    make_answer(day, people["waiting"], MINE)
    people["reveal"], hal, _, day = couple_of("Gina", "Hal")
    make_answer(day, people["reveal"], MINE)
    make_answer(day, hal, THEIRS)
    DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
    people["invite"] = make_user("ivan@example.com", "Ivan")
    people["invited"] = make_user("judy@example.com", "Judy")
    people["invite-link"] = create_invite(inviter=people["invited"])
    return people


def signed_out_screens(invite_path: str) -> list[tuple[str, str]]:
    return [
        ("landing", "/"),
        ("sign-up", reverse("account_signup")),
        ("sign-in", reverse("account_login")),
        ("sign-in-code", reverse("account_request_login_code")),
        ("password-reset", reverse("account_reset_password")),
        ("join-signed-out", invite_path),
        ("not-found", "/no-such-page/"),
    ]


SIGNED_IN_SCREENS = [
    # (name, who, path)
    ("invite", "invite", reverse("couples:couple")),
    ("invite-waiting", "invited", reverse("couples:couple")),
    ("today-answer", "answer", reverse("prompts:today")),
    ("today-your-turn", "your-turn", reverse("prompts:today")),
    ("today-waiting", "waiting", reverse("prompts:today")),
    ("today-reveal", "reveal", reverse("prompts:today")),
    ("history", "reveal", reverse("prompts:history")),
    ("partner", "reveal", reverse("couples:couple")),
    ("settings", "reveal", reverse("accounts:settings")),
]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_it_shows_every_first_week_screen_calm_and_accessible(
    live_server, first_week, browser, check_page, size, scheme, settings
):
    settings.DEBUG = False  # the 404 page as people meet it
    out = screens_dir()
    invite_path = reverse("couples:join", args=[first_week["invite-link"].token])
    shots = []

    def visit(page, name: str, path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response is not None
        if name == "not-found":
            assert response.status == 404
            # The browser logs the page's own 404 status; that one is expected.
            page.console.problems[:] = [line for line in page.console.problems if "status of 404" not in line]
        shoot(page, name)

    def shoot(page, name: str) -> None:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size}"
        check_page(page, f"{name} at {size}, {scheme}")
        page.screenshot(path=out / f"{name}-{size}-{scheme}.png", scale="css")
        shots.append(name)

    contexts = []
    try:
        context = browser.new_context(**{**PHONE, "viewport": SIZES[size]}, color_scheme=scheme)
        contexts.append(context)
        page = new_checked_page(context, "signed out")
        for name, path in signed_out_screens(invite_path):
            visit(page, name, path)
        for name in walk_the_account_screens(context, live_server.url, shoot):
            assert name in shots
        for name, who, path in SIGNED_IN_SCREENS:
            context = browser.new_context(**{**PHONE, "viewport": SIZES[size]}, color_scheme=scheme)
            contexts.append(context)
            sign_in_as(context, live_server, first_week[who])
            visit(new_checked_page(context, who), name, path)
    finally:
        for context in contexts:
            context.close()
    assert len(shots) == len(signed_out_screens(invite_path)) + len(ACCOUNT_SCREENS) + len(SIGNED_IN_SCREENS)


SLOW = 20_000  # ms

# The account screens reached by doing something (a code or a link from an email).
ACCOUNT_SCREENS = [
    "verify-email",
    "welcome",
    "sign-in-code-entry",
    "password-reset-sent",
    "password-reset-new",
    "password-reset-done",
]


def walk_the_account_screens(context, url: str, shoot) -> list[str]:
    """Sign up and confirm the code (one welcome), sign in by code, reset a password:
    each screen on the way is shot."""
    page = new_checked_page(context, "accounts")
    page.goto(url + reverse("account_signup"))
    expect(page.locator("input[name=time_zone]")).not_to_have_value("")
    page.locator("#id_display_name").fill("Kim")
    page.locator("#id_email").fill("kim@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Create account").click()
    # Each step hashes a password or sends an email: slow on a busy machine.
    expect(page.get_by_role("heading", name="Confirm your email")).to_be_visible(timeout=SLOW)
    shoot(page, "verify-email")
    page.locator("#id_code").fill(verification_code("kim@example.com"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".message")).to_have_count(1, timeout=SLOW)
    shoot(page, "welcome")
    page.context.clear_cookies()

    page.goto(url + reverse("account_request_login_code"))
    page.locator("#id_email").fill("kim@example.com")
    page.locator("main form").get_by_role("button", name="Email me a code").click()
    expect(page.locator("#id_code")).to_be_visible(timeout=SLOW)
    shoot(page, "sign-in-code-entry")
    page.context.clear_cookies()

    mail.outbox.clear()
    page.goto(url + reverse("account_reset_password"))
    page.locator("#id_email").fill("kim@example.com")
    page.locator("main form").get_by_role("button", name="Email me a link").click()
    page.wait_for_url(f"**{reverse('account_reset_password_done')}", timeout=SLOW)
    shoot(page, "password-reset-sent")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    page.goto(url + urlsplit(link.group(0)).path)
    expect(page.locator("#id_password1")).to_be_visible()
    shoot(page, "password-reset-new")
    page.locator("#id_password1").fill("a-new-long-passphrase-7")
    page.locator("#id_password2").fill("a-new-long-passphrase-7")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("main").get_by_role("link", name="Sign in")).to_be_visible(timeout=SLOW)
    shoot(page, "password-reset-done")
    return ACCOUNT_SCREENS


def new_checked_page(context, label: str):
    from tests.e2e.conftest import Console

    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console = Console(label)
    page.on("console", page.console.on_console)
    page.on("pageerror", page.console.on_page_error)
    return page


def test_it_shows_both_answers_in_the_first_screen_on_reveal(live_server, first_week, phone, check_page):
    page = phone("gina")
    sign_in_as(page.context, live_server, first_week["reveal"])
    page.goto(live_server.url + reverse("prompts:today"))
    answers = page.locator("#today .reveal .answer")
    expect(answers).to_have_count(2)
    expect(page.locator(".reveal .answer-name")).to_have_text(["You", "Hal"])
    height = page.viewport_size["height"]
    for index in range(2):
        box = answers.nth(index).bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (index, box, height)
    # The question steps back once revealed: smaller than the answers' names would
    # suggest, and lighter than a heading.
    prompt_size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.prompt-text')).fontSize)")
    body_size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert prompt_size <= body_size
    check_page(page, "reveal at 390x844")


def test_it_fits_the_answer_box_and_its_button_on_a_small_phone(live_server, first_week, phone, check_page):
    page = phone("carol")
    page.set_viewport_size(SIZES["320x568"])
    sign_in_as(page.context, live_server, first_week["your-turn"])
    page.goto(live_server.url + reverse("prompts:today"))
    expect(page.locator("#presence")).to_have_text("Dave answered. Your turn.")
    assert "puddle" not in page.content()
    button = page.get_by_role("button", name="Share my answer")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 568, box
    assert box["height"] >= 44
    answer_box = page.locator("#today textarea[name=text]").bounding_box()
    assert answer_box is not None and answer_box["y"] + 48 <= 568, answer_box  # at least two lines show
    # A calm question: no heavier than semibold, and well short of the page titles' size.
    weight, size, body = page.evaluate(
        """() => { const q = getComputedStyle(document.querySelector('.prompt-text'));
          return [parseInt(q.fontWeight, 10), parseFloat(q.fontSize), parseFloat(getComputedStyle(document.body).fontSize)]; }"""
    )
    assert weight <= 600 and size <= body * 1.3, (weight, size, body)
    counter = page.locator("#id_text_counter")
    expect(counter).to_be_hidden()
    page.locator("#today textarea[name=text]").fill("x" * 1850)
    expect(counter).to_have_text("150 characters left")
    check_page(page, "today, your turn, at 320x568")


def test_it_keeps_every_tap_target_at_least_44px(live_server, first_week, phone):
    """Inline links too (the footer's, "Already have an account?"), signed out and in."""
    page = phone("gina")
    signed_out = ["/", reverse("account_login"), reverse("account_signup"), reverse("account_reset_password")]
    signed_in = [reverse(name) for name in ("prompts:today", "prompts:history", "couples:couple", "accounts:settings")]
    for path in signed_out + signed_in:
        if path == signed_in[0]:
            sign_in_as(page.context, live_server, first_week["reveal"])
        page.goto(live_server.url + path)
        small = page.evaluate(
            """() => [...document.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select')]
              .filter((el) => el.offsetParent !== null && !el.closest('.skip-link'))
              // A checkbox or radio is tapped through its label: the label that wraps it, or
              // the row it shares with its label, is the target.
              .map((el) => [el.outerHTML.slice(0, 80),
                (el.type === 'checkbox' || el.type === 'radio') && (el.closest('label') || el.closest('.field-inline'))
                  ? (el.closest('label') || el.closest('.field-inline')).getBoundingClientRect()
                  : el.getBoundingClientRect()])
              .filter(([, r]) => r.width > 0 && (r.height < 43.5 || r.width < 43.5))
              .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
        )
        assert not small, f"tap targets under 44px on {path}:\n" + "\n".join(small)


# Chromium on Linux has no share sheet: the page is given one that keeps what it was
# handed, as a phone's would show it.
SHARE_SHEET = """
window.__shared = [];
navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };
"""


def test_it_hands_the_share_sheet_the_message_with_the_link(live_server, first_week, phone):
    page = phone("judy")
    page.add_init_script(SHARE_SHEET)
    sign_in_as(page.context, live_server, first_week["invited"])
    page.goto(live_server.url + reverse("couples:couple"))
    page.get_by_role("button", name="Share", exact=True).click()
    (shared,) = page.evaluate("() => window.__shared")
    link = f"{live_server.url}{reverse('couples:join', args=[first_week['invite-link'].token])}"
    assert shared["text"].startswith("Judy would like to try Attune with you")
    assert shared["text"].rstrip().endswith(link)
    assert "url" not in shared  # the link is in the text once, not twice


def test_it_brings_the_reveal_into_view_after_sharing_from_further_down(live_server, first_week, phone):
    """Shared from a page scrolled down (the keyboard, the rituals below): the card that
    comes back starts on the screen, not above it."""
    page = phone("carol")
    page.set_viewport_size(SIZES["320x568"])
    sign_in_as(page.context, live_server, first_week["your-turn"])
    page.goto(live_server.url + reverse("prompts:today"))
    page.locator("#today textarea[name=text]").fill("The walk by the river, and the rain that caught us.")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.get_by_role("button", name="Share my answer").click()
    expect(page.locator("#today .reveal .answer")).to_have_count(2)
    # htmx scrolls once the new card has settled, a moment after the swap: wait for it.
    card_top = "() => document.querySelector('#today').getBoundingClientRect().top"
    try:
        page.wait_for_function(
            f"() => {{ const top = ({card_top})(); return top >= 0 && top < 568 / 2; }}", timeout=5000
        )
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"the card starts at {page.evaluate(card_top)} px, off the upper half of the screen"
        ) from None
