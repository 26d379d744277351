"""The registrar's admin, in Swedish: a registry tool, not a back door.

The registrar corrects registry data (names, texts, units, people) here, audited. What belongs
to the process is read only: an assignment's state and the document it supersedes, milestone
statuses, deliveries, approvals, decisions, milestone updates and the audit trail change only
through the services (workflow.services), which check and audit. Nothing can be deleted here:
these are public records.

The assignment and milestone admins are registered by workflow/admin.py: a save there may start
the process or move a deadline, which the registry does not do itself.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_audit import AuditedAdminMixin, NoDeleteInline, NoDeleteMixin
from .models import (
    Approval,
    AuditEntry,
    Decision,
    Delivery,
    Group,
    MilestoneUpdate,
    OrgUnit,
)

admin.site.disable_action("delete_selected")


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("milestone", "author", "created_at", "from_status", "to_status")
    search_fields = ("milestone__title", "milestone__assignment__registration_number")
    list_select_related = ("milestone", "author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "is_archived")
    list_filter = ("kind", "is_archived")
    search_fields = ("name",)
    autocomplete_fields = ("parent",)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "process", "mandate", "chair", "is_archived")
    list_filter = ("kind", "process", "mandate", "is_statutory", "is_archived")
    search_fields = ("name", "description", "chair__first_name", "chair__last_name")
    autocomplete_fields = ("chair", "assignment")
    filter_horizontal = ("members", "administrations", "reports_to")


class ApprovalInline(NoDeleteInline, admin.TabularInline):
    model = Approval
    fields = ("decision_maker", "verdict", "decided_on", "paragraph_reference", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Read only: a delivery is the assignee's submission, answered by the decision-makers."""

    list_display = ("assignment", "number", "status", "submitted_by", "submitted_at")
    list_filter = ("status",)
    search_fields = ("assignment__registration_number", "assignment__title")
    list_select_related = ("assignment", "submitted_by")
    fields = (
        "assignment",
        "number",
        "summary",
        "document_download",
        "submitted_by",
        "submitted_at",
        "status",
    )
    readonly_fields = ("document_download",)
    inlines = [ApprovalInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The document came with the submission and has no URL of its own: the admin links the
    # download view, which checks permission like every other way to it.
    @admin.display(description=_("dokument"))
    def document_download(self, delivery):
        if not delivery.document:
            return "–"
        url = reverse("workflow:delivery_document", args=[delivery.assignment_id, delivery.number])
        return format_html('<a href="{}">{}</a>', url, delivery.document_name)


# The minutes extract's fields (seed 003) are added after the decision by the registry, once;
# what was decided, when and on which delivery is the process's.
MINUTES_FIELDS = ("decision_body", "minutes_verified_by", "extract_certified_by")


@admin.register(Decision)
class DecisionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("assignment", "decided_on", "paragraph_reference", "decision_body")
    search_fields = ("assignment__registration_number", "assignment__title")
    list_select_related = ("assignment",)
    fields = (
        "assignment",
        "delivery",
        "decided_on",
        "paragraph_reference",
        *MINUTES_FIELDS,
        "recorded_at",
    )

    def get_readonly_fields(self, request, obj=None):
        filled = [name for name in MINUTES_FIELDS if obj is not None and getattr(obj, name)]
        return (
            "assignment",
            "delivery",
            "decided_on",
            "paragraph_reference",
            "recorded_at",
            *filled,
        )

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "actor", "action", "object_type", "object_repr", "assignment")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "reason", "assignment__registration_number")
    list_select_related = ("actor", "assignment")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
