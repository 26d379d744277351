"""Logins: who is asking (client_address), how django-axes locks out guessing, the throttled
password-reset request, the login page and who may log in with a password at all.

django-axes counts failed logins (ours and the admin's, both go through authenticate()) and
locks an account after AXES_FAILURE_LIMIT failures from any address, and an address after as
many failures on any accounts, for AXES_COOLOFF_TIME (config/settings.py). Password-reset
requests are counted per e-mail address and per client address in the cache.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from functools import partial

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from people.tasks import send_password_reset


def client_address(request) -> str | None:
    """The address the request came from: the one place that says it (axes'
    AXES_CLIENT_IP_CALLABLE, the reset throttle, /metrics' allow-list).

    X-Forwarded-For is believed only when the direct peer is a proxy of TRUSTED_PROXY_NETWORKS;
    each proxy appends the address it saw, so the client is the right-most address that is not
    one of ours: whatever stands to the left of it was written by the client. From any other
    peer the header is the client's own word and REMOTE_ADDR is the address. (A count of proxies
    would believe the header from whoever reached the app port directly.)
    """
    peer = request.META.get("REMOTE_ADDR") or None
    if not _is_trusted_proxy(peer):
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = peer
    for hop in reversed([part.strip() for part in header.split(",") if part.strip()]):
        if not _is_address(hop):
            break  # not written by a proxy of ours: the last one we trust saw the client
        address = hop
        if not _is_trusted_proxy(hop):
            break
    return address


def _is_address(value: str | None) -> bool:
    try:
        ipaddress.ip_address(value or "")
    except ValueError:
        return False
    return True


def _is_trusted_proxy(value: str | None) -> bool:
    if not _is_address(value):
        return False
    address = ipaddress.ip_address(value)
    return any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)


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


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset request, whose mail a worker writes and sends (people/tasks.py) once the
    request has committed: an address with an account answers as fast as one without."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        context = {
            name: value
            for name, value in context.items()
            if name not in ("user", "uid", "token")  # made again by the worker
        }
        context["language"] = translation.get_language()
        templates = {
            "subject": subject_template_name,
            "email": email_template_name,
            "html": html_email_template_name,
            "from_email": from_email,
        }
        transaction.on_commit(
            partial(send_password_reset.delay, user.pk, to_email, context, templates)
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot my password" request, throttled per e-mail address and per client
    address. Both are counted whether or not the e-mail belongs to anyone, and a throttled
    request gets the same answer either way, so the answer tells nothing about who has a login;
    nor does its time: the mail is sent by a worker (PasswordResetForm).
    """

    form_class = PasswordResetForm

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


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, whose old password is checked by authenticate(): a wrong one
    counts as a failed login for django-axes, and a locked-out account or address is refused
    here as on the login page. (Django's own form asks check_password(), which axes never
    sees: a stolen session could guess the password without end.)"""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change page with the form above."""

    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
