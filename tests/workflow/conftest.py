import pytest

from assignments.models import Assignment, User
from tests.seeding import load_demo


@pytest.fixture
def seed004(db):
    """RS 2024-05699 as a registered draft with its process started, as load_demo --draft
    (alone: the generated demo assignments cost a second a test and are load_demo's to test)."""
    load_demo("--draft", "--seed-only")
    return Assignment.objects.get(registration_number="RS 2024-05699", state="draft")


@pytest.fixture
def people(db):
    class People:
        def __getattr__(self, name):
            return self[name.replace("_", ".")]

        def __getitem__(self, username):
            return User.objects.get(username=username)

    return People()
