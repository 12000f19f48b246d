"""Invite links: one working link however many requests race, and a daily limit."""

import pytest
from django.test import Client
from django.urls import reverse

from couples import services
from couples.models import Invite

from ..factories import make_user, text_of
from ..races import race

URL = reverse("couples:create_invite")


def test_it_refuses_more_than_the_daily_limit_of_new_links(alice_client, alice, settings):
    for _ in range(settings.INVITE_DAILY_LIMIT):
        assert alice_client.post(URL).status_code == 302
    working = Invite.objects.pending().get(inviter=alice)
    response = alice_client.post(URL)
    assert response.status_code == 429
    body = text_of(response)
    assert "a lot of new links for one day" in body
    # The link made last still works and is shown; nothing new was written.
    assert working.token in body
    assert Invite.objects.filter(inviter=alice).count() == settings.INVITE_DAILY_LIMIT
    assert list(Invite.objects.pending().filter(inviter=alice)) == [working]


def test_it_counts_the_limit_per_day(alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    yesterday = timezone.now() - timedelta(days=1, minutes=1)
    for _ in range(settings.INVITE_DAILY_LIMIT):
        services.create_invite(inviter=alice, now=yesterday)
    for _ in range(settings.INVITE_DAILY_LIMIT):
        assert services.create_invite(inviter=alice).is_open()
    with pytest.raises(services.TooManyInvites):
        services.create_invite(inviter=alice)


def test_it_answers_405_to_a_get(alice_client):
    assert alice_client.get(URL).status_code == 405


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_leaves_one_working_link_when_two_requests_race():
    for n in range(20):
        inviter = make_user(f"racer{n}@example.com", "Ray")

        def ask(inviter=inviter):
            client = Client()
            client.force_login(inviter)
            return client.post(URL).status_code

        assert race(ask, ask) == [302, 302]
        assert Invite.objects.filter(inviter=inviter).count() == 2
        assert Invite.objects.pending().filter(inviter=inviter).count() == 1, f"trial {n}"
