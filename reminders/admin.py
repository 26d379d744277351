"""The reminders admin: the outbox and the policies. A registrar reads both; acting on them
(retry, cancel, a new policy) takes the change permission, which only superusers hold."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments import audit
from assignments.admin_audit import AuditedAdminMixin

from . import services
from .models import Reminder, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "subject",
        "lead_working_days",
        "remind_on_due_day",
        "remind_overdue",
        "overdue_repeat_days",
        "escalate_after_working_days",
        "decision_wait_working_days",
        "send_hour",
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A changed policy applies to the reminders already planned, not only to new ones.
        replanned = services.replan_for_policy(obj.subject)
        self.message_user(
            request,
            ngettext(
                "Påminnelserna för %(n)d öppen tidsgräns planerades om.",
                "Påminnelserna för %(n)d öppna tidsgränser planerades om.",
                replanned,
            )
            % {"n": replanned},
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "planned_at",
        "kind",
        "recipient",
        "assignment",
        "due_date",
        "state",
        "attempts",
        "sent_at",
        "error",
    )
    list_filter = ("state", "kind", "planned_at")
    search_fields = (
        "subject_key",
        "recipient__username",
        "recipient__last_name",
        "assignment__registration_number",
        "last_error",
    )
    list_select_related = ("recipient", "assignment")
    readonly_fields = [f.name for f in Reminder._meta.fields]
    date_hierarchy = "planned_at"
    actions = ["retry_failed", "cancel_unsent"]

    @admin.display(description=_("senaste fel"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)

    def _change_state(self, request, queryset, *, from_states, action, **values) -> int:
        """Change the rows still in from_states, one audit entry each (public records)."""
        count = 0
        with transaction.atomic():
            for row in (
                queryset.select_related(None)
                .filter(state__in=from_states)
                .select_for_update(of=("self",))
            ):
                before = audit.snapshot(row, ["state", "planned_at", "attempts"])
                for name, value in values.items():
                    setattr(row, name, value)
                row.save(update_fields=list(values))
                audit.record(
                    actor=request.user,
                    action=action,
                    obj=row,
                    before=before,
                    after=audit.snapshot(row, ["state", "planned_at", "attempts"]),
                )
                count += 1
        return count

    @admin.action(description=_("Försök skicka igen"), permissions=["change"])
    def retry_failed(self, request, queryset):
        count = self._change_state(
            request,
            queryset,
            from_states=[Reminder.State.FAILED],
            action="reminder.retried",
            state=Reminder.State.PLANNED,
            planned_at=timezone.now(),
            attempts=0,
        )
        self.message_user(
            request,
            ngettext("%(n)d påminnelse planeras om.", "%(n)d påminnelser planeras om.", count)
            % {"n": count},
        )

    @admin.action(description=_("Avbryt (skickas inte)"), permissions=["change"])
    def cancel_unsent(self, request, queryset):
        count = self._change_state(
            request,
            queryset,
            from_states=[Reminder.State.PLANNED, Reminder.State.FAILED],
            action="reminder.cancelled",
            state=Reminder.State.CANCELLED,
        )
        self.message_user(
            request,
            ngettext("%(n)d påminnelse avbröts.", "%(n)d påminnelser avbröts.", count)
            % {"n": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A row changes only through the actions above, which audit; its form is read only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
