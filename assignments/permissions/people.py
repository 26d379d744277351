"""People and identity: who may manage an account, change the ways into it (e-mail, user
name, employee id, password), and what the Registrator group holds in Django's tables."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q

from ..models import User
from .roles import OPEN_TASK_STATUSES, REGIONAL_DIRECTOR_GROUP, REGISTRAR_GROUP, is_registrar

# -- the admin: people and the Registrator group ------------------------------------------------


def may_manage_person(user, person) -> bool:
    """A registrar corrects people's registry data; an account with admin access (staff or
    superuser) is a superuser's to manage, since its e-mail address is the way into it."""
    if getattr(user, "is_superuser", False) or person is None:
        return True
    return person.pk == user.pk or not (person.is_staff or person.is_superuser)


# An account that holds authority over the record (it decides, commissions, stands in or
# administers): its e-mail address, user name, employee id and password are a superuser's to
# change (may_change_identity). One relation a line; a stand-in holds an open approval task that
# records them as the stand-in its decision-maker chose (may_hand_to).
AUTHORITY = (
    Q(is_superuser=True),
    Q(is_staff=True),
    Q(groups__name__in=(REGISTRAR_GROUP, REGIONAL_DIRECTOR_GROUP)),
    Q(commissioned_assignments__isnull=False),
    Q(deciding_assignments__isnull=False),
    Q(task__status__in=OPEN_TASK_STATUSES, task__data__has_key="stand_in"),
)


def holds_authority(person) -> bool:
    """Whether the account decides, commissions, stands in or administers (AUTHORITY), as
    stored: one query, remembered on the instance."""
    if person is None or person.pk is None:
        return False
    cache = getattr(person, "_uppdrag_holds_authority", None)
    if cache is None:
        cache = User.objects.filter(pk=person.pk).filter(reduce(operator.or_, AUTHORITY)).exists()
        person._uppdrag_holds_authority = cache
    return cache


def may_change_identity(user, person) -> bool:
    """Identity belongs to its person (docs/security.md): e-mail address, user name, employee id and
    password are the ways into an account, and "Glömt lösenordet?" sends a new password to
    whatever address the account has. So a superuser changes anyone's, a person their own
    (their password, single sign-on linking their employee id), a registrar only those of a
    person who holds no authority (holds_authority). The one rule for every path that saves
    them (people.identity)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or person is None or person.pk == user.pk:
        return True
    return is_registrar(user) and may_manage_person(user, person) and not holds_authority(person)


def may_set_password(user, person) -> bool:
    """A password is identity (may_change_identity), and more: nobody but its person and a
    superuser sets one, so that nobody else ever knows it."""
    if not may_change_identity(user, person):
        return False
    return bool(getattr(user, "is_superuser", False)) or person.pk == user.pk


def may_change_identity_fields(user, person, names) -> bool:
    """Whether the user may change these of the person's identity fields (identity.
    IDENTITY_FIELDS): the password by may_set_password, the others by may_change_identity."""
    names = set(names)
    if "password" in names and not may_set_password(user, person):
        return False
    return not names - {"password"} or may_change_identity(user, person)


# What the Registrator group holds in Django's permission tables, which the admin reads: the
# registry to read, add and change; the process's records to read only (they change through
# the services). Nothing is deleted. The admin classes enforce the same on their own.
REGISTRAR_PERMISSIONS = {
    "assignments": {
        **dict.fromkeys(
            (
                "assignment",
                "assignmentitem",
                "workinggroupmember",
                "assignmentrelation",
                "distribution",
                "milestone",
                "orgunit",
                "user",
                "group",
            ),
            ("view", "add", "change"),
        ),
        "decision": ("view", "change"),  # the minutes-extract fields, filled in once
        **dict.fromkeys(("delivery", "approval", "milestoneupdate", "auditentry"), ("view",)),
        # set for someone who cannot (workflow/admin.py, through set_absence), never edited
        "absence": ("view", "add"),
    },
    "reminders": {"reminder": ("view",), "reminderpolicy": ("view",)},
    # gallring rules, holds and the accessibility statement are the registrar's to keep; the
    # gallringslogg and the assessments are only read
    "records": {
        **dict.fromkeys(
            ("gallringrule", "legalhold", "accessibilitystatement"), ("view", "add", "change")
        ),
        **dict.fromkeys(("gallringlogentry", "accessibilityassessment"), ("view",)),
    },
}


def registrar_permissions():
    """The Permission rows of REGISTRAR_PERMISSIONS."""
    from django.contrib.auth.models import Permission

    wanted = Q(pk__in=[])
    for app_label, models in REGISTRAR_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    return Permission.objects.filter(wanted)


# -- absence (frånvaro) ---------------------------------------------------------------------


def may_set_absence(user, person) -> bool:
    """A person sets and ends their own absence; a registrar may do it for someone who cannot
    (the admin), as the registry's record of who is away."""
    if not getattr(user, "is_authenticated", False) or person is None:
        return False
    return person.pk == user.pk or is_registrar(user) or bool(user.is_superuser)


def stand_in_candidates(person):
    """Whom a person may name as their stand-in (ersättare) for an absence: someone else who
    can sign in. Whether the stand-in may answer a given approval is the task rules' (may_hand_to,
    asked when an approval is handed on): a stand-in they refuse for one delivery leaves that
    approval with its decision-maker."""
    return User.objects.filter(is_active=True).exclude(pk=person.pk)


def may_be_stand_in_for(person, stand_in) -> bool:
    """stand_in_candidates, for one person: the rule set_absence asks."""
    return stand_in_candidates(person).filter(pk=stand_in.pk).exists()
