"""The registry: what an uppdragshandling (assignment document) is, field by field.

Every part of seed 004 has a home here. Nothing is hard-deleted: assignments are public
records (allmänna handlingar), so models refuse delete() and carry a state or archive flag.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from assignments import storage

# Diarienummer as VGR and Region Jönköping write them: "RS 2024-05699", "LJ 2013/746",
# and the minutes' "LJ2013 /746". Checked, never rewritten: the registrar's text is the record.
_REGISTRATION_NUMBER = r"[A-ZÅÄÖ]{1,10} ?\d{4} ?[-/] ?\d{1,7}(?:-\d{1,4})?"
REGISTRATION_NUMBER_RE = rf"^{_REGISTRATION_NUMBER}$"
# The same, found inside a text (a document's heading, a reference to another assignment).
REGISTRATION_NUMBER_IN_TEXT = re.compile(rf"\b{_REGISTRATION_NUMBER}\b")
validate_registration_number = RegexValidator(
    REGISTRATION_NUMBER_RE,
    message=_(
        "Ogiltigt diarienummer. Skriv det som det är registrerat, till exempel "
        "”RS 2024-05699” eller ”LJ 2013/746”."
    ),
    code="invalid_registration_number",
)


class RecordDeletionError(Exception):
    """Raised when code tries to hard-delete a public record."""


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise RecordDeletionError(_("Allmänna handlingar tas aldrig bort; arkivera i stället."))


class PublicRecord(models.Model):
    """Base for records that are never hard-deleted."""

    objects = NoDeleteQuerySet.as_manager()
    # what a refused deletion says; a record kind may say what to do instead
    deletion_refusal = _("Allmänna handlingar tas aldrig bort; arkivera i stället.")

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise RecordDeletionError(self.deletion_refusal)


class AppendOnlyRecord(models.Model):
    """A line written once, never changed nor deleted: the audit trail, the gallringslogg."""

    objects = NoDeleteQuerySet.as_manager()
    changed_refusal = _("Loggposter kan inte ändras.")
    deleted_refusal = _("Loggposter kan inte tas bort.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RecordDeletionError(self.changed_refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordDeletionError(self.deleted_refusal)


class OrgUnit(PublicRecord):
    """A unit of the region: region → koncernkontor/förvaltning → stab/avdelning, or a board."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CENTRAL_OFFICE = "central_office", _("Koncernkontor")
        ADMINISTRATION = "administration", _("Förvaltning")
        STAFF_UNIT = "staff_unit", _("Koncernstab")
        DEPARTMENT = "department", _("Avdelning")
        BOARD = "board", _("Nämnd eller styrelse")
        OTHER = "other", _("Övrigt")

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("överordnad enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_archived = models.BooleanField(_("arkiverad"), default=False)

    class Meta:
        verbose_name = _("organisationsenhet")
        verbose_name_plural = _("organisationsenheter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="orgunit_unique_name_per_parent",
                violation_error_message=_("Det finns redan en enhet med det namnet här."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="orgunit_unique_top_level_name",
                violation_error_message=_("Det finns redan en enhet med det namnet här."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("En enhet kan inte ligga under sig själv.")})
            node = node.parent


class PersonManager(UserManager.from_queryset(NoDeleteQuerySet)):
    pass


class User(AbstractUser):
    """A person: everyone named in an uppdragshandling, with or without a login."""

    title = models.CharField(_("befattning"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    language = models.CharField(
        _("språk"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    wants_digest = models.BooleanField(
        _("daglig sammanfattning"),
        default=True,
        help_text=_("Få en sammanfattning varje arbetsdag kl. 07.00."),
    )
    # The återrapportering of the previous month, mailed to each commissioner (assignments/
    # report.py, reminders.services.plan_monthly_reports).
    wants_monthly_report = models.BooleanField(
        _("månadsrapport"),
        default=True,
        help_text=_("Få återrapporteringen för förra månaden den första arbetsdagen i månaden."),
    )
    # Whether a reminder's mail may be answered to update it ("klar", "ny tid …"): off, the
    # mails carry no reply address and a reply is refused (replies/).
    answers_by_mail = models.BooleanField(
        _("svara via e-post"),
        default=True,
        help_text=_("Svara på en påminnelse med till exempel ”klar” eller ”ny tid 2027-01-15”."),
    )
    # What single sign-on matches the person by when OIDC_MATCH_CLAIM names a claim other than
    # the e-mail address (people/sso.py).
    employee_id = models.CharField(
        _("anställnings-id"),
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "Identiteten i regionens katalog som inloggningen med regionens konto matchas mot, "
            "när den inte matchas på e-postadress."
        ),
    )

    # The provider's immutable id of the person (OIDC_ID_CLAIM: "sub", Entra ID's "oid"), stored
    # when single sign-on links the account: from then on the account is found by it alone,
    # never again by an address or an employee id (people/sso.py).
    sso_subject = models.CharField(
        _("id hos regionens inloggning"),
        max_length=255,
        blank=True,
        default="",
        help_text=_(
            "Den oföränderliga identitet som regionens inloggning ger personen. Sätts vid "
            "första inloggningen; för administratörer bara av en administratör."
        ),
    )

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_id"],
                condition=~Q(employee_id=""),
                name="user_unique_employee_id",
                violation_error_message=_("Någon annan har redan det anställnings-id:t."),
            ),
            models.UniqueConstraint(
                fields=["sso_subject"],
                condition=~Q(sso_subject=""),
                name="user_unique_sso_subject",
                violation_error_message=_(
                    "Någon annan är redan kopplad till den identiteten hos regionens inloggning."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        raise RecordDeletionError(_("Personer tas inte bort; gör kontot inaktivt i stället."))

    # A session is the person's while the account has the password and the e-mail address it
    # was started with: Django's session hash covers the password, ours the address too, so a
    # change of address ends every session of the person, whatever path changed it
    # (people/identity.py). The documented hooks that django.contrib.auth.get_user() asks.
    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret=None) -> str:
        return salted_hmac(
            "assignments.User.get_session_auth_hash",
            f"{self.password}\0{self.email}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def source_upload_to(instance: Assignment, filename: str) -> str:
    """A random name: the original is kept in `source_document_name`."""
    return storage.stored_name("sources", filename)


class Assignment(PublicRecord):
    """An uppdragshandling: the commission, who carries it out, what it delivers and by when."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Fastställd")
        IN_PROGRESS = "in_progress", _("Pågår")
        DELIVERED = "delivered", _("Slutlevererad")
        DECIDED = "decided", _("Beslutad")
        SUPERSEDED = "superseded", _("Ersatt")
        CANCELLED = "cancelled", _("Avbruten")

    OPEN_STATES = (State.DRAFT, State.ADOPTED, State.IN_PROGRESS, State.DELIVERED)
    # Adopted and not yet delivered: milestones are worked on, deadlines reminded, and the
    # final delivery can be late.
    WORKING_STATES = (State.ADOPTED, State.IN_PROGRESS)
    # Adopted and not closed: its tidplan is in force, so an open milestone past its due date
    # is late. A draft's tidplan is not adopted yet: nothing in it is late, nor reminded.
    IN_FORCE_STATES = (State.ADOPTED, State.IN_PROGRESS, State.DELIVERED)

    registration_number = models.CharField(
        _("diarienummer"), max_length=40, validators=[validate_registration_number]
    )
    document_date = models.DateField(_("datum"))
    issuing_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("utfärdande enhet"),
        on_delete=models.PROTECT,
        related_name="issued_assignments",
    )
    title = models.CharField(_("uppdrag"), max_length=400)
    description = models.TextField(_("uppdragsbeskrivning"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    working_group_note = models.TextField(_("om arbetsgruppen"), blank=True)
    communication = models.TextField(_("kommunikation"), blank=True)
    schedule_note = models.TextField(_("om tidplanen"), blank=True)
    costs_and_financing = models.TextField(_("kostnader och finansiering"), blank=True)
    decision_form = models.TextField(_("form för beslut"), blank=True)
    decision_makers_label = models.CharField(
        _("beslutsfattarnas benämning"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”Beslutfattare Samordningsgrupp för vårdinformationsmiljö”."),
    )
    delivery_due = models.DateField(_("slutleverans senast"), null=True, blank=True)

    commissioners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uppdragsgivare"),
        related_name="commissioned_assignments",
        blank=True,
    )
    decision_makers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutsfattare"),
        related_name="deciding_assignments",
        blank=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uppdragstagare"),
        on_delete=models.PROTECT,
        related_name="assigned_assignments",
    )
    project_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sammanställande och projektledare"),
        on_delete=models.PROTECT,
        related_name="led_assignments",
        null=True,
        blank=True,
    )
    # The file an imported draft was read from (documents/importer), kept as the record's
    # source: private like a delivery's document (storage.py), its original name beside it.
    source_document = models.FileField(
        _("källdokument"),
        upload_to=source_upload_to,
        storage=storage.document_storage,
        blank=True,
    )
    source_document_name = models.CharField(
        _("källdokumentets filnamn"), max_length=255, blank=True
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    is_public = models.BooleanField(
        _("öppen inom organisationen"),
        default=False,
        help_text=_("Alla inloggade får läsa uppdraget."),
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("uppdragshandling")
        verbose_name_plural = _("uppdragshandlingar")
        ordering = ["-document_date", "registration_number"]
        constraints = [
            # One live document per registration number; a superseded document keeps the
            # number it was registered under (seed 004 replaces an earlier document), and so
            # does its new version while it is a draft (or was dropped as one): the number
            # passes to the new version when it is adopted and the old one superseded.
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(state="superseded")
                & ~Q(supersedes__isnull=False, state__in=["draft", "cancelled"]),
                name="assignment_unique_live_registration_number",
                violation_error_message=_(
                    "Det finns redan ett gällande uppdrag med det diarienumret."
                ),
            ),
            # A document is replaced once: one new version at a time (a dropped draft is
            # cancelled and leaves room for another).
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=~Q(state="cancelled"),
                name="assignment_superseded_once",
                violation_error_message=_("Det finns redan en ny version av det uppdraget."),
            ),
        ]
        indexes = [models.Index(fields=["delivery_due"], name="assignment_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.title}"

    def get_absolute_url(self) -> str:
        """The assignment page (the admin's "Visa på webbplats" leads there)."""
        return reverse("workflow:assignment", args=[self.pk])

    def clean(self):
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = _("Uppdraget måste ha en rubrik.")
        if self.supersedes_id and self.supersedes_id == self.pk:
            errors["supersedes"] = _("Ett uppdrag kan inte ersätta sig självt.")
        if self.delivery_due and self.document_date and self.delivery_due < self.document_date:
            errors["delivery_due"] = _("Slutleveransen kan inte ligga före uppdragets datum.")
        if errors:
            raise ValidationError(errors)

    @property
    def state_label(self) -> str:
        """The state's name, as get_state_display() gives it. That one translates the name of
        every state to find one: a tenth of a list page's time, once per row."""
        return str(self.State(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_in_force(self) -> bool:
        """Adopted and still open (IN_FORCE_STATES): its milestones can be late."""
        return self.state in self.IN_FORCE_STATES

    @property
    def milestones_may_change(self) -> bool:
        """Its milestones change (status, due date) only while it is worked on: adopted and not
        yet delivered. After the final delivery the tidplan is what was delivered on; a return
        opens it again."""
        return self.state in self.WORKING_STATES

    def is_delivery_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.delivery_due and self.state in self.WORKING_STATES and self.delivery_due < today
        )

    # "Overdue" for an assignment, stated once: its final delivery is late, or it is in force
    # (adopted, still open) and one of its open milestones is past due. As a filter and for a
    # page of loaded rows.

    @classmethod
    def overdue_q(cls, today: dt.date) -> Q:
        late_milestone = models.Exists(
            Milestone.objects.filter(assignment=models.OuterRef("pk"), due__lt=today).exclude(
                status__in=Milestone.CLOSED_STATUSES
            )
        )
        return Q(state__in=cls.WORKING_STATES, delivery_due__lt=today) | (
            Q(state__in=cls.IN_FORCE_STATES) & Q(late_milestone)
        )

    @classmethod
    def mark_overdue(cls, assignments, today: dt.date) -> list[Assignment]:
        """Set `is_overdue` on loaded assignments with one query (an annotation would be
        computed for every row of the table before a page is cut)."""
        assignments = list(assignments)
        late = set(
            Milestone.objects.filter(assignment_id__in=[a.pk for a in assignments], due__lt=today)
            .exclude(status__in=Milestone.CLOSED_STATUSES)
            .order_by()  # Milestone's ordering would join Assignment to sort by it
            .values_list("assignment_id", flat=True)
        )
        for a in assignments:
            a.is_overdue = a.is_delivery_overdue(today) or (a.is_in_force and a.pk in late)
        return assignments


class AssignmentItem(PublicRecord):
    """One ordered line of "Uppdraget innefattar" (scope) or "Uppdraget ska" (requirement)."""

    class Kind(models.TextChoices):
        SCOPE = "scope", _("Uppdraget innefattar")
        REQUIREMENT = "requirement", _("Uppdraget ska")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("punkt")
        verbose_name_plural = _("punkter")
        ordering = ["assignment", "kind", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class WorkingGroupMember(PublicRecord):
    """A member of the arbetsgrupp, with the role text the document gives them."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="working_group"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="working_group_memberships",
    )
    role = models.CharField(_("roll"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("medlem i arbetsgruppen")
        verbose_name_plural = _("arbetsgrupp")
        ordering = ["assignment", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "person"],
                name="working_group_unique_person",
                violation_error_message=_("Personen finns redan i arbetsgruppen."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.role}" if self.role else str(self.person)


class Group(PublicRecord):
    """A region-wide group (koncernövergripande grupp, seed 002)."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Ledningsgrupp")
        COHESIVE_LEADERSHIP = "cohesive_leadership", _("Grupp för sammanhållen ledning")
        COORDINATING = "coordinating", _("Samordnande grupp")
        COORDINATION_COUNCIL = "coordination_council", _("Samordningsråd")
        EXPERT = "expert", _("Sakkunniggrupp")
        FUNCTION = "function", _("Funktionsgrupp")
        CUSTOMER_COUNCIL = "customer_council", _("Kundråd")
        DRUG_COMMITTEE = "drug_committee", _("Läkemedelskommitté (lagstadgad)")

    class Mandate(models.TextChoices):
        CHAIR_REGION_WIDE = (
            "chair_region_wide",
            _("Ordförande har ett tilldelat koncernövergripande mandat"),
        )
        MEMBERS_OWN_ADMINISTRATION = (
            "members_own_administration",
            _("Deltagarna har mandat inom sin förvaltning"),
        )
        PREPARATORY = "preparatory", _("Beredande utan mandat att besluta")
        CHAIR_GROUP = "chair_group", _("Ordförande har ett mandat kopplat till gruppen")

    class Process(models.TextChoices):
        LEADERSHIP = "leadership", _("Ledningsnivå")
        MAIN = "main", _("Huvudprocess")
        SUPPORT = "support", _("Stödjande process")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    process = models.CharField(_("processnivå"), max_length=20, choices=Process.choices)
    mandate = models.CharField(_("beslutsmandat"), max_length=40, choices=Mandate.choices)
    description = models.TextField(_("uppdrag"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordförande"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_groups",
    )
    chair_description = models.CharField(_("ordförande (beskrivning)"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deltagare"),
        blank=True,
        related_name="region_groups",
    )
    administrations = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("förvaltningar som deltar"),
        blank=True,
        related_name="participating_groups",
    )
    reports_to = models.ManyToManyField(
        "self",
        verbose_name=_("rapporterar till"),
        symmetrical=False,
        blank=True,
        related_name="reported_by",
    )
    reports_to_note = models.CharField(_("rapporterar även till"), max_length=300, blank=True)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("gruppens uppdragshandling"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="defined_groups",
    )
    is_statutory = models.BooleanField(_("lagstadgad"), default=False)
    is_archived = models.BooleanField(_("arkiverad"), default=False)

    class Meta:
        verbose_name = _("koncernövergripande grupp")
        verbose_name_plural = _("koncernövergripande grupper")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssignmentRelation(PublicRecord):
    """One line of "Samband och gränsdragning": within a group, cooperation, a stakeholder."""

    class Kind(models.TextChoices):
        WITHIN = "within", _("Inom ramen för")
        COOPERATION = "cooperation", _("Samarbete med")
        STAKEHOLDER = "stakeholder", _("Intressent")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="relations")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    text = models.TextField(_("text"), blank=True)
    target_assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("annat uppdrag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="related_from",
    )
    target_group = models.ForeignKey(
        Group,
        verbose_name=_("grupp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="related_assignments",
    )
    target_reference = models.CharField(
        _("diarienummer (annat uppdrag)"),
        max_length=40,
        blank=True,
        help_text=_("För ett uppdrag som inte finns i systemet."),
    )

    class Meta:
        verbose_name = _("samband")
        verbose_name_plural = _("samband och gränsdragning")
        ordering = ["assignment", "position", "id"]

    def __str__(self) -> str:
        target = self.target_assignment or self.target_group or self.text[:60]
        return f"{self.get_kind_display()}: {target}"

    def clean(self):
        if not (self.text.strip() or self.target_assignment_id or self.target_group_id):
            raise ValidationError(_("Ange ett uppdrag, en grupp eller en text."))
        if self.target_assignment_id and self.target_assignment_id == self.assignment_id:
            raise ValidationError(
                {"target_assignment": _("Ett uppdrag kan inte relatera till sig självt.")}
            )


class Distribution(PublicRecord):
    """ "Uppdraget skickas till": one person, for execution or for information."""

    class Purpose(models.TextChoices):
        EXECUTION = "execution", _("För genomförande")
        INFORMATION = "information", _("För kännedom")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="distribution"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    purpose = models.CharField(_("syfte"), max_length=20, choices=Purpose.choices)
    note = models.CharField(
        _("anteckning"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”för distribution till koncernledning hälso- och sjukvård”."),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("sändlista")
        verbose_name_plural = _("uppdraget skickas till")
        ordering = ["assignment", "purpose", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "person", "purpose"],
                name="distribution_unique",
                violation_error_message=_("Personen står redan på den sändlistan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_purpose_display()})"


class Milestone(PublicRecord):
    """One activity of the tidplan, with a period and a due date."""

    class Kind(models.TextChoices):
        RESOURCE_ALLOCATION = "resource_allocation", _("Resurssättning")
        SEMINARS = "seminars", _("Seminarier")
        COMPILATION = "compilation", _("Sammanställning")
        DECISION = "decision", _("Beslut och genomförande")
        OTHER = "other", _("Övrigt")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klar")
        AT_RISK = "at_risk", _("I riskzonen")
        BLOCKED = "blocked", _("Blockerad")
        CANCELLED = "cancelled", _("Avbruten")

    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    # The legal status changes, declared once. Every change can be undone by whoever may make
    # it (a status set by mistake is corrected, a cancelled activity taken up again): for each
    # move A → B the table has B → A. Cancelling and taking a closed milestone up again say
    # why (needs_reason), so the history tells the correction apart from the work.
    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.DONE, Status.AT_RISK, Status.CANCELLED},
        Status.IN_PROGRESS: {
            Status.PLANNED,
            Status.DONE,
            Status.AT_RISK,
            Status.BLOCKED,
            Status.CANCELLED,
        },
        Status.AT_RISK: {
            Status.PLANNED,
            Status.IN_PROGRESS,
            Status.DONE,
            Status.BLOCKED,
            Status.CANCELLED,
        },
        Status.BLOCKED: {Status.IN_PROGRESS, Status.AT_RISK, Status.CANCELLED},
        Status.DONE: {Status.PLANNED, Status.IN_PROGRESS, Status.AT_RISK},
        Status.CANCELLED: {Status.PLANNED, Status.IN_PROGRESS, Status.AT_RISK, Status.BLOCKED},
    }

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("aktivitet"), max_length=400)
    period_label = models.CharField(
        _("tidplan enligt handlingen"),
        max_length=100,
        blank=True,
        help_text=_("Som det står i uppdragshandlingen, till exempel ”Sep – okt 2025”."),
    )
    start = models.DateField(_("start"))
    due = models.DateField(_("klar senast"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_milestones",
        help_text=_("Lämna tomt för uppdragstagaren."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("milstolpe")
        verbose_name_plural = _("tidplan")
        ordering = ["assignment", "position", "start", "id"]
        indexes = [models.Index(fields=["due", "status"], name="milestone_due_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__gte=models.F("start")),
                name="milestone_due_not_before_start",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its row on the assignment page."""
        return f"{self.assignment.get_absolute_url()}#milestone-{self.pk}"

    def clean(self):
        if not (self.title or "").strip():
            raise ValidationError({"title": _("Aktiviteten måste ha en beskrivning.")})
        if self.start and self.due and self.due < self.start:
            raise ValidationError({"due": _("Slutdatum kan inte ligga före startdatum.")})

    @property
    def status_label(self) -> str:
        """The status's name, as get_status_display() gives it (see Assignment.state_label)."""
        return str(self.Status(self.status).label)

    @property
    def shown_status(self) -> str:
        """The status as the pages show it. A milestone still open when its assignment ended
        reads as that ("Ej klarmarkerad vid beslutet"), not "Planerad" forever; the stored
        status stays as it was, for the record, and the API gives it as stored."""
        if self.is_closed or self.assignment.is_open:
            return self.status_label
        if self.assignment.state == Assignment.State.DECIDED:
            return str(_("Ej klarmarkerad vid beslutet"))
        return str(_("Ej klarmarkerad när uppdraget avslutades"))

    @property
    def responsible_person(self):
        """The responsible person; the assignee when none is named (docs/glossary.md)."""
        return self.responsible if self.responsible_id else self.assignment.assignee

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    def allowed_statuses(self) -> list[str]:
        """The statuses this milestone may move to next, in the order of Status."""
        allowed = self.TRANSITIONS[self.Status(self.status)]
        return [s for s in self.Status if s in allowed]

    def needs_reason(self, to_status: str) -> bool:
        """Whether a move to `to_status` must say why: cancelling (destructive) and taking a
        done or cancelled milestone up again (a correction)."""
        return to_status == self.Status.CANCELLED or self.is_closed

    def statuses_now(self) -> list[str]:
        """The statuses it may be given now (workflow.services.change_milestone_status asks
        the same): none unless its assignment's milestones may change."""
        return self.allowed_statuses() if self.assignment.milestones_may_change else []

    @property
    def may_move_due(self) -> bool:
        """May its due date move now (workflow.services.move_milestone_due asks the same): an
        open milestone of an assignment whose milestones may change."""
        return self.assignment.milestones_may_change and not self.is_closed

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open and past its due date in a tidplan in force: a draft's milestones are never
        late (Assignment.is_in_force; the assignment is read only for a milestone past due)."""
        if self.is_closed or self.due >= (today or timezone.localdate()):
            return False
        return self.assignment.is_in_force


class MilestoneUpdate(PublicRecord):
    """One entry of a milestone's log: who changed the status, when, and why."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        on_delete=models.PROTECT,
        related_name="milestone_updates",
    )
    created_at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    from_status = models.CharField(_("från"), max_length=20, choices=Milestone.Status.choices)
    to_status = models.CharField(_("till"), max_length=20, choices=Milestone.Status.choices)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("milstolpsuppdatering")
        verbose_name_plural = _("milstolpsuppdateringar")
        ordering = ["milestone", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.from_status} → {self.to_status}"


def delivery_upload_to(instance: Delivery, filename: str) -> str:
    """A random name: the original is kept in `document_name`, for the download."""
    return storage.stored_name(f"deliveries/{instance.assignment_id}", filename)


class Delivery(PublicRecord):
    """A final delivery (slutleverans) submitted for decision; each resubmission is a new row."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inlämnad")
        APPROVED = "approved", _("Godkänd")
        RETURNED = "returned", _("Återremitterad")
        WITHDRAWN = "withdrawn", _("Återtagen")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="deliveries")
    number = models.PositiveIntegerField(_("version"), default=1)
    summary = models.TextField(_("sammanfattning"))
    document = models.FileField(
        _("dokument"),
        upload_to=delivery_upload_to,
        storage=storage.document_storage,
        blank=True,
    )
    document_name = models.CharField(_("dokumentets filnamn"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inlämnad av"),
        on_delete=models.PROTECT,
        related_name="submitted_deliveries",
    )
    submitted_at = models.DateTimeField(_("inlämnad"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )

    class Meta:
        verbose_name = _("slutleverans")
        verbose_name_plural = _("slutleveranser")
        ordering = ["assignment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="delivery_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.assignment.registration_number} slutleverans {self.number}"


class Approval(PublicRecord):
    """One decision-maker's answer on one delivery: approve (with a date) or return."""

    class Verdict(models.TextChoices):
        APPROVED = "approved", _("Godkänd")
        RETURNED = "returned", _("Återremitterad")
        CANCELLED = "cancelled", _("Avbruten (annan beslutsfattare återremitterade)")

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="approvals")
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutsfattare"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    # Who answered: the decision-maker, or the stand-in (ställföreträdare) they delegated to.
    # Empty on answers recorded before the record kept it.
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals_acted",
    )
    verdict = models.CharField(_("beslut"), max_length=20, choices=Verdict.choices)
    decided_on = models.DateField(_("datum för beslut"), null=True, blank=True)
    paragraph_reference = models.CharField(_("paragraf"), max_length=40, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        verbose_name = _("beslutsfattares svar")
        verbose_name_plural = _("beslutsfattares svar")
        ordering = ["delivery", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "decision_maker"],
                name="approval_one_per_decision_maker",
                violation_error_message=_(
                    "Beslutsfattaren har redan svarat på den här leveransen."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(verdict="returned") | ~Q(comment=""),
                name="approval_return_needs_comment",
                violation_error_message=_("Återremiss kräver en kommentar."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answered_by}: {self.get_verdict_display()}"

    def clean(self) -> None:
        """The date of a decision: not in the future, and not before the delivery it answers
        was submitted (a decision cannot precede what it decides on)."""
        super().clean()
        if self.decided_on is None:
            return
        if self.decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("Beslutsdatum kan inte ligga i framtiden.")})
        submitted_on = timezone.localdate(self.delivery.submitted_at)
        if self.decided_on < submitted_on:
            raise ValidationError(
                {
                    "decided_on": _(
                        "Beslutsdatum kan inte ligga före leveransen, som lämnades in "
                        "%(submitted_on)s."
                    )
                    % {"submitted_on": submitted_on.isoformat()}
                }
            )

    @property
    def answered_by(self) -> str:
        """The decision-maker, and the stand-in when one answered for them."""
        return named_with_stand_in(self.decision_maker, self.acted_by)


def named_with_stand_in(decision_maker, acted_by) -> str:
    """ "Per Albertsson", or "Per Albertsson, genom ersättare Kim Berg" when a stand-in
    acted for the decision-maker: the record names both (docs/security.md, "The rules")."""
    if acted_by is None or acted_by == decision_maker:
        return str(decision_maker)
    return _("%(decision_maker)s, genom ersättare %(stand_in)s") % {
        "decision_maker": decision_maker,
        "stand_in": acted_by,
    }


class Decision(PublicRecord):
    """The recorded decision on a final delivery (cf. the minutes extract of seed 003)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="decision")
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="decision")
    decided_on = models.DateField(_("datum för beslut"))
    paragraph_reference = models.CharField(_("paragraf"), max_length=40, blank=True)
    decision_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    minutes_verified_by = models.CharField(_("justeras"), max_length=200, blank=True)
    extract_certified_by = models.CharField(_("rätt utdraget intygar"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self) -> str:
        return f"{self.assignment.registration_number} beslut {self.decided_on:%Y-%m-%d}"


class AuditEntry(AppendOnlyRecord):
    """One immutable line of the audit trail: who did what, when, to which object, and why."""

    occurred_at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("uppdrag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    object_type = models.CharField(_("objekttyp"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    action = models.CharField(_("händelse"), max_length=100)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)
    reason = models.TextField(_("motivering"), blank=True)
    # The hash chain (assignments/audit.py): SHA-256 of this entry's content and the previous
    # entry's hash, so a change to a stored entry, or one removed, breaks the chain after it.
    previous_hash = models.CharField(_("föregående postens kontrollsumma"), max_length=64)
    entry_hash = models.CharField(_("kontrollsumma"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["assignment", "occurred_at"], name="audit_assignment_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AbsenceQuerySet(NoDeleteQuerySet):
    def covering(self, day: dt.date):
        """The absences in force on `day`: begun, not over, not ended early."""
        return self.filter(starts__lte=day, ends__gte=day, ended_at=None)


class Absence(PublicRecord):
    """A person away from–to (frånvaro), and the stand-in (ersättare) they chose meanwhile:
    an approval task that opens or waits while they are away is handed to the stand-in
    through workflow.services.absence, under the independence rules of
    assignments.permissions (never another decision-maker of the delivery, never the
    delivering side), and the record names both; their deadline reminders go to the stand-in
    as well (reminders.deadlines).

    Here, at the base, because both the process (workflow) and the reminders read it. Its
    table keeps the name it was created with in the workflow app. Ended early, it keeps its
    from–to and says when and by whom (never deleted, never rewritten)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="absences",
    )
    starts = models.DateField(_("från"))
    ends = models.DateField(_("till"))
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ersättare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standing_in_for",
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        db_table = "workflow_absence"
        verbose_name = _("frånvaro")
        verbose_name_plural = _("frånvaro")
        ordering = ["person", "starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="absence_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.starts}–{self.ends}"
