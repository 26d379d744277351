"""The monthly e-mail to each commissioner: the återrapportering of the previous month
(reports/report.py) as PDF and Excel attachments, with a summary in the mail itself.

Planned as an outbox row on the 1st (services.plan_monthly_reports, beat's
"Påminnelser: månadens återrapportering"), sent by the sweep like every reminder: once per
commissioner and month (the row's unique key), in the commissioner's language, and only while
they want it (User.wants_monthly_report, on "Inställningar"). The report is built when the mail
is composed, as the commissioner may read it: the assignments they commission.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from assignments import exports
from documents import export_pdf
from reports import export_report
from reports import report as reports

from .messages import Attachment, Entry, Message
from .models import Reminder


def period_of(reminder: Reminder) -> tuple[dt.date, dt.date]:
    return (
        dt.date.fromisoformat(reminder.params["start"]),
        dt.date.fromisoformat(reminder.params["end"]),
    )


def report_url(reminder: Reminder) -> str:
    """The report page with the same choices, to read it in the app."""
    start, end = period_of(reminder)
    query = urlencode(
        {"scope": f"commissioner:{reminder.recipient_id}", "period": f"{start:%Y-%m}"}
    )
    return f"{settings.SITE_URL}{reverse('report')}?{query}"


def compose_monthly_report(reminder: Reminder) -> Message:
    """The mail with the previous month's report attached, in the recipient's language."""
    person = reminder.recipient
    language = person.language or settings.LANGUAGE_CODE
    start, end = period_of(reminder)
    with translation.override(language):
        built = reports.build(
            person, reports.Scope("commissioner", person), start, end, timezone.localdate()
        )
        month = formats.date_format(start, "F Y")
        subject = _("Uppdrag: återrapportering för %(month)s") % {"month": month}
        link = report_url(reminder)
        context = {
            "report": built,
            "month": month,
            "subject": subject,
            "link": link,
            "settings_url": settings.SITE_URL + reverse("user_settings"),
            "recipient": person,
            "language": language,
        }
        text = render_to_string("reminders/monthly_report.txt", context)
        html = render_to_string("reminders/monthly_report.html", context)
        attachments = [
            Attachment(f"{built.filename}.pdf", export_report.pdf(built), export_pdf.CONTENT_TYPE),
            Attachment(
                f"{built.filename}.xlsx", export_report.xlsx(built), exports.XLSX_CONTENT_TYPE
            ),
        ]
    entries = [Entry(reminder, subject, link, "")]
    return Message(subject, text, html, link, None, entries, attachments)
