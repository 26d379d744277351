"""Reads of the in-app notifications (the `notifications` library's rows), stated once for the
notification centre and the API."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.urls import reverse
from notifications.models import Notification


def notifications_of(person) -> QuerySet[Notification]:
    """The person's own notifications that are not deleted: nobody sees anyone else's."""
    return Notification.objects.filter(recipient=person, deleted=False)


def target_url(notification: Notification) -> str:
    """Where a notification leads: its own link (kept in data) or the notification centre.
    Always a path on this site: links in e-mail are absolute, inside the app only the path is
    followed."""
    url = (notification.data or {}).get("url") or ""
    if url:
        parts = urlsplit(url)
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        url += f"#{parts.fragment}" if parts.fragment else ""
    if url.startswith("/") and not url.startswith("//"):
        return url
    return reverse("notification_list")
