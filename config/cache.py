"""Django's Redis cache, keeping one client per connection pool.

Django 5.2's RedisCacheClient.get_client() builds a new redis.Redis object for every cache
operation; building one fills a table of ~170 response callbacks, which cost more CPU than the
round trip to Redis itself (measured in the reminder send, which bumps a page version once).
A redis.Redis client is thread-safe and takes its connections from the pool, so one per pool
is enough. settings.py selects this class wherever CACHE_URL names Redis.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
