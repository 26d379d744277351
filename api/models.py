"""Personal API tokens: how another system (the diarium, the intranet, Power BI) acts as a person
through the API, with at most that person's rights.

Only a hash of a token is kept: the token itself is shown once, when it is created, and a copy
of the database lets nobody in. A token is revoked, never deleted, so the audit trail can always
say which token it was.

A token works until it expires (API_TOKEN_DEFAULT_DAYS, at most API_TOKEN_MAX_DAYS), within its
scope (read, or read and act: api/permissions.py), and while its person has the e-mail address
it was issued under: a change of address ends the person's tokens as it ends their sessions
(people/identity.py), on whatever path the address changed, with nothing for that path to
remember. A password change or reset, a deactivation and a saved change of address revoke them
for good (api/receivers.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import NoDeleteQuerySet, PublicRecord


class PersonalTokenQuerySet(NoDeleteQuerySet):
    def active(self):
        """Not revoked, not expired, and its person has the address it was issued under still."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),  # the app's clock, not the database's
            email_at_issue=F("user__email"),
        )


class PersonalToken(PublicRecord):
    """One named API token of one person."""

    class Scope(models.TextChoices):
        READ = "read", _("Läsa")
        ACT = "act", _("Läsa och agera")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("namn"), max_length=100)
    # The token's first characters, to tell tokens apart in lists; not enough to guess it.
    prefix = models.CharField(_("början"), max_length=16)
    digest = models.CharField(_("kontrollsumma"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    expires_at = models.DateTimeField(_("gäller till"))
    scope = models.CharField(_("behörighet"), max_length=8, choices=Scope.choices)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    # The person's e-mail address when the token was issued (see the module's docstring).
    email_at_issue = models.EmailField(_("e-postadress när den skapades"), blank=True)

    objects = PersonalTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["user", "-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_active_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.email_at_issue == self.user.email
        )

    @property
    def may_act(self) -> bool:
        """Whether it may write (api/permissions.TokenScope asks); else it only reads."""
        return self.scope == self.Scope.ACT
