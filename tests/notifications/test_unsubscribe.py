import time as clock_time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from notifications.delivery import unsubscribe_token
from notifications.models import Channels, Preference, Recipient
from notifications.preferences import choices_for

from ..factories import text_of


def url_for(user) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])


def emails_off(user) -> bool:
    return all(channels in (Channels.NONE, Channels.PUSH) for channels in choices_for(user).values())


def test_it_asks_before_unsubscribing_on_get(client, alice):
    response = client.get(url_for(alice))
    assert response.status_code == 200
    assert "Turn off reminders" in text_of(response)
    assert not emails_off(alice)


def test_it_unsubscribes_signed_out_on_post(client, alice):
    response = client.post(url_for(alice))
    assert response.status_code == 200
    assert "Reminders are off" in text_of(response)
    choices = choices_for(alice)
    # Every kind that came by email comes no more; partner_answered came by push alone.
    assert {kind: channels for kind, channels in choices.items() if kind != "partner_answered"} == dict.fromkeys(
        (kind for kind in choices if kind != "partner_answered"), Channels.NONE
    )
    assert choices["partner_answered"] == Channels.PUSH


def test_it_keeps_push_for_kinds_that_had_it(client, alice):
    Preference.objects.create(user=alice, kind="reveal_ready", channels=Channels.BOTH)
    client.post(url_for(alice))
    choices = choices_for(alice)
    assert choices["reveal_ready"] == Channels.PUSH
    assert choices["daily_reminder"] == Channels.NONE


def test_it_accepts_a_mail_clients_one_click_post_without_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(alice), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert emails_off(alice)


def test_it_is_a_404_for_a_tampered_token(client, alice):
    token = unsubscribe_token(alice)
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert not emails_off(alice)


def test_it_is_a_404_for_garbage(client, alice):
    response = client.post(reverse("notifications:unsubscribe", args=["not-a-token"]))
    assert response.status_code == 404


def test_it_stops_working_once_the_address_changes(client, alice):
    url = url_for(alice)
    alice.email = "alice.new@example.com"
    alice.save()
    response = client.post(url)
    assert response.status_code == 404
    assert not emails_off(alice)


def test_it_stops_working_after_a_while(client, alice, settings, monkeypatch):
    url = url_for(alice)
    later = clock_time.time() + settings.UNSUBSCRIBE_MAX_AGE + 60

    class Later:
        @staticmethod
        def time() -> float:
            return later

    monkeypatch.setattr("django.core.signing.time", Later)
    response = client.post(url)
    assert response.status_code == 404
    assert not emails_off(alice)


def test_it_carries_no_readable_user_id_or_address(alice):
    token = unsubscribe_token(alice)
    public_id = Recipient.objects.get(user=alice).public_id.hex
    opaque, _timestamp, _signature = token.split(":")
    assert opaque == public_id
    assert "alice" not in token.lower()
    with pytest.raises(signing.BadSignature):
        signing.loads(token)


def test_it_refuses_other_methods(client, alice):
    assert client.put(url_for(alice)).status_code == 405
