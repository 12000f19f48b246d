from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from couples import services
from couples.models import Couple, Invite, Membership
from couples.views import PENDING_INVITE_SESSION_KEY

from ..factories import make_couple, text_of


def join_url(invite: Invite) -> str:
    return reverse("couples:join", args=[invite.token])


def test_it_shows_the_invite_without_using_it(client, alice, charlie):
    invite = services.create_invite(inviter=alice)
    client.force_login(charlie)
    response = client.get(join_url(invite))
    assert response.status_code == 200
    assert "Alice invited you" in text_of(response)
    assert "Pair with Alice" in text_of(response)
    invite.refresh_from_db()
    assert invite.used_at is None
    assert not Couple.objects.exists()


def test_it_pairs_on_post_and_lands_on_today(client, alice, charlie):
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    invite = services.create_invite(inviter=alice)
    client.force_login(charlie)
    response = client.post(join_url(invite))
    assert response.status_code == 302
    assert response.url == reverse("prompts:today")
    couple = Couple.objects.get()
    assert couple.time_zone == "Asia/Tokyo"
    assert {m.user for m in couple.memberships.all()} == {alice, charlie}
    invite.refresh_from_db()
    assert invite.used_by == charlie


def test_it_revokes_both_users_other_invites_on_pairing(client, alice, charlie):
    invite = services.create_invite(inviter=alice)
    charlies_own = services.create_invite(inviter=charlie)
    client.force_login(charlie)
    client.post(join_url(invite))
    charlies_own.refresh_from_db()
    assert charlies_own.revoked_at is not None


def test_it_is_a_404_for_an_unknown_token(client, charlie):
    client.force_login(charlie)
    assert client.get(reverse("couples:join", args=["no-such-token"])).status_code == 404


def test_it_is_410_for_an_expired_invite_signed_in_or_out(client, alice, charlie):
    invite = services.create_invite(inviter=alice, now=timezone.now() - timedelta(days=8))
    response = client.get(join_url(invite))
    assert response.status_code == 410
    assert "no longer works" in text_of(response)
    client.force_login(charlie)
    assert client.get(join_url(invite)).status_code == 410
    assert client.post(join_url(invite)).status_code == 410
    assert not Couple.objects.exists()


def test_it_is_410_for_a_used_invite(client, alice, charlie, dana):
    invite = services.create_invite(inviter=alice)
    services.accept_invite(invite=invite, user=dana)
    client.force_login(charlie)
    assert client.post(join_url(invite)).status_code == 410
    assert Membership.objects.filter(user=charlie).count() == 0


def test_it_is_410_for_a_revoked_invite(client, alice, charlie):
    old = services.create_invite(inviter=alice)
    services.create_invite(inviter=alice)
    client.force_login(charlie)
    assert client.get(join_url(old)).status_code == 410


def test_it_is_410_when_the_inviter_paired_with_someone_else(client, alice, bob, charlie):
    invite = services.create_invite(inviter=alice)
    make_couple(alice, bob)
    client.force_login(charlie)
    assert client.post(join_url(invite)).status_code == 410
    assert Membership.objects.filter(user=charlie).count() == 0


def test_it_tells_the_inviter_to_send_their_own_link(client, alice):
    invite = services.create_invite(inviter=alice)
    client.force_login(alice)
    response = client.get(join_url(invite))
    assert response.status_code == 200
    assert "your own invite" in text_of(response)
    assert "Pair with" not in text_of(response)
    client.post(join_url(invite))
    assert not Couple.objects.exists()


def test_it_is_409_for_someone_already_paired(client, alice, charlie, other_couple):
    invite = services.create_invite(inviter=alice)
    client.force_login(charlie)
    response = client.get(join_url(invite))
    assert response.status_code == 409
    assert reverse("prompts:today") in text_of(response)
    assert client.post(join_url(invite)).status_code == 409
    invite.refresh_from_db()
    assert invite.used_at is None
    assert Couple.objects.count() == 1


def test_it_leads_a_signed_out_visitor_through_signup_and_back(client, alice):
    invite = services.create_invite(inviter=alice)
    response = client.get(join_url(invite))
    assert response.status_code == 200
    body = text_of(response)
    assert "Alice invited you" in body
    assert f"{reverse('account_signup')}?next={join_url(invite)}" in body
    assert client.session[PENDING_INVITE_SESSION_KEY] == invite.token


def test_it_sends_a_signed_out_post_to_login_and_keeps_the_invite(client, alice):
    invite = services.create_invite(inviter=alice)
    response = client.post(join_url(invite))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    invite.refresh_from_db()
    assert invite.used_at is None


def test_it_picks_up_a_pending_invite_after_sign_in(client, alice, charlie):
    invite = services.create_invite(inviter=alice)
    client.get(join_url(invite))
    client.force_login(charlie)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == join_url(invite)


def test_it_refuses_other_methods(client, alice):
    invite = services.create_invite(inviter=alice)
    assert client.delete(join_url(invite)).status_code == 405


def test_it_is_a_404_for_a_token_with_a_nul_byte(client, charlie):
    client.force_login(charlie)
    assert client.get("/join/abc%00def/").status_code == 404


def test_it_forgets_a_pending_invite_that_is_ones_own(client, alice):
    invite = services.create_invite(inviter=alice)
    client.get(join_url(invite))
    client.force_login(alice)
    client.get(join_url(invite))
    assert client.get(reverse("home")).url == reverse("couples:couple")


def test_it_forgets_a_pending_invite_that_is_gone(client, alice, charlie):
    invite = services.create_invite(inviter=alice)
    client.get(join_url(invite))
    invite.delete()
    client.force_login(charlie)
    assert client.get(reverse("home")).url == reverse("couples:couple")
    assert PENDING_INVITE_SESSION_KEY not in client.session
