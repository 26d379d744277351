"""Planning follows every change of a deadline, in the same transaction as the change."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from assignments.models import Approval, Assignment, Delivery, Milestone

from . import services
from .models import ReminderPolicy


@receiver(post_save, sender=Milestone)
def milestone_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.plan_for_milestone(instance)


@receiver(post_save, sender=Assignment)
def assignment_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        services.replan_assignment(instance)


@receiver(post_save, sender=Delivery)
def delivery_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.plan_decision_waiting(instance)


@receiver(post_save, sender=Approval)
def approval_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.plan_decision_waiting(instance.delivery)


@receiver(m2m_changed, sender=Assignment.commissioners.through)
@receiver(m2m_changed, sender=Assignment.decision_makers.through)
def people_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Assignment):
        services.replan_assignment(instance)


@receiver(post_save, sender=ReminderPolicy)
def policy_saved(sender, instance, raw=False, **kwargs):
    """A changed policy applies to the reminders already planned, not only to new ones."""
    if not raw:
        instance.replanned = services.replan_for_policy(instance.subject)
