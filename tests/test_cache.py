"""The Redis cache (config.cache) keeps one redis-py client per pool and still works
across threads; the resilient one answers as a miss while Redis is away."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache, caches

from config.cache import ResilientRedisCache
from tests.local import free_port

pytestmark = pytest.mark.redis


def test_it_reuses_one_client_for_every_call():
    backend = caches["default"]._cache  # type: ignore[attr-defined]
    assert backend.get_client("a") is backend.get_client("b", write=True)


def test_it_reads_and_writes_from_many_threads():
    def round_trip(number: int) -> object:
        cache.set(f"attune:test:{number}", {"n": number}, 30)
        return cache.get(f"attune:test:{number}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(round_trip, range(200))) == [{"n": number} for number in range(200)]


def test_it_answers_every_call_as_a_miss_while_redis_cannot_be_reached(caplog):
    """Nothing listens on the port: each call says what a miss says, and logs it."""
    away = ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    assert away.get("k", "fallback") == "fallback"
    assert away.get_many(["k", "j"]) == {}
    assert away.has_key("k") is False
    assert away.add("k", 1) is True  # allauth's lock: taken, not waited on
    assert away.set("k", 1) is None
    assert away.set_many({"k": 1, "j": 2}) == ["k", "j"]
    assert away.touch("k") is False
    assert away.delete("k") is False
    assert away.delete_many(["k"]) is None
    with pytest.raises(ValueError, match="cache unavailable"):
        away.incr("k")
    assert caplog.text.count("answering as a miss") == 10
