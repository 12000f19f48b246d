"""Deployment settings and headers, checked over the whole site."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .routes import World, build_world, route_names

HTMX: dict[str, str] = {"HX-Request": "true"}
NO_HEADERS: dict[str, str] = {}
# What README.md tells a deployer to set for production.
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Q2z" * 10,
    "SITE_URL": "https://attune.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_PROXY": "1",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1rZXktZGVwbG95LXRlc3QtMzJieXQ=",
}


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_passes_the_deploy_check_with_production_settings(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_fails_the_deploy_check_with_the_development_encryption_key(tmp_path):
    production = {name: value for name, value in PRODUCTION.items() if name != "FIELD_ENCRYPTION_KEYS"}
    result = check_deploy(tmp_path, **production)
    assert result.returncode != 0
    assert "privacy.W001" in result.stdout + result.stderr


def test_it_fails_the_deploy_check_without_hsts(tmp_path):
    """The check is not vacuous: leave out HSTS and it warns."""
    result = check_deploy(tmp_path, **(PRODUCTION | {"SECURE_HSTS_SECONDS": "0"}))
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


@pytest.fixture
def world(library) -> World:
    return build_world(library)


def test_it_sends_a_strict_csp_on_every_page_and_fragment(world):
    checked = 0
    for user in (world.alice, world.charlie, None):
        client = Client()
        if user is not None:
            client.force_login(user)
        for name in sorted(route_names()):
            for headers in (NO_HEADERS, HTMX):
                response = client.get(reverse(name, kwargs=world.kwargs(name)), headers=headers)
                if not response.get("Content-Type", "").startswith("text/html") or response.status_code in (204, 302):
                    continue
                policy = response["Content-Security-Policy"]
                assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, name
                assert "script-src 'self'" in policy and "default-src 'self'" in policy, name
                assert "frame-ancestors 'none'" in policy, name
                assert response["Referrer-Policy"] == "same-origin", name
                assert response["X-Content-Type-Options"] == "nosniff", name
                checked += 1
    assert checked > 100


def test_it_has_no_inline_script_or_style_without_the_nonce(world):
    client = Client()
    client.force_login(world.alice)
    for name in sorted(route_names()):
        response = client.get(reverse(name, kwargs=world.kwargs(name)))
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
            continue
        body = response.content.decode()
        policy = response["Content-Security-Policy"]
        nonce = policy.split("'nonce-")[1].split("'")[0] if "'nonce-" in policy else "no nonce on this page"
        for tag in ("<script", "<style"):
            for chunk in body.split(tag)[1:]:
                opening = chunk.split(">", 1)[0]
                assert "src=" in opening or f'nonce="{nonce}"' in opening, (name, tag + opening)
        assert " style=" not in body, name
