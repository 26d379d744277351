"""How long a sign-in counts, stated once: when a session ends, and when it must show again that
it is its person before a sensitive act.

- Idle: a session ends SESSION_IDLE_MINUTES after its last request. Django keeps that expiry
  with the session on the server (SESSION_COOKIE_AGE) and refuses a session past it; the
  middleware moves it on with each request, writing the session at most once a minute rather
  than on every request.
- Absolute: a session ends SESSION_MAX_HOURS after it signed in, however busy it was. A
  session signed in before this rule existed counts from its first request under it.
- Recent authentication: creating an API token or a calendar address, or changing an e-mail
  address, needs a session that signed in (password or single sign-on) or confirmed its
  password within REAUTHENTICATION_MINUTES (people/confirm.py asks). A stolen or forgotten
  session can then read, but not mint a lasting key or move the account to another address.
  `is_recent` is the rule; `recent_authentication_required` and the people admin ask it.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

SIGNED_IN_AT = "uppdrag_signed_in_at"
AUTHENTICATED_AT = "uppdrag_authenticated_at"
SEEN_AT = "uppdrag_seen_at"
# The session (and so its idle expiry) is written at most this often by requests alone.
TOUCH_SECONDS = 60


def _now() -> float:
    # time.time() is what time-machine moves, like timezone.now() that Django's sessions read
    return time.time()


def note_authentication(request) -> None:
    """The session has just shown that it is its person (a login, or the password again)."""
    request.session[AUTHENTICATED_AT] = _now()


def is_recent(request) -> bool:
    """Whether the session signed in or confirmed who it is within REAUTHENTICATION_MINUTES."""
    at = request.session.get(AUTHENTICATED_AT)
    if not isinstance(at, (int, float)):
        return False
    return 0 <= _now() - at <= settings.REAUTHENTICATION_MINUTES * 60


def confirm_url(next_url: str) -> str:
    """The page that asks who it is, and then goes on to `next_url`."""
    return f"{reverse('confirm_identity')}?{urlencode({'next': next_url})}"


def recent_authentication_required(view=None, *, then: str | None = None):
    """A view for a session that recently showed who it is (`is_recent`); any other request is
    sent to the confirmation and from there back to this page, or to the page named `then`
    (for a view that only takes a POST, which a redirect cannot repeat). Nothing is done."""

    def decorate(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated and not is_recent(request):
                back = reverse(then) if then else request.get_full_path()
                return HttpResponseRedirect(confirm_url(back))
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


@receiver(user_logged_in, dispatch_uid="people.sessions.signed_in")
def signed_in(sender, request, user, **kwargs):
    """A login, by password or single sign-on, starts the session's clock and is recent."""
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now
        request.session[AUTHENTICATED_AT] = now


class SessionLifetimeMiddleware:
    """Ends a signed-in session at its absolute limit and keeps its idle expiry moving; after
    Django's session, authentication and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        session, now = request.session, _now()
        started = session.get(SIGNED_IN_AT)
        if not isinstance(started, (int, float)):
            session[SIGNED_IN_AT] = started = now
        if now - started > settings.SESSION_MAX_HOURS * 3600:
            logout(request)
            messages.info(
                request,
                _("Du har varit inloggad i %(hours)d timmar. Logga in igen.")
                % {"hours": settings.SESSION_MAX_HOURS},
            )
            return
        seen = session.get(SEEN_AT)
        if not isinstance(seen, (int, float)) or now - seen >= TOUCH_SECONDS:
            session[SEEN_AT] = now  # a change: the session, with its new expiry, is saved
