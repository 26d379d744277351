"""The registrar's admin, in Swedish: a registry tool, not a back door.

The registrar corrects registry data (names, texts, units, people) here, audited. What belongs
to the process is read only: an assignment's state and the document it supersedes, milestone
statuses, deliveries, approvals, decisions, milestone updates and the audit trail change only
through the services (assignments.services, workflow.services), which check and audit. Nothing
can be deleted here: these are public records.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_audit import AuditedAdminMixin, NoDeleteInline, NoDeleteMixin
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
    WorkingGroupMember,
)

admin.site.disable_action("delete_selected")

# The parties of an assignment are fixed once its final delivery is in: who decides, who
# delivered and who commissioned are then part of the decision's record.
PARTY_FIELDS = ("commissioners", "decision_makers", "assignee")
PARTIES_EDITABLE_STATES = (
    Assignment.State.DRAFT,
    Assignment.State.ADOPTED,
    Assignment.State.IN_PROGRESS,
)


def is_draft(assignment) -> bool:
    """A registered draft's tidplan is the registrar's to plan; once adopted, dates move
    through the process (move_milestone_due, with a reason)."""
    return assignment is None or assignment.state == Assignment.State.DRAFT


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


class MilestoneInlineForm(forms.ModelForm):
    class Meta:
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2, "cols": 26}),
            "period_label": forms.TextInput(attrs={"size": 8}),
        }


class MilestoneInline(NoDeleteInline, admin.TabularInline):
    """The tidplan, one row a milestone, narrow enough for a 1366 px screen with the admin's
    menu open: the order follows the dates (the milestone's own page sets another)."""

    model = Milestone
    form = MilestoneInlineForm
    fields = ("kind", "title", "period_label", "start", "due", "responsible", "status")
    autocomplete_fields = ("responsible",)
    show_change_link = True

    class Media:
        css = {"all": ["uppdrag/admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        return ("status",) if is_draft(obj) else ("start", "due", "status")

    def has_add_permission(self, request, obj=None):
        return is_draft(obj) and super().has_add_permission(request, obj)


class DistributionInline(NoDeleteInline, admin.TabularInline):
    model = Distribution
    fields = ("purpose", "position", "person", "note")
    autocomplete_fields = ("person",)


class AssignmentAdminForm(forms.ModelForm):
    """The admin builds the fields from the fieldsets; this adds the cross-field rules."""

    change_reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Sparas i granskningsloggen. Krävs när slutleveransen flyttas för ett fastställt "
            "uppdrag."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if "commissioners" in self.fields and not cleaned.get("commissioners"):
            self.add_error("commissioners", _("Ange minst en uppdragsgivare."))
        if (
            "delivery_due" in self.changed_data
            and not is_draft(self.instance if self.instance.pk else None)
            and not (cleaned.get("change_reason") or "").strip()
        ):
            # The final deadline is the commissioners' promise: moving it is recorded with why.
            self.add_error("change_reason", _("Ange varför slutleveransen flyttas."))
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
    autocomplete_fields = ("assignee", "project_lead", "issuing_unit")
    filter_horizontal = ("commissioners", "decision_makers")
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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Ändringen"), {"fields": ("change_reason",)}))

    def get_readonly_fields(self, request, obj=None):
        # The state moves through the flow; a document is superseded through
        # workflow.services.supersede_assignment, which closes the old one too.
        readonly = ["state", "supersedes", "created_at", "updated_at"]
        if obj is not None and obj.state not in PARTIES_EDITABLE_STATES:
            readonly += [*PARTY_FIELDS, "delivery_due"]
        return readonly

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


class MilestoneAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        assignment = cleaned.get("assignment")
        if self.instance.pk is None and assignment is not None and not is_draft(assignment):
            self.add_error(
                "assignment",
                _(
                    "Tidplanen för ett fastställt uppdrag ändras inte här. Milstolpar läggs "
                    "till medan uppdraget är ett utkast."
                ),
            )
        return cleaned


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = MilestoneAdminForm
    list_display = ("title", "assignment", "kind", "start", "due", "status", "responsible")
    list_filter = ("status", "kind")
    search_fields = ("title", "assignment__registration_number", "assignment__title")
    autocomplete_fields = ("assignment", "responsible")
    list_select_related = ("assignment", "responsible")
    fields = (
        "assignment",
        "position",
        "kind",
        "title",
        "period_label",
        "start",
        "due",
        "responsible",
        "status",
    )

    def get_readonly_fields(self, request, obj=None):
        # The status moves through change_milestone_status, which logs a MilestoneUpdate.
        if obj is None:
            return ("status",)
        if is_draft(obj.assignment):
            return ("assignment", "status")
        return ("assignment", "start", "due", "status")


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


# Registered here so the admin's autodiscovery finds it.
from . import admin_people  # noqa: E402, F401
