from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Arbetsflöde")

    def ready(self):
        from viewflow.workflow.models import Process, Task

        # viewflow's lists title these columns from the property name ("Brief"), untranslated
        for model in (Process, Task):
            model.brief.fget.short_description = _("Sammanfattning")
