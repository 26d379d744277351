"""What a public body keeps about its records: the gallring rules and the decisions they rest
on, legal holds, the permanent gallringslogg, and the accessibility statement with the
assessments it cites."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    AppendOnlyRecord,
    Assignment,
    PublicRecord,
    validate_registration_number,
)


class GallringRule(PublicRecord):
    """One kind of record that may be disposed of, after how long, and the decision (a
    nämnd's dokumenthanteringsplan or gallringsbeslut) that allows it. No rule, no disposal."""

    class Kind(models.TextChoices):
        RETURNED_DELIVERY_DOCUMENTS = (
            "returned_delivery_documents",
            _("Dokument i återremitterade slutleveranser"),
        )
        WITHDRAWN_DELIVERY_DOCUMENTS = (
            "withdrawn_delivery_documents",
            _("Dokument i återtagna slutleveranser (utkast)"),
        )
        REMINDERS = "reminders", _("Skickade och avbrutna påminnelser")
        NOTIFICATIONS = "notifications", _("Notiser i appen")
        LINKED_CONTACTS = (
            "linked_contacts",
            _("Personuppgifter om kontakter som kopplats till ett konto"),
        )

    kind = models.CharField(_("typ av handling"), max_length=40, choices=Kind.choices, unique=True)
    retention_months = models.PositiveIntegerField(
        _("gallras efter (månader)"),
        help_text=_("Räknas från handlingens datum, se dokumentationen för varje typ."),
    )
    decision_reference = models.CharField(
        _("beslutets diarienummer"),
        max_length=40,
        validators=[validate_registration_number],
        help_text=_("Diarienumret för nämndens beslut, till exempel ”RS 2024-01234”."),
    )
    decision_paragraph = models.CharField(
        _("paragraf"), max_length=40, help_text=_("Beslutets paragraf, till exempel ”§ 42”.")
    )
    decision_body = models.CharField(
        _("beslutande nämnd"), max_length=200, help_text=_("Till exempel ”Regionstyrelsen”.")
    )
    decided_on = models.DateField(_("beslutsdatum"))
    is_active = models.BooleanField(_("gäller"), default=True)

    deletion_refusal = _("En gallringsregel tas inte bort; markera att den inte gäller.")

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decision})"

    @property
    def decision(self) -> str:
        """ "Regionstyrelsen RS 2024-01234 § 42"."""
        return f"{self.decision_body} {self.decision_reference} {self.decision_paragraph}".strip()

    def clean(self):
        errors = {}
        for field in ("decision_reference", "decision_paragraph", "decision_body"):
            if not (getattr(self, field) or "").strip():
                errors[field] = _("Gallring kräver ett beslut: fyll i diarienummer och paragraf.")
        if errors:
            raise ValidationError(errors)


