"""factory-boy factories shared by every test module."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from assignments.models import (
    Assignment,
    Distribution,
    Group,
    Milestone,
    OrgUnit,
    User,
    WorkingGroupMember,
)

TEST_PASSWORD = "test-lösenord-123"  # noqa: S105 - test-only credential


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("parent", "name")

    name = factory.Sequence(lambda n: f"Enhet {n}")
    parent = None
    kind = OrgUnit.Kind.OTHER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = "Efternamn"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    registration_number = factory.Sequence(lambda n: f"RS 2025-{n + 10000:05d}")
    document_date = dt.date(2025, 8, 12)
    issuing_unit = factory.SubFactory(OrgUnitFactory, name="Koncernkontoret")
    title = factory.Sequence(lambda n: f"Uppdrag {n}")
    assignee = factory.SubFactory(UserFactory)
    delivery_due = dt.date(2025, 12, 1)
    state = Assignment.State.IN_PROGRESS

    @factory.post_generation
    def commissioners(self, create, extracted, **kwargs):
        if create and extracted:
            self.commissioners.set(extracted)

    @factory.post_generation
    def decision_makers(self, create, extracted, **kwargs):
        if create and extracted:
            self.decision_makers.set(extracted)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    assignment = factory.SubFactory(AssignmentFactory)
    kind = Milestone.Kind.OTHER
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    start = dt.date(2025, 9, 1)
    due = dt.date(2025, 10, 31)
    position = factory.Sequence(int)


class WorkingGroupMemberFactory(DjangoModelFactory):
    class Meta:
        model = WorkingGroupMember

    assignment = factory.SubFactory(AssignmentFactory)
    person = factory.SubFactory(UserFactory)
    role = "Deltagare"


class DistributionFactory(DjangoModelFactory):
    class Meta:
        model = Distribution

    assignment = factory.SubFactory(AssignmentFactory)
    person = factory.SubFactory(UserFactory)
    purpose = Distribution.Purpose.INFORMATION


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Grupp {n}")
    kind = Group.Kind.COORDINATING
    process = Group.Process.MAIN
    mandate = Group.Mandate.PREPARATORY
