"""The personal API tokens on "Inställningar": create one (shown once, on a page nobody caches,
by a session that recently showed who it is: people/sessions.py) and revoke one. The list itself
is the settings page's (templates/api/settings_tokens.html)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.sessions import recent_authentication_required

from . import tokens
from .forms import TokenForm
from .models import PersonalToken


@login_required
@recent_authentication_required
def create_token(request):
    """GET: the form; POST: a new token, shown this once."""
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = tokens.issue_token(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                response = render(
                    request,
                    "api/token_created.html",
                    {"page_title": _("Ny API-nyckel"), "token": token, "secret": secret},
                )
                add_never_cache_headers(response)  # the secret stays in no cache
                return response
        status = 400
    return render(
        request,
        "api/token_create.html",
        {"page_title": _("Ny API-nyckel"), "form": form},
        status=status,
    )


@require_POST
@login_required
def revoke_token(request, pk):
    """Revoke one of one's own active tokens (anyone else's, or a revoked one: 404)."""
    token = PersonalToken.objects.active().filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    tokens.revoke_token(token=token, actor=request.user)
    messages.success(request, _("API-nyckeln ”%(name)s” är återkallad.") % {"name": token.name})
    return HttpResponseRedirect(reverse("user_settings") + "#api-tokens")
