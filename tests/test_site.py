"""Landing, routing, health, security headers and error pages."""

from django.test import Client
from django.urls import reverse

from .factories import text_of


def test_it_shows_the_landing_page_to_visitors(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Start together" in text_of(response)


def test_it_sends_a_signed_in_user_without_partner_to_pairing(client, charlie):
    client.force_login(charlie)
    assert client.get("/").url == reverse("couples:couple")


def test_it_sends_a_paired_user_to_today(alice_client, couple):
    assert alice_client.get("/").url == reverse("prompts:today")


def test_it_reports_health(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_reports_an_unreachable_broker_as_503(client, db):
    from config.celery import app

    saved = app.conf.broker_url
    app.conf.update(broker_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.update(broker_url=saved)
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
    assert response.json()["database"] == "ok"


def test_it_sends_a_strict_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_it_puts_the_nonce_on_every_script(client, db):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    assert body.count("<script") == body.count(f'nonce="{nonce}"') >= 2
    assert "style=" not in body


def test_it_has_no_inline_style_or_unnonced_script_on_any_page_or_fragment(alice_client, alice, bob, couple, library):
    from prompts.models import DailyPrompt

    alice_client.post("/today/", {"text": "waiting now"})
    day = DailyPrompt.objects.get()
    pages = ["/", "/today/", "/history/", "/couple/", "/settings/", f"/today/{day.pk}/status/"]
    for url in pages:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = alice_client.get(url, **headers)
            body = response.content.decode()
            assert " style=" not in body and "<style" not in body, url
            assert "hx-on" not in body, url
            if "<script" in body:
                nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
                assert body.count("<script") == body.count(f'nonce="{nonce}"'), url


def test_it_loads_nothing_from_another_origin(alice_client, couple, library):
    for url in ("/", "/today/", "/couple/", "/settings/", "/accounts/signup/"):
        body = alice_client.get(url, follow=True).content.decode()
        assert "https://" not in body and "http://" not in body.replace("http://testserver", ""), url


def test_it_shows_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "could not find that page" in text_of(response)


def test_it_explains_a_missing_csrf_token(alice, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("couples:create_invite"))
    assert response.status_code == 403
    assert "gone stale" in text_of(response)


def _current_links(response) -> list[str]:
    import re

    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', text_of(response))


def test_it_marks_the_current_section_in_the_cached_header(alice_client, couple, library):
    # The header is rendered once per section and kept (CACHES["fragments"]): each page
    # must still get its own mark, and a visitor the visitor's links.
    assert _current_links(alice_client.get(reverse("prompts:today"))) == ["Today"]
    assert _current_links(alice_client.get(reverse("prompts:history"))) == ["History"]
    assert _current_links(alice_client.get(reverse("rituals:index"))) == ["Rituals"]
    assert _current_links(alice_client.get(reverse("couples:couple"))) == ["Partner"]
    assert _current_links(alice_client.get(reverse("accounts:settings"))) == ["Settings"]
    assert _current_links(alice_client.get(reverse("prompts:today"))) == ["Today"]
    visitor = text_of(Client().get("/"))
    assert "Sign in" in visitor and reverse("prompts:history") not in visitor


def test_it_keeps_the_hashed_static_url_of_each_file(settings, tmp_path):
    from config.storage import StaticFilesStorage

    (tmp_path / "site.css").write_text("body{}")
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.hashed_files = {"site.css": "site.abc123.css"}
    assert storage.url("site.css") == storage.url("site.css") == "/static/site.abc123.css"
    storage.hashed_files = {"site.css": "site.def456.css"}
    # Read once per process: the manifest never changes under a running server.
    assert storage.url("site.css") == "/static/site.abc123.css"


def test_it_leaves_no_template_comment_in_a_page(alice_client, couple, library):
    # Django's {# #} holds one line only: a longer one is printed as it is.
    for url in (reverse("prompts:today"), reverse("prompts:history"), reverse("accounts:settings"), "/"):
        body = alice_client.get(url, follow=True).content.decode()
        assert "{#" not in body and "#}" not in body, url
    assert "{#" not in Client().get("/").content.decode()
