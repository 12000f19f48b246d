from django.test import Client
from django.urls import reverse

from notifications.delivery import unsubscribe_token

from ..factories import text_of


def url_for(user) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])


def test_it_asks_before_unsubscribing_on_get(client, alice):
    response = client.get(url_for(alice))
    assert response.status_code == 200
    assert "Turn off reminders" in text_of(response)
    alice.refresh_from_db()
    assert alice.reminder_enabled is True


def test_it_unsubscribes_signed_out_on_post(client, alice):
    response = client.post(url_for(alice))
    assert response.status_code == 200
    assert "Reminders are off" in text_of(response)
    alice.refresh_from_db()
    assert alice.reminder_enabled is False
    assert alice.next_reminder_at is None


def test_it_accepts_a_mail_clients_one_click_post_without_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(alice), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.reminder_enabled is False


def test_it_is_a_404_for_a_tampered_token(client, alice):
    token = unsubscribe_token(alice)
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    alice.refresh_from_db()
    assert alice.reminder_enabled is True


def test_it_refuses_other_methods(client, alice):
    assert client.put(url_for(alice)).status_code == 405
