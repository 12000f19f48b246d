"""Attempt.objects.visible_to: the one rule for whose results a person may see."""

from assessments.models import Attempt

from ..factories import make_attempt
from .helpers import signs


def visible(user, couple) -> set[int]:
    return set(Attempt.objects.visible_to(user, couple).values_list("pk", flat=True))


def test_it_shows_everyone_their_own_attempts_shared_or_not(alice, couple):
    private = make_attempt(alice, "fading-intimacy", signs(1))
    shared = make_attempt(alice, "fading-intimacy", signs(2), shared_with=couple)
    assert visible(alice, couple) == {private.pk, shared.pk}
    assert visible(alice, None) == {private.pk, shared.pk}


def test_it_shows_a_partners_shared_attempt_only_to_one_who_shared_the_same_assessment(alice, bob, couple):
    theirs = make_attempt(bob, "fading-intimacy", signs(4), shared_with=couple)
    assert theirs.pk not in visible(alice, couple)
    other = make_attempt(alice, "fading-intimacy", signs(0))
    assert theirs.pk not in visible(alice, couple)
    other.shared_with = couple
    other.save()
    assert theirs.pk in visible(alice, couple)


def test_it_never_shows_a_partners_unshared_attempt(alice, bob, couple):
    make_attempt(alice, "fading-intimacy", signs(0), shared_with=couple)
    unshared = make_attempt(bob, "fading-intimacy", signs(4))
    assert unshared.pk not in visible(alice, couple)


def test_it_never_shows_another_couples_attempts(alice, bob, charlie, dana, couple, other_couple):
    make_attempt(charlie, "fading-intimacy", signs(0), shared_with=other_couple)
    theirs = make_attempt(dana, "fading-intimacy", signs(4), shared_with=other_couple)
    make_attempt(alice, "fading-intimacy", signs(0), shared_with=couple)
    assert theirs.pk not in visible(alice, couple)
    assert visible(charlie, other_couple) >= {theirs.pk}
