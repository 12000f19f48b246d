"""The Redis cache (config.cache) keeps one redis-py client per pool and still works
across threads."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache, caches

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
