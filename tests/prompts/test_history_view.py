import re
from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse

from couples.models import Membership
from prompts.models import DailyPrompt

from ..factories import make_answer, make_couple, make_prompt, text_of

URL = reverse("prompts:history")


def make_history(couple, alice, bob, days: int, *, revealed: bool = True):
    prompts = [make_prompt(key=f"history-{n}", text=f"Question number {n}") for n in range(3)]
    today = couple.local_date()
    for n in range(days):
        day = DailyPrompt.objects.create(couple=couple, date=today - timedelta(days=n), prompt=prompts[n % 3])
        make_answer(day, alice, f"alice day {n}")
        if revealed:
            make_answer(day, bob, f"bob day {n}")
            day.revealed_at = day.created_at
            day.save()


def older_link(body: str) -> str:
    found = re.search(r'href="(\?before=[0-9-]+)"', body)
    assert found, "no link to older days"
    return found.group(1)


def test_it_lists_days_newest_first_ten_a_page(alice_client, alice, bob, couple):
    make_history(couple, alice, bob, 25)
    body = text_of(alice_client.get(URL))
    assert body.count('class="history-day"') == 10
    assert body.index("alice day 0") < body.index("alice day 1")
    assert "Latest days" not in body
    page2 = text_of(alice_client.get(URL + older_link(body)))
    assert page2.count('class="history-day"') == 10
    assert "alice day 10" in page2 and "alice day 9" not in page2 and "Latest days" in page2
    page3 = text_of(alice_client.get(URL + older_link(page2)))
    assert page3.count('class="history-day"') == 5
    assert "alice day 24" in page3 and "Older days" not in page3


def test_it_pages_through_an_earlier_couple_and_this_one_by_date(alice_client, alice, bob, charlie, couple):
    """History runs on across a new pairing: newest first, whichever couple a day was in,
    and only the days alice answered."""
    prompt = make_prompt()
    today = couple.local_date()
    answered = []
    for n in range(30, 9, -1):  # the earlier couple, 30 to 10 days ago
        day = DailyPrompt.objects.create(couple=couple, date=today - timedelta(days=n), prompt=prompt)
        if n != 20:
            answered.append(make_answer(day, alice, f"with bob {n} ago").text)
    Membership.objects.filter(couple=couple).update(active=False)
    cache.clear()  # as after COUPLE_CACHE_SECONDS: the pairing below bypasses the services
    new = make_couple(alice, charlie)
    # This couple from 10 days ago (the date of the last day with bob, too) to today, a
    # day skipped: the two days 10 days ago fall on either side of the first page's end.
    for n in range(10, -1, -1):
        day = DailyPrompt.objects.create(couple=new, date=today - timedelta(days=n), prompt=prompt)
        if n != 3:
            answered.append(make_answer(day, alice, f"with charlie {n} ago").text)
    newest_first, shown, url = answered[::-1], [], URL
    while True:
        body = text_of(alice_client.get(url))
        page = [words for words in newest_first if words in body]
        assert len(page) == body.count('class="history-day"') and len(page) <= 10
        assert sorted(page, key=body.index) == page  # in this order on the page too
        shown.extend(page)
        if "Older days" not in body:
            break
        url = URL + older_link(body)
    assert shown == newest_first and len(shown) == 30


def test_it_shows_revealed_days_side_by_side(alice_client, alice, bob, couple):
    make_history(couple, alice, bob, 1)
    body = text_of(alice_client.get(URL))
    assert 'class="reveal"' in body
    assert "alice day 0" in body and "bob day 0" in body


def test_it_shows_only_ones_own_answer_on_unrevealed_days(alice_client, alice, bob, couple):
    make_history(couple, alice, bob, 2, revealed=False)
    day = DailyPrompt.objects.first()
    assert day is not None
    make_answer(day, bob, "bob-hidden-words")
    body = text_of(alice_client.get(URL))
    assert "alice day 0" in body
    assert "bob-hidden-words" not in body
    assert "stays hidden until" in body


def test_it_explains_the_empty_state(alice_client, couple):
    body = text_of(alice_client.get(URL))
    assert "Your answered days will gather here" in body


def test_it_treats_a_bad_or_far_cursor_gently(alice_client, alice, bob, couple):
    make_history(couple, alice, bob, 2)
    for cursor in ("abc", "2026-13-45", "9999-12-31", ""):
        response = alice_client.get(URL + "?before=" + cursor)
        assert response.status_code == 200 and "alice day 0" in text_of(response), cursor
    body = text_of(alice_client.get(URL + "?before=1990-01-01"))
    assert "Nothing older than this." in body and "alice day" not in body


def test_it_returns_the_fragment_to_htmx(alice_client, alice, bob, couple, htmx):
    make_history(couple, alice, bob, 1)
    response = alice_client.get(URL, **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body and 'id="history-page"' in body


def test_it_shows_another_couple_nothing_of_ours(client, charlie, other_couple, alice, bob, couple):
    make_history(couple, alice, bob, 3)
    client.force_login(charlie)
    body = text_of(client.get(URL))
    assert "alice day" not in body and "bob day" not in body


def test_it_refuses_post(alice_client, couple):
    assert alice_client.post(URL).status_code == 405


def test_it_marks_follow_up_days_and_questions_one_of_you_sent(alice_client, alice, bob, couple):
    make_history(couple, alice, bob, 3)
    check_in, follow_up, sent = DailyPrompt.objects.order_by("date")
    follow_up.follow_up_of = check_in
    follow_up.save()
    sent.sent_by = bob
    sent.save()
    body = text_of(alice_client.get(URL))
    assert body.count("A follow-up to a check-in") == 1
    assert body.index("alice day 0") < body.index("A follow-up to a check-in") < body.index("alice day 1")
    assert body.count("Your partner's question") == 1 and body.index("Your partner's question") < body.index(
        "alice day 0"
    )
    assert "Your question" not in body


def test_it_reads_the_couple_and_the_days_to_catch_up_on_in_one_cache_round_trip(
    alice_client, alice, bob, couple, library, cache_calls
):
    make_history(couple, alice, bob, 3)
    yesterday = DailyPrompt.objects.get(couple=couple, date=couple.local_date() - timedelta(days=1))
    yesterday.answers.filter(user=alice).delete()  # a day Alice has still to answer
    alice_client.get(URL)  # the first visit fills the cache
    cache_calls.clear()
    body = text_of(alice_client.get(URL))
    assert "Catch up on" in body
    assert [name for name, _key in cache_calls] == ["get_many"], cache_calls
    cache_calls.clear()
    assert alice_client.get(URL, {"before": couple.local_date().isoformat()}).status_code == 200
    assert [name for name, _key in cache_calls] == ["get_many"], cache_calls  # the couple alone
