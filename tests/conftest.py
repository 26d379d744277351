import pytest

from tests.factories import TEST_PASSWORD


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` check what only PostgreSQL does (row locks, SKIP LOCKED): on
    another database they are deselected, so they never report a pass that checked nothing.
    CI (.ci/run) runs the suite on PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def demo(db):
    """The demo data of `load_demo`: seed 004 as a live assignment, seed 002 groups, the demo
    people (not the generated assignments: a second a test; test_load_demo tests those)."""
    from django.core.management import call_command

    call_command("load_demo", "--seed-only", verbosity=0)
    from assignments.models import Assignment

    return Assignment.objects.get(
        registration_number="RS 2024-05699", state__in=Assignment.OPEN_STATES
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 costs ~0.2 s a user; tests create many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Production hashes static files at collectstatic; tests serve them unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """A private in-memory cache (the login throttles count in it), so that no test sees
    another's counts or the files of `make run`."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
