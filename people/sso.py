"""Single sign-on with the region's account over OpenID Connect (mozilla-django-oidc).

On when OIDC_RP_CLIENT_ID is set (config/settings.py): the authorization-code flow with PKCE,
the ID token checked against the provider's keys. Who the person is, decided here once:

- an account linked to the person's immutable id at the provider (OIDC_ID_CLAIM: "sub", or
  Entra ID's "oid"; `User.sso_subject`) is found by that id alone, whatever address or employee
  id the sign-in presents, and no other identity at the provider opens it;
- an account not linked yet is found by OIDC_MATCH_CLAIM: the e-mail address (the default, case
  does not matter) only when the provider says it verified it (`email_verified` true: Entra ID,
  which does not say, never matches by address), or another claim, e.g. an employee id, against
  `User.employee_id`; an account that has no employee id yet is found by its verified address
  and is given the id. Then it is linked to the person's immutable id, for good (audited);
- a staff member's or a superuser's account is never linked by a sign-in: an administrator
  stores its immutable id in the people admin, or it signs in with its password;
- an unknown person gets an account with no role (OIDC_CREATE_USER): they see nothing until an
  assignment names them; one whose address an account already has is refused instead, as is
  anyone whose claims match more than one account;
- a deactivated account is refused, never replaced by a new one;
- logging out ends the provider's session too (its end_session endpoint).

The registry is the record of people's names, units and addresses: a login never rewrites them,
and never writes an address the provider has not verified. The one way into an account it
writes, the link (and the employee id of an account found by its address), is written through
people.identity as the person's own act.
"""

from __future__ import annotations

import logging
import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from assignments import audit
from assignments.models import User
from people import identity

logger = logging.getLogger(__name__)

EMAIL = "email"
USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name)
    return str(value).strip() if value is not None else ""


