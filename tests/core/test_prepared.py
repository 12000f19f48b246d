"""core.prepared: an ORM query built once, run with each call's values, gives what the
queryset itself gives."""

import pytest
from django.db import models
from django.db.models import ExpressionWrapper, F

from accounts.models import User
from core.prepared import Prepared
from couples.services import unpair
from prompts.models import Answer, DailyPrompt
from prompts.services import submit_answer

from ..factories import make_answer, make_day

VISIBLE_ON_DAY = Prepared(
    lambda user, day: Answer.objects.visible_to(User(pk=user)).filter(daily_prompt_id=day), "user", "day"
)


def ids(answers) -> list[int]:
    return sorted(answer.pk for answer in answers)


def test_it_gives_what_the_queryset_gives_for_every_person_and_state(alice, bob, charlie, couple, library):
    waiting, revealed = make_day(couple), make_day(couple, date=couple.local_date().replace(day=1))
    submit_answer(daily_prompt=waiting, user=alice, text="mine")
    submit_answer(daily_prompt=revealed, user=alice, text="mine")
    submit_answer(daily_prompt=revealed, user=bob, text="theirs")
    for day in (waiting, revealed):
        for user in (alice, bob, charlie):
            expected = Answer.objects.visible_to(user).filter(daily_prompt=day)
            assert ids(VISIBLE_ON_DAY.run(user=user.pk, day=day.pk)) == ids(expected)
    assert len(VISIBLE_ON_DAY.run(user=alice.pk, day=revealed.pk)) == 2
    assert len(VISIBLE_ON_DAY.run(user=bob.pk, day=waiting.pk)) == 0
    unpair(couple=couple)
    # After unpairing: her own answer only, never bob's.
    assert [answer.user_id for answer in VISIBLE_ON_DAY.run(user=alice.pk, day=revealed.pk)] == [alice.pk]


def test_it_runs_one_query_with_the_values_of_each_call(alice, bob, couple, library, django_assert_num_queries):
    day = make_day(couple)
    make_answer(day, alice, "a")
    make_answer(day, bob, "b")
    VISIBLE_ON_DAY.run(user=alice.pk, day=day.pk)  # built here, once
    with django_assert_num_queries(1):
        (answer,) = VISIBLE_ON_DAY.run(user=bob.pk, day=day.pk)
    assert (answer.user_id, answer.text) == (bob.pk, "b")


def test_it_refuses_a_query_a_value_does_not_reach(db):
    # The day is compared in Python, never sent to the database: running it with a
    # stand-in would be wrong, so building it fails.
    unused = Prepared(lambda user, day: DailyPrompt.objects.filter(couple__memberships__user_id=user), "user", "day")
    with pytest.raises(ValueError, match="day"):
        unused.run(user=1, day=2)


class _Shouting(models.TextField):
    def from_db_value(self, value, expression, connection):
        return None if value is None else value.upper()


def test_it_reads_each_column_through_its_field_annotations_included(alice, bob, couple, library):
    # A field that changes its value on the way out of the database (as an encrypted one
    # does) must do so for an annotation too, and a deferred field stays deferred.
    day = make_day(couple)
    make_answer(day, alice, "quiet words")
    loud = Prepared(
        lambda day: (
            Answer.objects.filter(daily_prompt_id=day)
            .defer("text")
            .annotate(loud=ExpressionWrapper(F("daily_prompt__prompt__text"), output_field=_Shouting()))
        ),
        "day",
    )
    (answer,) = loud.run(day=day.pk)
    assert answer.loud == day.prompt.text.upper()  # type: ignore[attr-defined]
    assert answer.get_deferred_fields() == {"text"}
    assert (answer.user_id, answer.daily_prompt_id) == (alice.pk, day.pk)
