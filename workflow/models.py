from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from assignments.models import Assignment, NoDeleteQuerySet, PublicRecord


class AssignmentProcess(Process):
    """The viewflow process of one assignment; the assignment is the process artifact."""

    class Meta:
        proxy = True
        ordering = ["-pk"]
        verbose_name = _("uppdragsprocess")
        verbose_name_plural = _("uppdragsprocesser")

    @property
    def assignment(self) -> Assignment:
        return self.artifact

    @classmethod
    def of(cls, assignment: Assignment):
        """The processes of an assignment, newest first."""
        return cls.objects.filter(
            artifact_content_type=ContentType.objects.get_for_model(Assignment),
            artifact_object_id=assignment.pk,
        ).order_by("-pk")


class CalendarFeedTokenQuerySet(NoDeleteQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeedToken(PublicRecord):
    """The secret in a person's calendar subscription address (/kalender/<token>.ics): one that
    works per person. Only its hash is kept (people.tokens); renewing revokes it for good
    and issues another (workflow.calendar_tokens)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="calendar_feed_tokens",
        db_index=False,  # the constraint's and the index's first column
    )
    # The secret's first characters, to tell addresses apart; not enough to guess it.
    prefix = models.CharField(_("början"), max_length=16)
    digest = models.CharField(_("kontrollsumma"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)
    # What the feed held when it was last served, and since when: its ETag and Last-Modified
    # (workflow.calendar_feed), so that a calendar asking again is told "not modified" exactly
    # when nothing in it changed, whatever changed it.
    content_digest = models.CharField(_("innehållets kontrollsumma"), max_length=64, blank=True)
    content_changed_at = models.DateTimeField(_("innehållet ändrat"), null=True, blank=True)

    objects = CalendarFeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("kalenderadress")
        verbose_name_plural = _("kalenderadresser")
        ordering = ["user", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "revoked_at"], name="calendar_feed_user_active_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
