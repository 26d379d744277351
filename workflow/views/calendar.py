"""The calendar feed a calendar program subscribes to, and renewing its address on
"Inställningar" (the section is templates/workflow/settings_calendar.html).

The feed takes no login: a calendar program cannot log in, so the secret in the address is the
key (workflow.calendar_tokens). An unknown or renewed address, or one of a person who has left,
is a 404 like any address that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from people.sessions import recent_authentication_required

from .. import calendar_feed, calendar_tokens

# A calendar program asks again on its own schedule (an hour at the soonest: REFRESH in
# calendar_feed); within these seconds it may use what it has without asking.
MAX_AGE = 300


@require_safe
def feed(request, token):
    """The person's feed as text/calendar, 304 to a conditional request for what the calendar
    already has."""
    found = calendar_tokens.token_for(token)
    if found is None:
        raise Http404
    built = calendar_feed.feed_for(found)
    response = HttpResponse(built.body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = built.etag
    response["Last-Modified"] = http_date(built.last_modified.timestamp())
    response["Content-Language"] = built.language  # the person's, not the visitor's
    # Only the person's own calendar program keeps it: no shared cache, no search engine.
    patch_cache_control(response, private=True, max_age=MAX_AGE)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return get_conditional_response(
        request,
        etag=built.etag,
        last_modified=int(built.last_modified.timestamp()),
        response=response,
    )


@require_POST
@login_required
@recent_authentication_required(then="user_settings")
def renew(request):
    """A new address for the person, shown this once; the old one stops working at once. Only
    for a session that recently showed who it is (people/sessions.py): the address is a lasting
    key to the person's calendar."""
    _token, secret = calendar_tokens.renew_calendar_token(user=request.user)
    response = render(
        request,
        "workflow/calendar_feed_created.html",
        {
            "page_title": _("Din kalenderadress"),
            "addresses": calendar_tokens.feed_addresses(secret),
        },
    )
    add_never_cache_headers(response)  # the secret stays in no cache
    return response
