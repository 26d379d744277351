from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Reminder, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "lead_working_days",
        "remind_on_due_day",
        "remind_overdue",
        "escalate_after_working_days",
        "decision_wait_working_days",
    )

    def has_delete_permission(self, request, obj=None):
        return False


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
    actions = ["retry_failed"]

    @admin.action(description=_("Försök skicka igen"))
    def retry_failed(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(state=Reminder.State.FAILED).update(
            state=Reminder.State.PLANNED, planned_at=timezone.now(), attempts=0
        )
        self.message_user(request, _("%(n)d påminnelser planeras om.") % {"n": count})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
