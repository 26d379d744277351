"""The Redis cache backend of config/cache.py, against the real Redis server."""

import pytest
from django.core.cache import caches

from tests.settings_probe import evaluated_under

REDIS_DB = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_DB}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()
    cache.close()


def test_one_client_per_pool_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache.add("version", "a", timeout=None)
    assert not redis_cache.add("version", "b", timeout=None)
    redis_cache.set("other", {"page": "<p>å</p>"}, timeout=60)
    assert redis_cache.get_many(["version", "other", "missing"]) == {
        "version": "a",
        "other": {"page": "<p>å</p>"},
    }
    redis_cache.set("count", 1)
    assert redis_cache.incr("count") == 2
    redis_cache.delete("version")
    assert redis_cache.get("version") is None
    assert redis_cache._cache.get_client(write=True) is client


def test_settings_choose_it_for_a_redis_cache_url():
    backend = evaluated_under(
        {"CACHE_URL": REDIS_DB},
        "settings.CACHES['default']['BACKEND']",
        imports="from django.conf import settings",
    )
    assert backend == "config.cache.RedisCache"
