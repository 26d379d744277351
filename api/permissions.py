"""A token's scope, asked in one place: every API view has this permission (REST_FRAMEWORK's
DEFAULT_PERMISSION_CLASSES), so a token of scope "read" reads what its person may read and
writes nothing, whatever the view. The session of a person signed in on the site has no scope:
it is the person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import PersonalToken


class TokenScope(BasePermission):
    message = _(
        "Den här API-nyckeln får bara läsa. Skapa en nyckel som får läsa och agera för att ändra "
        "något."
    )
    code = "token_scope"

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, PersonalToken) or request.method in SAFE_METHODS:
            return True
        return token.may_act
