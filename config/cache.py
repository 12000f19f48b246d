# mypy: disable-error-code="attr-defined"
# (the stubs do not know the private methods of Django's client this builds on)
"""Django's Redis cache, with one redis-py client per connection pool.

Django builds a new redis-py client for every cache call, and building one copies its
table of response callbacks: about a third of the CPU of a cache read on the hot pages.
redis-py clients are safe to share between threads (each command takes a connection
from the pool), so one per pool is enough.
"""

from django.core.cache.backends import redis as django_redis


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
