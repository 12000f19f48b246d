"""core.lookups.OneOf: a batch's values as one array parameter, with what `__in`
gives for the same values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.lookups import OneOf
from couples.models import Membership
from prompts.models import DailyPrompt

from ..factories import at, make_day


def test_it_finds_the_same_rows_as_an_in_list(alice, bob, charlie):
    ids = [alice.pk, charlie.pk, 10**9]
    assert set(User.objects.filter(OneOf("pk", ids))) == set(User.objects.filter(pk__in=ids)) == {alice, charlie}


def test_it_takes_strings(alice, bob, charlie):
    found = User.objects.filter(OneOf("email", ["bob@example.com", "nobody@example.com"]))
    assert list(found) == [bob]


def test_it_follows_joins_and_takes_dates(couple, other_couple, library):
    day = make_day(couple, date=at(2026, 11, 21).date())
    make_day(other_couple, date=at(2026, 11, 22).date())
    found = DailyPrompt.objects.filter(OneOf("date", {at(2026, 11, 21).date(), at(2026, 1, 1).date()}))
    assert list(found) == [day]
    seats = Membership.objects.filter(OneOf("couple__time_zone", [couple.time_zone]), couple_id=couple.pk)
    assert seats.count() == 2


@pytest.mark.django_db
def test_it_asks_nothing_for_no_values():
    with CaptureQueriesContext(connection) as queries:
        assert list(User.objects.filter(OneOf("pk", []))) == []
    assert len(queries) == 0


def test_it_sends_a_batch_as_one_parameter(alice, bob, charlie):
    with CaptureQueriesContext(connection) as queries:
        list(User.objects.filter(OneOf("pk", [alice.pk, bob.pk, charlie.pk])))
    (query,) = queries.captured_queries
    if connection.vendor == "postgresql":
        assert "= ANY(" in query["sql"]
    else:
        assert " IN (" in query["sql"]
