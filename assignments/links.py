"""Where the app sends people: the assignment page of a process, and a safe way back.

Written once for the pages (redirects), the e-mails and the notifications (absolute links).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def process_url(
    assignment_id: int, milestone_id: int | None = None, *, absolute: bool = True
) -> str:
    """The assignment page of a process, at the milestone if one is given: absolute (from
    SITE_URL) for e-mails and notifications, a path with `absolute=False` for redirects."""
    url = reverse("workflow:process", args=[assignment_id])
    if absolute:
        url = settings.SITE_URL + url
    return f"{url}#milestone-{milestone_id}" if milestone_id else url


def next_url(request, default: str) -> str:
    """The POSTed `next` address when it is one of this site's own (never another host, nor
    plain http from an https page), else `default`: where a form may send the person back."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
