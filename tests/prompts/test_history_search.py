"""History's search, family filter and favourites: only readable text matches, and a
filtered page costs a fixed number of queries however long the history."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prompts.models import Answer, DailyPrompt, Favourite
from prompts.search import PAGE_SIZE, search_history

from ..factories import make_answer, make_day, make_prompt, text_of

URL = reverse("prompts:history")


def day_on(couple, days_ago: int, prompt, *, alice=None, bob=None, reveal: bool = True) -> DailyPrompt:
    day = make_day(couple, date=couple.local_date() - timedelta(days=days_ago), prompt=prompt)
    if alice:
        make_answer(day, alice[0], alice[1])
    if bob:
        make_answer(day, bob[0], bob[1])
    if reveal and alice and bob:
        DailyPrompt.objects.filter(pk=day.pk).update(revealed_at=day.created_at)
        day.refresh_from_db()
    return day


@pytest.fixture
def prompts(db):
    return {
        "check_in": make_prompt(key="search-check-in", text="How was the morning?", family="check_in"),
        "dreams": make_prompt(key="search-dreams", text="Where would you live for a year?", family="dreams_fears"),
        "other": make_prompt(key="search-other", text="What did you cook lately?", family="appreciation"),
    }


def test_it_finds_ones_own_words_and_the_partners_revealed_words(alice, bob, couple, prompts):
    mine = day_on(couple, 1, prompts["check_in"], alice=(alice, "the lighthouse walk"), bob=(bob, "quiet tea"))
    theirs = day_on(couple, 2, prompts["dreams"], alice=(alice, "anywhere warm"), bob=(bob, "a lighthouse keeper"))
    day_on(couple, 3, prompts["other"], alice=(alice, "soup"), bob=(bob, "bread"))
    before = couple.local_date() + timedelta(days=1)
    assert [day.pk for day in search_history(alice, before=before, query="lighthouse")] == [mine.pk, theirs.pk]
    assert [day.pk for day in search_history(alice, before=before, query="tea")] == [mine.pk]


def test_it_never_matches_the_partners_unrevealed_words_not_even_the_day(alice, bob, couple, prompts, client):
    canary = "zephyrcanary"
    day_on(couple, 0, prompts["check_in"], alice=(alice, "my side"), bob=(bob, f"secret {canary} words"), reveal=False)
    before = couple.local_date() + timedelta(days=1)
    assert search_history(alice, before=before, query=canary) == []
    client.force_login(alice)
    body = text_of(client.get(URL, {"q": canary}))
    assert canary not in body.replace(f'value="{canary}"', "")
    assert "No days match" in body
    # Bob may find his own words.
    assert len(search_history(bob, before=before, query=canary)) == 1


def test_it_does_not_match_the_partners_words_on_a_day_one_did_not_answer(alice, bob, couple, prompts):
    day = make_day(couple, date=couple.local_date() - timedelta(days=1), prompt=prompts["other"])
    make_answer(day, bob, "bob alone mentions marmalade")
    before = couple.local_date() + timedelta(days=1)
    assert search_history(alice, before=before, query="marmalade") == []


def test_it_does_not_match_another_couples_words(alice, bob, charlie, dana, couple, other_couple, prompts):
    day_on(other_couple, 1, prompts["check_in"], alice=(charlie, "pelican"), bob=(dana, "pelican too"))
    day_on(couple, 1, prompts["check_in"], alice=(alice, "gull"), bob=(bob, "gull"))
    before = couple.local_date() + timedelta(days=1)
    assert search_history(alice, before=before, query="pelican") == []


def test_it_finds_the_question_text(alice, bob, couple, prompts):
    day = day_on(couple, 1, prompts["dreams"], alice=(alice, "x"), bob=(bob, "y"))
    before = couple.local_date() + timedelta(days=1)
    assert [found.pk for found in search_history(alice, before=before, query="live")] == [day.pk]


def test_it_filters_by_family(alice_client, alice, bob, couple, prompts):
    day_on(couple, 1, prompts["check_in"], alice=(alice, "alice checked in"), bob=(bob, "bob checked in"))
    day_on(couple, 2, prompts["dreams"], alice=(alice, "alice dreamed"), bob=(bob, "bob dreamed"))
    body = text_of(alice_client.get(URL, {"family": "dreams_fears"}))
    assert "alice dreamed" in body and "bob dreamed" in body
    assert "checked in" not in body


def test_it_refuses_an_unknown_family_with_a_message(alice_client, alice, bob, couple, prompts):
    day_on(couple, 1, prompts["check_in"], alice=(alice, "alice checked in"), bob=(bob, "bob checked in"))
    response = alice_client.get(URL, {"family": "astrology", "q": "kept words"})
    assert response.status_code == 400
    body = text_of(response)
    assert "not one we know" in body
    assert 'value="kept words"' in body
    assert "checked in" not in body


def test_it_refuses_an_oversize_search_and_keeps_it(alice_client, couple, prompts):
    query = "w" * 101
    response = alice_client.get(URL, {"q": query})
    assert response.status_code == 400
    body = text_of(response)
    assert "under 100 characters" in body and query in body


@pytest.mark.parametrize("query", ['"unclosed', "a & b | !c", "():*<->", "'; drop table", "-", "OR"])
def test_it_takes_any_punctuation_without_an_error(alice_client, alice, bob, couple, prompts, query):
    day_on(couple, 1, prompts["check_in"], alice=(alice, "a"), bob=(bob, "b"))
    assert alice_client.get(URL, {"q": query}).status_code == 200


def test_it_keeps_the_filters_on_the_older_days_link(alice, bob, couple, prompts, alice_client):
    for n in range(25):
        day_on(couple, n + 1, prompts["check_in"], alice=(alice, f"orchard {n}"), bob=(bob, "b"))
    body = alice_client.get(URL, {"q": "orchard", "family": "check_in"}).content.decode()
    assert "?q=orchard&amp;family=check_in&amp;before=" in body
    assert body.count('class="history-day"') == PAGE_SIZE == 10


def test_it_stars_a_revealed_day_and_filters_by_stars(alice_client, alice, bob, couple, prompts):
    starred = day_on(couple, 1, prompts["check_in"], alice=(alice, "a starred one"), bob=(bob, "b starred one"))
    day_on(couple, 2, prompts["dreams"], alice=(alice, "a plain one"), bob=(bob, "b plain one"))
    favourite = reverse("prompts:favourite", args=[starred.pk])
    assert alice_client.post(favourite, {"on": "1"}).status_code == 302
    assert alice_client.post(favourite, {"on": "1"}).status_code == 302  # a replay: still one star
    assert Favourite.objects.filter(user=alice, daily_prompt=starred).count() == 1
    body = text_of(alice_client.get(URL, {"favourites": "on"}))
    assert "a starred one" in body and "a plain one" not in body
    assert 'aria-pressed="true"' in body
    alice_client.post(favourite, {"on": "0"})
    assert not Favourite.objects.exists()


def test_it_keeps_stars_per_person(alice_client, alice, bob, couple, prompts):
    day = day_on(couple, 1, prompts["check_in"], alice=(alice, "a"), bob=(bob, "b"))
    alice_client.post(reverse("prompts:favourite", args=[day.pk]), {"on": "1"})
    before = couple.local_date() + timedelta(days=1)
    assert len(search_history(alice, before=before, favourites=True)) == 1
    assert search_history(bob, before=before, favourites=True) == []


def test_it_answers_htmx_with_the_star_alone(alice_client, alice, bob, couple, prompts, htmx):
    day = day_on(couple, 1, prompts["check_in"], alice=(alice, "a"), bob=(bob, "b"))
    response = alice_client.post(reverse("prompts:favourite", args=[day.pk]), {"on": "1"}, **htmx)
    body = text_of(response)
    assert response.status_code == 200 and "<html" not in body
    assert 'aria-pressed="true"' in body and 'name="on" value="0"' in body


def test_it_offers_no_star_before_the_reveal(alice_client, alice, bob, couple, prompts):
    waiting = day_on(couple, 1, prompts["check_in"], alice=(alice, "only mine"), reveal=False)
    assert 'class="favourite-form"' not in text_of(alice_client.get(URL))
    response = alice_client.post(reverse("prompts:favourite", args=[waiting.pk]), {"on": "1"})
    assert response.status_code == 404
    assert not Favourite.objects.exists()


def test_it_refuses_a_malformed_star(alice_client, alice, bob, couple, prompts):
    day = day_on(couple, 1, prompts["check_in"], alice=(alice, "a"), bob=(bob, "b"))
    response = alice_client.post(reverse("prompts:favourite", args=[day.pk]), {"on": "maybe"})
    assert response.status_code == 400
    assert not Favourite.objects.exists()


def test_it_gives_an_outsider_404_for_a_star(client, charlie, alice, bob, couple, other_couple, prompts):
    day = day_on(couple, 1, prompts["check_in"], alice=(alice, "a"), bob=(bob, "b"))
    client.force_login(charlie)
    assert client.post(reverse("prompts:favourite", args=[day.pk]), {"on": "1"}).status_code == 404
    assert not Favourite.objects.exists()


def test_it_refuses_get_on_a_star(alice_client, alice, bob, couple, prompts):
    day = day_on(couple, 1, prompts["check_in"], alice=(alice, "a"), bob=(bob, "b"))
    assert alice_client.get(reverse("prompts:favourite", args=[day.pk])).status_code == 405


def fill(couple, alice, bob, library, days: int) -> None:
    """`days` revealed days of check-in questions, both answered, every third one
    starred by alice (the newest too): every filter below finds at least one."""
    prompts = list(library.filter(family="check_in"))
    today = couple.local_date()
    past = DailyPrompt.objects.bulk_create(
        DailyPrompt(couple=couple, date=today - timedelta(days=n), prompt=prompts[n % len(prompts)])
        for n in range(1, days + 1)
    )
    DailyPrompt.objects.filter(couple=couple).update(revealed_at=couple.created_at)
    Answer.objects.bulk_create(
        Answer(daily_prompt=day, user=user, text=f"{user.display_name} harbour {day.date}")
        for day in past
        for user in (alice, bob)
    )
    Favourite.objects.bulk_create(Favourite(user=alice, daily_prompt=day) for day in past[::3])


FILTERED = [
    {"q": "harbour"},
    {"family": "check_in"},
    {"favourites": "on"},
    {"q": "harbour", "family": "check_in", "favourites": "on"},
]


def counts(client, htmx) -> list[int]:
    client.get(URL)  # the couple and the session in the cache, as on any later visit
    found = []
    for params in [{}, *FILTERED]:
        variants: list[dict[str, str]] = [{}, htmx]
        for headers in variants:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URL, params, **headers)
            assert response.status_code == 200
            found.append(len(queries))
    return found


def test_it_uses_the_same_queries_filtered_for_1_and_500_days(alice_client, alice, bob, couple, library, htmx):
    fill(couple, alice, bob, library, 1)
    one = counts(alice_client, htmx)
    DailyPrompt.objects.filter(couple=couple).delete()
    fill(couple, alice, bob, library, 500)
    five_hundred = counts(alice_client, htmx)
    assert one == five_hundred
    assert max(one) <= 10
    # Filtered or not, the same cost, but for one more query where words are searched:
    # answers are encrypted, so the readable ones are read and matched in Python.
    by_words = [n for n, params in enumerate(p for p in [{}, *FILTERED] for _ in range(2)) if params.get("q")]
    assert {one[n] for n in by_words} == {min(one) + 1}, one
    assert {count for n, count in enumerate(one) if n not in by_words} == {min(one)}, one
    body = text_of(alice_client.get(URL, {"q": "harbour"}))
    assert body.count('class="history-day"') == PAGE_SIZE


def days_query(client, params) -> str:
    """The SQL of the history page's days query (the one naming each day's seats)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    (sql,) = [query["sql"] for query in queries if '"seats"' in query["sql"]]
    return sql


def page_subquery(sql: str) -> str:
    """The subquery choosing the page: `... "id" IN (SELECT ... LIMIT 11)`."""
    found = re.search(r" IN \(\s*SELECT", sql)
    assert found, sql
    start = found.start() + len(" IN (")
    depth = 1
    for end in range(start, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        if not depth:
            return sql[start:end]
    raise AssertionError(sql)


def test_it_chooses_the_page_before_reading_each_days_details(alice_client, alice, bob, couple, library):
    # Read from the SQL, not from timings: a GROUP BY would aggregate every answered day
    # of the user, and a question, seat count or star read outside the LIMITed subquery
    # would be read for every one of them, however short the page.
    fill(couple, alice, bob, library, 30)
    for params in [{}, *FILTERED]:
        sql = days_query(alice_client, params)
        assert "GROUP BY" not in sql.upper(), params
        assert f"LIMIT {PAGE_SIZE + 1}" in page_subquery(sql).upper(), params
    plain = page_subquery(days_query(alice_client, {}))
    for table in ("prompts_prompt", "couples_membership", "prompts_favourite"):
        assert f'"{table}"' not in plain, table
