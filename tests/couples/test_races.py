"""Invariant 4 under real concurrency: threads on PostgreSQL, repeated."""

import pytest
from django.test import Client
from django.urls import reverse

from couples import services
from couples.models import Couple, Invite, Membership

from ..factories import make_user
from ..races import TRIALS, Tally, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def post_as(user, url):
    def go():
        client = Client()
        client.force_login(user)
        return client.post(url).status_code

    return go


def test_it_lets_exactly_one_of_two_simultaneous_accepts_win():
    couples = Tally("double invite accept")
    for n in range(TRIALS):
        inviter = make_user(f"inviter{n}@example.com", "Ivy")
        first = make_user(f"first{n}@example.com", "Finn")
        second = make_user(f"second{n}@example.com", "Sam")
        invite = services.create_invite(inviter=inviter)
        url = reverse("couples:join", args=[invite.token])
        statuses = race(post_as(first, url), post_as(second, url))
        # In a true overlap the database turns the loser away (409); if the winner
        # committed before the loser's request was read, the loser finds the invite
        # used (410). Either way: one couple, nothing else written, never a 500.
        assert sorted(statuses) in ([302, 409], [302, 410]), statuses
        couples.add(expected=1, found=Couple.objects.of(inviter).count())
        assert Membership.objects.filter(user__in=[first, second], active=True).count() == 1
    assert Couple.objects.count() == TRIALS
    couples.assert_clean()


def test_it_lets_exactly_one_of_two_crossed_accepts_win():
    couples = Tally("crossed invite accepts")
    for n in range(TRIALS):
        alice = make_user(f"alice{n}@example.com", "Alice")
        bob = make_user(f"bob{n}@example.com", "Bob")
        alices = services.create_invite(inviter=alice)
        bobs = services.create_invite(inviter=bob)
        statuses = race(
            post_as(alice, reverse("couples:join", args=[bobs.token])),
            post_as(bob, reverse("couples:join", args=[alices.token])),
        )
        assert sorted(statuses) == [302, 409], statuses
        couples.add(expected=1, found=Couple.objects.filter(memberships__user=alice).count())
        assert Membership.objects.filter(user__in=[alice, bob], active=True).count() == 2
        assert Invite.objects.filter(inviter__in=[alice, bob], used_at__isnull=False).count() == 1
    assert Couple.objects.count() == TRIALS
    couples.assert_clean()
