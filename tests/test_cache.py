"""The shared cache: Django's RedisCache as shipped when CACHE_URL names Redis."""

from tests.environment import REDIS_URL
from tests.settings_probe import evaluated_under

REDIS_DB = REDIS_URL  # this worker's own Redis database


def test_a_redis_cache_url_gives_djangos_redis_cache_and_it_answers():
    stored = evaluated_under(
        {"CACHE_URL": REDIS_DB},
        "(type(c).__module__, c.set('probe', 'å', 5), c.get('probe'))",
        imports="from django.core.cache import caches; c = caches['default']",
    )
    assert stored == "('django.core.cache.backends.redis', None, 'å')"
