from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Påminnelser")

    def ready(self):
        # Reminders follow every write: each audit entry replans what it names (receivers.py).
        from assignments.signals import recorded

        from .receivers import replan_after_change

        recorded.connect(replan_after_change, dispatch_uid="reminders.replan_after_change")

        # /metrics reads the reminders' counters from the outbox when it is scraped
        from prometheus_client import REGISTRY

        from .metrics import OutboxCollector

        REGISTRY.register(OutboxCollector())
