"""A person's tokens end with their ways in, for good: a token revoked here never comes back.

- a password change or reset, on any path that sets a password (the person's own forms, the
  reset link, the admin, `changepassword`): Django tells every entry of AUTH_PASSWORD_VALIDATORS
  after the new password is saved, and TokensEndWithThePassword is one. A stored password
  rehashed at a login (a stronger hasher) is not a change, and Django tells nobody;
- a deactivation: every save of an inactive person revokes what is left, so a reactivated
  account starts without tokens;
- a change of e-mail address: a saved change revokes the tokens issued under the old address,
  so changing it back revives nothing. (Until then, and on a path that does not save the
  person, a token works only while its person has the address it was issued under:
  api/models.py.)

Each revocation is audited as "api_token.revoked" with why (in Swedish, as the record is).
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from assignments.models import User

from . import tokens

# What a save must touch to matter here; a login saves last_login only.
WAYS_IN = {"email", "is_active"}


class TokensEndWithThePassword:
    """Not a rule for the password: Django's password_changed hook, and what the person reads
    under the password field."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            tokens.revoke_all_of(user, reason="Lösenordet byttes.")

    def get_help_text(self) -> str:
        return _("När lösenordet byts slutar dina API-nycklar att gälla.")


@receiver(post_save, sender=User, dispatch_uid="api.tokens_end_with_the_ways_in")
def tokens_end_with_the_ways_in(sender, instance: User, created, raw, update_fields, **kwargs):
    if raw or created or (update_fields is not None and not WAYS_IN & set(update_fields)):
        return
    if not instance.is_active:
        tokens.revoke_all_of(instance, reason="Kontot inaktiverades.")
    else:
        tokens.revoke_all_of(
            instance, reason="E-postadressen ändrades.", issued_under_another_address=True
        )
