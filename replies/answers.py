"""The answer to a reply: what was done (with the way to undo it) or why not, in the person's
language, as a reply to their mail (In-Reply-To), marked as sent by a program."""

from __future__ import annotations

from email.message import EmailMessage

from django.conf import settings
from django.core.mail import EmailMessage as DjangoMail
from django.utils import translation
from django.utils.translation import gettext as _

from assignments.links import process_url
from assignments.models import Milestone

from .models import InboundReply


def milestone_name(milestone: Milestone) -> str:
    what = (
        milestone.title
        if milestone.kind == Milestone.Kind.OTHER
        else (f"{milestone.get_kind_display()} – {milestone.title}")
    )
    return f"”{what}” ({milestone.assignment.registration_number})"


def compose(row: InboundReply) -> tuple[str, str]:
    language = (row.person.language if row.person else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        done = row.outcome == InboundReply.Outcome.APPLIED
        partly = row.outcome == InboundReply.Outcome.PARTLY
        if done:
            subject = _("Uppdrag: ditt svar är utfört")
        elif partly:
            subject = _("Uppdrag: ditt svar är delvis utfört")
        else:
            subject = _("Uppdrag: ditt svar kunde inte utföras")
        lines = [_("Hej!"), ""]
        lines.append(
            _("Det här gjordes med ditt svar via e-post:")
            if done or partly
            else _("Ditt svar via e-post ändrade ingenting:")
        )
        lines += [f"- {line}" for line in row.report.splitlines()]
        if row.person is not None:
            links = [process_url(m.assignment_id, m.pk) for m in row.milestones.all()]
            if links and (done or partly):
                lines += ["", _("Blev det fel? Ångra eller ändra det i Uppdrag:")]
            elif links:
                lines += ["", _("Gör det i Uppdrag i stället:")]
            lines += list(dict.fromkeys(links))
        lines += [
            "",
            "-- ",
            _("Det här meddelandet skickades av Uppdrag."),
            _("Beslut fattas aldrig via e-post: öppna beslutssidan i Uppdrag."),
        ]
        return subject, "\n".join(lines)


def send_answer(row: InboundReply, original: EmailMessage) -> None:
    subject, body = compose(row)
    headers = {
        "Auto-Submitted": "auto-replied",  # RFC 3834: no responder answers it back
        "Message-ID": f"<reply-answer-{row.pk}@{settings.MESSAGE_ID_DOMAIN}>",
    }
    if row.message_id.startswith("<"):
        headers["In-Reply-To"] = row.message_id
        headers["References"] = row.message_id
    DjangoMail(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.answer_to],
        headers=headers,
    ).send()
