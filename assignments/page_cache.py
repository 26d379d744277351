"""A whole-page cache for the pages people reload all day (start page, assignment page,
portfolio), per person, invalidated by every write.

The key holds a global data version, the person, the language, today's date, the address and
the person's CSRF cookie. Any saved, deleted or re-linked row of a model the pages show bumps
the version once its transaction has committed, so a page is never served from before a write
that committed before the request began. Writes are rare next to reads (a region's
assignments change a few times an hour; they are read all day), so the coarse version keeps
the rule simple and always right. Bulk `update()` calls send no signals: the code that uses
them on page data calls `bump()` itself.

The cache must be shared by every process that writes (web workers and Celery workers): Redis
in production (CACHE_URL), a file cache under var/ for `make run`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

VERSION_KEY = "uppdrag:pages:version"
# Rows that change often and that no cached page shows.
IGNORED_MODELS = {
    "sessions.session",
    "reminders.reminder",
    "admin.logentry",
    "contenttypes.contenttype",
}
IGNORED_APPS = {"django_celery_beat", "sessions"}


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        # after a cache flush, start above every version handed out before
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        value = cache.get(VERSION_KEY)
    return value


def bump() -> None:
    """Runs after a commit: it must not fail the request that wrote. If the cache is down,
    nothing is served from it either (see cached_page); pages it holds expire within
    PAGE_CACHE_SECONDS."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
    except Exception:
        logger.warning("page cache: could not bump the data version", exc_info=True)


def bump_on_commit() -> None:
    transaction.on_commit(bump)


def _changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only after the change
    bump_on_commit()


def _notified(**kwargs) -> None:
    bump_on_commit()  # notify.send() writes with bulk_create, which sends no post_save


def connect() -> None:
    from notifications.signals import notify

    notify.connect(_notified, dispatch_uid="uppdrag-page-cache-notify")
    post_save.connect(_changed, dispatch_uid="uppdrag-page-cache-save")
    post_delete.connect(_changed, dispatch_uid="uppdrag-page-cache-delete")
    m2m_changed.connect(_changed, dispatch_uid="uppdrag-page-cache-m2m")


def cached_page(view):
    """Serve a logged-in person's GET from the cache when nothing has changed since."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if (
            seconds <= 0
            or request.method != "GET"
            or not request.user.is_authenticated
            or not csrf  # the first page sets the cookie the cached forms rely on
            or len(messages.get_messages(request))  # a message is shown once, never cached
        ):
            return view(request, *args, **kwargs)
        try:
            current = version()
        except Exception:  # the cache is down: render, as without a cache
            logger.warning("page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        parts = [
            str(current),
            str(request.user.pk),
            translation.get_language(),
            timezone.localdate().isoformat(),
            request.get_full_path(),
            csrf,
        ]
        key = "uppdrag:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
        content = cache.get(key)
        if content is not None:
            response = HttpResponse(content, content_type="text/html; charset=utf-8")
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            try:
                cache.set(key, response.content, seconds)
            except Exception:
                logger.warning("page cache: could not store a page", exc_info=True)
        return response

    return wrapper
