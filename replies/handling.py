"""One reply, from its bytes to its effect: checked (token, sender, automatic replies), applied
through the workflow's services with their permission rules, remembered by its Message-ID, and
answered with what was done or why not.

`handle` commits the reply's row with what it did in one transaction, and only then sends the
answer: a mail handled twice (the worker died before it was moved out of the inbox) finds its
row and changes nothing, and its answer is sent if it was not yet.
"""

from __future__ import annotations

import email
import hashlib
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import Milestone, User
from reminders import reply_address
from workflow import services

from . import answers, parsing
from .models import InboundReply

VIA = "e-post"
_ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")


@dataclass
class Verdict:
    outcome: str
    lines: list[str] = field(default_factory=list)
    person: User | None = None
    milestones: list[Milestone] = field(default_factory=list)
    answer_to: str = ""
    language: str = ""


def message_id_of(mail: EmailMessage, raw: bytes) -> str:
    """The mail's Message-ID, or one made of its bytes when it has none."""
    found = (mail.get("Message-ID") or "").strip()
    return found[:255] if found else f"<sha256-{hashlib.sha256(raw).hexdigest()}@uppdrag>"


def handle(raw: bytes, on_committed=None) -> InboundReply:
    """Handle one mail; returns its row (the earlier one when it was handled before).
    `on_committed()` runs right after the commit, before the answer is sent."""
    mail = email.message_from_bytes(raw, policy=policy.default)
    message_id = message_id_of(mail, raw)
    row = InboundReply.objects.filter(message_id=message_id).first()
    if row is None:
        try:
            with transaction.atomic():
                # The row first: a second worker with the same mail waits on its unique key here
                # and then fails, so the same reply is never applied twice.
                row = InboundReply.objects.create(
                    message_id=message_id,
                    sender=parseaddr(mail.get("From") or "")[1][:320],
                    subject=(mail.get("Subject") or "")[:500],
                    outcome=InboundReply.Outcome.REFUSED,
                )
                verdict = _judge_and_apply(mail, row)
                row.outcome = verdict.outcome
                row.person = verdict.person
                row.report = "\n".join(verdict.lines)
                row.answer_to = verdict.answer_to
                row.save()
                row.milestones.set(verdict.milestones)
        except IntegrityError:
            row = InboundReply.objects.get(message_id=message_id)
    if on_committed:
        on_committed()
    if row.answer_to and row.answered_at is None:
        answers.send_answer(row, mail)
        InboundReply.objects.filter(pk=row.pk).update(answered_at=timezone.now())
    return row


def _token(mail: EmailMessage) -> str | None:
    for header in _ADDRESS_HEADERS:
        for _name, address in getaddresses(mail.get_all(header) or []):
            token = reply_address.token_of(address)
            if token:
                return token
    return None


def _refused(text: str, to: str, language: str = "", person=None) -> Verdict:
    return Verdict(
        InboundReply.Outcome.REFUSED, [text], person=person, answer_to=to, language=language
    )


