"""The console e-mail backend of `make run` (config/mail.py): each mail as a person reads it."""

from django.core.mail import EmailMultiAlternatives

from tests.settings_probe import evaluated_under

TEXT = "Hej Jan Sträng!\n\nSammanställning ska vara klar 28 nov.\n\nÖppna: http://127.0.0.1:8000/"


def a_reminder() -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject="Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 28 nov",
        body=TEXT,
        from_email="Uppdrag <uppdrag@localhost>",
        to=["jan.strang@example.org"],
        cc=["asa.oberg@example.org"],
        headers={"Message-ID": "<reminder-7.milestone-3@localhost>"},
    )
    mail.attach_alternative("<p>Hej Jan Sträng!</p>", "text/html")
    mail.attach("deadline.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return mail


def test_make_run_prints_mails_with_the_readable_console_backend():
    backend = evaluated_under(
        {"EMAIL_URL": "consolemail://"},
        "settings.EMAIL_BACKEND",
        imports="from django.conf import settings",
    )
    assert backend == "config.mail.ConsoleEmailBackend"
    smtp = evaluated_under(
        {"EMAIL_URL": "smtp://mail.example.org:25"},
        "settings.EMAIL_BACKEND",
        imports="from django.conf import settings",
    )
    assert smtp == "django.core.mail.backends.smtp.EmailBackend"


def test_the_console_shows_recipients_subject_and_the_text_decoded(settings, capsys):
    settings.EMAIL_BACKEND = "config.mail.ConsoleEmailBackend"
    assert a_reminder().send() == 1
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert "To: jan.strang@example.org" in lines
    assert "Cc: asa.oberg@example.org" in lines
    assert "Subject: Påminnelse: Sammanställning (RS 2024-05699) ska vara klar 28 nov" in lines
    assert "Message-ID: <reminder-7.milestone-3@localhost>" in lines
    assert TEXT in printed  # the text part, as written
    assert "Attachment: deadline.ics (text/calendar)" in lines
    assert "Alternative: text/html" in lines
    assert "base64" not in printed and "=?utf-8?" not in printed
    assert printed.rstrip().endswith("-" * 79)


def test_several_mails_are_printed_one_after_the_other(settings, capsys):
    from django.core.mail import get_connection

    settings.EMAIL_BACKEND = "config.mail.ConsoleEmailBackend"
    with get_connection() as connection:
        assert connection.send_messages([a_reminder(), a_reminder()]) == 2
    printed = capsys.readouterr().out
    assert printed.count("Subject: Påminnelse") == 2
    assert printed.count("-" * 79) == 2
