"""allauth's screens in our look and voice: sentence case, no colons after labels, no
placeholder repeating a label, a code field for phones, password rules in one line, a
way to sign in after a reset, and one welcome after verifying."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from ..factories import PASSWORD, text_of

ENTRANCES = ["account_login", "account_signup", "account_request_login_code", "account_reset_password"]


def code_from(message) -> str:
    found = re.search(r"\b([A-Z]{4}-?[A-Z]{4})\b", message.body)
    assert found, message.body
    return found.group(1)


def check_voice(body: str) -> None:
    assert "placeholder=" not in body
    assert not re.search(r":\s*</label>", body), re.findall(r"<label[^>]*>[^<]*</label>", body)
    for heading in re.findall(r"<h1[^>]*>(.*?)</h1>", body, re.S):
        words = heading.split()
        assert not any(word[0].isupper() for word in words[1:] if word.isalpha() and word not in ("Attune",)), heading


@pytest.mark.parametrize("name", ENTRANCES)
def test_it_speaks_in_our_voice_on_each_entrance(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = text_of(response)
    check_voice(body)
    assert 'class="page-title"' in body


def test_it_says_the_password_rules_in_one_line(client, db):
    body = text_of(client.get(reverse("account_signup")))
    assert "At least 8 characters, not only numbers, not a common password, not close to your email." in body
    assert "<ul><li>Your password" not in body


def test_it_asks_for_the_sign_in_code_the_phone_way(client, alice):
    client.post(reverse("account_request_login_code"), {"email": "alice@example.com"})
    response = client.get(reverse("account_confirm_login_code"))
    body = text_of(response)
    check_voice(body)
    field = re.search(r'<input[^>]*name="code"[^>]*>', body)
    assert field, body
    assert 'inputmode="text"' in field.group(0) and 'autocapitalize="characters"' in field.group(0)
    assert 'autocomplete="one-time-code"' in field.group(0)
    assert "alice@example.com" in body
    assert [str(message) for message in get_messages(response.wsgi_request)] == []


def test_it_asks_for_the_verification_code_the_phone_way(client, db):
    data = {"display_name": "Zoe", "email": "zoe@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    client.post(reverse("account_signup"), data)
    body = text_of(client.get(reverse("account_email_verification_sent")))
    check_voice(body)
    assert re.search(r'<input[^>]*inputmode="text"[^>]*autocomplete="one-time-code"', body) or (
        'inputmode="text"' in body and 'autocomplete="one-time-code"' in body
    )


def test_it_welcomes_once_after_verifying(client, db):
    data = {"display_name": "Zoe", "email": "zoe@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    client.post(reverse("account_signup"), data)
    response = client.post(
        reverse("account_email_verification_sent"), {"code": code_from(mail.outbox[-1])}, follow=True
    )
    body = text_of(response)
    assert body.count('class="message ') == 1, re.findall(r'<li class="message[^>]*>(.*?)</li>', body)
    assert "Welcome to Attune. Your email is confirmed, and you are signed in." in body
    assert "Successfully signed in" not in body


def test_it_offers_a_sign_in_button_after_a_reset(client, alice):
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    found = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", str(mail.outbox[-1].body))
    assert found
    link = found.group(1)
    form_page = client.get(link, follow=True)
    check_voice(text_of(form_page))
    new = "a-new-long-passphrase-7"
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)
    body = text_of(response)
    assert "Your new password is set" in body
    assert f'<a class="button button-primary" href="{reverse("account_login")}">Sign in</a>' in body
    assert 'class="message ' not in body  # the heading says it once, no banner on top
    assert 'class="message ' not in text_of(client.get(reverse("account_login")))  # nor one left for later


def test_it_says_a_used_reset_link_no_longer_works(client, alice):
    response = client.get(reverse("account_reset_password_from_key", args=["zz", "bad-key"]))
    assert "This link no longer works" in text_of(response)
