from django.urls import reverse

from couples.models import Couple, Invite, Membership
from prompts.models import Answer

from ..factories import make_answer, make_day, text_of

URL = reverse("couples:couple")

NO_HEADERS: dict[str, str] = {}


def test_it_offers_to_create_an_invite(client, charlie):
    client.force_login(charlie)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Invite your partner to begin" in text_of(response)


def test_it_creates_an_invite_with_link_and_qr(client, charlie):
    client.force_login(charlie)
    response = client.post(reverse("couples:create_invite"), follow=True)
    invite = Invite.objects.get(inviter=charlie)
    body = text_of(response)
    assert f"http://testserver/join/{invite.token}/" in body
    assert "<svg" in body
    assert len(invite.token) >= 43  # 32 random bytes, base64url
    assert (invite.expires_at - invite.created_at).days == 7


def test_it_revokes_the_previous_invite_when_making_a_new_one(client, charlie):
    client.force_login(charlie)
    client.post(reverse("couples:create_invite"))
    client.post(reverse("couples:create_invite"))
    assert Invite.objects.filter(inviter=charlie, revoked_at__isnull=True).count() == 1
    assert Invite.objects.filter(inviter=charlie).count() == 2


def test_it_shows_the_partner_when_paired(alice_client, couple):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert "You and Bob" in text_of(response)


def test_it_changes_the_couples_time_zone(alice_client, couple):
    response = alice_client.post(reverse("couples:time_zone"), {"time_zone": "America/New_York"})
    assert response.status_code == 302
    couple.refresh_from_db()
    assert couple.time_zone == "America/New_York"


def test_it_rejects_an_unknown_time_zone_and_keeps_the_old_one(alice_client, couple):
    response = alice_client.post(reverse("couples:time_zone"), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    couple.refresh_from_db()
    assert couple.time_zone == "Europe/London"


def test_it_unpairs_and_keeps_each_ones_own_answers_visible_to_them(alice_client, alice, bob, couple):
    day = make_day(couple)
    make_answer(day, alice, "alice-words")
    make_answer(day, bob, "bob-words")
    response = alice_client.post(reverse("couples:unpair"), {"confirm": "yes"})
    assert response.status_code == 302
    couple.refresh_from_db()
    assert couple.ended_at is not None
    assert not Membership.objects.filter(active=True).exists()
    assert [answer.text for answer in Answer.objects.visible_to(alice)] == ["alice-words"]
    assert [answer.text for answer in Answer.objects.visible_to(bob)] == ["bob-words"]
    assert Answer.objects.count() == 2
    history = text_of(alice_client.get(reverse("prompts:history")))
    assert "alice-words" in history
    assert "bob-words" not in history


def test_it_asks_once_more_before_unpairing(alice_client, couple, htmx):
    for headers in (NO_HEADERS, htmx):
        response = alice_client.post(reverse("couples:unpair"), **headers)
        assert response.status_code == 200
        body = text_of(response)
        assert "Unpair from Bob?" in body
        assert 'name="confirm" value="yes"' in body
    assert Couple.objects.active().count() == 1
    assert Membership.objects.filter(active=True).count() == 2


def test_it_does_not_unpair_an_outsider(client, charlie, couple):
    client.force_login(charlie)
    response = client.post(reverse("couples:unpair"), {"confirm": "yes"})
    assert response.status_code == 302  # to /couple/: charlie has no couple to end
    assert Couple.objects.active().count() == 1


def test_it_requires_post_to_unpair(alice_client, couple):
    assert alice_client.get(reverse("couples:unpair")).status_code == 405
    assert Couple.objects.active().count() == 1


def test_it_requires_sign_in(client):
    assert client.get(URL).status_code == 302


def test_it_explains_an_unknown_time_zone(alice_client, couple):
    response = alice_client.post(reverse("couples:time_zone"), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "Choose a time zone from the list, like Europe/Paris." in text_of(response)
    assert "data-time-zone-picker" in text_of(response)
