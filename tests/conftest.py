"""Test-wide settings and personas.

alice and bob are a couple; charlie is an outsider with his own partner dana.
Services: the suite runs on SQLite with no Redis by default; with DATABASE_URL and
REDIS_URL set (as .ci/run does) it runs on PostgreSQL and Redis. Tests marked
`postgres`, `redis` or `browser` need that part; under ATTUNE_REQUIRE_ALL=1 (CI) a
missing part stops the run instead of skipping anything.
"""

import os
from collections import Counter

import pytest
import redis as redis_lib
from django.conf import settings
from django.core.cache import cache, caches

from accounts.models import User
from config.celery import app as celery_app
from couples.models import Couple
from prompts.library import load_prompts, read_prompts
from prompts.models import Prompt

from .availability import NEEDS, browser_missing, plan
from .factories import make_couple, make_user

REQUIRE_ALL = os.environ.get("ATTUNE_REQUIRE_ALL") == "1"
# Redis databases for the cache (allauth's rate limits) and the Celery broker, never the
# production 0. Two checkouts testing at once on one Redis give each its own pair:
# ATTUNE_TEST_REDIS_DBS=10,11.
CACHE_DB, BROKER_DB = (int(db) for db in os.environ.get("ATTUNE_TEST_REDIS_DBS", "15,14").split(","))


def _test_redis_url(db: int) -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/{db}"


def _redis_missing() -> str | None:
    url = _test_redis_url(CACHE_DB)
    if url is None:
        return "REDIS_URL is not set"
    try:
        redis_lib.Redis.from_url(url, socket_timeout=2).ping()
    except redis_lib.RedisError as error:
        return f"Redis at {url} does not answer ({error})"
    return None


def _postgres_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return None
    return "DATABASE_URL is not a PostgreSQL database"


# need -> why it is missing; a need that is there has no entry.
MISSING: dict[str, str] = {}


def pytest_configure(config):
    cache_url = _test_redis_url(CACHE_DB)
    if cache_url:
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": cache_url},
        }
        celery_app.conf.update(broker_url=_test_redis_url(BROKER_DB))
    else:
        settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # base.html's cached header and footer, as in production (development renders them
    # every time).
    settings.CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"
    # Tasks run in-process unless a test starts a real worker.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    found = {"postgres": _postgres_missing(), "redis": _redis_missing(), "browser": browser_missing()}
    MISSING.update({need: reason for need, reason in found.items() if reason is not None})


def pytest_collection_modifyitems(config, items):
    wanted = Counter(need for item in items for need in NEEDS if item.get_closest_marker(need))
    decided = plan(wanted, MISSING, require_all=REQUIRE_ALL)
    if decided.error:
        raise pytest.UsageError(decided.error)
    # Only under plain `make test` (never CI): a test that needs a missing part skips.
    for item in items:
        for need, reason in decided.skips.items():
            item.add_marker(pytest.mark.skipif(item.get_closest_marker(need) is not None, reason=reason))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


# --- Personas ---------------------------------------------------------------------


@pytest.fixture
def library(db):
    load_prompts(read_prompts())
    return Prompt.objects.active()


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com", "Alice")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com", "Bob")


@pytest.fixture
def charlie(db) -> User:
    return make_user("charlie@example.com", "Charlie")


@pytest.fixture
def dana(db) -> User:
    return make_user("dana@example.com", "Dana")


@pytest.fixture
def couple(alice, bob) -> Couple:
    return make_couple(alice, bob)


@pytest.fixture
def other_couple(charlie, dana) -> Couple:
    return make_couple(charlie, dana)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def push_service(settings):
    """A local Web Push service (tests/push_service.py) and VAPID keys to reach it."""
    from notifications.management.commands.generate_vapid_keys import generate

    from .push_service import PushService

    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = generate()
    settings.VAPID_SUBJECT = "mailto:admin@attune.example"
    service = PushService().start()
    yield service
    service.stop()


@pytest.fixture
def htmx():
    """Headers of an htmx request."""
    return {"HTTP_HX_REQUEST": "true"}


# Cache round trips (one get_many for the couple and the rest, on /today/ and history).
CACHE_METHODS = ("get", "get_many", "add", "set", "set_many", "delete", "delete_many", "incr", "has_key", "touch")


@pytest.fixture
def cache_calls(monkeypatch) -> list[tuple[str, object]]:
    """Each call the code makes on the default cache, by method and first argument: with
    Redis, one round trip each. Only the outer call counts (LocMem's get_many calls get)."""
    backend = caches["default"]
    calls: list[tuple[str, object]] = []
    depth = [0]

    def counting(name: str, method):
        def counted(*args, **kwargs):
            if not depth[0]:
                calls.append((name, args[0] if args else None))
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return counted

    for name in CACHE_METHODS:
        monkeypatch.setattr(backend, name, counting(name, getattr(backend, name)))
    return calls
