# mypy: disable-error-code="attr-defined"
# (the stubs do not know the private methods of Django's client this builds on)
"""Django's Redis cache, with one redis-py client per connection pool.

Django builds a new redis-py client for every cache call, and building one copies its
table of response callbacks: about a third of the CPU of a cache read on the hot pages.
redis-py clients are safe to share between threads (each command takes a connection
from the pool), so one per pool is enough.
"""

import logging

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)
# What a Redis that is restarting or unreachable raises.
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


class ResilientRedisCache(RedisCache):
    """The cache only ever saves work (copies of couples and days, rate-limit counts):
    while Redis is away (a restart, a failover), every call answers as a miss and the
    site keeps serving from PostgreSQL; redis-py reconnects by itself once Redis is
    back. Rate limits are not enforced meanwhile: staying up matters more."""

    def _or_miss(self, default, call, *args):
        """`call(*args)`, or `default` (logged) while Redis cannot be reached."""
        try:
            return call(*args)
        except REDIS_DOWN as error:
            logger.warning("cache %s failed, answering as a miss: %s", call.__name__, error)
            return default

    def get(self, key, default=None, version=None):
        return self._or_miss(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or_miss({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or_miss(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: allauth takes a lock with add() and would wait for it in vain.
        return self._or_miss(True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._or_miss(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or_miss(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or_miss(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or_miss(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._or_miss(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        unavailable = object()
        value = self._or_miss(unavailable, super().incr, key, delta, version)
        if value is unavailable:  # as for a missing key: callers start a new count
            raise ValueError(f"Key {key!r} not found (cache unavailable)")
        return value
