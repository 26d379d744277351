"""The sentences of what a person does with their own account, settings and reminders (a
password, an e-mail address, tokens, calendar feeds, notice choices, watch dates) and of the
outbox's rows; registered in SENTENCES as sentences.py's are (history/__init__.py imports this
module for that)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .sentences import _after, _before, sentence
from .values import as_date, date_text, model_of, object_name


@sentence("admin.password_changed")
def _password_changed(entry, lookup, words):
    return _("%(actor)s bytte lösenord för %(object)s") % {**words, "object": object_name(entry)}


@sentence("person.email_changed")
def _email_changed(entry, lookup, words):
    return _(
        "%(actor)s ändrade e-postadressen för %(object)s från %(old)s till %(new)s; den gamla "
        "adressen fick besked, inloggningarna och API-nycklarna upphörde"
    ) % {
        **words,
        "object": object_name(entry),
        "old": _before(entry, "email") or "–",
        "new": _after(entry, "email") or "–",
    }


@sentence("settings_changed")
def _settings_changed(entry, lookup, words):
    return _("%(actor)s ändrade sina inställningar") % words


@sentence("person.created_by_sign_in")
def _created_by_sign_in(entry, lookup, words):
    return _("%(actor)s loggade in med regionens konto första gången och fick ett konto") % words


@sentence("person.linked_by_sign_in")
def _linked_by_sign_in(entry, lookup, words):
    return _("%(actor)s loggade in med regionens konto, som kopplades till kontot") % words


@sentence("api_token.created")
def _api_token_created(entry, lookup, words):
    return _("%(actor)s skapade API-nyckeln ”%(object)s”") % {**words, "object": object_name(entry)}


@sentence("api_token.revoked")
def _api_token_revoked(entry, lookup, words):
    return _("%(actor)s återkallade API-nyckeln ”%(object)s”") % {
        **words,
        "object": object_name(entry),
    }


@sentence("calendar_feed.created")
def _calendar_feed_created(entry, lookup, words):
    return _("%(actor)s skapade en adress för att prenumerera på sin kalender") % words


@sentence("calendar_feed.renewed")
def _calendar_feed_renewed(entry, lookup, words):
    return _("%(actor)s förnyade adressen till sin kalender; den gamla slutade fungera") % words


@sentence("notifications.choice_changed")
def _notification_choice_changed(entry, lookup, words):
    """A person's choice of how they are told about one kind of event (reminders'
    NotificationPreference, found by its label: the registry does not import reminders)."""
    model = model_of("reminders.NotificationPreference")
    event = _after(entry, "event", "")
    if model is not None:
        event = str(dict(model._meta.get_field("event").flatchoices).get(event, event))
    return _("%(actor)s ändrade sina val för notiser: %(event)s") % {**words, "event": event}


def _reminder(entry, lookup) -> dict:
    reminder = lookup.get(model_of("reminders.Reminder"), entry.object_id)
    if reminder is None:
        return {"kind": "", "recipient": _("(okänd)")}
    return {"kind": reminder.get_kind_display(), "recipient": str(reminder.recipient)}


@sentence("reminder.retried")
def _reminder_retried(entry, lookup, words):
    return _("%(actor)s lät påminnelsen ”%(kind)s” till %(recipient)s skickas igen") % {
        **words,
        **_reminder(entry, lookup),
    }


@sentence("reminder.cancelled")
def _reminder_cancelled(entry, lookup, words):
    return _("%(actor)s avbröt påminnelsen ”%(kind)s” till %(recipient)s") % {
        **words,
        **_reminder(entry, lookup),
    }


@sentence("watch_date.set")
def _watch_date_set(entry, lookup, words):
    day = as_date(_after(entry, "day"))
    if day is None:
        return _("%(actor)s satte en bevakning (påminn mig)") % words
    return _("%(actor)s satte en bevakning (påminn mig) till %(day)s") % {
        **words,
        "day": date_text(day),
    }


@sentence("watch_date.cancelled")
def _watch_date_cancelled(entry, lookup, words):
    return _("%(actor)s tog bort en bevakning (påminn mig)") % words
