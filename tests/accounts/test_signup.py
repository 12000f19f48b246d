"""Signing up with email, an 8-letter code, and our extra fields."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

from ..factories import PASSWORD, make_user, text_of


def signup(client, **overrides):
    data = {"display_name": "Zoe", "email": "zoe@example.com", "password1": PASSWORD, "time_zone": "Europe/Paris"}
    return client.post(reverse("account_signup"), data | overrides)


def code_from(message) -> str:
    found = re.search(r"\b([A-Z]{4}-[A-Z]{4})\b", message.body)
    assert found, f"no code in:\n{message.body}"
    return found.group(1)


def test_it_creates_a_user_with_name_time_zone_and_a_reminder(client, db):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="zoe@example.com")
    assert (user.display_name, user.time_zone) == ("Zoe", "Europe/Paris")
    assert user.next_reminder_at is not None
    local = user.next_reminder_at.astimezone(user.zone)
    assert (local.hour, local.minute) == (20, 0)


def test_it_falls_back_to_utc_when_the_browser_sent_no_time_zone(client, db):
    signup(client, time_zone="Not/AZone")
    assert User.objects.get(email="zoe@example.com").time_zone == "UTC"


def test_it_verifies_the_email_with_an_eight_letter_code_and_keeps_next(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Zoe",
            "email": "zoe@example.com",
            "password1": PASSWORD,
            "time_zone": "UTC",
            "next": "/join/abc/",
        },
    )
    assert response.url == reverse("account_email_verification_sent")
    code = code_from(mail.outbox[-1])
    assert len(code.replace("-", "")) == 8
    assert "Hi Zoe," in mail.outbox[-1].body
    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302
    assert response.url == "/join/abc/"
    assert EmailAddress.objects.get(user__email="zoe@example.com").verified


def test_it_keeps_what_was_typed_when_signup_fails(client, db):
    response = signup(client, display_name="  ", email="not-an-email")
    assert response.status_code == 200
    body = text_of(response)
    assert 'value="not-an-email"' in body
    assert "Tell us what to call you" in body
    assert not User.objects.exists()


def test_it_logs_in_by_emailed_code(client, alice):
    response = client.post(reverse("account_request_login_code"), {"email": "alice@example.com"})
    assert response.status_code == 302
    code = code_from(mail.outbox[-1])
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_it_logs_in_with_a_password(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_it_remembers_the_session_for_a_long_time(client, alice):
    client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert client.session.get_expiry_age() >= 60 * 60 * 24 * 300


def test_it_trips_the_login_rate_limit(client, alice):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "alice@example.com", "password": "wrong"})
    # Even the right password is refused now: the limit guards the account.
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_it_forgets_the_rate_limit_between_tests(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_it_sends_a_password_reset(client, alice):
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_it_normalises_email_case(db):
    user = make_user("MiXeD@Example.COM", "Mix")
    assert user.email == "mixed@example.com"
