"""Sign-in defects found by trying the site as an attacker would (issue 11)."""

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import User

from ..factories import PASSWORD, make_user, text_of

CODE = re.compile(r"\b([A-Z]{4}-[A-Z]{4})\b")


def refused(response) -> bool:
    return response.status_code != 302 and "Too many" in text_of(response)


def request_code(client, email: str, ip: str = "203.0.113.7", **headers):
    """Each request from a fresh session, as a script would send them (a session with
    a code pending is sent on to the confirm page without a new code)."""
    client.cookies.clear()
    return client.post(reverse("account_request_login_code"), {"email": email}, REMOTE_ADDR=ip, **headers)


def test_it_emails_long_letter_codes_and_says_what_to_type(client, alice):
    asking = text_of(client.get(reverse("account_request_login_code")))
    assert "a code of 8 letters" in asking and "six-digit" not in asking
    request_code(client, "alice@example.com")
    body = str(mail.outbox[-1].body)
    code = CODE.search(body)
    assert code, body
    # 20 letters, 8 places: no lowercase, no vowels, no digits to mistype.
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", code.group(1))
    # The page says what to type.
    page = text_of(client.get(reverse("account_confirm_login_code")))
    assert "The 8 letters from the email, like KDPT-RMWB." in page
    assert re.search(r'<input[^>]*name="code"[^>]*autocapitalize="characters"', page)
    # Typed without the dash or in lower case, it still works.
    response = client.post(reverse("account_confirm_login_code"), {"code": code.group(1).replace("-", "").lower()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_it_never_checks_a_password_posted_to_the_admin_login(client, db):
    staff = make_user("root@example.com", "Root", is_staff=True, is_superuser=True)
    refused = 0
    for attempt in range(60):
        password = PASSWORD if attempt == 59 else f"guess-{attempt}"
        response = client.post(
            reverse("admin:login"), {"username": staff.email, "password": password, "next": "/admin/"}
        )
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        refused += "_auth_user_id" not in client.session
    assert refused == 60


def test_it_sends_the_admin_to_the_rate_limited_login_and_back(client, db):
    make_user("root@example.com", "Root", is_staff=True, is_superuser=True)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "root@example.com", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "root@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in text_of(response)


def test_it_ignores_an_offsite_next_on_the_admin_login(client, db):
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert "evil.example" not in response.url


def test_it_lets_the_owner_sign_in_by_code_while_an_attacker_locks_the_password(client, alice):
    attacker = client.__class__()
    for _ in range(6):
        attacker.post(
            reverse("account_login"), {"login": "alice@example.com", "password": "wrong"}, REMOTE_ADDR="198.51.100.9"
        )
    for _ in range(10):
        request_code(attacker, "alice@example.com", ip="198.51.100.9")
    # The attacker's own address is now refused more codes.
    assert refused(request_code(attacker, "alice@example.com", ip="198.51.100.9"))
    # The password route is locked for the account...
    response = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert "_auth_user_id" not in client.session
    # ...but alice, from her phone, still gets a code and signs in with it.
    mail.outbox.clear()
    response = request_code(client, "alice@example.com")
    assert response.status_code == 302
    code = CODE.search(str(mail.outbox[-1].body))
    assert code
    response = client.post(reverse("account_confirm_login_code"), {"code": code.group(1)}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk


def _exhaust_codes_from(client, forwarded_for: str) -> None:
    for _ in range(10):
        assert (
            request_code(client, "nobody@example.com", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for).status_code
            == 302
        )


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_it_counts_each_client_behind_a_trusted_proxy_on_its_own(client, db):
    _exhaust_codes_from(client, "198.51.100.1")
    assert refused(request_code(client, "x@example.com", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"))
    # Another person behind the same proxy is not refused for the first one's tries.
    assert request_code(client, "x@example.com", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_it_ignores_a_forwarded_for_header_when_not_behind_a_proxy(client, db):
    _exhaust_codes_from(client, "198.51.100.1")
    # Without BEHIND_PROXY a client cannot pick a new address by writing a header.
    assert refused(request_code(client, "x@example.com", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2"))


def test_it_reads_the_proxy_settings_from_behind_proxy():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, s.SECURE_PROXY_SSL_HEADER is not None)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "PATH": "/usr/bin:/bin"}
    run = lambda **extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env=env | extra, capture_output=True, text=True, check=True
    ).stdout.split()
    assert run() == ["0", "None", "False"]
    assert run(BEHIND_PROXY="1") == ["1", "None", "True"]
    assert run(BEHIND_PROXY="1", TRUSTED_CLIENT_IP_HEADER="X-Real-IP") == ["1", "X-Real-IP", "True"]


def test_it_keeps_the_user_table_untouched_by_admin_login_posts(client, db):
    make_user("root@example.com", "Root", is_staff=True)
    before = User.objects.get(email="root@example.com").last_login
    client.post(reverse("admin:login"), {"username": "root@example.com", "password": PASSWORD})
    assert User.objects.get(email="root@example.com").last_login == before


def test_it_asks_to_sign_in_again_before_changing_the_email(alice_client, alice):
    from allauth.account.models import EmailAddress

    response = alice_client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new@example.com").exists()
    # Once the password is typed again, the change goes through.
    assert not [message for message in mail.outbox if "new@example.com" in message.to]
    # Once the password is typed again, the change goes ahead: a code to the new address.
    assert alice_client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = alice_client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert not response.url.startswith(reverse("account_reauthenticate"))
    assert [message for message in mail.outbox if "new@example.com" in message.to]


def test_it_asks_for_the_old_password_to_change_it(alice_client, alice):
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": "another-long-phrase-77", "password2": "another-long-phrase-77"},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
