from django.templatetags.static import static
from django.urls import reverse

from ..factories import text_of


def test_it_serves_the_service_worker_from_the_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = text_of(response)
    assert f'"{static("css/attune.css")}"' in body
    assert f'const OFFLINE_URL = "{reverse("notifications:offline")}"' in body
    assert 'addEventListener("push"' in body and "showNotification" in body


def test_it_names_its_cache_after_the_static_files_it_keeps(client, db, settings):
    first = text_of(client.get("/sw.js"))
    settings.STATIC_URL = "/assets/"
    second = text_of(client.get("/sw.js"))
    version = [line for line in first.splitlines() if line.startswith("const CACHE")]
    assert version and version[0] not in second


def test_it_refuses_other_methods_for_the_worker(client, db):
    assert client.post("/sw.js").status_code == 405


def test_it_shows_the_offline_page_to_anyone(client, db):
    response = client.get(reverse("notifications:offline"))
    assert response.status_code == 200
    body = text_of(response)
    assert "No connection right now" in body
    assert "<script" not in body


def test_it_refuses_other_methods_for_the_offline_page(client, db):
    assert client.post(reverse("notifications:offline")).status_code == 405


def test_it_links_the_manifest_and_the_phone_script_on_every_page(alice_client):
    body = text_of(alice_client.get(reverse("accounts:settings")))
    assert 'rel="manifest"' in body
    assert f'src="{static("js/phone.js")}"' in body
    assert f'data-push-refresh="{reverse("notifications:push-subscribe")}"' in body


def test_it_does_not_refresh_push_for_the_signed_out(client, db):
    body = text_of(client.get("/"))
    assert "data-push-refresh" not in body
