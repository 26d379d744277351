"""Celery entry points of people/: the password-reset mail, sent by a worker.

"Glömt lösenordet?" answers at once whether or not the address has an account: the request
only looks the address up and, for an account, queues this task once the request has
committed. Composing and sending the mail (the token, the templates, the SMTP round trip, the
part that took 2–3 times as long) happen here, so the answer's time tells nothing about who
has a login.
"""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assignments.models import User


@shared_task(name="people.send_password_reset", ignore_result=True)
def send_password_reset(user_pk: int, to_email: str, context: dict, templates: dict) -> None:
    """The reset mail of Django's PasswordResetForm to one account, its token made now (the
    broker never holds one); nothing if the account has since gone or been deactivated."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    context = {
        **context,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(context.pop("language", None)):
        PasswordResetForm().send_mail(
            templates["subject"],
            templates["email"],
            context,
            templates.get("from_email"),
            to_email,
            html_email_template_name=templates.get("html"),
        )
