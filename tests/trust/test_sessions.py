"""Signed-in devices: listed on a page, and the others can be signed out."""

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from ..factories import PASSWORD, text_of

URL = reverse("usersessions_list")


def sign_in(email: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_lists_each_signed_in_device(alice, bob):
    phone = sign_in("alice@example.com", "AlicePhone/1.0")
    sign_in("alice@example.com", "AliceLaptop/2.0")
    sign_in("bob@example.com", "BobPhone/3.0")
    response = phone.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "AlicePhone/1.0" in body and "AliceLaptop/2.0" in body
    assert "BobPhone/3.0" not in body
    assert response["Cache-Control"] == "no-store"


def test_it_signs_out_the_other_devices_and_keeps_this_one(alice, bob):
    phone = sign_in("alice@example.com", "AlicePhone/1.0")
    laptop = sign_in("alice@example.com", "AliceLaptop/2.0")
    bobs = sign_in("bob@example.com", "BobPhone/3.0")
    response = phone.post(URL)
    assert response.status_code == 302
    assert phone.get(reverse("accounts:settings")).status_code == 200
    assert laptop.get(reverse("accounts:settings")).status_code == 302  # signed out
    assert bobs.get(reverse("accounts:settings")).status_code == 200
    assert UserSession.objects.filter(user=alice).count() == 1
    assert Session.objects.count() == 2


def test_it_asks_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_links_the_sessions_page_from_settings(alice_client):
    assert f'href="{URL}"' in text_of(alice_client.get(reverse("accounts:settings")))
