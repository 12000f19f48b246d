"""Both partners mark the same occurrence in the same instant: one row."""

from functools import partial

import pytest

from rituals import services
from rituals.models import Completion

from ..factories import at, make_ritual
from ..races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_keeps_exactly_one_completion_under_a_race(alice, bob, couple):
    ritual = make_ritual(couple)
    for day in range(1, 21):
        moment = at(2026, 6, day, 18, 30)
        results = race(
            *(
                partial(services.mark_occurrence, ritual=ritual, occurs_at=moment, user=who, outcome="done")
                for who in (alice, bob)
            )
        )
        assert not [result for result in results if isinstance(result, Exception)]
        assert Completion.objects.filter(ritual=ritual, occurs_at=moment).count() == 1