def _judge_and_apply(mail: EmailMessage, row: InboundReply) -> Verdict:
    if parsing.is_automatic(mail):
        return Verdict(InboundReply.Outcome.AUTOMATIC)  # never answered: no mail loops
    sender = row.sender.lower()
    row.text = parsing.answer_of(parsing.plain_text(mail))
    token = _token(mail)
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        if token is None:
            return _refused(_("Svaret kunde inte kopplas till någon påminnelse."), sender)
        try:
            found = reply_address.read_token(token)
        except reply_address.BadToken as error:
            if error.expired:
                return _refused(
                    _("Påminnelsen är för gammal för att svara på. Uppdatera i Uppdrag."), sender
                )
            return _refused(_("Svarsadressen är inte giltig. Inget har ändrats."), sender)
    person = User.objects.filter(pk=found.recipient_id, is_active=True).first()
    language = (person.language if person else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        if person is None or sender != (person.email or "").lower():
            # Forwarded, forged, or sent from another address: only the recipient answers.
            return _refused(
                _(
                    "Svaret kom från en annan adress än den påminnelsen skickades till. "
                    "Inget har ändrats."
                ),
                sender,
                language,
            )
        if "dmarc=fail" in (mail.get("Authentication-Results") or "").lower():
            return _refused(
                _("Avsändaren kunde inte bekräftas. Inget har ändrats."), sender, language
            )
        if not person.answers_by_mail:
            return _refused(
                _("Du har stängt av svar via e-post under Inställningar. Inget har ändrats."),
                sender,
                language,
                person,
            )
        return _apply(person, found, row.text, sender, language)


def _apply(person: User, found, text: str, sender: str, language: str) -> Verdict:
    verdict = Verdict(
        InboundReply.Outcome.APPLIED, person=person, answer_to=sender, language=language
    )
    commands = parsing.commands_of(text, len(found.milestone_ids))
    if not commands:
        return _refused(_("Svaret var tomt. Inget har ändrats."), sender, language, person)
    done = failed = 0
    for command in commands:
        milestone = _milestone(found, command)
        if milestone is None:
            verdict.lines.append(
                _("”%(text)s”: ange numret på milstolpen i mejlet, till exempel ”2 klar”.")
                % {"text": _first_line(command.text)}
            )
            failed += 1
            continue
        verdict.milestones.append(milestone)
        try:
            verdict.lines.append(_do(command, milestone, person))
            done += 1
        except (PermissionDenied, ValidationError) as error:
            failed += 1
            verdict.lines.append(_why_not(command, milestone, error, person))
    if failed:
        verdict.outcome = InboundReply.Outcome.PARTLY if done else InboundReply.Outcome.REFUSED
    return verdict


def _milestone(found, command: parsing.Command) -> Milestone | None:
    number = command.number if command.number is not None else None
    if number is None:
        return None
    pk = found.milestone_for(number)
    if pk is None:
        return None
    return Milestone.objects.select_related("assignment").filter(pk=pk).first()


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:80]


def _do(command: parsing.Command, milestone: Milestone, person: User) -> str:
    """Carry the command out through the services, or raise their refusal."""
    name = answers.milestone_name(milestone)
    if command.action in (parsing.DONE, parsing.STARTED):
        status = (
            Milestone.Status.DONE
            if command.action == parsing.DONE
            else (Milestone.Status.IN_PROGRESS)
        )
        comment = command.text if command.date or "\n" in command.text else ""
        services.change_milestone_status(
            milestone=milestone, actor=person, to_status=status, comment=comment, via=VIA
        )
        return _("%(name)s är nu ”%(status)s”.") % {"name": name, "status": status.label}
    if command.action == parsing.MOVE:
        if command.unreadable_date:
            raise ValidationError(_("Datumet gick inte att läsa; skriv det som 2027-01-15."))
        services.move_milestone_due(
            milestone=milestone,
            actor=person,
            new_due=command.date,
            reason=command.reason,
            via=VIA,
        )
        return _("%(name)s ska nu vara klar %(date)s (skäl: %(reason)s).") % {
            "name": name,
            "date": command.date.isoformat(),
            "reason": command.reason,
        }
    services.comment_on_milestone(milestone=milestone, actor=person, comment=command.text, via=VIA)
    return _("Din kommentar är sparad på %(name)s.") % {"name": name}


def _why_not(command, milestone: Milestone, error, person: User) -> str:
    """Why the command could not be done; its text is kept as a comment when the person may
    comment, so the assignee sees it."""
    reason = " ".join(_messages(error))
    line = _("%(name)s: kunde inte utföras – %(reason)s") % {
        "name": answers.milestone_name(milestone),
        "reason": reason,
    }
    if command.action != parsing.COMMENT:
        try:
            services.comment_on_milestone(
                milestone=milestone, actor=person, comment=command.text, via=VIA
            )
            line += " " + _("Din text är sparad som en kommentar.")
        except (PermissionDenied, ValidationError):
            pass
    return line


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]
