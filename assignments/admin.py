"""The registrar's admin, in Swedish. Nothing can be deleted here: these are public records."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import (
    Approval,
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    AuditEntry,
    Decision,
    Delivery,
    Distribution,
    Group,
    Milestone,
    MilestoneUpdate,
    OrgUnit,
    User,
    WorkingGroupMember,
)

admin.site.disable_action("delete_selected")


class NoDeleteMixin:
    """Public records are archived, never deleted (DOMAIN.md)."""

    def has_delete_permission(self, request, obj=None):
        return False


def save_audited(request, obj) -> None:
    """Save obj and write one audit entry: created, or changed with only the changed fields."""
    is_new = obj.pk is None
    before = {} if is_new else audit.snapshot(type(obj).objects.get(pk=obj.pk))
    obj.save()
    after = audit.snapshot(obj)
    if not is_new:
        before, after = audit.changed_fields(before, after)
        if not after:
            return
    audit.record(
        actor=request.user,
        action="admin.created" if is_new else "admin.changed",
        obj=obj,
        before=before or None,
        after=after,
    )


class AuditedAdminMixin(NoDeleteMixin):
    """Writes an audit entry for every admin save, with the changed fields before/after."""

    def save_model(self, request, obj, form, change):
        save_audited(request, obj)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            save_audited(request, instance)
        formset.save_m2m()


class NoDeleteInline:
    can_delete = False
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(NoDeleteInline, admin.TabularInline):
    model = AssignmentItem
    fields = ("kind", "position", "text")


class WorkingGroupInline(NoDeleteInline, admin.TabularInline):
    model = WorkingGroupMember
    fields = ("position", "person", "role", "is_active")
    autocomplete_fields = ("person",)


class RelationInline(NoDeleteInline, admin.StackedInline):
    model = AssignmentRelation
    fk_name = "assignment"
    fields = ("position", "kind", "text", "target_group", "target_assignment", "target_reference")
    autocomplete_fields = ("target_group", "target_assignment")


class MilestoneInline(NoDeleteInline, admin.TabularInline):
    model = Milestone
    fields = ("position", "kind", "title", "period_label", "start", "due", "responsible", "status")
    autocomplete_fields = ("responsible",)


class DistributionInline(NoDeleteInline, admin.TabularInline):
    model = Distribution
    fields = ("purpose", "position", "person", "note")
    autocomplete_fields = ("person",)


class AssignmentAdminForm(forms.ModelForm):
    """The admin builds the fields from the fieldsets; this adds the cross-field rules."""

    def clean(self):
        cleaned = super().clean()
        if "commissioners" in self.fields and not cleaned.get("commissioners"):
            self.add_error("commissioners", _("Ange minst en uppdragsgivare."))
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = (
        "registration_number",
        "title",
        "document_date",
        "assignee",
        "delivery_due",
        "state",
    )
    list_filter = ("state", "issuing_unit", "is_public")
    search_fields = (
        "registration_number",
        "title",
        "assignee__first_name",
        "assignee__last_name",
        "commissioners__first_name",
        "commissioners__last_name",
        "working_group__person__first_name",
        "working_group__person__last_name",
    )
    date_hierarchy = "document_date"
    autocomplete_fields = ("assignee", "project_lead", "supersedes", "issuing_unit")
    filter_horizontal = ("commissioners", "decision_makers")
    readonly_fields = ("created_at", "updated_at")
    inlines = [ItemInline, WorkingGroupInline, RelationInline, MilestoneInline, DistributionInline]
    fieldsets = (
        (
            _("Huvud"),
            {
                "fields": (
                    "document_date",
                    "registration_number",
                    "issuing_unit",
                    "title",
                    "commissioners",
                    "assignee",
                    "supersedes",
                    "state",
                    "is_public",
                )
            },
        ),
        (_("Uppdragsbeskrivning"), {"fields": ("description", "purpose")}),
        (_("Arbetsorganisation"), {"fields": ("project_lead", "working_group_note")}),
        (
            _("Kommunikation, tidplan och finansiering"),
            {
                "fields": (
                    "communication",
                    "schedule_note",
                    "delivery_due",
                    "costs_and_financing",
                )
            },
        ),
        (
            _("Beslut"),
            {"fields": ("decision_form", "decision_makers", "decision_makers_label")},
        ),
        (_("Registrering"), {"fields": ("created_at", "updated_at")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        assignment = form.instance
        if not change and assignment.state == Assignment.State.DRAFT:
            # A registered draft goes straight into its process: the adopt task reaches a
            # commissioner's inbox.
            from workflow.services import start_process

            start_process(assignment=assignment, actor=request.user)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, True


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "assignment", "kind", "start", "due", "status", "responsible")
    list_filter = ("status", "kind")
    search_fields = ("title", "assignment__registration_number", "assignment__title")
    autocomplete_fields = ("assignment", "responsible")
    list_select_related = ("assignment", "responsible")


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


@admin.register(User)
class UserAdmin(NoDeleteMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "title", "org_unit", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "title")
    autocomplete_fields = ("org_unit",)
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Befattning och inställningar"),
            {"fields": ("title", "org_unit", "language", "wants_digest")},
        ),
    )


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
    list_display = ("assignment", "number", "status", "submitted_by", "submitted_at")
    list_filter = ("status",)
    search_fields = ("assignment__registration_number", "assignment__title")
    readonly_fields = (
        "assignment",
        "number",
        "submitted_by",
        "submitted_at",
        "status",
        "document_download",
    )
    # The document came with the submission and has no URL of its own: the admin links the
    # download view, which checks permission like every other way to it.
    exclude = ("document", "document_name")
    inlines = [ApprovalInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("dokument"))
    def document_download(self, delivery):
        if not delivery.document:
            return "–"
        url = reverse("workflow:delivery_document", args=[delivery.assignment_id, delivery.number])
        return format_html('<a href="{}">{}</a>', url, delivery.document_name)


@admin.register(Decision)
class DecisionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("assignment", "decided_on", "paragraph_reference", "decision_body")
    search_fields = ("assignment__registration_number", "assignment__title")
    readonly_fields = ("assignment", "delivery", "decided_on", "recorded_at")

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
