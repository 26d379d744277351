"""How the API knows who is calling: a personal API token (`Authorization: Bearer upd_…`, see
api/tokens.py) or, in REST framework's SessionAuthentication, the session of a person signed in
on the site (single sign-on or password), with the CSRF check for writes."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from . import tokens

KEYWORD = "Bearer"


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`: the token's person, if the token is active and the
    person is; a 401 otherwise. No header: the next way (the session) is asked."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Skriv API-nyckeln efter ”Bearer ”, utan mellanslag i den.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är ogiltig.")) from None
        token = tokens.token_for(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "API-nyckeln är ogiltig, har gått ut eller är återkallad, eller kontot är "
                    "inaktiverat."
                )
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        """Named in a 401's WWW-Authenticate, which makes an unauthenticated call a 401."""
        return f'{KEYWORD} realm="api"'
