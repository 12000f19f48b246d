"""The canary sweep for every answer format: bob's unrevealed answer (words, number,
option, guess, parts) reaches no page, fragment, poll, email, export or cache entry for
alice before her own answer exists, nor for an outsider; after her answer, it does."""

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from prompts.models import _ON_DAY_FOR, DailyPrompt, Prompt
from prompts.services import submit_answer

from ..factories import make_day
from ..prompts.formats_helpers import make_choice, make_guess, make_parts, make_scale
from .test_canary_sweep import _all_cache_values

WORDS = "CANARY-FORMAT-9c1e"
# Each format with bob's answer: its words carry the canary wherever words go; its
# numbers and options are told apart by the markup that would show them.
CASES: dict[str, tuple[Callable[[], Prompt], str, dict]] = {
    "scale": (make_scale, WORDS, {"value": 3}),
    "choice": (make_choice, "", {"choice": 1}),
    "guess-text": (lambda: make_guess("text"), WORDS, {"guess": WORDS + "-guess"}),
    "guess-choice": (lambda: make_guess("choice"), "", {"choice": 2, "guess": 1}),
    "guess-scale": (lambda: make_guess("scale"), "", {"value": 9, "guess": 2}),
    "parts": (make_parts, "", {"parts": [WORDS + "-rose", WORDS + "-thorn", WORDS + "-bud"]}),
}
# The cases whose words show once revealed (by the prompt key formats_helpers gives).
CASES_WITH_WORDS = {"scale": True, "guess-text": True, "parts": True}
# What only a shown answer of bob's puts on a page.
SHOWN_MARKS = ('class="answer answer-partner"', 'class="answer-number"', " checked", 'class="closeness"')


@pytest.fixture(params=sorted(CASES))
def bob_answered(request, alice, bob, charlie, couple, other_couple) -> DailyPrompt:
    make_prompt, text, data = CASES[request.param]
    day = make_day(couple, prompt=make_prompt())
    mail.outbox.clear()
    submit_answer(daily_prompt=day, user=bob, text=text, data=data)
    return day


def pages(client: Client, day: DailyPrompt) -> dict[str, str]:
    htmx = {"HX-Request": "true"}
    found = {
        "today": client.get(reverse("prompts:today")),
        "today htmx": client.get(reverse("prompts:today"), headers=htmx),
        "day": client.get(reverse("prompts:day", args=[day.pk])),
        "day htmx": client.get(reverse("prompts:day", args=[day.pk]), headers=htmx),
        "poll": client.get(reverse("prompts:today_status", args=[day.pk]), headers=htmx),
        "history": client.get(reverse("prompts:history")),
        "export json": client.get(reverse("privacy:export_json")),
        "export markdown": client.get(reverse("privacy:export_markdown")),
    }
    return {name: response.content.decode() for name, response in found.items()}


def leaks(body: str) -> list[str]:
    return [mark for mark in (WORDS, *SHOWN_MARKS) if mark in body]


def test_it_shows_nothing_of_bobs_answer_before_alices_own(bob_answered, alice, charlie):
    for user in (alice, charlie):
        client = Client()
        client.force_login(user)
        seen = {name: leaks(body) for name, body in pages(client, bob_answered).items()}
        assert not any(seen.values()), (user, seen)
        assert '"your_data"' not in pages(client, bob_answered)["export json"]
    for message in mail.outbox:
        assert WORDS not in f"{message.subject} {message.body}", message.subject
    assert all(WORDS not in repr(value) for value in _all_cache_values())


def test_it_never_reads_bobs_unshown_values_from_the_database(bob_answered, alice, bob):
    rows = _ON_DAY_FOR.run(user=alice.pk, day=bob_answered.pk)
    assert [row.user_id for row in rows] == [bob.pk]
    assert not rows[0].shown and rows[0].shown_data is None and rows[0].shown_text is None
    assert {"text", "data"} <= rows[0].get_deferred_fields()
    assert bob_answered.answers_visible_to(alice) == []


def test_it_shows_bobs_answer_once_alices_exists(bob_answered, alice, alice_client):
    """The sweep can see: after alice answers, bob's answer is on her page."""
    prompt = bob_answered.prompt
    mine: dict = {"text": "alice words", "value": 5, "choice": 0, "guess": 0}
    if prompt.format == "multi_part":
        mine = {"parts": ["a", "b", "c"]}
    elif prompt.format == "love_map_guess" and "options" not in prompt.format_data and "low" not in prompt.format_data:
        mine["guess"] = "alice guess"
    submit_answer(daily_prompt=bob_answered, user=alice, text=mine.pop("text", ""), data=mine)
    body = alice_client.get(reverse("prompts:today")).content.decode()
    assert 'class="answer answer-partner"' in body or 'class="reveal-parts"' in body
    if CASES_WITH_WORDS.get(prompt.key):
        assert WORDS in body
