from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from assignments.models import Assignment


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
