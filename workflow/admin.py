"""The registry's assignments and their tidplan in the admin, registered by the workflow app
because a save there may move the process: registering a draft starts its process, an explicit
call at the end of the save, in the admin's transaction. The reminders follow each save's audit
entries (reminders/receivers.py); assignments/admin.py says what the registrar may change.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from assignments import permissions
from assignments.admin_audit import AuditedAdminMixin, NoDeleteInline, NoDeleteMixin
from assignments.models import (
    Absence,
    Assignment,
    AssignmentItem,
    AssignmentRelation,
    Distribution,
    Milestone,
    WorkingGroupMember,
)

from .services import (
    PARTIES_MAY_CHANGE,
    change_decision_makers,
    check_absence,
    end_absence,
    set_absence,
    start_process,
)

# The parties of an assignment are fixed once its final delivery is in: who decides, who
# delivered and who commissioned are then part of the decision's record.
PARTY_FIELDS = ("commissioners", "decision_makers", "assignee")


def is_draft(assignment) -> bool:
    """A registered draft's tidplan is the registrar's to plan; once adopted, dates move
    through the process (services.move_milestone_due, with a reason)."""
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
    show_change_link = True  # its narrow widgets: uppdrag/admin.css, on every admin page

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
        if self.changes_decision_makers() and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Ange varför beslutsfattarna ändras."))
        return cleaned

    def changes_decision_makers(self) -> bool:
        """Who decides changes on an adopted assignment: services.change_decision_makers'."""
        return (
            "decision_makers" in self.changed_data
            and self.instance.pk is not None
            and not is_draft(self.instance)
        )


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

    def has_add_permission(self, request):
        # the rule of "Nytt uppdrag" (assignments/permissions/), and the admin's own
        return super().has_add_permission(request) and permissions.may_register_assignments(
            request.user
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
        if obj is not None and obj.state not in PARTIES_MAY_CHANGE:
            readonly += [*PARTY_FIELDS, "delivery_due"]
        return readonly

    def save_related(self, request, form, formsets, change):
        deciding = None
        if form.changes_decision_makers():
            # Not the form's save: the service checks the rule, writes and audits with the reason.
            deciding = form.cleaned_data.pop("decision_makers")
        super().save_related(request, form, formsets, change)
        assignment = form.instance
        if deciding is not None:
            change_decision_makers(
                assignment=assignment,
                actor=request.user,
                decision_makers=deciding,
                reason=form.cleaned_data["change_reason"],
            )
        if not change and assignment.state == Assignment.State.DRAFT:
            # A registered draft goes straight into its process: the adopt task reaches a
            # commissioner's inbox.
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


class AbsenceAdminForm(forms.ModelForm):
    """A registrar's absence for someone who cannot set it themselves: the service's own check
    (services.check_absence) refuses beside the field, before anything is saved."""

    class Meta:
        model = Absence
        fields = ("person", "starts", "ends", "stand_in")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_absence(
                person=data["person"],
                starts=data.get("starts"),
                ends=data.get("ends"),
                stand_in=data.get("stand_in"),
                actor=self.actor,
            )
        except PermissionDenied as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(Absence)
class AbsenceAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Set through services.set_absence (audited, approvals handed on, reminders replanned);
    never changed afterwards: ended early by the action, which keeps it on record."""

    form = AbsenceAdminForm
    list_display = ("person", "starts", "ends", "stand_in", "ended_at")
    list_filter = ("starts",)
    search_fields = ("person__first_name", "person__last_name", "person__username")
    autocomplete_fields = ("person", "stand_in")
    actions = ("end_absences",)

    def get_fields(self, request, obj=None):
        fields = ("person", "starts", "ends", "stand_in")
        return fields if obj is None else (*fields, "created_at", "ended_at", "ended_by")

    def has_change_permission(self, request, obj=None):
        return False  # set once, ended by the action: never edited

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        absence = set_absence(
            person=obj.person,
            starts=obj.starts,
            ends=obj.ends,
            stand_in=obj.stand_in,
            actor=request.user,
        )
        obj.pk = absence.pk

    @admin.action(description=_("Avsluta vald frånvaro"), permissions=["add"])
    def end_absences(self, request, queryset):
        for absence in queryset:
            try:
                end_absence(absence=absence, actor=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{absence}: {' '.join(error.messages)}", "error")
