"""Logins: who is asking (client_address), how django-axes locks out guessing, the throttled
password-reset request, the login page and who may log in with a password at all.

django-axes counts failed logins (ours and the admin's, both go through authenticate()) and
locks an account after AXES_FAILURE_LIMIT failures from any address, and an address after as
many failures on any accounts, for AXES_COOLOFF_TIME (config/settings.py). Password-reset
requests are counted per e-mail address and per client address in the cache.
"""

from __future__ import annotations

import hashlib
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request) -> str | None:
    """The address the request came from (axes' AXES_CLIENT_IP_CALLABLE, and the reset throttle).

    Behind TRUSTED_PROXY_COUNT reverse proxies that each append the address they saw to
    X-Forwarded-For, the client's address is that many entries from the right: whatever stands
    to the left of it was written by the client and is not believed. Without the setting every
    request behind a proxy would come from the proxy, and one person's failures would lock
    everybody out.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class LoginAttempts(AxesDatabaseHandler):
    """axes' database handler, except that a successful login clears only that account's own
    failures from that address.

    axes' own reset on success deletes every failure that matches any lockout parameter; with
    the address among them, anyone with a login could clear the count against a colleague's
    account from the same address by logging in themself, and guess again without end.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        address = client_address(request)
        if not (username and address):
            return 0
        return self.reset_attempts(ip_address=address, username=username)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): ours, in Swedish."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"page_title": _("Inloggningen är spärrad"), "minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def is_over_limit(scope: str, value: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for `value` in `scope`; whether this window has had more than `limit`.

    A fixed window in the shared cache: add() starts the count, incr() is atomic on Redis.
    Values are hashed so that no e-mail address is written into a cache key.
    """
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"throttle:{scope}:{digest}:{int(time.time() // window_seconds)}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count > limit


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot my password" request, throttled per e-mail address and per client
    address. Both are counted whether or not the e-mail belongs to anyone, and a throttled
    request gets the same answer either way, so the answer tells nothing about who has a login.
    """

    @property
    def extra_email_context(self):
        # The link names our configured address, not the Host header of the request.
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        email = form.cleaned_data["email"].strip().casefold()
        too_many_for_email = is_over_limit(
            "password-reset-email",
            email,
            limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            window_seconds=window,
        )
        too_many_from_address = is_over_limit(
            "password-reset-address",
            client_address(self.request) or "",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window_seconds=window,
        )
        if too_many_for_email or too_many_from_address:
            form.add_error(
                None,
                _("Det har kommit för många begäranden om nytt lösenord. Försök igen om en stund."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordBackend(ModelBackend):
    """Django's user-name-and-password login, for everyone or, with
    PASSWORD_LOGIN_SUPERUSERS_ONLY, for superusers only: with single sign-on the region's
    account is the way in, and a password kept by everyone else would be one more thing to
    leak. Stated here, once, it holds for our login page and the admin's alike; a refused
    login counts as a failure for django-axes like a wrong password."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return user.is_superuser or not settings.PASSWORD_LOGIN_SUPERUSERS_ONLY


class LoginView(auth_views.LoginView):
    """Django's login page, which also offers single sign-on when it is configured and says
    when the password is for administrators only."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": settings.OIDC_ENABLED,
            "passwords_for_superusers_only": settings.PASSWORD_LOGIN_SUPERUSERS_ONLY,
        }
