import pytest
from django.db import IntegrityError, transaction

from couples.models import Couple, Membership

from ..factories import make_couple


def test_it_refuses_a_second_active_couple_for_one_user(alice, bob, charlie, couple):
    other = Couple.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=other, user=alice, seat=1)


def test_it_refuses_a_third_member(alice, bob, charlie, couple):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=couple, user=charlie, seat=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=couple, user=charlie, seat=2)


def test_it_refuses_the_same_user_twice_in_a_couple(alice):
    lonely = Couple.objects.create()
    Membership.objects.create(couple=lonely, user=alice, seat=1, active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=lonely, user=alice, seat=2, active=False)


def test_it_allows_pairing_again_after_unpairing(alice, bob, charlie, couple):
    Membership.objects.filter(couple=couple).update(active=False)
    make_couple(alice, charlie)
    assert Couple.objects.of(alice).get().partner_of(alice) == charlie