def matches_by_email() -> bool:
    return settings.OIDC_MATCH_CLAIM == EMAIL


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching people as the module docstring says."""

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo endpoint's claims over the (verified) ID token's: some providers put a
        claim in one only. Entra ID's userinfo, for one, has no preferred_username, and an
        employee id it adds by a claims-mapping policy to the ID token alone."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def get_user(self, user_id):
        """The person of a signed-in session, while their account is active: deactivating an
        account ends its single sign-on sessions as Django's ModelBackend ends password ones
        (mozilla-django-oidc's own get_user does not look)."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def describe_user_by_claims(self, claims):
        return f"{settings.OIDC_ID_CLAIM} {_claim(claims, settings.OIDC_ID_CLAIM)!r}"

    def verify_claims(self, claims) -> bool:
        """The person's immutable id and the claim people are matched by are there."""
        for name in (settings.OIDC_ID_CLAIM, settings.OIDC_MATCH_CLAIM):
            if not _claim(claims, name):
                logger.warning("single sign-on without the claim %r", name)
                return False
        return True

    def filter_users_by_claims(self, claims):
        """The account linked to the person's id; else the unlinked candidates found by a
        verified claim (update_user refuses the ones a sign-in may not link)."""
        linked = User.objects.filter(sso_subject=_claim(claims, settings.OIDC_ID_CLAIM))
        if linked.exists():
            return linked
        email = _verified_email(claims)
        if matches_by_email():
            return User.objects.filter(email__iexact=email) if email else User.objects.none()
        found = User.objects.filter(employee_id=_claim(claims, settings.OIDC_MATCH_CLAIM))
        if email and not found.exists():
            # not linked yet: the account registered before single sign-on, by its address
            found = User.objects.filter(employee_id="", email__iexact=email)
        return found

    def update_user(self, user, claims):
        """Link an account found by a verified claim to the person's immutable id (and to
        their employee id, when it has none); refuse one a sign-in may not link."""
        subject = _claim(claims, settings.OIDC_ID_CLAIM)
        if user.sso_subject == subject or not user.is_active:
            return user  # linked already; a deactivated account is refused by the view
        if user.sso_subject:
            raise SuspiciousOperation("the account is linked to another identity")
        if user.is_staff or user.is_superuser:
            raise SuspiciousOperation("an administrator's account is never linked by a sign-in")
        before = {"sso_subject": "", "employee_id": user.employee_id}
        user.sso_subject = subject
        if not (matches_by_email() or user.employee_id):
            user.employee_id = _claim(claims, settings.OIDC_MATCH_CLAIM)
        identity.save_person(person=user, actor=user, update_fields=["sso_subject", "employee_id"])
        audit.record(
            actor=user,
            action="person.linked_by_sign_in",
            obj=user,
            before=before,
            after={"sso_subject": subject, "employee_id": user.employee_id},
        )
        return user

    def create_user(self, claims):
        """An account with no role for a person the registry does not know yet, linked to
        their immutable id; refused when an account has their address already."""
        email = _verified_email(claims)
        unverified = _claim(claims, EMAIL)
        if unverified and User.objects.filter(email__iexact=unverified).exists():
            raise SuspiciousOperation("an account has this address; it is not created twice")
        first_name, last_name = _names(claims)
        user = User.objects.create_user(
            _free_username(claims),
            email=email,
            first_name=first_name[:150],
            last_name=last_name[:150],
        )  # no password: they sign in with the region's account (or reset one)
        user.sso_subject = _claim(claims, settings.OIDC_ID_CLAIM)
        if not matches_by_email():
            user.employee_id = _claim(claims, settings.OIDC_MATCH_CLAIM)
        user.save(update_fields=["sso_subject", "employee_id"])
        audit.record(
            actor=user,
            action="person.created_by_sign_in",
            obj=user,
            after=audit.snapshot(
                user,
                ["username", "first_name", "last_name", "email", "employee_id", "sso_subject"],
            ),
        )
        return user


def _verified_email(claims: dict) -> str:
    """The address, if the provider says it verified it (OpenID Connect's email_verified; some
    providers send it as the string "true")."""
    verified = claims.get("email_verified")
    if verified is True or str(verified).lower() == "true":
        return _claim(claims, EMAIL)
    return ""


def _names(claims: dict) -> tuple[str, str]:
    first, last = _claim(claims, "given_name"), _claim(claims, "family_name")
    if first or last:
        return first, last
    first, _space, last = _claim(claims, "name").rpartition(" ")
    return (first, last) if first else (last, "")


def _free_username(claims: dict) -> str:
    """A user name from the person's login name (Entra ID's UPN, the part before @) or
    address, free in the registry: "anna.svensson", else "anna.svensson-2", …"""
    wanted = _claim(claims, "preferred_username") or _claim(claims, EMAIL) or _claim(claims, "sub")
    base = USERNAME_UNSAFE.sub("", wanted.split("@")[0])[:140] or "person"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.casefold() for name in taken}
    candidate, number = base, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# -- the views: mozilla-django-oidc's, routed only when single sign-on is on -----------------------


def only_when_enabled(view):
    """404 unless single sign-on is configured: the routes exist either way."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer; a refused sign-in ends on the login page with the reason."""

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            messages.error(
                self.request,
                _(
                    "Ditt konto i Uppdrag är inaktiverat. Kontakta registrator om du ska ha "
                    "tillgång."
                ),
            )
        else:
            messages.error(
                self.request,
                _(
                    "Inloggningen med regionens konto misslyckades. Försök igen, eller kontakta "
                    "registrator."
                ),
            )
        return super().login_failure()


authentication_request = only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback = only_when_enabled(CallbackView.as_view())
# One logout for everyone, signed in by password or by the region's account: it ends Django's
# session and, when single sign-on started it, the provider's (provider_logout_url).
logout = OIDCLogoutView.as_view()


def provider_logout_url(request) -> str:
    """Where logging out sends the browser (OIDC_OP_LOGOUT_URL_METHOD): the provider's
    end_session endpoint with the ID token the sign-in got, which comes back to our login page;
    the login page itself after a password login."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_ENABLED and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(after),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    separator = "&" if "?" in settings.OIDC_OP_LOGOUT_ENDPOINT else "?"
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}{separator}{query}"
