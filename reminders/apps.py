from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Påminnelser")

    def ready(self):
        # Reminders follow every write: each audit entry replans what it names, at once or when
        # the write of several entries it belongs to ends (receivers.py).
        from assignments.signals import recorded, write_ended

        from .receivers import plan_gathered, replan_after_change

        recorded.connect(replan_after_change, dispatch_uid="reminders.replan_after_change")
        write_ended.connect(plan_gathered, dispatch_uid="reminders.plan_gathered")

        # /metrics reads the reminders' counters from the outbox when it is scraped
        from prometheus_client import REGISTRY

        from .metrics import OutboxCollector

        REGISTRY.register(OutboxCollector())
