from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Uppdragsregister")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the object permissions)

        # django.contrib.admin's ready() has discovered every app's admin by now.
        from .admin_other_apps import restrict_other_apps

        restrict_other_apps()
