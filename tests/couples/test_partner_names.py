"""Couple.objects.partner_names_for: the batch form of current_for that notices use."""

from accounts.models import User
from couples.models import Couple
from couples.services import unpair

from ..factories import make_couple, make_user


def test_it_gives_each_paired_user_their_couple_and_their_partners_name(couple, alice, bob, charlie):
    found = Couple.objects.partner_names_for([alice.pk, bob.pk, charlie.pk])
    assert set(found) == {alice.pk, bob.pk}  # charlie has no partner
    assert found[alice.pk][0].pk == couple.pk and found[alice.pk][0].time_zone == couple.time_zone
    assert (found[alice.pk][1], found[bob.pk][1]) == ("Bob", "Alice")


def test_it_names_a_partner_without_a_name_by_their_address(alice, db):
    nameless = make_user("sam.lee@example.com", "")
    make_couple(alice, nameless)
    assert Couple.objects.partner_names_for([alice.pk])[alice.pk][1] == "sam.lee"


def test_it_leaves_out_a_couple_that_has_ended(couple, alice, bob):
    unpair(couple=couple)
    assert Couple.objects.partner_names_for([alice.pk, bob.pk]) == {}


def test_it_answers_for_many_users_in_one_query(django_assert_num_queries, db):
    users = []
    for n in range(10):
        first, second = make_user(f"p{n}@example.com", f"P{n}"), make_user(f"q{n}@example.com", f"Q{n}")
        make_couple(first, second)
        users += [first.pk, second.pk]
    with django_assert_num_queries(1):
        found = Couple.objects.partner_names_for(users)
    assert len(found) == 20
    assert found[User.objects.get(email="p3@example.com").pk][1] == "Q3"
