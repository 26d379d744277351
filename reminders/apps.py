from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Påminnelser")

    def ready(self):
        # /metrics reads the reminders' counters from the outbox when it is scraped
        from prometheus_client import REGISTRY

        from .metrics import OutboxCollector

        REGISTRY.register(OutboxCollector())
