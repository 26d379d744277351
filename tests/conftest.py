import gc

import pytest

from tests import lanes
from tests.factories import TEST_PASSWORD


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Each test's lane (tests/lanes.py): browser tests are `e2e`, tests that start another
    process are `slow`, found from their code, not from a list; `make test-fast` runs the rest.

    Tests marked `long` (a minute or so of one worker) go first: pytest-django then sorts the
    tests by how they use the database, keeping this order within each kind, and pytest-xdist
    hands them out in that order, so no worker starts a long test while the other is finishing.

    Tests marked `postgres` check what only PostgreSQL does (row locks, SKIP LOCKED): on
    another database they are deselected, so they never report a pass that checked nothing.
    CI (.ci/run) runs the suite on PostgreSQL."""
    from django.conf import settings

    lanes.mark(items)
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


class _LongWithoutDatabaseFirst:
    """After pytest-django's sort, which puts the tests that use no database last: those of
    them marked `long` (the benchmarks' smoke runs, `make run`) go first instead. They may run
    anywhere, and last they kept one worker busy for a minute while the other had finished."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        first = [item for item in items if item.get_closest_marker("long") and not _uses_db(item)]
        if first:
            rest = [item for item in items if item not in set(first)]
            items[:] = first + rest


def _uses_db(item) -> bool:
    """Whether the test asks for a database, as pytest-django decides it (marker or fixture)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    database_fixtures = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    return bool(item.get_closest_marker("django_db") or fixtures & database_fixtures)


def pytest_configure(config):
    config.pluginmanager.register(_LongWithoutDatabaseFirst(), "long-without-database-first")
    # The suite makes many short-lived objects (requests, querysets, forms): with Python's
    # default threshold (700) the cyclic collector ran so often that raising it saves 3-5 % of
    # the CPU (tests/workflow: 49.8 s -> 47.4 s). The memory it keeps meanwhile is small here.
    gc.set_threshold(50_000, 50, 100)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test outside the `slow` and `e2e` lanes that starts a process fails (tests/lanes.py):
    the fast lane cannot take in a slow test unseen."""
    with lanes.no_processes(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Such a test fails even where it caught the error its process start raised."""
    report = yield
    if report.passed and (started := lanes.started(item.nodeid)):
        report.outcome = "failed"
        report.longrepr = f"started a process outside the slow lane: {started}"
    item.stash.setdefault(OUTCOMES, {})[report.when] = report.outcome
    return report


# What each phase of a test came to ("setup", "call": "passed", "failed"…), for fixtures that
# leave evidence only when a test failed (the browser tests' screenshots).
OUTCOMES = pytest.StashKey[dict]()


def failed(item) -> bool:
    """Whether the test failed so far (its setup or its call)."""
    return "failed" in item.stash.get(OUTCOMES, {}).values()


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def celery_eager():
    """Celery's tasks run in this process when queued (its task_always_eager), for a test that
    follows a request to the mail a worker would send (e.g. people/tasks.py's reset mail)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def demo(db):
    """The demo data of `load_demo`: seed 004 as a live assignment, seed 002 groups, the demo
    people (not the generated assignments: a second a test; test_load_demo tests those)."""
    from assignments.models import Assignment
    from tests.seeding import load_demo

    load_demo("--seed-only")

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
