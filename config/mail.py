"""The console e-mail backend of `make run`: each mail as a person reads it.

Django's console backend prints the MIME message, where Swedish text is base64. This one prints
the sender, the recipients, the subject and the headers we set, names the other parts (the
HTML alternative, the .ics) and then the text part as written. settings.py selects it for
EMAIL_URL=consolemail:// (the default).
"""

from django.core.mail.backends import console


class ConsoleEmailBackend(console.EmailBackend):
    def write_message(self, message):
        lines = [f"From: {message.from_email}"]
        for name, addresses in (("To", message.to), ("Cc", message.cc), ("Bcc", message.bcc)):
            if addresses:
                lines.append(f"{name}: {', '.join(addresses)}")
        lines.append(f"Subject: {message.subject}")
        lines += [f"{name}: {value}" for name, value in message.extra_headers.items()]
        for alternative in getattr(message, "alternatives", []):
            lines.append(f"Alternative: {alternative.mimetype}")
        for attachment in message.attachments:
            if isinstance(attachment, tuple):
                filename, mimetype = attachment.filename, attachment.mimetype
            else:  # a MIME part of its own
                filename, mimetype = attachment.get_filename(), attachment.get_content_type()
            lines.append(f"Attachment: {filename} ({mimetype})")
        self.stream.write("\n".join([*lines, "", message.body.rstrip("\n"), "-" * 79, ""]))
