"""The reminder e-mail written as bytes (reminders/mime.py), read back by the email package."""

import email
from email import policy

import pytest
from django.core import mail as django_mail

from reminders import mime

LONG_SUBJECT = (
    "Påminnelse: Hälso- och sjukvårdens organisering av verksamhetsutveckling med stöd av "
    "digitalisering – sammanställning (RS 2024-05699) ska vara klar 28 nov ✓"
)
TEXT = "Hej Jan!\n\n.en rad som börjar med punkt\nFrom en rad som börjar med From\n" + "å" * 600
HTML = "<p>Hej <strong>Jan</strong>!</p>\n<p>" + "ö" * 2000 + "</p>\n"
ICS = b"BEGIN:VCALENDAR\r\nSUMMARY:Sammanst\xc3\xa4llning\r\nEND:VCALENDAR\r\n"


def a_mail(**changes) -> mime.Mail:
    values = {
        "from_email": "Västra Götalandsregionen <uppdrag@vgregion.se>",
        "to": "jan.strang@example.org",
        "subject": LONG_SUBJECT,
        "text": TEXT,
        "html": HTML,
        "message_id": "<reminder-7.milestone-3@uppdrag.example>",
        "attachments": [
            mime.Attachment("deadline.ics", ICS, 'text/calendar; charset="utf-8"; method=PUBLISH')
        ],
        "headers": {"Auto-Submitted": "auto-generated"},
    }
    return mime.Mail(**(values | changes))


def parse(raw: bytes):
    message = email.message_from_bytes(raw, policy=policy.strict)
    assert not message.defects
    return message


def test_every_part_reads_back_as_written():
    raw = mime.render(a_mail())
    assert raw.isascii()
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    message = parse(raw)
    assert message["Subject"] == LONG_SUBJECT
    assert message["From"].addresses[0].display_name == "Västra Götalandsregionen"
    assert message["From"].addresses[0].addr_spec == "uppdrag@vgregion.se"
    assert message["To"] == "jan.strang@example.org"
    assert message["Message-ID"] == "<reminder-7.milestone-3@uppdrag.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"].datetime is not None
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n") == TEXT
    assert message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n") == HTML
    for body in ("plain", "html"):  # text in its canonical form: CRLF line ends
        payload = message.get_body(preferencelist=(body,)).get_payload(decode=True)
        assert b"\r\n" in payload and b"\n" not in payload.replace(b"\r\n", b"")
    (ics,) = list(message.iter_attachments())
    assert ics.get_filename() == "deadline.ics"
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"
    assert ics.get_payload(decode=True) == ICS
    for part in message.walk():
        for value in part.values():
            assert not getattr(value, "defects", ())


@pytest.mark.parametrize(
    "subject",
    ["Kort ämne", "Short ASCII subject", "x" * 200, "🙂" * 40, "a=?utf-8?q?x?= literal"],
)
def test_subjects_of_every_kind_read_back(subject):
    message = parse(mime.render(a_mail(subject=subject, attachments=[])))
    assert message["Subject"] == subject
    assert message.get_content_type() == "multipart/alternative"


def test_a_line_break_in_a_header_is_refused():
    with pytest.raises(ValueError, match="line break"):
        mime.render(a_mail(subject="Påminnelse\nBcc: alla@example.org"))
    with pytest.raises(ValueError):
        mime.render(a_mail(to="jan@example.org\nBcc: alla@example.org"))


def test_each_message_has_new_boundaries():
    first, second = mime.render(a_mail()), mime.render(a_mail())
    boundaries = [
        {p.get_boundary() for p in parse(raw).walk() if p.is_multipart()} for raw in (first, second)
    ]
    assert len(boundaries[0]) == 2 and not boundaries[0] & boundaries[1]


@pytest.mark.parametrize("backend", ["locmem", "console"])
def test_other_backends_get_the_same_bytes(seed004, clock, settings, capsys, backend):
    """The console (make run) and in-memory backends receive the written message."""
    from reminders.channels import EmailChannel, drop_connection
    from reminders.messages import compose
    from reminders.models import Reminder

    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    drop_connection()  # a kept connection of another backend
    reminder = Reminder.objects.filter(milestone__isnull=False, state="planned").first()
    message = compose(reminder)
    try:
        EmailChannel().deliver(reminder, message)
    finally:
        drop_connection()
    if backend == "locmem":
        (sent,) = django_mail.outbox
        assert sent.subject == message.subject and sent.to == [reminder.recipient.email]
        raw = sent.message().as_bytes()
    else:
        printed = capsys.readouterr().out.rstrip().removesuffix("-" * 79)
        raw = printed.replace("\r\n", "\n").replace("\n", "\r\n").encode()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == message.subject
    assert parsed["Message-ID"] == reminder.message_id
    assert (
        parsed.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
        == message.text
    )


@pytest.mark.parametrize(
    "value",
    [
        "jan.strang@example.org",
        "user5@example.org",
        "a+b_c-d@sub.vgregion.se",
        "x@x-y.example",
        "Jan.Strang@Example.ORG",
        "a..b@example.org",
        ".a@example.org",
        "jan@-bad.example",
        "åsa@example.org",
        "asa@exämple.org",
        "Jan Sträng <jan@example.org>",
        '"Strang, Jan" <jan@example.org>',
    ],
)
def test_addresses_are_written_as_django_writes_them(value):
    from django.core.mail.message import sanitize_address

    assert mime.address(value) == sanitize_address(value, "utf-8")
