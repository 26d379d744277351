"""The reminder policy and the reminder outbox.

A reminder is a row before it is a message (healthchecks' way): the sweep claims
due rows atomically, a worker sends each once. The unique constraint on (subject, kind,
recipient, due-date version, sequence) is what makes "exactly once per recipient" hold even
when planning runs twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, Delivery, Milestone, PublicRecord

DELIVERY_SUBJECT = "delivery"


def default_lead_days() -> list[int]:
    return [10, 3]


class ReminderPolicy(models.Model):
    """When reminders go out, per milestone kind and for the final delivery (docs/glossary.md)."""

    SUBJECT_CHOICES = [*Milestone.Kind.choices, (DELIVERY_SUBJECT, _("Slutleverans"))]

    subject = models.CharField(_("gäller"), max_length=30, choices=SUBJECT_CHOICES, unique=True)
    lead_working_days = models.JSONField(
        _("påminn antal arbetsdagar före"),
        default=default_lead_days,
        help_text=_("En lista, till exempel [10, 3]."),
    )
    remind_on_due_day = models.BooleanField(_("påminn på slutdagen"), default=True)
    remind_overdue = models.BooleanField(_("påminn när det är försenat"), default=True)
    overdue_repeat_days = models.PositiveSmallIntegerField(
        _("upprepa försenat-påminnelsen var n:e dag"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("Kalenderdagar; hamnar den på en helgdag skickas den nästa arbetsdag."),
    )
    escalate_after_working_days = models.PositiveSmallIntegerField(
        _("eskalera efter antal arbetsdagars försening"),
        default=5,
        help_text=_("0 betyder ingen eskalering."),
    )
    decision_wait_working_days = models.PositiveSmallIntegerField(
        _("påminn beslutsfattare efter antal arbetsdagar"), default=3
    )
    send_hour = models.PositiveSmallIntegerField(
        _("skickas klockan"),
        default=8,
        validators=[MaxValueValidator(23)],
        help_text=_("Timme, 0–23, svensk tid."),
    )

    class Meta:
        verbose_name = _("påminnelseregel")
        verbose_name_plural = _("påminnelseregler")
        ordering = ["subject"]
        constraints = [
            # The database refuses what the form refuses, so no other way in (a shell, a
            # fixture) can store an hour that breaks the planning of every milestone.
            models.CheckConstraint(
                condition=Q(send_hour__lte=23), name="reminder_policy_send_hour_0_23"
            ),
            models.CheckConstraint(
                condition=Q(overdue_repeat_days__gte=1),
                name="reminder_policy_overdue_repeat_at_least_1",
            ),
        ]

    def __str__(self) -> str:
        return str(dict(self.SUBJECT_CHOICES).get(self.subject, self.subject))

    def clean(self):
        from django.core.exceptions import ValidationError

        days = self.lead_working_days
        if not isinstance(days, list) or not all(isinstance(d, int) and d > 0 for d in days):
            raise ValidationError(
                {"lead_working_days": _("Ange en lista med positiva heltal, till exempel [10, 3].")}
            )

    @classmethod
    def for_subject(cls, subject: str) -> ReminderPolicy:
        """The stored policy, or the defaults of docs/glossary.md when none is stored."""
        return cls.objects.filter(subject=subject).first() or cls(subject=subject)


class WatchDate(PublicRecord):
    """A bevakning: one person's own "påminn mig" on an assignment or one of its milestones, a
    day and a note. It is that person's alone (nobody else is shown it, nor its audit entry on
    the assignment's trail) and it goes out as a reminder of theirs (reminders.watch_dates).
    Removing one cancels it; like every record it is never deleted."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="watch_dates",
        db_index=False,  # the partial index below starts with person
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("uppdrag"),
        on_delete=models.PROTECT,
        related_name="watch_dates",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milstolpe"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watch_dates",
        db_index=False,  # looked up through its assignment, never on its own
    )
    day = models.DateField(_("påminn mig"))
    note = models.TextField(_("anteckning"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("borttagen"), null=True, blank=True)

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        ordering = ["day", "pk"]
        indexes = [
            # the start page and the calendar feed read a person's open ones, by day
            models.Index(
                fields=["person", "day"],
                condition=Q(cancelled_at__isnull=True),
                name="watch_date_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.day}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Reminder(models.Model):
    """One reminder to one person about one deadline: the outbox row."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Före slutdatum")
        DUE_DAY = "due_day", _("På slutdagen")
        OVERDUE = "overdue", _("Försenad")
        ESCALATION = "escalation", _("Eskalering")
        DECISION_WAITING = "decision_waiting", _("Väntar på beslut")
        DIGEST = "digest", _("Daglig sammanfattning")
        # The previous month's återrapportering, to each commissioner (reminders.monthly_report)
        MONTHLY_REPORT = "monthly_report", _("Månadens återrapportering")
        # The moments of the process a person is told about at once (reminders.events): the
        # outbox carries their e-mail, each kind can be turned off (NotificationPreference).
        ADOPTION_WAITING = "adoption_waiting", _("Väntar på fastställelse")
        ADOPTED = "adopted", _("Fastställt, arbetet kan börja")
        TASK_DELEGATED = "task_delegated", _("Uppgift lämnad till dig")
        DECISION_REQUESTED = "decision_requested", _("Väntar på ditt beslut")
        DELIVERY_RETURNED = "delivery_returned", _("Slutleveransen återremitterad")
        DECIDED = "decided", _("Uppdraget beslutat")
        # A person's own "påminn mig" on an assignment or a milestone (WatchDate)
        WATCH_DATE = "watch_date", _("Bevakning")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickad")
        FAILED = "failed", _("Misslyckades")
        CANCELLED = "cancelled", _("Avbruten")

    subject_key = models.CharField(_("gäller"), max_length=64)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    # Every row is looked up by subject_key (the unique constraint's index) and the sweep
    # by its partial indexes; nothing is ever deleted, so no foreign key needs an index of
    # its own for PROTECT either. Each index more is one more entry written by every claim
    # and every send, since both change `state` (measured: the claim of 1,000 rows took
    # 54 ms with nine indexes and 41 ms with five).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottagare"),
        on_delete=models.PROTECT,
        related_name="reminders",
        db_index=False,
    )
    due_version = models.CharField(_("planerad för datum"), max_length=32)
    # How many times the deadline's due date had moved when this row was planned: the .ics
    # SEQUENCE, which must rise with every move, back to an earlier date too (RFC 5545).
    due_revision = models.PositiveIntegerField(
        _("flyttningar av slutdatum"), default=0, editable=False
    )
    sequence = models.PositiveSmallIntegerField(_("nummer"), default=0)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
        db_index=False,
    )
    delivery = models.ForeignKey(
        Delivery,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
        db_index=False,
    )
    watch_date = models.ForeignKey(
        WatchDate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
        db_index=False,
    )
    due_date = models.DateField(_("slutdatum"), null=True, blank=True)
    planned_at = models.DateTimeField(_("skickas"))
    state = models.CharField(_("läge"), max_length=20, choices=State.choices, default=State.PLANNED)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    # The mail this row goes out in: the token of the claim that first took it. The rows of
    # one recipient with the same bundle are one mail, on every attempt, so a resend after a
    # crash is the mail that was sent before, not one with rows added (see dispatch.py).
    bundle = models.UUIDField(_("utskick"), null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    in_app_at = models.DateTimeField(_("visad i appen"), null=True, blank=True)
    # What an event's message says besides its assignment (reminders.events): kept as keys and
    # values, so that it is written in the recipient's language when it is sent.
    params = models.JSONField(_("uppgifter"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["planned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key", "kind", "recipient", "due_version", "sequence"],
                name="reminder_once_per_recipient_and_version",
            )
        ]
        indexes = [
            # The sweep reads only what is due: this index holds planned rows only, so its
            # size follows what is waiting, not the history of sent reminders.
            models.Index(
                fields=["planned_at"], condition=Q(state="planned"), name="reminder_due_idx"
            ),
            models.Index(
                fields=["lease_until"], condition=Q(state="sending"), name="reminder_lease_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_key} → {self.recipient}"

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def message_id(self) -> str:
        """Stable per row, so a resend is recognisable as the same message."""
        subject = self.subject_key.replace(":", "-")
        return f"<reminder-{self.pk}.{subject}@{settings.MESSAGE_ID_DOMAIN}>"


def message_id_of(reminders: Sequence[Reminder]) -> str:
    """The Message-ID of one mail for these reminders: the same rows always give the same id,
    other rows another one. A single reminder keeps its row's own id; a bundle's names its
    lowest row and a digest of all of them, so a resend carries the id of the mail it repeats
    and a mail with a row more or less is never taken for it (and dropped as a duplicate)."""
    if len(reminders) == 1:
        return reminders[0].message_id
    pks = sorted(reminder.pk for reminder in reminders)
    digest = hashlib.sha256(",".join(map(str, pks)).encode()).hexdigest()[:16]
    return f"<reminders-{pks[0]}.{len(pks)}.{digest}@{settings.MESSAGE_ID_DOMAIN}>"


# The kinds that are an e-mail only: a summary, never an entry of the notification centre (the
# app's start page and report page already show what they hold).
EMAIL_ONLY_KINDS = frozenset({Reminder.Kind.DIGEST, Reminder.Kind.MONTHLY_REPORT})


# The kinds of event a person is told about, in the order of the process; each can be turned
# off, in the app and by e-mail, by the person (NotificationPreference). Reminders of one's own
# deadlines and escalations are not among them: they cannot be turned off.
EVENT_KINDS = (
    Reminder.Kind.ADOPTION_WAITING,
    Reminder.Kind.ADOPTED,
    Reminder.Kind.TASK_DELEGATED,
    Reminder.Kind.DECISION_REQUESTED,
    Reminder.Kind.DELIVERY_RETURNED,
    Reminder.Kind.DECIDED,
)


class NotificationPreference(models.Model):
    """One person's choice for one kind of event: told in the app, by e-mail, both or neither.
    No row means both (the default)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="notification_preferences",
        db_index=False,  # the unique constraint's index starts with person
    )
    event = models.CharField(
        _("händelse"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in EVENT_KINDS],
    )
    in_app = models.BooleanField(_("i appen"), default=True)
    by_email = models.BooleanField(_("via e-post"), default=True)

    class Meta:
        verbose_name = _("val för notiser")
        verbose_name_plural = _("val för notiser")
        ordering = ["person", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event"], name="notification_preference_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_event_display()}"