class LegalHold(PublicRecord):
    """A hold on an assignment: while it is in force nothing of the assignment is disposed of,
    whatever the rules say (a pending request for the records, an appeal, an investigation)."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("uppdrag"),
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    reason = models.TextField(_("skäl"))
    placed_at = models.DateTimeField(_("gäller från"), default=timezone.now)
    lifted_at = models.DateTimeField(
        _("hävd"), null=True, blank=True, help_text=_("Lämna tomt så länge spärren gäller.")
    )

    deletion_refusal = _("En spärr tas inte bort; ange när den hävdes.")

    class Meta:
        verbose_name = _("gallringsspärr")
        verbose_name_plural = _("gallringsspärrar")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"{self.assignment.registration_number}: {self.reason[:60]}"

    @classmethod
    def held_assignment_ids(cls, when=None) -> set[int]:
        """The assignments under a hold in force at `when` (now)."""
        when = when or timezone.now()
        return set(
            cls.objects.filter(
                Q(lifted_at__isnull=True) | Q(lifted_at__gt=when), placed_at__lte=when
            ).values_list("assignment_id", flat=True)
        )

    def clean(self):
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Ange skälet till spärren.")})


class GallringLogEntry(AppendOnlyRecord):
    """One disposed record in the permanent gallringslogg: what went, when, by which rule and
    decision (copied, so the log stands as written if a rule is later changed)."""

    disposed_at = models.DateTimeField(_("gallrad"), default=timezone.now, db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.ForeignKey(
        GallringRule, verbose_name=_("regel"), on_delete=models.PROTECT, related_name="log"
    )
    kind = models.CharField(_("typ av handling"), max_length=40, choices=GallringRule.Kind.choices)
    decision = models.CharField(_("beslut"), max_length=300)
    retention_months = models.PositiveIntegerField(_("gallras efter (månader)"))
    object_type = models.CharField(_("objekttyp"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=64)
    description = models.CharField(_("handling"), max_length=400)
    record_date = models.DateTimeField(_("handlingens datum"))
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("uppdrag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registration_number = models.CharField(_("diarienummer"), max_length=40, blank=True)

    changed_refusal = deleted_refusal = _("Gallringsloggen kan inte ändras.")

    class Meta:
        verbose_name = _("gallringslogg")
        verbose_name_plural = _("gallringslogg")
        ordering = ["disposed_at", "id"]

    def __str__(self) -> str:
        return f"{self.disposed_at:%Y-%m-%d} {self.description}"


class AccessibilityStatement(PublicRecord):
    """The tillgänglighetsredogörelse (lag 2018:1937, DIGG's föreskrifter MDFFS 2019:2): one
    statement for the service, kept by the registrar, in Swedish and English."""

    class Compliance(models.TextChoices):
        FULL = "full", _("helt förenlig")
        PARTIAL = "partial", _("delvis förenlig")
        NONE = "none", _("inte förenlig")

    organisation = models.CharField(
        _("myndighet"), max_length=200, default="Västra Götalandsregionen"
    )
    compliance = models.CharField(
        _("förenlighet med kraven"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    standard = models.CharField(_("standard"), max_length=100, default="WCAG 2.1 nivå AA")
    shortcomings_sv = models.TextField(_("kända brister (svenska)"), blank=True)
    shortcomings_en = models.TextField(_("kända brister (engelska)"), blank=True)
    feedback_sv = models.TextField(
        _("hur man rapporterar brister (svenska)"),
        help_text=_("Hur man meddelar brister och får innehållet i tillgängligt format."),
    )
    feedback_en = models.TextField(_("hur man rapporterar brister (engelska)"))
    contact_email = models.EmailField(_("e-post för synpunkter"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    method_sv = models.TextField(_("hur tjänsten har granskats (svenska)"), blank=True)
    method_en = models.TextField(_("hur tjänsten har granskats (engelska)"), blank=True)
    published_on = models.DateField(_("redogörelsen upprättad"))
    updated_on = models.DateField(_("redogörelsen senast uppdaterad"), null=True, blank=True)

    deletion_refusal = _("Redogörelsen tas inte bort; uppdatera den.")

    class Meta:
        verbose_name = _("tillgänglighetsredogörelse")
        verbose_name_plural = _("tillgänglighetsredogörelse")

    def __str__(self) -> str:
        return str(_("Tillgänglighetsredogörelse"))


class AccessibilityAssessment(PublicRecord):
    """One run of the automated accessibility walk (axe-core over every page, WCAG 2.1 A and
    AA): when, how many pages, how many violations. The statement cites the last passing one."""

    assessed_at = models.DateTimeField(_("granskad"), default=timezone.now)
    tool = models.CharField(_("verktyg"), max_length=100)
    pages = models.PositiveIntegerField(_("sidor"))
    violations = models.PositiveIntegerField(_("avvikelser"))
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        verbose_name = _("tillgänglighetsgranskning")
        verbose_name_plural = _("tillgänglighetsgranskningar")
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.assessed_at:%Y-%m-%d} {self.tool}: {self.violations}"

    @property
    def passed(self) -> bool:
        return self.pages > 0 and self.violations == 0

    @classmethod
    def last_passing(cls) -> AccessibilityAssessment | None:
        return cls.objects.filter(pages__gt=0, violations=0).order_by("-assessed_at").first()
