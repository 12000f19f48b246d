"""Two submits of the same form at the same instant save one attempt (PostgreSQL)."""

import uuid

import pytest

from assessments.definitions import get
from assessments.models import Attempt
from assessments.services import record_attempt

from ..races import race
from .helpers import signs

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_it_saves_a_double_submit_once_even_at_the_same_instant(alice):
    assessment = get("fading-intimacy")
    assert assessment is not None
    for _ in range(10):
        token = str(uuid.uuid4())

        def submit(token=token):
            return record_attempt(user=alice, assessment=assessment, answers=signs(2), token=token)

        results = race(submit, submit)
        assert not [result for result in results if isinstance(result, Exception)], results
        assert sorted(created for _attempt, created in results) == [False, True]
        assert results[0][0].pk == results[1][0].pk
        assert Attempt.objects.filter(user=alice, token=token).count() == 1
