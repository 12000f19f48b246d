"""Invite outcomes and the pairing service, with no HTTP."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from couples import services
from couples.models import Couple, Invite

from ..factories import PASSWORD, make_couple


def test_it_is_open_for_someone_else(alice, charlie):
    invite = services.create_invite(inviter=alice)
    assert invite.outcome_for(charlie) == Invite.Outcome.OPEN


def test_it_is_the_inviters_own(alice):
    invite = services.create_invite(inviter=alice)
    assert invite.outcome_for(alice) == Invite.Outcome.OWN


@pytest.mark.parametrize("spoil", ["expired", "used", "revoked", "inviter_paired"])
def test_it_is_gone(alice, bob, charlie, spoil):
    invite = services.create_invite(inviter=alice)
    if spoil == "expired":
        invite.expires_at = timezone.now() - timedelta(seconds=1)
    elif spoil == "used":
        invite.used_at = timezone.now()
    elif spoil == "revoked":
        invite.revoked_at = timezone.now()
    else:
        make_couple(alice, bob)
    invite.save()
    assert invite.outcome_for(charlie) == Invite.Outcome.GONE
    with pytest.raises(services.PairingError):
        services.accept_invite(invite=invite, user=charlie)
    assert not Couple.objects.of(charlie).exists()


def test_it_refuses_ones_own_invite(alice):
    invite = services.create_invite(inviter=alice)
    with pytest.raises(services.OwnInvite):
        services.accept_invite(invite=invite, user=alice)


def test_it_refuses_someone_already_paired(alice, charlie, other_couple):
    invite = services.create_invite(inviter=alice)
    with pytest.raises(services.AlreadyPaired):
        services.accept_invite(invite=invite, user=charlie)
    invite.refresh_from_db()
    assert invite.used_at is None


def test_it_makes_unguessable_single_use_tokens(alice):
    # A day apart each, under the daily limit.
    tokens = {services.create_invite(inviter=alice, now=timezone.now() + timedelta(days=n)).token for n in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 43 for token in tokens)  # 256 bits in base64url


def test_it_brings_a_login_by_code_back_to_the_invite(client, alice, charlie):
    invite = services.create_invite(inviter=alice)
    join = reverse("couples:join", args=[invite.token])
    client.get(join)
    client.post(reverse("account_request_login_code") + f"?next={join}", {"email": "charlie@example.com", "next": join})
    found = re.search(r"\b([A-Z]{4}-[A-Z]{4})\b", str(mail.outbox[-1].body))
    assert found, "no code in the email"
    code = found.group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code, "next": join})
    assert response.status_code == 302
    assert response.url == join
    assert client.post(join).url == reverse("prompts:today")


def test_it_brings_a_password_login_back_to_the_invite(client, alice, charlie):
    invite = services.create_invite(inviter=alice)
    join = reverse("couples:join", args=[invite.token])
    response = client.post(
        reverse("account_login"), {"login": "charlie@example.com", "password": PASSWORD, "next": join}
    )
    assert response.url == join
