"""What the API reads and writes, field by field. Reads are ModelSerializers over rows the views
have loaded once (api/selectors.py); writes are plain serializers of the input a service takes,
named as the pages' forms name it, so a service's field error lands on the field sent."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from notifications.models import Notification
from rest_framework import serializers

from assignments import storage
from assignments.models import (
    Approval,
    Assignment,
    AssignmentRelation,
    Decision,
    Delivery,
    Distribution,
    Milestone,
    MilestoneUpdate,
    OrgUnit,
    User,
    WorkingGroupMember,
)
from reminders.selectors import target_url

# -- people and units --------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "title"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class WebLinkMixin(serializers.Serializer):
    """`web_url`: the object's page on the site, absolute."""

    web_url = serializers.SerializerMethodField()

    def get_web_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


# -- assignments: the list -----------------------------------------------------------------------


class AssignmentSummarySerializer(WebLinkMixin, serializers.ModelSerializer):
    """One row of the list: what the portfolio shows."""

    state_label = serializers.CharField(read_only=True)
    issuing_unit = UnitSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True)
    commissioners = PersonSerializer(many=True, read_only=True)
    is_overdue = serializers.BooleanField(
        read_only=True,
        help_text=_("Slutleveransen är försenad, eller en öppen milstolpe har passerat sitt datum"),
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "registration_number",
            "title",
            "state",
            "state_label",
            "document_date",
            "delivery_due",
            "is_overdue",
            "issuing_unit",
            "assignee",
            "commissioners",
            "is_public",
            "updated_at",
            "web_url",
        ]
        read_only_fields = fields


# -- assignments: one, whole ---------------------------------------------------------------------


class WorkingGroupMemberSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)

    class Meta:
        model = WorkingGroupMember
        fields = ["person", "role"]
        read_only_fields = fields


class DistributionSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)

    class Meta:
        model = Distribution
        fields = ["person", "purpose", "note"]
        read_only_fields = fields


class RelationSerializer(serializers.ModelSerializer):
    target_group = serializers.CharField(
        source="target_group.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = AssignmentRelation
        fields = ["kind", "text", "target_assignment", "target_group", "target_reference"]
        read_only_fields = fields


class MilestoneUpdateSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = MilestoneUpdate
        fields = ["created_at", "author", "from_status", "to_status", "comment"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True)
    responsible = PersonSerializer(
        source="responsible_person",
        read_only=True,
        help_text=_("Den ansvariga; uppdragstagaren när ingen annan är angiven."),
    )
    is_overdue = serializers.SerializerMethodField()
    may_update = serializers.SerializerMethodField(
        help_text=_("Om du får ändra status och datum för milstolpen.")
    )
    allowed_statuses = serializers.SerializerMethodField(
        help_text=_("De statusar milstolpen kan få härnäst.")
    )
    updates = MilestoneUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "kind",
            "title",
            "period_label",
            "start",
            "due",
            "status",
            "status_label",
            "is_overdue",
            "responsible",
            "may_update",
            "allowed_statuses",
            "updates",
        ]
        read_only_fields = fields

    def get_is_overdue(self, milestone) -> bool:
        return milestone.is_overdue()

    def get_may_update(self, milestone) -> bool:
        return bool(getattr(milestone, "user_may_update", False))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_statuses(self, milestone) -> list[str]:
        return milestone.allowed_statuses()


