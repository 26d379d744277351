from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepliesConfig(AppConfig):
    """Answers to Uppdrag's mails, read from the inbound mailbox: "klar", "ny tid …", a
    comment; each applied once, through the workflow's services, and answered."""

    name = "replies"
    verbose_name = _("Svar via e-post")
