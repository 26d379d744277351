from django.apps import AppConfig
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Arbetsflöde")

    def ready(self):
        from viewflow.workflow.models import Process, Task

        # viewflow's lists title these columns from the property name ("Brief"), untranslated
        for model in (Process, Task):
            model.brief.fget.short_description = _("Sammanfattning")

    @cached_property
    def flow(self):
        """The assignment's viewflow Flow class, for the services that start a process.

        Looked up here, through Django's app registry, rather than imported by the services:
        the flow's task pages call the services, so an import would close a circle."""
        from .flows import AssignmentFlow

        return AssignmentFlow
