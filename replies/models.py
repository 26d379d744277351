"""Every mail that came into the reply mailbox, once: what it said, who sent it, what was done.

The row is written in the transaction that applies the reply, so a reply is applied exactly
once: its Message-ID is unique, and a second delivery of the same mail (the worker died before
it was moved out of the inbox, IMAP handed it out twice) finds its row and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Milestone


class InboundReply(models.Model):
    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Utfört")
        PARTLY = "partly", _("Delvis utfört")
        REFUSED = "refused", _("Avvisat")
        AUTOMATIC = "automatic", _("Automatiskt svar, ignorerat")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    received_at = models.DateTimeField(_("mottaget"), default=timezone.now)
    sender = models.CharField(_("från"), max_length=320, blank=True)
    subject = models.CharField(_("ämne"), max_length=500, blank=True)
    # The answer as read above the quote and the signature: kept whatever became of it.
    text = models.TextField(_("svar"), blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_replies",
    )
    milestones = models.ManyToManyField(
        Milestone, verbose_name=_("milstolpar"), blank=True, related_name="inbound_replies"
    )
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    # What was done or why not, one line per command, in the person's language: the answer mail.
    report = models.TextField(_("besked"), blank=True)
    answer_to = models.CharField(_("besked till"), max_length=320, blank=True)
    answered_at = models.DateTimeField(_("besked skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("svar via e-post")
        verbose_name_plural = _("svar via e-post")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.get_outcome_display()}"
