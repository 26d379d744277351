"""Secrets that travel in a URL kept out of the logs.

A calendar program can send no header, so a person's calendar feed is read at
/kalender/<secret>.ics (workflow/views/calendar.py): the address is the credential. Every log
line that names a request (gunicorn's access log, Django's request and runserver logs) shows
it as /kalender/[dolt].ics. gunicorn takes AccessLogger from gunicorn.conf.py, which it reads
from the directory it starts in; Django's loggers take RedactSecrets from config/settings.py.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(r"(/kalender/)[^/?#\s\"']+(\.ics)")
HIDDEN = r"\1[dolt]\2"
# gunicorn's atoms that carry the request's address: the request line, the path, the referer
ADDRESS_ATOMS = ("r", "U", "f", "{raw_uri}e", "{path_info}e", "{referer}i", "{http_referer}e")


def redact(text: str) -> str:
    """The text with every calendar secret in a URL replaced by [dolt]."""
    return SECRET_IN_PATH.sub(HIDDEN, text)


class RedactSecrets(logging.Filter):
    """A logging filter that writes the record's message with its secrets redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class AccessLogger(Logger):
    """gunicorn's logger, whose access log shows no calendar secret."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ADDRESS_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms
