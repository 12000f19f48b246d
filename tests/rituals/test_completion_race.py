"""Both partners mark the same occurrence in the same instant: one row."""

from datetime import timedelta
from functools import partial

import pytest

from rituals import services
from rituals.models import Completion

from ..factories import at, make_ritual
from ..races import TRIALS, Tally, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_keeps_exactly_one_completion_under_a_race(alice, bob, couple):
    ritual = make_ritual(couple)
    completions = Tally("double ritual completion")
    for trial in range(TRIALS):
        moment = at(2026, 6, 1, 18, 30) + timedelta(days=trial)
        results = race(
            *(
                partial(services.mark_occurrence, ritual=ritual, occurs_at=moment, user=who, outcome="done")
                for who in (alice, bob)
            )
        )
        assert not [result for result in results if isinstance(result, Exception)]
        completions.add(expected=1, found=Completion.objects.filter(ritual=ritual, occurs_at=moment).count())
    completions.assert_clean()
