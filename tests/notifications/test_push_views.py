import json

import pytest
from django.urls import reverse

from notifications.models import PushSubscription

from ..push_service import Phone

SUBSCRIBE = reverse("notifications:push-subscribe")
UNSUBSCRIBE = reverse("notifications:push-unsubscribe")


@pytest.fixture(autouse=True)
def push_services(settings):
    settings.PUSH_SERVICE_HOSTS = ["push.example.net"]


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def a_phone(name: str = "a") -> Phone:
    return Phone(endpoint=f"https://push.example.net/send/{name}")


def test_it_saves_a_subscription_then_refreshes_it(alice_client, alice):
    phone = a_phone()
    response = post_json(alice_client, SUBSCRIBE, phone.subscription_json())
    assert response.status_code == 201
    saved = PushSubscription.objects.get(user=alice)
    assert (saved.endpoint, saved.p256dh, saved.auth) == (phone.endpoint, phone.p256dh, phone.auth)

    renewed = Phone(endpoint=phone.endpoint)  # the browser rotated its keys
    response = post_json(alice_client, SUBSCRIBE, renewed.subscription_json())
    assert response.status_code == 200
    saved = PushSubscription.objects.get(user=alice)
    assert saved.p256dh == renewed.p256dh


def test_it_hands_a_browsers_endpoint_to_whoever_signs_in_there(client, alice, bob):
    phone = a_phone()
    client.force_login(alice)
    post_json(client, SUBSCRIBE, phone.subscription_json())
    client.force_login(bob)
    post_json(client, SUBSCRIBE, phone.subscription_json())
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [bob.pk]


def test_it_refuses_what_is_not_a_subscription(alice_client):
    for body in ({}, {"endpoint": "https://x"}, {"endpoint": 5, "keys": {"p256dh": "a", "auth": "b"}}, [1, 2]):
        assert post_json(alice_client, SUBSCRIBE, body).status_code == 400
    assert alice_client.post(SUBSCRIBE, "{not json", content_type="application/json").status_code == 400
    too_long = a_phone("x" * 5000).subscription_json()
    assert post_json(alice_client, SUBSCRIBE, too_long).status_code == 400
    assert not PushSubscription.objects.exists()


def test_it_takes_endpoints_on_a_push_services_subdomains(alice_client, alice):
    phone = Phone(endpoint="https://eu.push.example.net/send/a")
    assert post_json(alice_client, SUBSCRIBE, phone.subscription_json()).status_code == 201


def test_it_refuses_endpoints_that_are_not_a_known_push_service(alice_client):
    for endpoint in (
        "http://push.example.net/send/a",  # not https
        "https://127.0.0.1/internal",  # the worker must not be sent into the local network
        "https://evilpush.example.net.attacker.test/a",
        "https://notpush.example.net/a",
    ):
        assert post_json(alice_client, SUBSCRIBE, Phone(endpoint=endpoint).subscription_json()).status_code == 400
    assert not PushSubscription.objects.exists()


def test_it_knows_the_big_browsers_push_services_by_default():
    from config import settings as defaults  # the module as read, not the test's override

    assert {"fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com"} <= set(defaults.PUSH_SERVICE_HOSTS)


def test_it_removes_this_browsers_subscription(alice_client, alice):
    phone = a_phone()
    post_json(alice_client, SUBSCRIBE, phone.subscription_json())
    response = post_json(alice_client, UNSUBSCRIBE, phone.subscription_json())
    assert response.status_code == 204
    assert not PushSubscription.objects.exists()


def test_it_is_a_404_to_remove_someone_elses_subscription(client, alice, charlie):
    phone = a_phone()
    client.force_login(alice)
    post_json(client, SUBSCRIBE, phone.subscription_json())
    client.force_login(charlie)
    assert post_json(client, UNSUBSCRIBE, phone.subscription_json()).status_code == 404
    assert PushSubscription.objects.filter(user=alice).exists()


def test_it_refuses_other_methods(alice_client):
    assert alice_client.get(SUBSCRIBE).status_code == 405
    assert alice_client.get(UNSUBSCRIBE).status_code == 405


def test_it_sends_the_signed_out_to_sign_in(client, db):
    response = post_json(client, SUBSCRIBE, a_phone().subscription_json())
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_it_needs_the_csrf_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert post_json(client, SUBSCRIBE, a_phone().subscription_json()).status_code == 403
    assert not PushSubscription.objects.exists()
