"""A whole-page cache for the pages people reload all day (start page, assignment page,
portfolio), per person, invalidated by every write.

The key holds a global data version, the person's own version, the person, the language,
today's date, the address and the person's CSRF cookie. Any saved, deleted or re-linked row of
a model the pages show bumps the global version once its transaction has committed, so a page
is never served from before a write that committed before the request began. A notification
concerns its recipient only (the bell and the notification list): creating one or marking it
read bumps that person's version, so a burst of reminders keeps everyone else's pages cached.
Other writes are rare next to reads (a region's assignments change a few times an hour; they
are read all day), so the coarse global version keeps the rule simple and always right. Bulk
`update()` calls send no signals: the code that uses them on page data calls `bump()` itself.

The cache must be shared by every process that writes (web workers and Celery workers): Redis
in production (CACHE_URL), a file cache under var/ for `make run`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

VERSION_KEY = "uppdrag:pages:version"
PERSON_VERSION_KEY = "uppdrag:pages:version:person:{}"
# Rows that change often and that no cached page shows.
IGNORED_MODELS = {
    "sessions.session",
    "reminders.reminder",
    "admin.logentry",
    "contenttypes.contenttype",
}
NOTIFICATION_MODEL = "notifications.notification"  # per recipient, see _changed
IGNORED_APPS = {"django_celery_beat", "sessions"}


def _new_version() -> str:
    """A version is a random token: a page key only needs to change with it, and one SET
    costs a single round trip where an increment costs two (Django's Redis cache checks that
    the key exists first)."""
    return secrets.token_hex(8)


def versions(person_pk) -> tuple[str, str]:
    """The global data version and the person's own, in one round trip."""
    person_key = PERSON_VERSION_KEY.format(person_pk)
    found = cache.get_many([VERSION_KEY, person_key])
    for key in (VERSION_KEY, person_key):
        if key not in found:
            cache.add(key, _new_version(), timeout=None)
            found[key] = cache.get(key)
    return found[VERSION_KEY], found[person_key]


def bump(person_pk=None) -> None:
    """The global version, or one person's when given. Runs after a commit: it must not fail
    the request that wrote. If the cache is down, nothing is served from it either (see
    cached_page); pages it holds expire within PAGE_CACHE_SECONDS."""
    key = VERSION_KEY if person_pk is None else PERSON_VERSION_KEY.format(person_pk)
    try:
        cache.set(key, _new_version(), timeout=None)
    except Exception:
        logger.warning("page cache: could not bump the data version", exc_info=True)


def bump_on_commit(person_pk=None) -> None:
    transaction.on_commit(partial(bump, person_pk))


def _changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only after the change
    if meta.label_lower == NOTIFICATION_MODEL and kwargs.get("instance") is not None:
        bump_on_commit(kwargs["instance"].recipient_id)  # marked read or unread
        return
    bump_on_commit()


def _notified(recipient=None, **kwargs) -> None:
    """notify.send() writes with bulk_create, which sends no post_save. Its recipient is a
    person, a list or queryset of people, or a group (see notifications' notify_handler)."""
    from django.contrib.auth.models import Group
    from django.db.models import QuerySet

    if isinstance(recipient, Group):
        recipients = recipient.user_set.values_list("pk", flat=True)
    elif isinstance(recipient, QuerySet | list | tuple | set):
        recipients = [person.pk for person in recipient]
    elif recipient is not None:
        recipients = [recipient.pk]
    else:
        recipients = []
    for pk in recipients:
        bump_on_commit(pk)


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
            current, own = versions(request.user.pk)
        except Exception:  # the cache is down: render, as without a cache
            logger.warning("page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        parts = [
            str(current),
            str(own),
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
