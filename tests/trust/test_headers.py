"""Response headers that keep answers out of caches and features out of reach."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.middleware import SESSION_RENEWED_KEY

from ..factories import make_answer, make_day

NO_HEADERS: dict[str, str] = {}


def test_it_forbids_storing_a_page_that_shows_answers(alice_client, couple, alice, bob, htmx, library):
    day = make_day(couple)
    make_answer(day, alice, "Mine")
    make_answer(day, bob, "Theirs")
    day.revealed_at = timezone.now()
    day.save()
    for url in (reverse("prompts:today"), reverse("prompts:history")):
        for headers in (NO_HEADERS, htmx):
            response = alice_client.get(url, **headers)
            assert response.status_code == 200
            assert "Theirs" in response.content.decode()
            assert response["Cache-Control"] == "no-store"
            assert "HX-Request" in response["Vary"]


def test_it_varies_on_htmx_for_anonymous_pages_too(client, db):
    response = client.get(reverse("home"))
    assert "HX-Request" in response["Vary"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_refuses_powerful_features_on_every_page(client, alice_client):
    for response in (client.get(reverse("home")), alice_client.get(reverse("accounts:settings"))):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
            assert feature in policy


def test_it_makes_the_csrf_cookie_unreadable_by_scripts(client, db):
    response = client.get(reverse("account_login"))
    assert response.cookies["csrftoken"]["httponly"] is True


def test_it_clears_site_data_on_signing_out(alice_client):
    response = alice_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert '"cache"' in response["Clear-Site-Data"] and '"storage"' in response["Clear-Site-Data"]
    assert "_auth_user_id" not in alice_client.session


def test_it_does_not_clear_site_data_on_other_pages(alice_client):
    assert "Clear-Site-Data" not in alice_client.get(reverse("accounts:settings"))


def test_it_renews_a_session_a_day_old_on_use(alice_client):
    session = alice_client.session
    session[SESSION_RENEWED_KEY] = int(time.time()) - 2 * 24 * 3600
    session.save()
    key = session.session_key
    # As if a month were left of it.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(days=30))
    before = Session.objects.get(session_key=key).expire_date
    response = alice_client.get(reverse("accounts:settings"))
    after = Session.objects.get(session_key=key).expire_date
    assert after - before > timedelta(days=300)
    assert response.cookies["sessionid"].value == key


def test_it_leaves_a_fresh_session_unwritten(alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice_client.get(reverse("accounts:settings"))
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get(reverse("accounts:settings"))
    session_queries = [query["sql"] for query in queries.captured_queries if "django_session" in query["sql"]]
    assert len(session_queries) == 1 and session_queries[0].startswith("SELECT")  # read once, never written
    assert "sessionid" not in response.cookies


def test_it_gives_a_new_session_key_on_login(client, alice):
    from ..factories import PASSWORD

    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert client.session.session_key != before
    assert SESSION_RENEWED_KEY in client.session
