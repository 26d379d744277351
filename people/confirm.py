"""The page that asks a signed-in person to show again that it is them (people/sessions.py says
when): their password, counted by django-axes like a login, or, for a person who signs in only
with the region's account, that sign-in again. Then on to where they were going."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import sessions


class ConfirmForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Skriv ditt lösenord.")},
    )


def may_use_password(user) -> bool:
    """Whether the person can show who they are with a password here (else: single sign-on)."""
    if not user.has_usable_password():
        return False
    return user.is_superuser or not settings.PASSWORD_LOGIN_SUPERUSERS_ONLY


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else reverse("user_settings")


@never_cache
@sensitive_post_parameters("password")
@login_required
def confirm_identity(request):
    """GET: the form; POST: the password again (a wrong one is a failed login for axes)."""
    user, next_url = request.user, _next(request)
    form = ConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if may_use_password(user) and form.is_valid():
            confirmed = authenticate(
                request, username=user.get_username(), password=form.cleaned_data["password"]
            )
            if confirmed is not None and confirmed.pk == user.pk:
                sessions.note_authentication(request)
                return HttpResponseRedirect(next_url)
            if getattr(request, "axes_locked_out", False):
                return HttpResponseRedirect(reverse("login"))  # axes' lockout page answers
            form.add_error("password", _("Lösenordet stämmer inte. Försök igen."))
        status = 400
    return render(
        request,
        "registration/confirm_identity.html",
        {
            "page_title": _("Bekräfta att det är du"),
            "form": form,
            "next": next_url,
            "with_password": may_use_password(user),
            "sso_enabled": settings.OIDC_ENABLED,
            "minutes": settings.REAUTHENTICATION_MINUTES,
        },
        status=status,
    )
