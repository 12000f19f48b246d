"""Reads that stay small as the site and a history grow, on PostgreSQL.

Finding what one user may read must not make the database read every couple's answers
(with 20,000 couples, a page of history read that way took half a second, and a search
or an export a whole second), and choosing a page of history must not read every answer
the user ever wrote.

Measured as rows: the planner is told to prefer indexes (a small test table would be
scanned whole by any plan), and the rows its scans of the answers table return are
counted with EXPLAIN ANALYZE. A query the database can only answer by reading
everything reads it all, whatever the indexes: the last test shows the count can fail."""

import datetime
import itertools
import json
import re

import pytest
from django.db import connection

from prompts import search
from prompts.models import ANSWERABLE_DAYS, Answer, DailyPrompt

from ..factories import make_couple, make_day, make_user

pytestmark = pytest.mark.postgres

OTHER_COUPLES = 30
DAYS = 10


def rows_read(queryset, table: str, *, prepared: bool = False) -> int:
    """Rows the scans of `table` (or of the index of that name) returned while running
    `queryset`. `prepared`: with the plan the app runs. A hot page's query is a prepared
    statement (server-side binding, core.prepared), and after a few runs PostgreSQL plans
    it once for any values (a generic plan), blind to the values this call passes."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
        if prepared:
            numbered = itertools.count(1)
            statement = re.sub("%s", lambda _match: f"${next(numbered)}", sql)
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE measured AS {statement}")
            values = ", ".join(_literal(value) for value in params)
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE measured({values})")
            plan = cursor.fetchone()[0]
            cursor.execute("DEALLOCATE measured")
        else:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node: dict) -> int:
        read = table in (node.get("Relation Name"), node.get("Index Name"))
        own = node["Actual Rows"] * node["Actual Loops"] if read else 0
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])


def _literal(value) -> str:
    if isinstance(value, datetime.date):
        return f"'{value.isoformat()}'::date"
    assert isinstance(value, int)  # the queries measured take ids and dates only
    return str(value)


@pytest.fixture
def a_busy_site(library):
    """OTHER_COUPLES couples with DAYS answered days each."""
    today = datetime.date(2026, 11, 30)
    days: list[DailyPrompt] = []
    answers: list[Answer] = []
    for n in range(OTHER_COUPLES):
        ann, ben = make_user(f"ann{n}@example.com", "Ann"), make_user(f"ben{n}@example.com", "Ben")
        couple = make_couple(ann, ben)
        for d in range(DAYS):
            day = DailyPrompt(couple=couple, date=today - datetime.timedelta(days=d), prompt=library[0])
            days.append(day)
            answers.extend(Answer(daily_prompt=day, user=who, text="theirs") for who in (ann, ben))
    DailyPrompt.objects.bulk_create(days)
    Answer.objects.bulk_create(answers)
    return OTHER_COUPLES * DAYS * 2


def test_it_finds_a_users_answers_without_reading_every_couples(alice, bob, couple, a_busy_site):
    for d in range(3):
        day = make_day(couple, date=datetime.date(2026, 11, 30) - datetime.timedelta(days=d))
        Answer.objects.create(daily_prompt=day, user=alice, text="mine")
    everything = Answer.objects.visible_to(alice)
    a_page = everything.filter(daily_prompt__date__gte=datetime.date(2026, 11, 21))
    assert sorted(everything.values_list("text", flat=True)) == ["mine"] * 3
    assert rows_read(everything, "prompts_answer") < 20
    assert rows_read(a_page, "prompts_answer") < 20


def test_it_chooses_a_page_of_history_without_reading_all_of_it(alice, bob, couple, library):
    """The page of days walks the couple's days back from the newest, one probe each."""
    today = datetime.date(2026, 11, 30)
    days = DailyPrompt.objects.bulk_create(
        DailyPrompt(couple=couple, date=today - datetime.timedelta(days=d), prompt=library[0]) for d in range(60)
    )
    Answer.objects.bulk_create(Answer(daily_prompt=day, user=alice, text="mine") for day in days)
    page = search._latest_page(alice.pk, datetime.date.max)
    assert [day.date for day in page] == [today - datetime.timedelta(days=d) for d in range(search.PAGE_SIZE + 1)]
    assert rows_read(page, "prompts_answer") <= search.PAGE_SIZE + 1
    everything = search._page(search._answered_days(alice.pk, datetime.date.max), alice.pk)
    assert rows_read(everything, "prompts_answer") >= 60  # the query it replaced: all of it


def test_it_chooses_a_page_as_the_prepared_query_does_without_reading_all_of_it(
    alice, bob, couple, library, a_busy_site
):
    """The same with the generic plan the app ends up running. Among couples of a few days
    each, the planner expects a couple to have few days, and could read all of this one's
    and sort them: it must walk back from the newest instead, whatever it expects."""
    today = datetime.date(2026, 11, 30)
    days = DailyPrompt.objects.bulk_create(
        DailyPrompt(couple=couple, date=today - datetime.timedelta(days=d), prompt=library[0]) for d in range(60)
    )
    Answer.objects.bulk_create(Answer(daily_prompt=day, user=alice, text="mine") for day in days)
    page = search._latest_page(alice.pk, datetime.date.max)
    assert len(page) == search.PAGE_SIZE + 1
    assert rows_read(page, "prompts_answer", prepared=True) <= search.PAGE_SIZE + 1
    assert rows_read(page, "daily_prompt_once_a_day", prepared=True) <= search.PAGE_SIZE + 1  # (couple, date)
    everything = search._page(search._answered_days(alice.pk, datetime.date.max), alice.pk)
    assert rows_read(everything, "prompts_answer", prepared=True) >= 60  # the count can fail this way


def test_it_finds_the_days_to_catch_up_on_without_reading_every_answer(alice, bob, couple, library, a_busy_site):
    """The days of the last week Alice has still to answer: a probe per day of the week,
    not a pass over the 60 answers she wrote before."""
    today = datetime.date(2026, 11, 30)
    days = DailyPrompt.objects.bulk_create(
        DailyPrompt(couple=couple, date=today - datetime.timedelta(days=d), prompt=library[0]) for d in range(60)
    )
    unanswered = days[2]
    Answer.objects.bulk_create(Answer(daily_prompt=day, user=alice, text="mine") for day in days if day != unanswered)
    to_catch_up = DailyPrompt.objects.to_catch_up(alice, couple, today)
    assert list(to_catch_up) == [unanswered]
    assert rows_read(to_catch_up, "prompts_answer") < ANSWERABLE_DAYS
    assert rows_read(to_catch_up, "prompts_answer", prepared=True) < ANSWERABLE_DAYS


def test_it_counts_every_row_when_a_query_cannot_narrow(alice, couple, a_busy_site):
    """The positive control: a query with no way to narrow reads them all."""
    assert rows_read(Answer.objects.exclude(user=alice), "prompts_answer") >= a_busy_site