class ApprovalSerializer(serializers.ModelSerializer):
    decision_maker = PersonSerializer(read_only=True)
    acted_by = PersonSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Vem som svarade: beslutsfattaren eller den ställföreträdare hen valde."),
    )
    answered_by = serializers.CharField(read_only=True)

    class Meta:
        model = Approval
        fields = [
            "decision_maker",
            "acted_by",
            "answered_by",
            "verdict",
            "decided_on",
            "paragraph_reference",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    submitted_by = PersonSerializer(read_only=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    document_name = serializers.CharField(
        read_only=True, help_text=_("Tomt om leveransen saknar dokument.")
    )
    document_url = serializers.SerializerMethodField(
        help_text=_("Dokumentet som nedladdning på webbplatsen (kräver inloggning).")
    )

    class Meta:
        model = Delivery
        fields = [
            "number",
            "summary",
            "document_name",
            "document_url",
            "submitted_by",
            "submitted_at",
            "status",
            "approvals",
        ]
        read_only_fields = fields

    def get_document_url(self, delivery) -> str | None:
        if not delivery.document:
            return None
        path = reverse("workflow:delivery_document", args=[delivery.assignment_id, delivery.number])
        return self.context["request"].build_absolute_uri(path)


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "decided_on",
            "paragraph_reference",
            "decision_body",
            "minutes_verified_by",
            "extract_certified_by",
            "recorded_at",
        ]
        read_only_fields = fields


class AssignmentSerializer(AssignmentSummarySerializer):
    """The whole uppdragshandling: everything its page shows but the history."""

    project_lead = PersonSerializer(read_only=True, allow_null=True)
    decision_makers = PersonSerializer(many=True, read_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    scope = serializers.SerializerMethodField(help_text=_("Uppdraget innefattar"))
    requirements = serializers.SerializerMethodField(help_text=_("Uppdraget ska"))
    working_group = WorkingGroupMemberSerializer(many=True, read_only=True)
    distribution = DistributionSerializer(many=True, read_only=True)
    relations = RelationSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta(AssignmentSummarySerializer.Meta):
        fields = [
            *AssignmentSummarySerializer.Meta.fields,
            "description",
            "purpose",
            "scope",
            "requirements",
            "project_lead",
            "decision_makers",
            "decision_makers_label",
            "working_group_note",
            "working_group",
            "distribution",
            "relations",
            "communication",
            "schedule_note",
            "costs_and_financing",
            "decision_form",
            "supersedes",
            "milestones",
            "deliveries",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_scope(self, assignment) -> list[str]:
        return [item.text for item in assignment.scope_items]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_requirements(self, assignment) -> list[str]:
        return [item.text for item in assignment.requirement_items]

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, assignment) -> dict | None:
        decision = getattr(assignment, "decision", None)  # none yet: the reverse one-to-one raises
        return DecisionSerializer(decision).data if decision is not None else None


# -- what waits for me -------------------------------------------------------------------------


class AssignmentReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "registration_number", "title"]
        read_only_fields = fields


class TaskSerializer(serializers.Serializer):
    """One open task of mine (a dict of workflow.selectors.waiting)."""

    id = serializers.IntegerField(source="task.pk")
    step = serializers.CharField(
        source="task.flow_task.name", help_text=_("adopt, work eller approve")
    )
    title = serializers.CharField()
    is_decision = serializers.BooleanField()
    waiting_since = serializers.DateField()
    assignment = AssignmentReferenceSerializer()
    web_url = serializers.SerializerMethodField(help_text=_("Sidan där uppgiften görs."))

    def get_web_url(self, item) -> str:
        return self.context["request"].build_absolute_uri(item["url"])


class NotificationSerializer(serializers.ModelSerializer):
    web_url = serializers.SerializerMethodField()
    text = serializers.CharField(
        read_only=True, help_text=_("Vad notisen säger, på läsarens språk (verb: som den skrevs).")
    )
    detail = serializers.CharField(
        read_only=True, help_text=_("Vad den tillägger: vem, en kommentar, ett datum.")
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "verb",
            "text",
            "detail",
            "description",
            "level",
            "unread",
            "timestamp",
            "web_url",
        ]
        read_only_fields = fields

    def get_web_url(self, notification) -> str:
        return self.context["request"].build_absolute_uri(target_url(notification))


# -- writes ----------------------------------------------------------------------------------


class TextField(serializers.CharField):
    """Text, and only text: REST framework's CharField would take a JSON number for a comment."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MilestoneStatusSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Milestone.Status.choices, label=_("Ny status"))
    comment = TextField(
        label=_("Kommentar"), required=False, allow_blank=True, default="", max_length=5000
    )


class MilestoneDueSerializer(serializers.Serializer):
    new_due = serializers.DateField(label=_("Nytt slutdatum"))
    reason = TextField(label=_("Varför flyttas datumet?"), max_length=5000)


class DeliveryInputSerializer(serializers.Serializer):
    summary = TextField(label=_("Sammanfattning av slutleveransen"), max_length=20000)
    document = serializers.FileField(
        label=_("Dokument"),
        required=False,
        allow_null=True,
        validators=[storage.validate_document],  # as the page's form: on the field
        help_text=_("PDF, Office, OpenDocument, bild eller text (multipart/form-data)."),
    )


class ApproveSerializer(serializers.Serializer):
    decided_on = serializers.DateField(
        label=_("Datum för beslut"), required=False, help_text=_("Dagens datum om det utelämnas.")
    )
    paragraph_reference = TextField(
        label=_("Paragraf (§)"), required=False, allow_blank=True, default="", max_length=40
    )


class ReturnSerializer(serializers.Serializer):
    comment = TextField(
        label=_("Varför återremitteras leveransen?"),
        max_length=5000,
        error_messages={"required": _("Skriv varför leveransen återremitteras.")},
    )
