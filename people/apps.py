from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Personer och inloggning")

    def ready(self):
        from . import sessions  # noqa: F401  (a login starts the session's clocks)
