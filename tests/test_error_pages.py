"""Error pages in the app's look with a way back, and a too-early code resend that says
how long to wait."""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from config.views import server_error

from .factories import PASSWORD, text_of


def check_page(body: str, title: str) -> None:
    assert title in body
    assert '<link rel="stylesheet" href="/static/css/attune.css">' in body
    assert 'class="card error-page"' in body
    assert re.search(r'<a class="button button-primary" href="/">Back to Attune</a>', body)


def test_it_shows_our_404_with_a_way_back(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    check_page(text_of(response), "We could not find that page")


@pytest.mark.parametrize(
    ("view", "exception", "status", "title"),
    [
        (defaults.bad_request, SuspiciousOperation(), 400, "We could not read that"),
        (defaults.permission_denied, PermissionDenied(), 403, "This is not open to you"),
    ],
)
def test_it_shows_our_4xx_pages(db, view, exception, status, title):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = view(request, exception)
    assert response.status_code == status
    check_page(response.content.decode(), title)


def test_it_shows_our_500_without_a_database(settings):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    check_page(response.content.decode(), "Something went wrong on our side")


MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_it_links_the_hashed_stylesheet_on_the_500_page(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = MANIFEST_STORAGE
    paths = {"css/attune.css": "css/attune.0123456789ab.css"}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))
    body = server_error(RequestFactory().get("/")).content.decode()
    assert '<link rel="stylesheet" href="/static/css/attune.0123456789ab.css">' in body


def test_it_still_shows_the_500_page_when_the_manifest_is_missing(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # no staticfiles.json: {% static %} would raise
    settings.STORAGES = MANIFEST_STORAGE
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    check_page(response.content.decode(), "Something went wrong on our side")


def test_it_answers_an_uncaught_error_with_our_500_page(client, db, settings, monkeypatch):
    import config.views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(config.views, "_database_ok", broken)  # healthz calls it
    client.raise_request_exception = False
    settings.DEBUG = False
    response = client.get("/healthz")
    assert response.status_code == 500
    check_page(response.content.decode(), "Something went wrong on our side")


def test_it_shows_our_429_when_allauth_limits(client, db):
    from allauth.core.ratelimit import respond_429

    request = RequestFactory().post("/accounts/login/")
    request.user = AnonymousUser()
    response = respond_429(request)
    assert response.status_code == 429
    check_page(response.content.decode(), "A short pause, please")


def test_it_says_how_long_to_wait_for_a_new_code(client, db):
    data = {"display_name": "Zoe", "email": "zoe@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    client.post(reverse("account_signup"), data)
    sent = len(mail.outbox)
    response = client.post(reverse("account_email_verification_sent"), {"action": "resend"})
    assert response.status_code == 429
    body = text_of(response)
    assert "A new code can go out 10 seconds after the last one." in body
    assert f'href="{reverse("account_email_verification_sent")}">Back to the code</a>' in body
    assert len(mail.outbox) == sent
