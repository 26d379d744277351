"""People named by a written name: an account picked by name, or a contact (a person without a
login, docs/glossary.md) created for a name that matches no account, kept as written. The
importer (importer/drafts.py) and "Nytt uppdrag" both go through here. A contact can later be
linked to an account: its places in the record move to the account, the contact stays as an
inactive person (people are never deleted)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assignments import audit
from assignments.models import (
    Approval,
    Assignment,
    Distribution,
    Milestone,
    User,
    WorkingGroupMember,
)

# "Anders Kullbratt (anders.kullbratt)": how the people list offers an account, so two people
# of the same name are told apart.
PICKED = re.compile(r"^(?P<name>.*?)\s*\((?P<username>[\w.@+-]+)\)\s*$")


def person_label(person: User) -> str:
    """How the people list (and a prefilled field) writes an account."""
    name = person.get_full_name() or person.username
    return f"{name} ({person.username})"


def is_contact(person: User) -> bool:
    """A person without a login: no usable password and no e-mail address."""
    return not person.has_usable_password() and not person.email


def contacts_q(prefix: str = "") -> Q:
    """is_contact as a filter, on the person at `prefix` ("commissioners__"): Django writes an
    unusable password with a leading UNUSABLE_PASSWORD_PREFIX."""
    return Q(**{f"{prefix}password__startswith": UNUSABLE_PASSWORD_PREFIX, f"{prefix}email": ""})


def unreachable_q(prefix: str = "") -> Q:
    """People nobody can tell anything: contacts (contacts_q) and inactive accounts."""
    return contacts_q(prefix) | Q(**{f"{prefix}is_active": False})


def new_contact(name: str) -> User:
    """A person without a login, named as written (not audited here: callers record it)."""
    name = " ".join(name.split())
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = ".".join(slugify(part) for part in plain.split() if slugify(part))[:140] or "person"
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}.{number}"
    first, _space, last = name.rpartition(" ")
    person = User(username=username, first_name=(first or last)[:150], last_name=last[:150])
    if not first:
        person.last_name = ""
    person.set_unusable_password()
    person.save()
    return person


def account_named(text: str) -> User | None:
    """The person a field names: "Name (username)" as the list offers it, or a full name that
    exactly one active person has (case aside). None when nobody or several match."""
    text = " ".join((text or "").split())
    picked = PICKED.match(text)
    if picked:
        person = User.objects.filter(username=picked["username"]).first()
        if person is not None:
            return person
        text = picked["name"]
    if not text:
        return None
    found = list(
        User.objects.annotate(full=Lower(Concat("first_name", Value(" "), "last_name"))).filter(
            full=text.lower(), is_active=True
        )[:2]
    )
    return found[0] if len(found) == 1 else None


class PeopleByName:
    """Resolves the names of one registration: the same written name is one person, a new
    contact is created (and audited) once."""

    def __init__(self, actor):
        self.actor = actor
        self.seen: dict[str, User] = {}
        self.created: list[User] = []

    def __call__(self, text: str) -> User:
        key = " ".join(text.split()).lower()
        if key not in self.seen:
            person = account_named(text)
            if person is None:
                picked = PICKED.match(text.strip())
                person = new_contact(picked["name"] if picked else text)
                audit.record(
                    actor=self.actor,
                    action="contact.created",
                    obj=person,
                    after=audit.full_snapshot(person),
                )
                self.created.append(person)
            self.seen[key] = person
        return self.seen[key]


def link_contact(*, contact: User, account: User, actor) -> int:
    """Link a contact to the account of the same person: every place the record names the
    contact now names the account, and the contact is made inactive. Returns how many places
    moved. A row that would name the account twice (it is in the working group already) keeps
    the account's own row."""
    if contact.pk == account.pk:
        raise ValidationError(_("Välj ett annat konto än kontakten själv."))
    if not is_contact(contact):
        raise ValidationError(
            _("”%(name)s” har ett konto och är ingen kontakt.") % {"name": contact}
        )
    if Approval.objects.filter(decision_maker=contact).exists():
        # an answer is the record of an act by whoever held the account; a contact never acted
        raise ValidationError(_("Kontakten står som beslutsfattare i ett registrerat svar."))
    if Assignment.objects.filter(
        decision_makers=contact, state=Assignment.State.DELIVERED
    ).exists():
        # its approval task, open in the process, names the contact: moving only the record
        # would leave a task nobody can answer. Who decides is changed through the process.
        raise ValidationError(
            _("Kontakten är beslutsfattare för en slutleverans som väntar på beslut.")
        )
    # assignment → the places of it that now name the account, for its own audit entry (which
    # also replans its reminders: the contact's go to the account)
    places: dict[int, list[str]] = defaultdict(list)
    with transaction.atomic():
        for field in ("commissioners", "decision_makers"):
            for assignment in Assignment.objects.filter(**{field: contact}):
                getattr(assignment, field).remove(contact)
                getattr(assignment, field).add(account)
                places[assignment.pk].append(field)
        for field in ("assignee", "project_lead"):
            rows = Assignment.objects.filter(**{field: contact})
            for pk in rows.values_list("pk", flat=True):
                places[pk].append(field)
            rows.update(**{field: account})
        milestones = Milestone.objects.filter(responsible=contact)
        for pk, assignment_id in milestones.values_list("pk", "assignment_id"):
            places[assignment_id].append(f"milestone:{pk}")
        milestones.update(responsible=account)
        for member in WorkingGroupMember.objects.filter(person=contact):
            if WorkingGroupMember.objects.filter(
                assignment=member.assignment_id, person=account
            ).exists():
                member.is_active = False
            else:
                member.person = account
            member.save()
            places[member.assignment_id].append("working_group")
        for row in Distribution.objects.filter(person=contact):
            if not Distribution.objects.filter(
                assignment=row.assignment_id, person=account, purpose=row.purpose
            ).exists():
                row.person = account
                row.save()
                places[row.assignment_id].append(f"distribution:{row.purpose}")
        contact.is_active = False
        contact.save(update_fields=["is_active"])
        moved = sum(len(names) for names in places.values())
        for assignment in Assignment.objects.filter(pk__in=list(places)).order_by("pk"):
            audit.record(
                actor=actor,
                action="contact.linked",
                obj=contact,
                assignment=assignment,
                before={"person": contact.pk},
                after={"person": account.pk, "places": places[assignment.pk]},
                reason=str(account),
            )
        audit.record(
            actor=actor,
            action="contact.linked",
            obj=contact,
            before={"is_active": True},
            after={"is_active": False, "account": account.pk, "places": moved},
            reason=str(account),
        )
    return moved
