from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded uppdragshandling being read by a worker (documents/import_jobs.py): the file
    waits in the private storage under `stored_name`; the worker writes what it read
    (`result`, the parsed document as JSON) or why it stopped (`error`, a code and its limit).
    A job is a copy awaiting the registrar's review, not a record: it is removed when the draft
    is saved, and swept with its file after IMPORT_PENDING_HOURS."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("väntar")
        DONE = "done", _("inläst")
        FAILED = "failed", _("stoppad")

    token = models.CharField(_("nyckel"), max_length=43, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("filnamn"), max_length=255)
    stored_name = models.CharField(_("lagrad fil"), max_length=255)
    language = models.CharField(_("språk"), max_length=10, default="sv")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    result = models.JSONField(_("inläst"), null=True, blank=True)
    error = models.JSONField(_("fel"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("inläsning")
        verbose_name_plural = _("inläsningar")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
